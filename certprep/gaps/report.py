"""What the gap analysis adds to the reports (certprep.core.documents): readiness (the key figures, the stage 1
list and the readiness page's charts), readiness by clause and by process over the assessments, the improvement
topics by priority and the documented information; and the "Gap analysis" document made of them.

Every figure comes from the selectors the gap analysis's pages read (selectors.dashboard, selectors.topics,
selectors.documents) and is written as those pages write it (percentages rounded as the readiness page's
floatformat rounds them, dates in the language's format); the charts are the readiness page's SVG
(readiness_charts). A fixed number of queries whatever the number of requirements (the dashboard reads one more per
framework assessed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from certprep.core.dates import day_text
from certprep.core.documents import (
    Block,
    Cell,
    Figure,
    KeyFigures,
    Paragraph,
    ReportDocument,
    ReportSection,
    Table,
    read_once,
)
from certprep.core.wording import join_names
from certprep.engagements.models import Engagement
from certprep.gaps.models import DocumentItem, ImprovementTopic
from certprep.gaps.readiness_charts import readiness_charts
from certprep.gaps.rules import Summary
from certprep.gaps.selectors.dashboard import Column, Dashboard, dashboard
from certprep.gaps.selectors.documents import checklist_items
from certprep.gaps.selectors.topics import topic_views, with_texts
from certprep.gaps.views.documents import refs_text

DASH = "—"


def percent_text(value: float | None) -> str:
    """A readiness share as the readiness page writes it: whole percent, or a dash when there is none."""
    return f"{floatformat(value, 0)} %" if value is not None else DASH


def _percent_value(value: float | None) -> Decimal | None:
    return Decimal(str(round(value, 1))) if value is not None else None


def _dashboard(engagement: Engagement) -> Dashboard:
    """The readiness dashboard, read once per language for the report's sections (core.documents.read_once)."""
    return read_once(("gaps.dashboard", engagement.pk, get_language()), lambda: dashboard(engagement))


def _no_assessment() -> Paragraph:
    return Paragraph(_("No assessment yet: the charts appear once requirements are rated."), "missing")


def _key_figures(view: Dashboard, latest: Column) -> KeyFigures:
    overall = latest.overall
    items = [
        (_("Overall readiness"), percent_text(overall.percent)),
        (_("Coverage"), f"{percent_text(overall.coverage)} ({overall.rated} / {overall.total})"),
        (_("Below target"), str(overall.gaps)),
        (_("Documented information ready"), f"{latest.documentation_ready} / {latest.documentation_checked}"),
    ]
    if view.baseline is not None:
        items.append(
            (
                _("Since the baseline"),
                f"{percent_text(view.baseline.overall.percent)} → {percent_text(overall.percent)}",
            )
        )
    return KeyFigures(items)


CHART_TITLES = {
    "radar_clauses": gettext_lazy("Readiness by clause"),
    "radar_processes": gettext_lazy("Readiness by process"),
    "heat_clauses": gettext_lazy("Readiness by clause and assessment"),
    "heat_processes": gettext_lazy("Readiness by process and assessment"),
    "trend": gettext_lazy("Overall readiness over the assessments"),
}


def _stage1(view: Dashboard) -> Table:
    states = {True: _("Yes"), False: _("No"), None: _("Unknown")}
    return Table(
        columns=[_("Stage 1 readiness"), _("Ready"), _("Source")],
        rows=[[item.label, states[item.state], item.source] for item in view.stage1],
        caption=_(
            "Each answer comes from the documented-information checklist first, then from the latest assessment's "
            "rating of the clause, then from the survey."
        ),
    )


def _readiness(engagement: Engagement) -> Sequence[Block]:
    view = _dashboard(engagement)
    latest = view.latest
    if latest is None:
        return [_no_assessment(), _stage1(view)]
    blocks: list[Block] = [
        Paragraph(
            capfirst(
                _("share of the targets reached in %(name)s, weighted; a requirement not yet rated counts as not ready")
                % {"name": latest.assessment.name}
            ),
            "lead",
        ),
        _key_figures(view, latest),
        _stage1(view),
    ]
    charts = readiness_charts(view)
    blocks += [Figure(charts[key], str(title)) for key, title in CHART_TITLES.items() if key in charts]
    return blocks


def _assessment_heading(column: Column) -> str:
    return f"{column.assessment.name} {day_text(column.assessment.assessed_on)}"


def _lens_table(
    view: Dashboard, rows: Sequence[tuple[str, str]], by: str, heading: str, caption: str, sheet: str
) -> Table:
    """One row per clause or process (key, label), one column per assessment: readiness and how many are rated."""
    shown: list[list[str]] = []
    values: list[list[Cell]] = []
    for key, label in rows:
        text: list[str] = [label]
        numbers: list[Cell] = [label]
        for column in view.columns:
            found: Mapping[str, Summary] = getattr(column, by)
            summary = found.get(key)
            text.append(f"{percent_text(summary.percent)} ({summary.rated}/{summary.total})" if summary else DASH)
            numbers.append(_percent_value(summary.percent) if summary else None)
        shown.append(text)
        values.append(numbers)
    return Table(
        columns=[heading, *(_assessment_heading(column) for column in view.columns)],
        rows=shown,
        caption=caption,
        numeric=frozenset(range(1, len(view.columns) + 1)),
        sheet=sheet,
        values=values,
    )


def _by_clause(engagement: Engagement) -> Sequence[Block]:
    view = _dashboard(engagement)
    if not view.columns:
        return [_no_assessment()]
    rows = [(node.ref_id, f"{node.ref_id} {node.name}") for node in view.clauses]
    caption = _(
        "Readiness is the weighted share of the targets reached over every requirement; a requirement not yet rated "
        "counts as not ready. The small figures say how many are rated."
    )
    return [_lens_table(view, rows, "by_clause", _("Clause"), caption, _("By clause"))]


def _by_process(engagement: Engagement) -> Sequence[Block]:
    view = _dashboard(engagement)
    if not view.columns:
        return [_no_assessment()]
    if not any(column.by_process for column in view.columns):
        return [Paragraph(_("No rated requirement belongs to a process of the lens yet."), "missing")]
    rows = [(process.code, process.tr.name) for process in view.process_list]
    rows = [(code, name) for code, name in rows if any(code in column.by_process for column in view.columns)]
    caption = _("Readiness by process and assessment")
    return [_lens_table(view, rows, "by_process", _("Process"), caption, _("By process"))]


def _priority(band: str | None) -> str:
    words = {
        "high": pgettext("priority", "High"),
        "medium": pgettext("priority", "Medium"),
        "low": pgettext("priority", "Low"),
    }
    return words.get(band or "", DASH)


def _topics(engagement: Engagement) -> Sequence[Block]:
    views = topic_views(engagement)
    if not views:
        return [
            Paragraph(
                _("No improvement topic yet: generate the topics from the gaps of an assessment."),
                "missing",
            )
        ]
    with_texts(views)
    rows: list[list[str]] = []
    values: list[list[Cell]] = []
    for view in views:
        topic = view.topic
        if not isinstance(topic, ImprovementTopic):  # removed since it was ranked
            continue
        title = str(topic.tr.title)
        owner = topic.owner.name if topic.owner else DASH
        due = day_text(topic.due_date) if topic.due_date else DASH
        status = str(topic.get_status_display())
        refs = join_names(line.ref_id for line in view.lines) or DASH
        priority = _priority(view.priority)
        rows.append([priority, str(view.points), title, refs, owner, due, status])
        values.append([priority, view.points, title, refs, owner, topic.due_date, status])
    return [
        Table(
            columns=[_("Priority"), _("Points"), _("Topic"), _("Requirements"), _("Owner"), _("Due"), _("Status")],
            rows=rows,
            caption=_("Improvement topics, highest priority first"),
            numeric=frozenset({1}),
            sheet=_("Improvement topics"),
            values=values,
        )
    ]


def _documented(engagement: Engagement) -> Sequence[Block]:
    # The items hold no words (their names are translated as they are read): one read serves both languages.
    items = read_once(("gaps.checklist", engagement.pk), lambda: list(checklist_items(engagement)))
    if not items:
        return [Paragraph(_("The documented-information checklist is empty."), "missing")]
    not_checked = _("Not checked")
    statuses = {value: str(label) for value, label in DocumentItem._meta.get_field("status").flatchoices}
    kinds = {value: str(label) for value, label in DocumentItem._meta.get_field("kind").flatchoices}
    rows: list[list[str]] = []
    values: list[list[Cell]] = []
    counts: dict[str, int] = {}
    for item in items:
        status = statuses.get(item.status, item.status) if item.status else not_checked
        counts[status] = counts.get(status, 0) + 1
        text = [
            item.clause,
            str(item.tr.name),
            kinds.get(item.kind, item.kind),
            status,
            refs_text(item) or DASH,
            item.owner.name if item.owner else DASH,
            item.location or DASH,
            day_text(item.review_date) if item.review_date else DASH,
        ]
        rows.append(text)
        values.append([*text[:7], item.review_date])
    return [
        KeyFigures([(status, str(n)) for status, n in counts.items()]),
        Table(
            columns=[
                _("Clause"),
                _("Item"),
                _("Kind"),
                _("Status"),
                _("Evidences requirements"),
                _("Owner"),
                _("Location"),
                _("Next review"),
            ],
            rows=rows,
            caption=_("Documented information"),
            sheet=_("Documented information"),
            values=values,
        ),
    ]


SECTIONS = (
    ReportSection[Engagement](
        key="gaps.readiness", title=gettext_lazy("Readiness for certification"), build=_readiness
    ),
    ReportSection[Engagement](key="gaps.by_clause", title=gettext_lazy("Readiness by clause"), build=_by_clause),
    ReportSection[Engagement](key="gaps.by_process", title=gettext_lazy("Readiness by process"), build=_by_process),
    ReportSection[Engagement](key="gaps.topics", title=gettext_lazy("Improvement topics"), build=_topics),
    ReportSection[Engagement](key="gaps.documented", title=gettext_lazy("Documented information"), build=_documented),
)

DOCUMENT = ReportDocument(
    key="gaps",
    title=gettext_lazy("Gap analysis"),
    description=gettext_lazy(
        "Readiness for certification with its charts, the gaps by clause and by process, the improvement topics and "
        "the documented information."
    ),
    sections=[section.key for section in SECTIONS],
    tabular=True,
)
