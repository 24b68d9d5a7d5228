"""Reads for running a campaign: response rates by questionnaire, process and department; who has not
started. Every figure comes from a grouped query, so the number of queries does not grow with respondents."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext

from certprep.catalogue.models import Process
from certprep.core.models import OutboxMessage
from certprep.core.outbox import mail_states
from certprep.engagements.models import Engagement
from certprep.survey.choices import ResponseStatus
from certprep.survey.models import Campaign, Questionnaire, Respondent, Response

# The outbox topic of the e-mail to a respondent (invitation, new link, reminder, thanks; its object id: the
# respondent's).
RESPONDENT_MAIL = "survey.respondent"


@dataclass
class Rate:
    label: str
    total: int = 0
    started: int = 0
    submitted: int = 0
    key: str = ""

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.total) if self.total else 0

    @property
    def started_percent(self) -> int:
        return round(100 * self.started / self.total) if self.total else 0


def _counts(responses: QuerySet[Response], *group: str) -> list[dict[str, Any]]:
    return list(
        responses.values(*group)
        .annotate(
            total=Count("pk"),
            submitted=Count("pk", filter=Q(status=ResponseStatus.SUBMITTED)),
            started=Count("pk", filter=~Q(status=ResponseStatus.NOT_STARTED)),
        )
        .order_by(*group)
    )


def process_names() -> dict[str, str]:
    """Process code -> translated name, from the shipped 13-process lens."""
    return {p.code: p.tr.name for p in Process.objects.order_by("lens_id", "order")}


def campaigns_counted(engagement: Engagement) -> QuerySet[Campaign]:
    """The engagement's campaigns with `respondent_count`, `response_count` (questionnaires sent) and
    `submitted_count` (one query)."""
    return Campaign.objects.filter(engagement=engagement).annotate(
        respondent_count=Count("respondents", distinct=True),
        response_count=Count("respondents__responses"),
        submitted_count=Count(
            "respondents__responses", filter=Q(respondents__responses__status=ResponseStatus.SUBMITTED)
        ),
    )


def campaign_rows(engagement: Engagement) -> QuerySet[Campaign]:
    """The engagement's campaigns counted (campaigns_counted), with their questionnaires (two queries)."""
    return campaigns_counted(engagement).prefetch_related("questionnaires")


def campaigns_of(engagement: Engagement, *, with_questionnaires: bool = False) -> list[Campaign]:
    """The engagement's campaigns, newest first, counted (campaigns_counted) and with their `rate`; with
    their questionnaires when asked (one more query)."""
    rows = campaign_rows(engagement) if with_questionnaires else campaigns_counted(engagement)
    campaigns: list[Campaign] = list(rows.order_by("-created_at"))
    for campaign in campaigns:
        total = campaign.response_count  # type: ignore[attr-defined]
        campaign.rate = round(100 * campaign.submitted_count / total) if total else 0  # type: ignore[attr-defined]
    return campaigns


@dataclass
class Tracking:
    overall: Rate
    by_questionnaire: list[Rate]
    by_process: list[Rate]
    by_department: list[Rate]
    not_started: int


def campaign_tracking(campaign: Campaign) -> Tracking:
    responses = Response.objects.filter(respondent__campaign=campaign)
    names = process_names()
    overall = Rate(label="")
    by_questionnaire: list[tuple[int, Rate]] = []
    by_process: dict[str, Rate] = {}
    # The questionnaires actually answered in the campaign (an imported file may hold more than its list).
    questionnaires = {
        q.pk: q for q in Questionnaire.objects.filter(responses__respondent__campaign=campaign).distinct()
    }
    for row in _counts(responses, "questionnaire_id"):
        questionnaire = questionnaires.get(row["questionnaire_id"])
        if questionnaire is None:
            continue
        rate = Rate(
            label=str(questionnaire),
            total=row["total"],
            started=row["started"],
            submitted=row["submitted"],
            key=str(questionnaire.pk),
        )
        by_questionnaire.append((questionnaire.order, rate))
        overall.total += rate.total
        overall.started += rate.started
        overall.submitted += rate.submitted
        if questionnaire.process_code:
            entry = by_process.setdefault(
                questionnaire.process_code,
                Rate(
                    label=names.get(questionnaire.process_code, questionnaire.process_code),
                    key=questionnaire.process_code,
                ),
            )
            entry.total += rate.total
            entry.started += rate.started
            entry.submitted += rate.submitted
    order = list(names)
    by_department = [
        Rate(
            label=row["respondent__person__department"] or "",
            total=row["total"],
            started=row["started"],
            submitted=row["submitted"],
        )
        for row in _counts(responses, "respondent__person__department")
    ]
    not_started = (
        campaign.respondents.annotate(
            active=Count("responses", filter=~Q(responses__status=ResponseStatus.NOT_STARTED))
        )
        .filter(active=0)
        .count()
    )
    return Tracking(
        overall=overall,
        by_questionnaire=[r for _o, r in sorted(by_questionnaire, key=lambda pair: pair[0])],
        by_process=sorted(by_process.values(), key=lambda r: order.index(r.key) if r.key in order else 99),
        by_department=by_department,
        not_started=not_started,
    )


def progress_choices() -> list[tuple[str, str]]:
    """The respondents' progress filter: all, or by the status of their questionnaires."""
    return [("", gettext("All")), *((value, str(label)) for value, label in ResponseStatus.choices)]


def respondents_of(campaign: Campaign, *, status: str = "", q: str = "") -> QuerySet[Respondent]:
    """The campaign's respondents with their progress, for the tracking table (paginate it)."""
    respondents = campaign.respondents.select_related("person").annotate(
        # distinct: the join with the answers (for the last activity) repeats each response per answer
        total=Count("responses", distinct=True),
        submitted=Count("responses", filter=Q(responses__status=ResponseStatus.SUBMITTED), distinct=True),
        started=Count("responses", filter=~Q(responses__status=ResponseStatus.NOT_STARTED), distinct=True),
        last_answer=Max("responses__answers__updated_at"),
    )
    if q:
        respondents = respondents.filter(
            Q(person__name__icontains=q) | Q(person__department__icontains=q) | Q(person__email__icontains=q)
        )
    if status == "not_started":
        respondents = respondents.filter(started=0)
    elif status == "in_progress":
        respondents = respondents.filter(started__gt=0).exclude(submitted=F("total"))
    elif status == "submitted":
        respondents = respondents.filter(submitted=F("total"))
    return respondents.order_by("person__name", "pk")


def respondents_with_responses(campaign: Campaign, *, status: str = "", q: str = "") -> QuerySet[Respondent]:
    """respondents_of, each with its responses (and their questionnaires) in questionnaire order."""
    responses = Response.objects.select_related("questionnaire").order_by("questionnaire__order", "questionnaire_id")
    return respondents_of(campaign, status=status, q=q).prefetch_related(Prefetch("responses", queryset=responses))


def respondents_mail(respondents: Iterable[Respondent]) -> None:
    """Give each respondent (a page's rows) their newest e-mail as `mail` (an OutboxMessage, or None: never
    written to), read in one query for all of them."""
    rows = list(respondents)
    states = mail_states(RESPONDENT_MAIL, (r.pk for r in rows))
    for respondent in rows:
        respondent.mail = states.get(respondent.pk)  # type: ignore[attr-defined]


def with_mail_state(respondents: QuerySet[Respondent]) -> QuerySet[Respondent]:
    """The respondents with their newest e-mail's state (`mail_status`, `mail_sent_at`, `mail_message`; None when
    never written to) as columns of the same query: a list read by pages of any size stays one query."""
    newest = OutboxMessage.objects.filter(topic=RESPONDENT_MAIL, object_id=OuterRef("pk")).order_by("-pk")
    return respondents.annotate(
        mail_status=Subquery(newest.values("status")[:1]),
        mail_sent_at=Subquery(newest.values("sent_at")[:1]),
        mail_message=Subquery(newest.values("message")[:1]),
    )
