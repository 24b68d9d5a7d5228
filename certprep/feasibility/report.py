"""The scheme's report sections (certprep.core.documents): the one-page decision brief for top management, an
introduction to ISO/IEC 20000-1 and certification in our own words, the management basis, the feasibility
dimensions and the recommendation; and the feasibility scheme document, which also uses the benefits-and-risks
half's sections and the plan's, budget's, vendors' and organization's. Each section works with whatever data
exists and says what is missing."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import F
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from certprep.budget.money import format_money
from certprep.core.documents import (
    Block,
    Bullets,
    Heading,
    KeyFigures,
    PageBreak,
    Paragraph,
    ReportDocument,
    ReportSection,
    Table,
    read_once,
)
from certprep.core.wording import in_parentheses, sentences
from certprep.engagements.models import Engagement
from certprep.feasibility.choices import Outcome, RiskStatus
from certprep.feasibility.models import Rating, Risk
from certprep.feasibility.selectors.scheme import Scheme, arithmetic, scheme_of
from certprep.feasibility.timeline import Timeline
from certprep.feasibility.words import ANCHORS, input_lines, label_value, percent, rule_lines

TOP_RISKS = 3


def _scheme(engagement: Engagement) -> Scheme:
    """The scheme as the pages show it, read once per language for the report's sections (core.documents)."""
    return read_once(("feasibility.scheme", engagement.pk, get_language()), lambda: scheme_of(engagement))


def _day(value: datetime.date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else _("not booked")


def _money(value: Decimal | None, currency: str) -> str:
    return format_money(value, currency, get_language() or "en") if value is not None else _("not known yet")


def _score_text(rating: Rating) -> str:
    return rating.get_score_display() if rating.score else _("not rated")


def _top_risks(engagement: Engagement) -> list[str]:
    risks = (
        Risk.objects.filter(engagement=engagement)
        .exclude(status=RiskStatus.CLOSED)
        .annotate(points=F("likelihood") * F("impact"))
        .order_by("-points", "position", "pk")[:TOP_RISKS]
    )
    return [
        _("%(risk)s (likelihood %(l)s × impact %(i)s); countermeasure: %(c)s")
        % {"risk": r.title, "l": r.likelihood, "i": r.impact, "c": r.countermeasure or _("none yet")}
        for r in risks
    ]


def _why(scheme: Scheme) -> str:
    decision = scheme.recommendation
    proposal = Outcome(scheme.view.proposal.outcome).label
    if decision is None:
        return _("The rule proposes: %(outcome)s. No person has confirmed or overridden it yet.") % {
            "outcome": proposal
        }
    overrides = (
        _("This overrides the rule's proposal (%(proposed)s).") % {"proposed": decision.get_proposed_display()}
        if decision.overridden
        else ""
    )
    return sentences(
        _("Recommendation: %(outcome)s.") % {"outcome": decision.get_outcome_display()}, overrides, decision.rationale
    )


def _timeline_rows(t: Timeline) -> list[list[str]]:
    return [
        [_("Stage 1 audit"), _day(t.stage1) if t.stage1 else "–", _day(t.plan_stage1)],
        [_("Stage 2 audit"), _day(t.stage2) if t.stage2 else "–", _day(t.plan_stage2)],
    ]


def brief(engagement: Engagement) -> Sequence[Block]:
    scheme = _scheme(engagement)
    economics, risks = scheme.view.economics, scheme.view.risks
    blocks: list[Block] = [Paragraph(_why(scheme), tone="lead")]
    payback = (
        _("%(years)s years") % {"years": economics.payback_years}
        if economics.payback_years is not None
        else _("not within the cycle, or unknown")
    )
    probability = risks.schedule_probability
    blocks.append(
        KeyFigures(
            [
                (
                    _("Weighted feasibility score"),
                    str(scheme.score) if scheme.score is not None else _("nothing rated yet"),
                ),
                (_("Costs over the 3-year cycle"), _money(economics.costs, economics.currency)),
                (_("Net benefit"), _money(economics.net_benefit, economics.currency)),
                (_("Payback period"), payback),
                (_("Open high risks"), str(risks.open_high)),
                (_("Chance of being ready by stage 2"), percent(probability) if probability is not None else "–"),
            ]
        )
    )
    blocks.extend(Paragraph(m, tone="missing") for m in economics.missing)
    top = _top_risks(engagement)
    blocks.append(Heading(_("Top risks")))
    blocks.append(Bullets(top) if top else Paragraph(_("No open risk in the register yet."), tone="missing"))
    blocks.append(Heading(_("Proposed dates")))
    if scheme.timeline.maturity is None:
        blocks.append(Paragraph(_("No maturity known yet, so no dates are proposed."), tone="missing"))
    else:
        blocks.append(Table([_("Audit"), _("Proposed by maturity"), _("In the plan")], _timeline_rows(scheme.timeline)))
    if not scheme.has_plan:
        blocks.append(Paragraph(_("There is no plan yet."), tone="missing"))
    blocks.append(Heading(_("What we ask of top management")))
    asks = [
        _("Approve the recommendation and this scheme."),
        _("Release the budget of %(costs)s over the cycle.") % {"costs": _money(economics.costs, economics.currency)},
        _("Name a sponsor and free the project team's time for the preparation and the trial operation."),
    ]
    blocks.append(Bullets(asks))
    written = scheme.recommendation.conditions if scheme.recommendation else ""
    conditions = [line for line in written.splitlines() if line.strip()]
    if conditions:
        blocks.extend([Paragraph(_("See that the conditions are met:")), Bullets(conditions)])
    blocks.append(PageBreak())
    return blocks


def introduction(engagement: Engagement) -> Sequence[Block]:
    return [
        Paragraph(
            _(
                "ISO/IEC 20000-1 is the international standard for a service management system: the way an "
                "organization plans, delivers, runs and keeps improving the IT services it provides to its "
                "customers. It does not prescribe tools or a particular framework; it asks that policies, roles, "
                "processes and records exist, work together and are reviewed by management."
            )
        ),
        Paragraph(
            _(
                "Many organizations already follow ITIL practices. The standard builds on the same ideas but asks for "
                "evidence: planned objectives, measured results, internal audits and management reviews, and "
                "improvement that follows from what was found."
            )
        ),
        Paragraph(
            _(
                "Certification is done by an accredited certification body. A stage 1 audit checks that the system "
                "is designed and documented and that it has operated for a while; a stage 2 audit checks, on "
                "records and interviews, that it works as designed. The certificate is valid for three years, with "
                "surveillance audits in the two years between and a recertification audit at the end."
            )
        ),
        Paragraph(
            _(
                "This scheme sets out whether %(org)s is ready to start, what it costs and brings, what could go "
                "wrong, and when the audits can realistically take place."
            )
            % {"org": engagement.organization_name or engagement.name}
        ),
    ]


def _rating_blocks(rating: Rating) -> list[Block]:
    blocks: list[Block] = [
        Heading(capfirst(rating.get_key_display()), level=3),
        Paragraph(
            _("Rating: %(score)s · weight %(weight)s")
            % {"score": _score_text(rating), "weight": rating.weight.normalize()}
        ),
    ]
    if rating.rationale:
        blocks.append(Paragraph(rating.rationale))
    else:
        blocks.append(Paragraph(_("No rationale written yet."), tone="missing"))
    if rating.evidence:
        blocks.append(Paragraph(_("Evidence: %(evidence)s") % {"evidence": rating.evidence}, tone="note"))
    return blocks


def basis(engagement: Engagement) -> Sequence[Block]:
    scheme = _scheme(engagement)
    blocks: list[Block] = [
        Paragraph(
            _("Three aspects of the current management, each rated 1 to 5 from the facts certprep gathered:"),
            tone="lead",
        )
    ]
    for rating in scheme.basis_ratings:
        blocks.extend(_rating_blocks(rating))
        statements = scheme.basis.statements[rating.key]
        suggested = scheme.basis.suggested(rating.key)
        blocks.append(Bullets([f"{s.text} {in_parentheses(s.source)}" for s in statements]))
        if suggested is not None:
            blocks.append(Paragraph(_("Suggested from these facts: %(n)s.") % {"n": suggested}, tone="note"))
    return blocks


def dimensions(engagement: Engagement) -> Sequence[Block]:
    scheme = _scheme(engagement)
    rows = [
        [capfirst(r.get_key_display()), str(r.score or "–"), str(r.weight.normalize()), r.rationale or "–"]
        for r in scheme.dimension_ratings
    ]
    blocks: list[Block] = [
        Table(
            [_("Dimension"), _("Rating"), _("Weight"), _("Rationale")],
            rows,
            numeric=frozenset({1, 2}),
            sheet=_("Feasibility dimensions"),
        ),
        Heading(_("The scale")),
    ]
    for rating in scheme.dimension_ratings:
        anchors = ANCHORS[rating.key]
        blocks.append(
            Paragraph(
                label_value(capfirst(rating.get_key_display()), f"1 = {anchors[0]} 5 = {anchors[4]}"), tone="note"
            )
        )
    blocks.append(Heading(_("Weighted feasibility score")))
    if scheme.score is None:
        blocks.append(Paragraph(_("Nothing rated yet, so there is no score."), tone="missing"))
    else:
        blocks.append(Paragraph(f"{arithmetic(scheme.ratings)} = {scheme.score}"))
    return blocks


def recommendation(engagement: Engagement) -> Sequence[Block]:
    scheme = _scheme(engagement)
    view = scheme.view
    lines = input_lines(view.proposal, view.inputs, view.economics.currency, get_language() or "en")
    blocks: list[Block] = [
        Heading(_("The rule")),
        Bullets([label_value(criterion, text) for criterion, text in rule_lines()]),
        Paragraph(
            _("The recommendation is the weakest criterion's verdict; a missing input counts as go with conditions.")
        ),
        Heading(_("Inputs and verdicts")),
        Table(
            [_("Criterion"), _("Value"), _("Source"), _("Verdict"), _("What would make it a go")],
            [[line.label, line.value, line.source, line.verdict, line.condition or "–"] for line in lines],
            sheet=_("Recommendation inputs"),
        ),
        Paragraph(_("Proposed by the rule: %(outcome)s.") % {"outcome": Outcome(view.proposal.outcome).label}),
        Heading(_("Decision")),
        Paragraph(_why(scheme)),
    ]
    decision = scheme.recommendation
    if decision is not None:
        who = decision.decided_by.get_full_name() or decision.decided_by.get_username() if decision.decided_by else "–"
        blocks.append(
            Paragraph(
                _("Recorded by %(who)s on %(when)s.")
                % {"who": who, "when": date_format(decision.decided_at, "DATE_FORMAT")},
                tone="note",
            )
        )
        if decision.conditions:
            written = [line for line in decision.conditions.splitlines() if line.strip()]
            blocks.extend([Heading(_("Conditions"), level=3), Bullets(written)])
    else:
        blocks.append(Paragraph(_("No decision recorded yet."), tone="missing"))
    blocks.append(Heading(_("Timeline proposal by maturity")))
    t = scheme.timeline
    if t.maturity is None:
        blocks.append(Paragraph(_("No maturity known yet, so no dates are proposed."), tone="missing"))
    else:
        blocks.append(
            Paragraph(
                _(
                    "Maturity level %(level)s of 5: about %(build)s months to build the system and %(trial)s months "
                    "of trial operation before stage 1."
                )
                % {"level": t.maturity, "build": t.build_months, "trial": t.trial_months}
            )
        )
        blocks.append(Table([_("Audit"), _("Proposed by maturity"), _("In the plan")], _timeline_rows(t)))
    if not scheme.has_plan:
        blocks.append(Paragraph(_("There is no plan yet."), tone="missing"))
    return blocks


SECTIONS: tuple[ReportSection[Engagement], ...] = (
    ReportSection(key="feasibility.brief", title=gettext_lazy("Decision brief"), build=brief),
    ReportSection(
        key="feasibility.introduction", title=gettext_lazy("ISO/IEC 20000-1 and certification"), build=introduction
    ),
    ReportSection(key="feasibility.basis", title=gettext_lazy("Management basis"), build=basis),
    ReportSection(key="feasibility.dimensions", title=gettext_lazy("Feasibility dimensions"), build=dimensions),
    ReportSection(key="feasibility.recommendation", title=gettext_lazy("Recommendation"), build=recommendation),
)

DOCUMENT = ReportDocument(
    key="feasibility",
    title=gettext_lazy("Certification feasibility scheme"),
    description=gettext_lazy(
        "The scheme top management decides on: a one-page brief, then the basis, benefits, dimensions, plan, "
        "costs, risks, vendor choice, recommendation and approvals."
    ),
    sections=(
        "feasibility.brief",
        "feasibility.introduction",
        "feasibility.basis",
        "feasibility.benefits",
        "feasibility.dimensions",
        "plan.summary",
        "plan.gantt",
        "plan.risk",
        "budget.summary",
        "budget.charts",
        "feasibility.risks",
        "vendors.decision",
        "organization.team",
        "feasibility.recommendation",
        "organization.approvals",
    ),
    tabular=False,
)
