"""The demo engagement's project organization: a steering committee and a project team from the demo's people,
a fortnightly steering meeting and a weekly team meeting, a decision log with a few believable entries, the
budget approved, and the plan approved and then changed (so the demo shows a plan changed since approval)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from certprep.core.actors import Actor
from certprep.engagements.models import Engagement
from certprep.gaps.models import ImprovementTopic
from certprep.organization.models import ProjectMember
from certprep.organization.selectors.approvals import approval_state
from certprep.organization.services.approvals import document_approve
from certprep.organization.services.team import decision_create, meeting_create, member_add
from certprep.people.models import Person
from certprep.planning.models import Task
from certprep.planning.selectors.plan import plan_of
from certprep.planning.services.tasks import task_update

MEMBERS = [  # (person, role, time share %, responsibilities)
    ("Huang Jian", "sponsor", 5, "Sponsors the certification, approves the scheme, the budget and the plan."),
    ("Sun Mei", "chair", 10, "Chairs the steering committee; settles conflicts over staff time between departments."),
    ("Deng Hui", "steering_member", 5, "Watches the budget and the spending against it."),
    ("Zhou Anna", "steering_member", 10, "Reports the project's progress and risks to the committee."),
    ("Zhou Anna", "project_manager", 60, "Runs the project day to day: plan, team meetings, the document set."),
    ("Liu Yang", "process_owner", 20, "Incident management and the service desk's procedures."),
    ("Gao Bo", "process_owner", 20, "Change and release management."),
    ("Song Yu", "document_writer", 30, "Writes the service level and reporting procedures."),
    ("Wu Qiang", "internal_auditor", 15, "Plans and runs the internal audit before the stage 1 audit."),
]


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _members(engagement: Engagement, actor: Actor) -> dict[str, Person]:
    people = {p.name: p for p in Person.objects.filter(engagement=engagement)}
    for name, role, share, text in MEMBERS:
        if name in people:
            member_add(
                engagement=engagement,
                actor=actor,
                person=people[name],
                role=role,
                time_share=share,
                responsibilities=text,
            )
    return people


def _decisions(engagement: Engagement, actor: Actor, people: dict[str, Person], start: datetime.date) -> None:
    top = [people[n] for n in ("Huang Jian", "Sun Mei") if n in people]
    decision_create(
        engagement=engagement,
        actor=actor,
        decided_on=start - datetime.timedelta(days=14),
        title="Prepare for ISO/IEC 20000-1 certification of the managed hosting services",
        rationale="Two tenders this year asked for the certificate; the survey shows most processes exist already.",
        decided_by=top,
    )
    decision_create(
        engagement=engagement,
        actor=actor,
        decided_on=start - datetime.timedelta(days=7),
        title="Hire a consultancy for the gap analysis and the document set",
        rationale="Nobody in house has taken an organization through ISO/IEC 20000-1; the fee is in the budget.",
        decided_by=top + [people[n] for n in ("Deng Hui",) if n in people],
        concerns="document",
        document="budget",
    )
    topic = ImprovementTopic.objects.filter(engagement=engagement).order_by("pk").first()
    if topic is not None:
        decision_create(
            engagement=engagement,
            actor=actor,
            decided_on=start + datetime.timedelta(days=7),
            title="Treat this topic first: the stage 1 audit depends on it",
            rationale="The certification body reads the documented information before anything else.",
            decided_by=[people[n] for n in ("Zhou Anna",) if n in people],
            by_me=True,
            concerns="topic",
            topic=topic,
        )


def _approve_then_change_the_plan(engagement: Engagement, actor: Actor) -> None:
    for key in ("budget", "plan"):
        state = approval_state(engagement, key)
        if state is not None and state.figures:
            document_approve(
                engagement=engagement,
                actor=actor,
                document=key,
                seen_digest=state.digest,
                approver_title="Huang Jian, General manager",
                note="Approved at the steering committee meeting.",
            )
    # After the approval the team found the internal audit needs a week more: the plan changed since approval.
    open_tasks = Task.objects.filter(
        plan__engagement=engagement, milestone=False, children__isnull=True, percent_complete=0
    ).order_by("order", "pk")
    task = open_tasks.filter(name__icontains="internal audit").first() or open_tasks.last()
    if task is not None:
        longer = task.duration_days + 5
        pessimistic = None if task.pessimistic_days is None else max(task.pessimistic_days, longer)
        task_update(
            task=task,
            actor=actor,
            expected_version=task.version,
            duration_days=longer,
            optimistic_days=task.optimistic_days,
            pessimistic_days=pessimistic,
        )


def load_organization_demo(*, engagement: Engagement, actor: Actor) -> None:
    if ProjectMember.objects.filter(engagement=engagement).exists():
        return
    people = _members(engagement, actor)
    plan = plan_of(engagement)
    start = plan.start_date if plan is not None else timezone.localdate()
    meeting_create(
        engagement=engagement,
        actor=actor,
        body="steering",
        title="Steering committee",
        cadence="fortnightly",
        weekday=2,
        start_time=datetime.time(10, 0),
        duration_minutes=90,
        from_date=start,
        location="Board room, 12th floor",
    )
    meeting_create(
        engagement=engagement,
        actor=actor,
        body="team",
        title="Project team weekly",
        cadence="weekly",
        weekday=0,
        start_time=datetime.time(9, 30),
        duration_minutes=60,
        from_date=_monday(start),
        location="Meeting room 3",
    )
    _decisions(engagement, actor, people, start)
    _approve_then_change_the_plan(engagement, actor)
