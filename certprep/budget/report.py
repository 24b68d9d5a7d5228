"""What the budget adds to the reports (certprep.core.documents): the 3-year summary by category and year with its
key figures and warnings, the budget page's three charts, and every line; and the "Budget" document made of them.

Every figure comes from the selector the budget page reads (selectors.budget.budget_view) and is written as the
page writes it (money.money_writer in the active language); the charts are the page's own SVG. Like the page, a
section first recomputes the derived lines (services.derived.budget_recompute: they follow the plan, the people and
the quotes), so a report never shows a budget older than its inputs. A fixed number of queries whatever the number
of lines."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from certprep.budget.chart_set import budget_charts
from certprep.budget.choices import Category, CycleYear, LineSource
from certprep.budget.money import money_writer
from certprep.budget.rollup import YEARS
from certprep.budget.selectors.budget import BudgetView, budget_view
from certprep.budget.services.derived import budget_recompute
from certprep.budget.services.inputs import settings_in
from certprep.budget.wording import derived_description, missing_rate, plain_decimal, unit_words
from certprep.core.documents import Block, Cell, Figure, KeyFigures, Paragraph, ReportDocument, ReportSection, Table
from certprep.core.wording import in_parentheses, join_names, labelled
from certprep.engagements.models import Engagement


def _writer(currency: str) -> Callable[[Decimal], str]:
    return money_writer(currency, get_language() or "en")


def _view(engagement: Engagement) -> BudgetView:
    """The budget as its page reads it: the derived lines recomputed from their inputs first (the plan's
    assignments, the people in scope, the chosen quotes), then every line rolled up."""
    budget_recompute(engagement=engagement)
    return budget_view(engagement, settings_in(engagement))


def _missing() -> Paragraph:
    return Paragraph(_("No budget line yet: enter the budget's settings or add lines on the budget page."), "missing")


def _years() -> list[str]:
    return [capfirst(str(label)) for label in CycleYear.labels]


def summary_table(view: BudgetView) -> Table:
    """The budget page's table: each cash category by year with its total, then cash out and internal effort."""
    fmt = _writer(view.rollup.currency)
    rollup = view.rollup
    figures: list[tuple[str, list[Decimal], Decimal]] = [
        (capfirst(label), values, total) for _key, label, values, total in view.rows()
    ]
    figures.append((_("Cash out"), [rollup.cash_by_year[y] for y in YEARS], rollup.cash_total))
    figures.append((_("Internal staff effort"), [rollup.internal_by_year[y] for y in YEARS], rollup.internal_total))
    return Table(
        columns=[_("Category"), *_years(), _("Total")],
        rows=[[label, *(fmt(v) for v in values), fmt(total)] for label, values, total in figures],
        caption=_("Cost by category and year of the cycle"),
        numeric=frozenset(range(1, 6)),
        sheet=_("Budget"),
        values=[[label, *values, total] for label, values, total in figures],
    )


def _summary(engagement: Engagement) -> Sequence[Block]:
    view = _view(engagement)
    if not view.rollup.lines:
        return [_missing()]
    rollup = view.rollup
    fmt = _writer(rollup.currency)
    blocks: list[Block] = [
        Paragraph(
            _(
                "The three years of the certificate cycle in %(currency)s, converted at the exchange rates you "
                "entered. Internal staff effort is shown apart: no money leaves the organization for it."
            )
            % {"currency": rollup.currency},
            "lead",
        ),
        KeyFigures(
            [
                (_("Cash out over the 3-year cycle"), fmt(rollup.cash_total)),
                (_("Internal staff effort"), fmt(rollup.internal_total)),
                (_("Total cost of the cycle"), fmt(rollup.cash_total + rollup.internal_total)),
            ]
        ),
        summary_table(view),
    ]
    if view.no_training:
        advice = _(
            "Training every person in scope is the cost people forget. Enter the training hours and rate in the "
            "settings, or add a training line."
        )
        blocks.append(Paragraph(f"{_('No training line.')} {advice}", "warning"))
    blocks += [Paragraph(missing_rate(source, target), "warning") for source, target in rollup.missing_pairs]
    blocks += [Paragraph(flag, "warning") for flag in view.flags]
    return blocks


def _charts(engagement: Engagement) -> Sequence[Block]:
    view = _view(engagement)
    if not view.rollup.lines:
        return [_missing()]
    rollup = view.rollup
    fmt = _writer(rollup.currency)
    years = [_("Initial"), _("Surveillance 1"), _("Surveillance 2"), _("Recertification")]  # as the charts name them
    drawn = budget_charts(view)

    def caption(title: str, figures: Sequence[Decimal]) -> str:
        return labelled(title, join_names(f"{year} {fmt(value)}" for year, value in zip(years, figures, strict=True)))

    cash = [rollup.cash_by_year[y] for y in YEARS]
    internal = [rollup.internal_by_year[y] for y in YEARS]
    return [
        Figure(str(drawn["by_category"]), caption(_("Cost by category and year"), cash)),
        Figure(str(drawn["cumulative"]), caption(_("Cumulative cash out over the cycle"), rollup.cumulative_cash())),
        Figure(
            str(drawn["effort"]),
            f"{caption(_('Cash out against internal effort'), cash)}; "
            f"{caption(capfirst(str(Category.INTERNAL.label)), internal)}",
        ),
    ]


def _lines(engagement: Engagement) -> Sequence[Block]:
    view = _view(engagement)
    if not view.lines:
        return [_missing()]
    reporting = view.rollup.currency
    report = _writer(reporting)
    writers: dict[str, Callable[[Decimal], str]] = {}
    categories = {value: capfirst(str(label)) for value, label in Category.choices}
    years = dict(zip(CycleYear.values, _years(), strict=True))
    sources = {value: str(label) for value, label in LineSource.choices}
    superseded, no_rate = in_parentheses(_("superseded by a typed line")), _("no rate")
    rows: list[list[str]] = []
    values: list[list[Cell]] = []
    for line, rolled in view.lines:
        own = writers.get(line.currency) or writers.setdefault(line.currency, _writer(line.currency))
        typed = line.source == LineSource.TYPED
        what = line.derived_from.get("what") if isinstance(line.derived_from, dict) else None
        description = derived_description(what, line.derived_from) if what else line.description
        if rolled.superseded:
            description = f"{description} {superseded}"
        unit = line.unit if typed else unit_words(line.unit)
        category = categories.get(line.category, line.category)
        year = years.get(line.cycle_year, str(line.cycle_year))
        source = sources.get(line.source, line.source)
        reported = report(rolled.reported) if rolled.reported is not None else no_rate
        rows.append(
            [
                category,
                year,
                description,
                plain_decimal(line.quantity),
                unit,
                plain_decimal(line.unit_price),
                line.currency,
                own(rolled.amount),
                reported,
                source,
            ]
        )
        values.append(
            [
                category,
                year,
                description,
                line.quantity,
                unit,
                line.unit_price,
                line.currency,
                rolled.amount,
                rolled.reported,
                source,
            ]
        )
    return [
        Table(
            columns=[
                _("Category"),
                _("Year"),
                _("Description"),
                _("Quantity"),
                _("Unit"),
                _("Unit price"),
                _("Currency"),
                _("Amount"),
                _("In %(currency)s") % {"currency": reporting},
                _("Source"),
            ],
            rows=rows,
            caption=_("Every budget line, in its own currency and in the reporting currency"),
            numeric=frozenset({3, 5, 7, 8}),
            sheet=_("Lines"),
            values=values,
        )
    ]


SECTIONS = (
    ReportSection[Engagement](key="budget.summary", title=gettext_lazy("Costs over the 3-year cycle"), build=_summary),
    ReportSection[Engagement](key="budget.charts", title=gettext_lazy("Budget charts"), build=_charts),
    ReportSection[Engagement](key="budget.lines", title=gettext_lazy("Budget lines"), build=_lines),
)

DOCUMENT = ReportDocument(
    key="budget",
    title=gettext_lazy("Budget"),
    description=gettext_lazy(
        "The costs of the 3-year certificate cycle by category and year, the charts and every budget line."
    ),
    sections=[section.key for section in SECTIONS],
    tabular=True,
)
