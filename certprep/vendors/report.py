"""What the vendors add to the reports (certprep.core.documents): the comparison (the ranking with each criterion's
score and what it adds, the 3-year cost of each quote with the quote check's answers), the decisions recorded and
the register; and the "Vendor comparison" document made of them.

Every figure comes from the selectors the comparison and register pages read (selectors.comparison), written as
those pages write them (money in its own currency through the vendors' money tag, scores as the ranking shows
them). A fixed number of queries whatever the number of vendors, quotes and scores."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certprep.core.dates import day_text
from certprep.core.documents import (
    Block,
    Bullets,
    Cell,
    Heading,
    KeyFigures,
    Paragraph,
    ReportDocument,
    ReportSection,
    Table,
)
from certprep.core.wording import join_entries, join_names, labelled
from certprep.engagements.models import Engagement
from certprep.vendors import rules, words
from certprep.vendors.choices import Answer, VendorKind
from certprep.vendors.models import Vendor
from certprep.vendors.selectors.comparison import (
    Comparison,
    VendorRow,
    availability_against_audits,
    comparison,
    figures,
    latest_decisions,
    ranking_rows,
    register_rows,
)
from certprep.vendors.templatetags.vendors_tags import money, percent

KINDS = (VendorKind.CERTIFICATION_BODY, VendorKind.CONSULTANCY)
DASH = "—"


def flag_words(row: VendorRow) -> list[str]:
    """The flags the register and the comparison show beside a vendor, in words."""
    found = [str(words.ACCREDITATION[flag]) for flag in row.accreditation]
    for question, answer in row.check:
        part = words.CHECK[question]
        if answer == rules.Included.NO:
            found.append(_("not included: %(part)s") % {"part": part})
        else:
            found.append(_("unknown: %(part)s") % {"part": part})
    if row.unpriced:
        found.append(_("a missing part needs your estimate"))
    elif row.estimated:
        found.append(_("includes estimates"))
    return found


def check_answers(row: VendorRow) -> str:
    """Every question of the quote check with its answer ("next year's surveillance: yes; ...")."""
    if row.quote is None or row.vendor.kind != VendorKind.CERTIFICATION_BODY:
        return "—"
    answers = dict(Answer.choices)
    quote = figures(row.quote)
    return join_names(
        labelled(words.CHECK[question], answers.get(quote.answer(question), quote.answer(question)))
        for question in rules.CheckQuestion
    )


def _ranking(found: Comparison) -> list[Block]:
    """Criteria down, vendors across (a handful of vendors, often more criteria): each cell the score and what it
    adds, the weighted score last."""
    if found.ranking.refused:
        return [Paragraph(str(words.REFUSALS[found.ranking.refused]), "missing")]
    shares = found.ranking.shares
    ranked = ranking_rows(found)
    names = [_("%(name)s (recommended)") % {"name": row.name} if row.recommended else row.name for row in ranked]
    rows: list[list[str]] = []
    for n, criterion in enumerate(found.criteria):
        label = (
            f"{criterion.shown_name} ({percent(shares[criterion.pk])})"
            if criterion.pk in shares
            else criterion.shown_name
        )
        cells = [row.cells[n] for row in ranked]
        rows.append([label, *(_("not scored") if c.missing else f"{c.score} (+{c.plus})" for c in cells)])
    rows.append([_("Weighted score (of 5)"), *(row.total for row in ranked)])
    return [
        Table(
            columns=[_("Criterion"), *names],
            rows=rows,
            caption=_(
                "Each cell shows the score and, after +, what it adds to the weighted score (its share of the "
                "weights x the score)."
            ),
            numeric=frozenset(range(1, len(names) + 1)),
            sheet=(
                _("Ranking, bodies") if found.kind == VendorKind.CERTIFICATION_BODY else _("Ranking, consultancies")
            )[:31],
        )
    ]


def _totals(found: Comparison) -> list[Block]:
    """The 3-year cost of each quote by year, then what each quote's check answered and the flags, in words."""
    years = list(words.YEARS.items())
    body = found.kind == VendorKind.CERTIFICATION_BODY
    rows: list[list[str]] = []
    values: list[list[Cell]] = []
    notes: list[str] = []
    for row in found.rows:
        if row.quote is None:
            rows.append([row.vendor.name, *([DASH] * (len(years) + 1))])
            values.append([row.vendor.name, *([None] * (len(years) + 1))])
        else:
            amounts = [*(row.years.get(year) for year, _label in years), row.total]
            rows.append([row.vendor.name, *(money(amount, row.quote.currency) for amount in amounts)])
            values.append([row.vendor.name, *amounts])
        said = [labelled(_("Quote check"), check_answers(row))] if body and row.quote is not None else []
        flags = flag_words(row)
        if flags:
            said.append(labelled(_("Flags"), join_names(flags)))
        if said:
            notes.append(labelled(row.vendor.name, join_entries(said)))
    blocks: list[Block] = [
        Table(
            columns=[_("Vendor"), *(str(label) for _year, label in years), _("Total")],
            rows=rows,
            caption=_(
                "Each quote in its own currency, with the parts it leaves out added as estimates. The budget "
                "converts currencies at the rates you enter there."
            ),
            numeric=frozenset(range(1, len(years) + 2)),
            sheet=(_("3-year cost, bodies") if body else _("3-year cost, consultancies"))[:31],
            values=values,
        )
    ]
    if notes:
        blocks.append(Bullets(notes))
    if not found.price_scored and found.currencies:
        blocks.append(
            Paragraph(
                _(
                    "The quotes are in different currencies, so the price is not scored here: compare them in the "
                    "budget, which converts at your rates."
                ),
                "note",
            )
        )
    return blocks


def _comparison(engagement: Engagement) -> Sequence[Block]:
    today = timezone.localdate()
    blocks: list[Block] = []
    for kind in KINDS:
        found = comparison(engagement, kind=kind, on=today)
        if not found.rows:
            continue
        blocks.append(Heading(capfirst(str(VendorKind(kind).label))))
        blocks.append(Heading(_("Ranking"), 3))
        blocks += _ranking(found)
        blocks.append(Heading(_("Quotes over the 3-year cycle"), 3))
        blocks += _totals(found)
    return blocks or [
        Paragraph(
            _("No vendor yet. Add the certification bodies (and any consultancy) you are considering."), "missing"
        )
    ]


def _decision(engagement: Engagement) -> Sequence[Block]:
    decisions = latest_decisions(engagement)
    if not decisions:
        return [Paragraph(_("No vendor has been chosen yet: record the decision on the vendor comparison."), "missing")]
    rows = {row.vendor.pk: row for row in register_rows(engagement, on=timezone.localdate())}
    blocks: list[Block] = []
    for kind in KINDS:
        decision = decisions.get(kind)
        if decision is None:
            continue
        blocks.append(Heading(capfirst(str(VendorKind(kind).label))))
        when = date_format(timezone.localtime(decision.decided_at), "DATETIME_FORMAT")
        figures_shown = [
            (_("Chosen"), decision.vendor.name),
            (_("Decided by"), decision.decided_by_label or "—"),
            (_("Decided on"), when),
        ]
        row = rows.get(decision.vendor_id)
        if row is not None and row.quote is not None and row.total is not None:
            figures_shown.append((_("Latest quote, 3 years"), money(row.total, row.quote.currency)))
        blocks.append(KeyFigures(figures_shown))
        blocks.append(Paragraph(labelled(_("Why"), decision.rationale)))
        flags = flag_words(row) if row is not None else []
        if flags:
            blocks.append(Bullets(flags))
        if kind == VendorKind.CERTIFICATION_BODY:
            blocks += _fits(engagement, decision.vendor)
    return blocks


def _fits(engagement: Engagement, vendor: Vendor) -> list[Block]:
    fits = availability_against_audits(engagement, vendor)
    if not fits:
        return []
    yes, outside = _("yes"), _("outside its availability")
    return [
        Table(
            columns=[_("Audit"), _("Audit date"), _("Within an availability window")],
            rows=[[fit.name, day_text(fit.date), yes if fit.available else outside] for fit in fits],
            caption=_("Availability against the audit dates"),
        )
    ]


def _register(engagement: Engagement) -> Sequence[Block]:
    rows = register_rows(engagement, on=timezone.localdate())
    if not rows:
        return [
            Paragraph(
                _("No vendor yet. Add the certification bodies (and any consultancy) you are considering."), "missing"
            )
        ]
    answers = dict(Answer.choices)
    shown: list[list[str]] = []
    values: list[list[Cell]] = []
    for row in rows:
        vendor = row.vendor
        body = vendor.kind == VendorKind.CERTIFICATION_BODY
        accreditation = (
            join_names(
                text
                for text in (
                    vendor.accreditation_body,
                    vendor.accreditation_number,
                    labelled(_("ISO/IEC 20000-1 in scope"), answers.get(vendor.scope_covers_20000, "—")),
                    labelled(_("expires"), day_text(vendor.accreditation_expires))
                    if vendor.accreditation_expires
                    else "",
                )
                if text
            )
            if body
            else "—"
        )
        total = money(row.total, row.quote.currency) if row.quote is not None else _("no quote yet")
        flags = join_names(flag_words(row)) or "—"
        kind = capfirst(vendor.get_kind_display())
        shown.append([vendor.name, kind, accreditation, total, flags])
        values.append([vendor.name, kind, accreditation, row.total if row.quote is not None else None, flags])
    return [
        Table(
            columns=[_("Vendor"), _("Kind"), _("Accreditation"), _("Latest quote, 3 years"), _("Flags")],
            rows=shown,
            caption=_(
                "The consultancies and certification bodies you consider: a certification body's accreditation must "
                "cover ISO/IEC 20000-1, and its quote must price the whole 3-year cycle."
            ),
            numeric=frozenset({3}),
            sheet=_("Vendors"),
            values=values,
        )
    ]


SECTIONS = (
    ReportSection[Engagement](key="vendors.comparison", title=gettext_lazy("Vendor comparison"), build=_comparison),
    ReportSection[Engagement](key="vendors.decision", title=gettext_lazy("Vendor choice"), build=_decision),
    ReportSection[Engagement](key="vendors.register", title=gettext_lazy("Vendor register"), build=_register),
)

DOCUMENT = ReportDocument(
    key="vendors",
    title=gettext_lazy("Vendor comparison"),
    description=gettext_lazy(
        "The certification bodies and consultancies compared: the ranking, the 3-year cost of each quote, the "
        "decisions and the register."
    ),
    sections=[section.key for section in SECTIONS],
    tabular=True,
)
