"""Reading the project's organization: the two bodies with their members, the meeting series with their next
occurrences, and the decision log with the approvals in it (a fixed number of queries at any size)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from certprep.core.api_refs import engagement_ref
from certprep.core.parts import approvables as all_approvables
from certprep.engagements.models import Engagement
from certprep.organization.choices import Body, ProjectRole
from certprep.organization.models import Approval, Decision, MeetingSeries, ProjectMember
from certprep.organization.recurrence import add_months, occurrences
from certprep.organization.wording import cadence_text
from certprep.people.models import Person
from certprep.planning.selectors.plan import plan_of
from certprep.planning.selectors.schedule import scheduled_values

DEFAULT_MONTHS = 6


def members_of(engagement: Engagement) -> list[ProjectMember]:
    """Every member of both bodies with their person, by role (sponsor and chair first), then name (one query)."""
    rank = {role: n for n, role in enumerate(ProjectRole.values)}
    members = sorted(
        ProjectMember.objects.filter(engagement=engagement).select_related("person"),
        key=lambda m: (rank.get(m.role, len(rank)), m.person.name, m.pk),
    )
    for member in members:
        member.engagement = engagement
    return members


@dataclass(frozen=True)
class Bodies:
    steering: list[ProjectMember]
    team: list[ProjectMember]

    @property
    def empty(self) -> bool:
        return not self.steering and not self.team


def bodies_of(engagement: Engagement) -> Bodies:
    members = members_of(engagement)
    return Bodies([m for m in members if m.body == Body.STEERING], [m for m in members if m.body == Body.TEAM])


def people_of(engagement: Engagement) -> QuerySet[Person]:
    return Person.objects.filter(engagement=engagement).order_by("name", "pk")


def plan_finish(engagement: Engagement) -> datetime.date | None:
    """The plan's scheduled finish, or None without a plan (a fixed number of queries)."""
    plan = plan_of(engagement)
    if plan is None or not plan.tasks.exists():
        return None
    finish = scheduled_values(plan).result.finish
    return finish.date() if finish else None


def series_until(series: MeetingSeries, finish: datetime.date | None) -> datetime.date:
    """The last day a series may meet: its own, else the plan's finish, else six months after its first day."""
    if series.until_date is not None:
        return series.until_date
    if finish is not None and finish >= series.from_date:
        return finish
    return add_months(series.from_date, DEFAULT_MONTHS)


def series_days(series: MeetingSeries, finish: datetime.date | None) -> list[datetime.date]:
    return occurrences(
        cadence=series.cadence,
        weekday=series.weekday,
        week_of_month=series.week_of_month,
        first=series.from_date,
        last=series_until(series, finish),
    )


@dataclass(frozen=True)
class SeriesRow:
    series: MeetingSeries
    until: datetime.date
    count: int
    upcoming: list[datetime.date]

    @property
    def when(self) -> str:
        """The cadence in words, in the active language."""
        return cadence_text(self.series)


def meetings_of(engagement: Engagement, *, today: datetime.date) -> list[SeriesRow]:
    """The meeting series with their last day, how many meetings and the next three (a fixed number of queries)."""
    series = list(MeetingSeries.objects.filter(engagement=engagement))
    finish = plan_finish(engagement) if any(s.until_date is None for s in series) else None
    rows = []
    for one in series:
        one.engagement = engagement
        days = series_days(one, finish)
        rows.append(SeriesRow(one, series_until(one, finish), len(days), [d for d in days if d >= today][:3]))
    return rows


def decisions_of(engagement: Engagement) -> list[Decision]:
    """The decision log, newest first, with who decided and what it concerns (two queries)."""
    decisions = list(
        Decision.objects.filter(engagement=engagement)
        .select_related("task", "topic")
        .prefetch_related(Prefetch("decided_by", queryset=Person.objects.order_by("name", "pk")))
    )
    for decision in decisions:
        decision.engagement = engagement
    return decisions


@dataclass(frozen=True)
class LogEntry:
    """One line of the decision log: a logged decision, or an approval (each approval is a decision)."""

    day: datetime.date
    decision: Decision | None = None
    approval: Approval | None = None
    document: str = ""  # the approved document's name, or the one the decision concerns, in the active language


def decision_log(engagement: Engagement, approvals: list[Approval]) -> list[LogEntry]:
    """The decisions and the approvals, newest first."""
    labels = {approvable.key: str(approvable.label) for approvable in all_approvables()}
    entries = [
        LogEntry(d.decided_on, decision=d, document=labels.get(d.document, d.document))
        for d in decisions_of(engagement)
    ]
    entries.extend(
        LogEntry(timezone.localdate(a.approved_at), approval=a, document=labels.get(a.document, a.document))
        for a in approvals
    )
    entries.sort(key=lambda e: (e.day, e.approval is not None), reverse=True)
    return entries


def member_in(engagement: Engagement, pk: int) -> ProjectMember:
    return engagement_ref(ProjectMember.objects.select_related("person"), engagement, pk)


def series_in(engagement: Engagement, pk: int) -> MeetingSeries:
    return engagement_ref(MeetingSeries, engagement, pk)


def decision_in(engagement: Engagement, pk: int) -> Decision:
    return engagement_ref(Decision, engagement, pk)


def approval_in(engagement: Engagement, pk: int) -> Approval:
    return engagement_ref(Approval, engagement, pk)
