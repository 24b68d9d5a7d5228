"""The benefits-and-risks sections of the reports: "feasibility.benefits" (the benefits table, the economics as key
figures and by cycle year, the sensitivity table and the assumptions) and "feasibility.risks" (the register, the
heat map as a figure and the plan's schedule-risk result as an input). Built in the active language with the
figures the pages show; a section without data says what is missing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from certprep.budget.choices import CycleYear
from certprep.budget.money import money_writer
from certprep.core.documents import Block, Bullets, Figure, Heading, KeyFigures, Paragraph, ReportSection, Table
from certprep.core.wording import join_names, labelled
from certprep.engagements.models import Engagement
from certprep.feasibility.benefits_words import assumptions, economics_tables
from certprep.feasibility.heatmap import heat_map_svg
from certprep.feasibility.selectors.economics import BenefitRow, benefit_rows, economics_detail
from certprep.feasibility.selectors.risks import RiskRow, heat_counts, heat_words, risk_rows, schedule_input


def _kpi(row: BenefitRow) -> str:
    if not row.kpi:
        return ""
    if not (row.baseline or row.target):
        return row.kpi
    span = _("from %(baseline)s to %(target)s") % {"baseline": row.baseline or "—", "target": row.target or "—"}
    return labelled(row.kpi, span)


def _benefit_table(engagement: Engagement, money: Callable[[Decimal], str]) -> Table:
    """Five columns, so the table reads on an A4 page: the KPI with its baseline and target, the money value with
    its first year."""
    rows, values = [], []
    for row in benefit_rows(engagement):
        value = row.benefit.value_per_year
        priced = _("not priced")
        if value is not None:
            priced = _("%(amount)s (from year %(year)s)") % {"amount": money(value), "year": row.benefit.first_year}
        texts = [row.title, row.effect, _kpi(row), join_names(row.lenses), priced]
        rows.append(texts)
        values.append([*texts[:4], value])
    return Table(
        columns=[_("Benefit"), _("Expected effect"), _("KPI"), _("Judged against"), _("Value per year")],
        rows=rows,
        sheet=_("Benefits"),
        values=values,
    )


def benefits_blocks(engagement: Engagement) -> Sequence[Block]:
    detail = economics_detail(engagement)
    money = money_writer(detail.economics.currency, get_language() or "en")
    blocks: list[Block] = [
        Paragraph(
            _(
                "What certification is expected to bring, how each benefit will be measured, and what it is worth "
                "against the costs of the budget over the certificate cycle."
            ),
            tone="lead",
        )
    ]
    table = _benefit_table(engagement, money)
    if table.rows:
        blocks.append(table)
    else:
        blocks.append(Paragraph(_("No benefit has been recorded yet."), tone="missing"))
    blocks.append(Heading(_("Economics over the certificate cycle")))
    blocks.extend(Paragraph(text, tone="missing") for text in detail.economics.missing)
    words = economics_tables(detail, money)
    blocks.append(KeyFigures(items=words["figures"]))
    if words["years"]:
        labels = [str(label) for _value, label in CycleYear.choices]
        blocks.append(
            Table(
                columns=["", *labels, _("Total")],
                rows=[[label, *values, total] for label, values, total in words["years"]],
                caption=_("Costs and benefits by cycle year, in %(currency)s")
                % {"currency": detail.economics.currency},
                numeric=frozenset(range(1, len(labels) + 2)),
                sheet=_("Economics"),
            )
        )
        blocks.append(Heading(_("Sensitivity"), level=3))
        blocks.append(
            Table(
                columns=[
                    _("Case"),
                    _("Benefits"),
                    _("Costs"),
                    _("Net benefit"),
                    _("Payback period"),
                    _("Simple return"),
                ],
                rows=[list(case) for case in words["cases"]],
                numeric=frozenset({1, 2, 3, 4, 5}),
                sheet=_("Sensitivity"),
            )
        )
    blocks.append(Heading(_("Assumptions"), level=3))
    blocks.append(Bullets(items=assumptions(detail)))
    return blocks


def _schedule_blocks(engagement: Engagement) -> list[Block]:
    blocks: list[Block] = [Heading(_("Input: the plan's schedule risk"), level=3)]
    schedule = schedule_input(engagement)
    if schedule is None:
        blocks.append(Paragraph(_("No schedule risk analysis has been run for the plan yet."), tone="missing"))
        return blocks
    if schedule.probability is None or schedule.booked is None:
        blocks.append(Paragraph(_("The latest run has no booked stage 2 audit to compare with."), tone="missing"))
    else:
        percent = (schedule.probability * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        blocks.append(
            Paragraph(
                _("Chance of finishing the stage 2 audit by its booked date (%(booked)s): %(percent)s %%")
                % {"booked": date_format(schedule.booked, "DATE_FORMAT"), "percent": percent}
            )
        )
    if schedule.p80 is not None:
        blocks.append(
            Paragraph(
                _("Stage 2 finished with 80 %% certainty by (P80): %(day)s")
                % {"day": date_format(schedule.p80, "DATE_FORMAT")}
            )
        )
    return blocks


def _due(row: RiskRow) -> str:
    if row.risk.due is None:
        return ""
    day = date_format(row.risk.due, "DATE_FORMAT")
    return _("%(day)s (overdue)") % {"day": day} if row.overdue else day


def risks_blocks(engagement: Engagement) -> Sequence[Block]:
    rows = risk_rows(engagement, today=timezone.localdate())
    if not rows:
        return [
            Paragraph(_("No risk has been recorded yet."), tone="missing"),
            *_schedule_blocks(engagement),
        ]
    open_rows = [row for row in rows if row.risk.status != "closed"]
    blocks: list[Block] = [
        Paragraph(
            _("%(open)s open risks, %(high)s of them high; %(overdue)s countermeasures overdue.")
            % {
                "open": len(open_rows),
                "high": sum(1 for row in open_rows if row.level == "high"),
                "overdue": sum(1 for row in rows if row.overdue),
            },
            tone="lead",
        ),
        Table(
            columns=[
                _("Risk"),
                _("Score"),
                _("Owner"),
                _("Countermeasure"),
                _("Due"),
                _("Status"),
            ],
            rows=[
                [
                    row.title,
                    _("%(score)s (%(likelihood)s × %(impact)s)")
                    % {"score": row.score, "likelihood": row.risk.likelihood, "impact": row.risk.impact},
                    row.risk.owner.name if row.risk.owner else _("no owner named"),
                    row.countermeasure,
                    _due(row),
                    row.risk.get_status_display(),
                ]
                for row in rows
            ],
            numeric=frozenset({1}),
            sheet=_("Risks"),
            values=[
                [
                    row.title,
                    row.score,
                    row.risk.owner.name if row.risk.owner else "",
                    row.countermeasure,
                    row.risk.due,
                    row.risk.get_status_display(),
                ]
                for row in rows
            ],
        ),
    ]
    blocks.append(
        Paragraph(_("Score = likelihood × impact (1-25): high from 15, medium from 8, low below."), tone="note")
    )
    counts = heat_counts([row.risk for row in rows])
    words = heat_words(counts)
    blocks.append(
        Figure(svg=heat_map_svg(counts, words, ident="report-risk-heat-map"), caption=words.desc, width_mm=110)
    )
    blocks.extend(_schedule_blocks(engagement))
    return blocks


SECTIONS: tuple[ReportSection[Engagement], ...] = (
    ReportSection(key="feasibility.benefits", title=gettext_lazy("Benefit analysis"), build=benefits_blocks),
    ReportSection(key="feasibility.risks", title=gettext_lazy("Risk factors and countermeasures"), build=risks_blocks),
)
