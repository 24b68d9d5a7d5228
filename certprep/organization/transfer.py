"""The organization's section of the engagement file: the members of both bodies, the meeting series, the
decision log and the approvals with the figures they kept.

A person is named by their position in the file's people (certprep.people.handovers), a plan task by its position
in the plan section's tasks, an improvement topic by its position among the topics (in id order). An approval's
figures name typed budget lines, plan tasks, audit bookings, people and quotes by their ids: in the file they
name them by their position in their own sections ("line:#3", "derived:quote:#0:travel:0"), and the import puts
the new ids back, so an approval read back compares with the same figures. Users (who approved, who decided) are
matched only among the engagement's members by user name. The check refuses an inconsistent section before
anything is written."""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Annotated, Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from certprep.budget.choices import LineSource
from certprep.budget.models import BudgetLine
from certprep.core.errors import ServiceError
from certprep.core.schemas import Choice
from certprep.engagements.models import Engagement
from certprep.gaps.models import ImprovementTopic
from certprep.organization.choices import ROLE_BODY, Body, Cadence, Concerns, ProjectRole
from certprep.organization.compare import digest
from certprep.organization.models import Approval, Decision, MeetingSeries, ProjectMember
from certprep.people.handovers import file_people_ids
from certprep.people.models import Person
from certprep.planning.models import AuditBooking, Task
from certprep.planning.transfer import parents_first
from certprep.vendors.models import Quote

Text = Annotated[str, Field(max_length=20_000)]
Position = Annotated[int, Field(ge=0)]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MemberPart(_Part):
    person: Position = Field(description="Position in the file's people.")
    role: Choice[ProjectRole]
    responsibilities: Text = ""
    time_share: int = Field(0, ge=0, le=100)


class MeetingPart(_Part):
    body: Choice[Body]
    title: str = Field(min_length=1, max_length=200)
    cadence: Choice[Cadence]
    weekday: int = Field(ge=0, le=6)
    week_of_month: int = Field(1, ge=-1, le=4)
    start_time: datetime.time
    duration_minutes: int = Field(60, ge=5, le=600)
    from_date: datetime.date
    until_date: datetime.date | None = None
    location: str = Field("", max_length=300)


class DecisionPart(_Part):
    decided_on: datetime.date
    title: str = Field(min_length=1, max_length=300)
    rationale: Text = ""
    decided_by: list[Position] = Field(default_factory=list, max_length=500)
    decided_by_user: str = Field("", max_length=150, description="User name, matched among the members.")
    concerns: Choice[Concerns] = Concerns.NOTHING
    document: str = Field("", max_length=40)
    task: Position | None = Field(None, description="Position in the plan section's tasks.")
    topic: Position | None = Field(None, description="Position among the improvement topics.")


class FigurePart(_Part):
    key: str = Field(max_length=200)
    label: str = Field(max_length=1000)
    value: str = Field(max_length=5000)


class ApprovalPart(_Part):
    document: str = Field(min_length=1, max_length=40)
    number: int = Field(ge=1)
    approved_by: str = Field("", max_length=150, description="User name, matched among the members.")
    approved_by_name: str = Field(max_length=150)
    approver_title: str = Field(min_length=1, max_length=150)
    approved_at: datetime.datetime
    note: Text = ""
    figures: list[FigurePart] = Field(default_factory=list, max_length=100_000)
    revoked_at: datetime.datetime | None = None
    revoked_by_name: str = Field("", max_length=150)


class OrganizationPart(_Part):
    members: list[MemberPart] = Field(default_factory=list, max_length=5000)
    meetings: list[MeetingPart] = Field(default_factory=list, max_length=500)
    decisions: list[DecisionPart] = Field(default_factory=list, max_length=10_000)
    approvals: list[ApprovalPart] = Field(default_factory=list, max_length=1000)


# The figure keys that name rows by id (a typed budget line, a plan task or milestone, an audit booking, and the
# person or the quote inside a derived budget line's key), with the name of the rows' order in the file.
KEYS = re.compile(r"^(line|task|milestone|audit|derived:internal:person|derived:quote):(#?)(\d+)(:.*)?$")
ORDER_OF = {"derived:internal:person": "person", "derived:quote": "quote"}


def _orders(engagement: Engagement) -> dict[str, list[int]]:
    """The ids of the rows figures name, in their sections' order (a fixed number of queries)."""
    tasks = parents_first(list(Task.objects.filter(plan__engagement=engagement).order_by("pk")))
    task_ids = [t.pk for t in tasks]
    typed = BudgetLine.objects.filter(engagement=engagement, source=LineSource.TYPED).order_by("pk")
    bookings = AuditBooking.objects.filter(plan__engagement=engagement).order_by("pk")
    quotes = Quote.objects.filter(engagement=engagement).order_by("vendor_id", "pk")
    return {
        "line": list(typed.values_list("pk", flat=True)),
        "task": task_ids,
        "milestone": task_ids,
        "audit": list(bookings.values_list("pk", flat=True)),
        "person": file_people_ids(engagement),
        "quote": list(quotes.values_list("pk", flat=True)),
    }


def _rekeyed(
    figures: Sequence[Mapping[str, Any]], orders: dict[str, list[int]], *, to_file: bool
) -> list[dict[str, str]]:
    """Figures with the ids in their keys as positions (to the file) or as ids (from it); a key naming nothing
    known is kept as it is (it shows as a figure removed since the approval)."""
    out = []
    for figure in figures:
        key = str(figure["key"])
        match = KEYS.match(key)
        if match:
            prefix, marked, number, rest = match.group(1), match.group(2), int(match.group(3)), match.group(4) or ""
            ids = orders[ORDER_OF.get(prefix, prefix)]
            if to_file and not marked and number in ids:
                key = f"{prefix}:#{ids.index(number)}{rest}"
            elif not to_file and marked and number < len(ids):
                key = f"{prefix}:{ids[number]}{rest}"
        out.append({"key": key, "label": str(figure["label"]), "value": str(figure["value"])})
    return out


def organization_export(engagement: Engagement, *, people: Sequence[int]) -> dict[str, Any]:
    """The section as JSON-ready data (`people`: the ids of the file's people, in its order)."""
    person_at = {pk: n for n, pk in enumerate(people)}
    orders = _orders(engagement)
    task_at = {pk: n for n, pk in enumerate(orders["task"])}
    topic_at = {
        pk: n
        for n, pk in enumerate(
            ImprovementTopic.objects.filter(engagement=engagement).order_by("id").values_list("pk", flat=True)
        )
    }
    members = ProjectMember.objects.filter(engagement=engagement).order_by("pk")
    decisions = Decision.objects.filter(engagement=engagement).order_by("pk").prefetch_related("decided_by")
    approvals = Approval.objects.filter(engagement=engagement).select_related("approved_by").order_by("pk")
    part = OrganizationPart(
        members=[
            MemberPart(
                person=person_at[m.person_id],
                role=ProjectRole(m.role),
                responsibilities=m.responsibilities,
                time_share=m.time_share,
            )
            for m in members
            if m.person_id in person_at
        ],
        meetings=[
            MeetingPart(**{name: getattr(s, name) for name in MeetingPart.model_fields})
            for s in MeetingSeries.objects.filter(engagement=engagement).order_by("pk")
        ],
        decisions=[
            DecisionPart(
                decided_on=d.decided_on,
                title=d.title,
                rationale=d.rationale,
                decided_by=[
                    person_at[p.pk] for p in sorted(d.decided_by.all(), key=lambda p: p.pk) if p.pk in person_at
                ],
                decided_by_user=d.decided_by_user_name,
                concerns=Concerns(d.concerns),
                document=d.document,
                task=task_at.get(d.task_id) if d.task_id else None,
                topic=topic_at.get(d.topic_id) if d.topic_id else None,
            )
            for d in decisions
        ],
        approvals=[
            ApprovalPart(
                document=a.document,
                number=a.number,
                approved_by=a.approved_by.get_username() if a.approved_by else "",
                approved_by_name=a.approved_by_name,
                approver_title=a.approver_title,
                approved_at=a.approved_at,
                note=a.note,
                figures=[FigurePart(**f) for f in _rekeyed(a.figures, orders, to_file=True)],
                revoked_at=a.revoked_at,
                revoked_by_name=a.revoked_by_name,
            )
            for a in approvals
        ],
    )
    return part.model_dump(mode="json")


def _refused(message: str) -> ServiceError:
    return ServiceError(_("Organization section: %(problem)s") % {"problem": message})


def organization_check(part: OrganizationPart, *, people: int | None, topics: int | None, tasks: int | None) -> None:
    """Refuse a section that does not hold together, before anything is written."""
    people = people or 0
    seats = set()
    for member in part.members:
        if member.person >= people:
            raise _refused(_("a member names a person the file does not list."))
        seat = (member.person, ROLE_BODY[member.role])
        if seat in seats:
            raise _refused(_("a person sits twice in the same body."))
        seats.add(seat)
    for meeting in part.meetings:
        if meeting.until_date is not None and meeting.until_date < meeting.from_date:
            raise _refused(_("a meeting series ends before it starts."))
        if meeting.week_of_month == 0:
            raise _refused(_("a meeting series has no week of the month."))
    for decision in part.decisions:
        if any(p >= people for p in decision.decided_by):
            raise _refused(_("a decision names a person the file does not list."))
        if decision.task is not None and decision.task >= (tasks or 0):
            raise _refused(_("a decision names a plan task the file does not have."))
        if decision.topic is not None and decision.topic >= (topics or 0):
            raise _refused(_("a decision names an improvement topic the file does not have."))
    numbers = [(a.document, a.number) for a in part.approvals]
    if len(set(numbers)) != len(numbers):
        raise _refused(_("two approvals of a document have the same number."))


def organization_import(
    *, engagement: Engagement, part: OrganizationPart, people: Sequence[Person], members: Collection[str]
) -> None:
    """Write a checked section into the new engagement (after the people, the plan and the budget)."""
    ProjectMember.objects.bulk_create(
        ProjectMember(
            engagement=engagement,
            person=people[m.person],
            body=ROLE_BODY[m.role],
            role=m.role,
            responsibilities=m.responsibilities,
            time_share=m.time_share,
        )
        for m in part.members
    )
    MeetingSeries.objects.bulk_create(MeetingSeries(engagement=engagement, **m.model_dump()) for m in part.meetings)
    orders = _orders(engagement)
    topics = list(ImprovementTopic.objects.filter(engagement=engagement).order_by("id"))
    tasks = {t.pk: t for t in Task.objects.filter(plan__engagement=engagement)}
    users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=list(members))}
    for d in part.decisions:
        if d.task is not None and d.task >= len(orders["task"]):
            raise _refused(_("a decision names a plan task the file does not have."))
        decision = Decision.objects.create(
            engagement=engagement,
            decided_on=d.decided_on,
            title=d.title,
            rationale=d.rationale,
            decided_by_user=users.get(d.decided_by_user) if d.decided_by_user in members else None,
            decided_by_user_name=d.decided_by_user,
            concerns=d.concerns,
            document=d.document,
            task=tasks[orders["task"][d.task]] if d.task is not None else None,
            topic=topics[d.topic] if d.topic is not None else None,
        )
        decision.decided_by.set([people[p] for p in d.decided_by])
    approvals = []
    for a in part.approvals:
        figures = _rekeyed([f.model_dump() for f in a.figures], orders, to_file=False)
        approvals.append(
            Approval(
                engagement=engagement,
                **a.model_dump(exclude={"approved_by", "figures"}),
                approved_by=users.get(a.approved_by) if a.approved_by in members else None,
                figures=figures,
                digest=digest(figures),
            )
        )
    Approval.objects.bulk_create(approvals)
