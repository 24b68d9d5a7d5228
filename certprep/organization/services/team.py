"""Writing the project's organization: its members in the two bodies, the bodies' meeting series and the
decision log. Keyword-only, atomic, version-checked and recorded in the audit trail."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.audit import audit_record
from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry
from certprep.core.parts import approvables
from certprep.core.versioning import save_versioned
from certprep.engagements.models import Engagement
from certprep.gaps.models import ImprovementTopic
from certprep.organization.choices import ROLE_BODY, Concerns
from certprep.organization.models import Decision, MeetingSeries, ProjectMember
from certprep.people.models import Person
from certprep.planning.models import Task
from certprep.vendors.services.common import clean_text, created, deleted, updated, validated

MEMBER_FIELDS = ("role", "responsibilities", "time_share")
MEETING_FIELDS = (
    "body",
    "title",
    "cadence",
    "weekday",
    "week_of_month",
    "start_time",
    "duration_minutes",
    "from_date",
    "until_date",
    "location",
)
DECISION_FIELDS = ("decided_on", "title", "rationale", "concerns", "document", "task", "topic")


def _known(changes: dict[str, Any], allowed: tuple[str, ...], service: str) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"{service}() got unknown fields {sorted(unknown)}")


def _body_free(member: ProjectMember) -> None:
    taken = ProjectMember.objects.filter(person=member.person, body=member.body).exclude(pk=member.pk)
    if taken.exists():
        raise ServiceError(_("This person already sits in this body; change their role there."), field="role")


def _role(member: ProjectMember) -> None:
    if member.role not in ROLE_BODY:
        raise ServiceError(_("Choose a project role."), field="role")
    member.body = ROLE_BODY[member.role]


@transaction.atomic
def member_add(*, engagement: Engagement, actor: Actor, person: Person, role: str, **fields: Any) -> ProjectMember:
    """Put one of the engagement's people in a project role (a steering or a team role)."""
    _known(fields, MEMBER_FIELDS, "member_add")
    if person.engagement_id != engagement.pk:
        raise ServiceError(_("Choose one of this engagement's people."), field="person")
    member = ProjectMember(engagement=engagement, person=person, role=role, **clean_text(fields))
    _role(member)
    _body_free(member)
    return created(engagement, actor, member, ("person", "body", *MEMBER_FIELDS))


@transaction.atomic
def member_update(*, member: ProjectMember, actor: Actor, expected_version: int, **changes: Any) -> ProjectMember:
    _known(changes, MEMBER_FIELDS, "member_update")
    changes = clean_text(changes)
    if changes.get("role") is not None:
        member.role = changes["role"]
        _role(member)
        _body_free(member)
        changes["body"] = member.body
    return updated(member.engagement, actor, member, expected_version=expected_version, changes=changes)


@transaction.atomic
def member_remove(*, member: ProjectMember, actor: Actor, expected_version: int | None = None) -> None:
    deleted(
        member.engagement,
        actor,
        member,
        expected_version=expected_version,
        conflict=_("Someone else changed this member since you opened it; it was not removed."),
        facts=("person", "role"),
    )


def _meeting_dates(series: MeetingSeries) -> None:
    if series.until_date is not None and series.until_date < series.from_date:
        raise ServiceError(_("The series cannot end before it starts."), field="until_date")


@transaction.atomic
def meeting_create(*, engagement: Engagement, actor: Actor, title: str, **fields: Any) -> MeetingSeries:
    _known(fields, MEETING_FIELDS, "meeting_create")
    series = MeetingSeries(engagement=engagement, title=title.strip(), **clean_text(fields))
    _meeting_dates(series)
    validated(series)
    series.save()
    audit_record(engagement=engagement, actor=actor, action=AuditEntry.Action.CREATE, obj=series, values=_facts(series))
    return series


def _facts(series: MeetingSeries) -> dict[str, Any]:
    """The series' fields for the audit trail, dates and times of day as text (the trail stores JSON)."""
    values = {name: getattr(series, name) for name in ("title", *MEETING_FIELDS)}
    return {k: str(v) if isinstance(v, (datetime.date, datetime.time)) else v for k, v in values.items()}


@transaction.atomic
def meeting_update(*, series: MeetingSeries, actor: Actor, expected_version: int, **changes: Any) -> MeetingSeries:
    """Change a series (None leaves a field as it is, but clears `until_date`)."""
    _known(changes, ("title", *MEETING_FIELDS), "meeting_update")
    changes = clean_text(changes)
    before = _facts(series)
    if "until_date" in changes:
        series.until_date = changes["until_date"]
    if changes.get("from_date") is not None:
        series.from_date = changes["from_date"]
    _meeting_dates(series)
    fields = [name for name, value in changes.items() if value is not None or name == "until_date"]
    for name in fields:
        setattr(series, name, changes[name])
    validated(series, exclude=("engagement",))
    save_versioned(series, expected_version=expected_version, fields=fields)
    after = _facts(series)
    changed = {k: [before[k], v] for k, v in after.items() if str(before[k]) != str(v)}
    if changed:
        audit_record(
            engagement=series.engagement, actor=actor, action=AuditEntry.Action.UPDATE, obj=series, changes=changed
        )
    return series


@transaction.atomic
def meeting_delete(*, series: MeetingSeries, actor: Actor, expected_version: int | None = None) -> None:
    deleted(
        series.engagement,
        actor,
        series,
        expected_version=expected_version,
        conflict=_("Someone else changed this meeting since you opened it; it was not removed."),
        facts=("title", "cadence"),
    )


def _concerned(engagement: Engagement, values: dict[str, Any]) -> dict[str, Any]:
    """What the decision concerns, checked to belong to the engagement: only the link of its kind is kept."""
    concerns = values.get("concerns") or Concerns.NOTHING
    document, task, topic = values.get("document") or "", values.get("task"), values.get("topic")
    out: dict[str, Any] = {"concerns": concerns, "document": "", "task": None, "topic": None}
    if concerns == Concerns.DOCUMENT:
        if document not in {a.key for a in approvables()}:
            raise ServiceError(_("Choose one of the documents top management approves."), field="document")
        out["document"] = document
    elif concerns == Concerns.TASK:
        if not isinstance(task, Task) or task.plan.engagement_id != engagement.pk:
            raise ServiceError(_("Choose a task of this engagement's plan."), field="task")
        out["task"] = task
    elif concerns == Concerns.TOPIC:
        if not isinstance(topic, ImprovementTopic) or topic.engagement_id != engagement.pk:
            raise ServiceError(_("Choose one of this engagement's improvement topics."), field="topic")
        out["topic"] = topic
    elif concerns != Concerns.NOTHING:
        raise ServiceError(_("Choose what the decision concerns."), field="concerns")
    return out


def _deciders(engagement: Engagement, people: Sequence[Person]) -> list[Person]:
    if any(person.engagement_id != engagement.pk for person in people):
        raise ServiceError(_("Choose the engagement's people."), field="decided_by")
    return list(people)


def _decider_user(decision: Decision, actor: Actor | None, by_me: bool) -> None:
    decision.decided_by_user = actor if by_me else None
    decision.decided_by_user_name = actor.get_username() if by_me and actor is not None else ""


@transaction.atomic
def decision_create(
    *,
    engagement: Engagement,
    actor: Actor,
    decided_on: datetime.date,
    title: str,
    decided_by: Sequence[Person] = (),
    by_me: bool = False,
    rationale: str = "",
    concerns: str = "",
    document: str = "",
    task: Task | None = None,
    topic: ImprovementTopic | None = None,
) -> Decision:
    """Log a decision: who decided (the engagement's people, and/or the signed-in user when `by_me`)."""
    people = _deciders(engagement, decided_by)
    link = _concerned(engagement, {"concerns": concerns, "document": document, "task": task, "topic": topic})
    decision = Decision(
        engagement=engagement, decided_on=decided_on, title=title.strip(), rationale=rationale.strip(), **link
    )
    _decider_user(decision, actor, by_me)
    created(engagement, actor, decision, (*DECISION_FIELDS, "decided_by_user_name"))
    decision.decided_by.set(people)
    return decision


@transaction.atomic
def decision_update(
    *,
    decision: Decision,
    actor: Actor,
    expected_version: int,
    decided_by: Sequence[Person] | None = None,
    by_me: bool | None = None,
    **changes: Any,
) -> Decision:
    """Change a decision (None leaves a field as it is); `concerns` with its link is checked again."""
    _known(changes, DECISION_FIELDS, "decision_update")
    engagement = decision.engagement
    changes = clean_text(changes)
    if any(name in changes for name in ("concerns", "document", "task", "topic")):
        merged = {name: getattr(decision, name) for name in ("concerns", "document", "task", "topic")}
        merged.update({k: v for k, v in changes.items() if k in merged})
        changes.update(_concerned(engagement, merged))
    clearable: tuple[str, ...] = ("task", "topic")
    if by_me is not None:
        _decider_user(decision, actor, by_me)
        changes["decided_by_user"] = decision.decided_by_user
        changes["decided_by_user_name"] = decision.decided_by_user_name
        clearable += ("decided_by_user",)
    updated(engagement, actor, decision, expected_version=expected_version, changes=changes, clearable=clearable)
    if decided_by is not None:
        people = _deciders(engagement, decided_by)
        before = sorted(p.name for p in decision.decided_by.all())
        decision.decided_by.set(people)
        after = sorted(p.name for p in people)
        if before != after:
            audit_record(
                engagement=engagement,
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                obj=decision,
                changes={"decided_by": [before, after]},
            )
    return decision


@transaction.atomic
def decision_delete(*, decision: Decision, actor: Actor, expected_version: int | None = None) -> None:
    deleted(
        decision.engagement,
        actor,
        decision,
        expected_version=expected_version,
        conflict=_("Someone else changed this decision since you opened it; it was not removed."),
        facts=("decided_on", "title"),
    )
