"""The demo engagement's feasibility scheme: Harbourline's management basis and feasibility dimensions rated with
their reasons (two large customers asking for the certificate, ISO 9001 and 27001 already running, incident and
change following ITIL while problem, capacity and supplier management are informal), the benefits and risks
(certprep.feasibility.demo_benefits), and a recorded decision on the rule's proposal. Does nothing when the
engagement has ratings already."""

from __future__ import annotations

from certprep.core.actors import Actor
from certprep.engagements.models import Engagement
from certprep.feasibility.choices import Outcome, RatingKey
from certprep.feasibility.demo_benefits import load_benefits_demo
from certprep.feasibility.models import Rating
from certprep.feasibility.selectors.scheme import proposal_of
from certprep.feasibility.services.ratings import rating_update
from certprep.feasibility.services.recommendation import recommendation_decide

RATINGS: tuple[tuple[str, int, str, str], ...] = (
    (
        RatingKey.ITIL_FOUNDATION,
        3,
        "Incident and change follow ITIL in Jira Service Management; problem, capacity and supplier management are "
        "informal and the CMDB in iTop is only partly filled.",
        "Profile; survey current state of incident, change and problem; gap analysis readiness by process.",
    ),
    (
        RatingKey.ORGANIZATION_STRUCTURE,
        4,
        "The Managed Services division has named process owners for most processes; the matrix check leaves a few "
        "warnings on double roles in the Suzhou data centre.",
        "Responsibility matrix and its check.",
    ),
    (
        RatingKey.MANAGEMENT_RISKS,
        3,
        "Document control, internal audit and management review run for ISO 9001 and ISO/IEC 27001 and can be "
        "extended; the service desk team is already stretched, so the trial operation must be staffed.",
        "Existing certificates since 2021; gap analysis; survey flags on workload.",
    ),
    (
        RatingKey.INVESTMENT_NECESSITY,
        5,
        "Two large customers require an ISO/IEC 20000-1 certificate in their next tenders.",
        "Tender notices of both customers; sales forecast.",
    ),
    (
        RatingKey.ORGANIZATIONAL,
        4,
        "The managing director sponsors the project; a project team of five with a fifth of their time is agreed.",
        "Kick-off minutes.",
    ),
    (
        RatingKey.TECHNICAL,
        3,
        "Adapting the service desk in use covers change, configuration and SLA reporting; the CMDB needs filling.",
        "Tool options in the budget; vendor's offer for the adaptation.",
    ),
    (
        RatingKey.FINANCIAL,
        4,
        "The budget fits this year's improvement reserve; recertification falls in year 3.",
        "Budget roll-up over the cycle.",
    ),
    (
        RatingKey.ECONOMIC,
        3,
        "Keeping the two customers' contracts outweighs the costs; smaller gains come from fewer repeated incidents.",
        "Benefit analysis with priced benefits.",
    ),
    (
        RatingKey.SOCIAL,
        4,
        "Staff welcome clearer processes; customers and partners value the certificate.",
        "Survey comments; customer meetings.",
    ),
)


def load_scheme_demo(*, engagement: Engagement, actor: Actor) -> None:
    load_benefits_demo(engagement=engagement, actor=actor)
    if Rating.objects.filter(engagement=engagement).exists():
        return
    for key, score, rationale, evidence in RATINGS:
        rating_update(
            engagement=engagement,
            actor=actor,
            key=key,
            expected_version=1,
            score=score,
            rationale=rationale,
            evidence=evidence,
        )
    proposed = proposal_of(engagement).proposal.outcome
    if proposed == Outcome.GO:
        rationale = "The ratings, the economics and the schedule all speak for certification; we confirm."
        conditions = ""
    else:
        rationale = "We confirm the proposal: certification is worth doing once the conditions below are met."
        conditions = (
            "Staff the service desk for the trial operation (two temporary agents).\n"
            "Book the stage 1 audit with the chosen certification body by the end of the quarter.\n"
            "Fill the CMDB for the services in scope before stage 1."
        )
    outcome = proposed if proposed != Outcome.NO_GO else Outcome.CONDITIONAL
    if outcome != proposed:
        rationale = (
            "The rule proposes a no-go on the figures entered so far, but the customers' tenders make the "
            "certificate necessary: we go on with conditions and review in three months."
        )
    recommendation_decide(
        engagement=engagement,
        actor=actor,
        expected_version=0,
        outcome=outcome,
        conditions=conditions or "Review the scheme when the schedule risk analysis has run.",
        rationale=rationale,
    )
