"""What the plan adds to the reports (certprep.core.documents): its summary (stages, milestones, the audit bookings
with the certification body), its Gantt chart, its schedule risk and the whole task table; and the "Implementation
plan" document made of them.

Every figure comes from the selectors the plan's pages read: the plan page (selectors.page.plan_page), the Gantt
chart (selectors.gantt.gantt_view, drawn by charts.gantt_svg), the audits (selectors.audits) and the latest risk
run (selectors.risk.run_view, with its histograms); dates are written as those pages write them (core.dates).
Each section takes a fixed number of queries whatever the plan's size."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from certprep.core.dates import day_text
from certprep.core.documents import (
    Block,
    Cell,
    Figure,
    Heading,
    KeyFigures,
    Paragraph,
    ReportDocument,
    ReportSection,
    Table,
)
from certprep.core.wording import join_names, labelled, sentences
from certprep.engagements.models import Engagement
from certprep.planning.audit_rules import RECERTIFICATION, SURVEILLANCE1, SURVEILLANCE2
from certprep.planning.audit_words import audit_name
from certprep.planning.charts.gantt import GanttChart, GanttRow, Zoom
from certprep.planning.charts.gantt_svg import gantt_svg
from certprep.planning.models import AuditBooking, Plan
from certprep.planning.selectors.audits import plan_bookings, plan_page_warnings
from certprep.planning.selectors.gantt import gantt_view
from certprep.planning.selectors.page import PageRow, PlanPage, plan_page
from certprep.planning.selectors.plan import plan_of
from certprep.planning.selectors.risk import TargetView, risk_run_in, risk_runs, run_view

DASH = "—"
GANTT_LEVELS = 2  # the report's chart stops at this outline level, so 1,500 tasks still fit a page
GANTT_MAX_ROWS = 40  # more summary tasks and milestones than fit a page: the chart keeps the first level only
NO_BASELINE = -1  # the report's chart compares no baseline (the page compares baseline 0 unless told)


def _no_plan() -> Paragraph:
    return Paragraph(_("No plan yet: generate the implementation plan on the plan page."), "missing")


def _day(day: datetime.date | None) -> str:
    return day_text(day) if day is not None else DASH


def _duration(days: float) -> str:
    return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}


def _percent(value: int) -> str:
    return f"{value} %"


def _span(page: PlanPage) -> list[Block]:
    if page.start is None or page.finish is None:
        return []
    return [
        Paragraph(
            _(
                "From %(start)s to %(finish)s, on the engagement's working calendar. Critical tasks have no float: "
                "any delay to them delays stage 1."
            )
            % {"start": day_text(page.start), "finish": day_text(page.finish)},
            "lead",
        )
    ]


def _stages(rows: Sequence[PageRow]) -> Table:
    stages = [row for row in rows if "." not in row.wbs]
    return Table(
        columns=[_("WBS"), _("Stage"), _("Start"), _("Finish"), _("Duration"), capfirst(_("per cent complete"))],
        rows=[
            [
                row.wbs,
                row.task.tr.name,
                _day(row.start),
                _day(row.finish),
                _duration(row.duration_days),
                _percent(row.task.percent_complete),
            ]
            for row in stages
        ],
        caption=_("The stages of the plan"),
        numeric=frozenset({4, 5}),
    )


def _milestones(rows: Sequence[PageRow]) -> list[Block]:
    milestones = [row for row in rows if row.task.milestone]
    if not milestones:
        return []
    return [
        Table(
            columns=[_("WBS"), _("Milestone"), _("Date")],
            rows=[[row.wbs, row.task.tr.name, _day(row.finish)] for row in milestones],
            caption=_("Milestones"),
        )
    ]


def _audits(plan: Plan) -> list[Block]:
    bookings = plan_bookings(plan)
    blocks: list[Block] = [Heading(_("Audits"), 3)]
    body = plan.certification_body
    if body:
        blocks.append(KeyFigures([(_("Certification body"), body)]))
    if not bookings:
        blocks.append(
            Paragraph(
                _("No audit is booked yet. Propose bookings to date the cycle from the plan's trial operation."),
                "missing",
            )
        )
        return blocks
    not_yet = _("not yet")
    blocks.append(
        Table(
            columns=[_("Audit"), _("Audit date"), _("Audit days"), _("Book by"), _("Reserved on")],
            rows=[
                [
                    audit_name(b.kind, b.batch),
                    day_text(b.date),
                    str(b.audit_days),
                    day_text(b.book_by),
                    day_text(b.reserved_on) if b.reserved_on else not_yet,
                ]
                for b in bookings
            ],
            caption=_("Audit bookings"),
            numeric=frozenset({2}),
        )
    )
    return blocks


def _summary(engagement: Engagement) -> Sequence[Block]:
    plan = plan_of(engagement)
    if plan is None:
        return [_no_plan()]
    page = plan_page(plan)
    blocks: list[Block] = [*_span(page)]
    if page.rows:
        blocks.append(
            KeyFigures(
                [
                    (_("Start"), _day(page.start)),
                    (_("Finish"), _day(page.finish)),
                    (_("Tasks"), str(len(page.rows))),
                    (_("Milestones"), str(sum(1 for row in page.rows if row.task.milestone))),
                ]
            )
        )
        blocks.append(_stages(page.rows))
        blocks += _milestones(page.rows)
    else:
        blocks.append(Paragraph(_("The plan has no task yet."), "missing"))
    blocks += [Paragraph(text, "warning") for text in page.problems]
    blocks += _audits(plan)
    warnings = plan_page_warnings(page)
    blocks += [Paragraph(line.text, "warning") for line in warnings.problems]
    blocks += [Paragraph(line.text, "note") for line in warnings.reminders]
    return blocks


def chart_level(rows: Sequence[GanttRow], after_certification: set[int]) -> int:
    """The deepest outline level the chart shows: GANTT_LEVELS, or 1 when that gives more rows than fit a page."""
    deep = [
        row
        for row in rows
        if row.level <= GANTT_LEVELS and (row.summary or row.milestone) and row.key not in after_certification
    ]
    return GANTT_LEVELS if len(deep) <= GANTT_MAX_ROWS else 1


def report_rows(rows: Sequence[GanttRow], after_certification: set[int], level: int = GANTT_LEVELS) -> list[GanttRow]:
    """The rows the report's chart keeps: summary tasks and milestones to outline `level` (a flat plan's first
    levels), without the audits after certification (surveillance, recertification: years later, they would
    squeeze the preparation into a sliver; the audit bookings list them): a row starting after the other tasks'
    last day is left out, a summary task reaching past it is drawn to that day."""
    kept = [row for row in rows if row.level <= level and (row.summary or row.milestone)]
    if not kept:
        kept = [row for row in rows if row.level <= level][:GANTT_MAX_ROWS]
    kept = [row for row in kept if row.key not in after_certification]
    ends = [row.finish for row in rows if row.finish and not row.summary and row.key not in after_certification]
    if not ends:
        return kept
    end = max(ends)
    kept = [row for row in kept if row.start is None or row.start <= end]
    return [
        replace(row, finish=end) if row.finish and row.start and row.finish > end >= row.start else row for row in kept
    ]


def _gantt(engagement: Engagement) -> Sequence[Block]:
    plan = plan_of(engagement)
    if plan is None:
        return [_no_plan()]
    view = gantt_view(plan, zoom=Zoom.MONTH, baseline_number=NO_BASELINE)
    rows = view.chart.rows
    if not rows:
        return [Paragraph(_("The plan has no task yet."), "missing")]
    later = AuditBooking.objects.filter(plan=plan, kind__in=(SURVEILLANCE1, SURVEILLANCE2, RECERTIFICATION))
    after = {task for task in later.values_list("task_id", flat=True) if task is not None}
    level = chart_level(rows, after)
    kept = report_rows(rows, after, level)
    cut = len(kept) > GANTT_MAX_ROWS  # more first-level summary tasks and milestones than a page holds
    kept = kept[:GANTT_MAX_ROWS]
    keys = {row.key for row in kept}
    chart = GanttChart(
        rows=kept,
        links=[link for link in view.chart.links if link.predecessor in keys and link.successor in keys],
        zoom=Zoom.MONTH,
        labels=view.chart.labels,
    )
    caption = _(
        "The summary tasks and milestones to outline level %(levels)s (%(shown)s of the plan's %(total)s tasks), "
        "by month, so that the chart fits a page; the task table lists every task."
    ) % {"levels": level, "shown": len(kept), "total": len(rows)}
    starts = [row.start for row in kept if row.start]
    finishes = [row.finish for row in kept if row.finish]
    if starts and finishes:
        span = _("From %(start)s to %(finish)s.") % {"start": day_text(min(starts)), "finish": day_text(max(finishes))}
        caption = sentences(caption, span)
    if cut:
        caption = sentences(caption, _("The chart stops after its first %(shown)s rows.") % {"shown": len(kept)})
    if after:
        caption = sentences(
            caption, _("The surveillance and recertification audits are listed with the audit bookings.")
        )
    return [Figure(gantt_svg(chart, ident="report-gantt"), caption)]


def _risk_rows(targets: Sequence[TargetView], project: TargetView) -> list[list[str]]:
    rows = []
    for target in [*targets, project]:
        chance = _percent(target.probability_percent) if target.probability_percent is not None else DASH
        rows.append(
            [
                target.label,
                _day(target.deterministic),
                *(_day(day) for day in target.percentiles),
                _day(target.booked) if target is not project else DASH,
                chance if target is not project else DASH,
            ]
        )
    return rows


def _risk(engagement: Engagement) -> Sequence[Block]:
    plan = plan_of(engagement)
    if plan is None:
        return [_no_plan()]
    latest = risk_runs(plan).first()
    if latest is None:
        return [Paragraph(_("No risk analysis has been run yet."), "missing")]
    view = run_view(risk_run_in(plan, latest.pk))
    run = view.run
    blocks: list[Block] = [
        Paragraph(
            _("Run of %(iterations)s iterations, seed %(seed)s") % {"iterations": run.iterations, "seed": run.seed},
            "note",
        ),
        KeyFigures(
            [
                (_("Chance of being ready: %(audit)s") % {"audit": target.label}, _percent(target.probability_percent))
                for target in view.targets
                if target.probability_percent is not None
            ]
            + [(f"{view.project.label} P80", _day(view.project.percentiles[1]))]
        ),
        Table(
            columns=[_("Audit"), _("Plan date"), "P50", "P80", "P95", _("Booked"), _("Chance of being ready")],
            rows=_risk_rows(view.targets, view.project),
            caption=_(
                "P80: the date by which the audit's work was done in 80 of every 100 iterations. The chance of being "
                "ready is the share of iterations in which the audit can start on its booked date."
            ),
            numeric=frozenset({6}),
        ),
    ]
    blocks += [Paragraph(text, "warning") for text in view.problems]
    for target in view.targets:
        summary = join_names(
            f"P{q} {_day(day)}" for q, day in zip(("50", "80", "95"), target.percentiles, strict=True) if day
        )
        title = _("%(target)s: finish dates over the iterations") % {"target": target.label}
        blocks.append(Figure(str(target.histogram), labelled(title, summary) if summary else title))
    return blocks


def _tasks(engagement: Engagement) -> Sequence[Block]:
    plan = plan_of(engagement)
    if plan is None:
        return [_no_plan()]
    page = plan_page(plan)
    if not page.rows:
        return [Paragraph(_("The plan has no task yet."), "missing")]
    durations: dict[float, str] = {}
    rows: list[list[str]] = []
    values: list[list[Cell]] = []
    for row in page.rows:
        days = row.duration_days
        if days not in durations:
            durations[days] = _duration(days)
        people = join_names(row.assignees)
        name = row.task.tr.name
        rows.append(
            [
                row.wbs,
                name,
                _day(row.start),
                _day(row.finish),
                durations[days],
                _percent(row.task.percent_complete),
                people or DASH,
            ]
        )
        values.append([row.wbs, name, row.start, row.finish, Decimal(str(days)), row.task.percent_complete, people])
    return [
        Table(
            columns=[
                _("WBS"),
                _("Task"),
                _("Start"),
                _("Finish"),
                _("Duration"),
                capfirst(_("per cent complete")),
                _("Resources"),
            ],
            rows=rows,
            caption=_("Every task of the plan in outline order"),
            numeric=frozenset({4, 5}),
            sheet=_("Tasks"),
            values=values,
        )
    ]


SECTIONS = (
    ReportSection[Engagement](key="plan.summary", title=gettext_lazy("Implementation plan"), build=_summary),
    ReportSection[Engagement](key="plan.gantt", title=gettext_lazy("Gantt chart"), build=_gantt),
    ReportSection[Engagement](key="plan.risk", title=gettext_lazy("Schedule risk"), build=_risk),
    ReportSection[Engagement](key="plan.tasks", title=gettext_lazy("Tasks of the plan"), build=_tasks),
)

DOCUMENT = ReportDocument(
    key="plan",
    title=gettext_lazy("Implementation plan"),
    description=gettext_lazy(
        "The stages, milestones and audit bookings, the Gantt chart, the schedule risk and every task of the plan."
    ),
    sections=[section.key for section in SECTIONS],
    tabular=True,
)
