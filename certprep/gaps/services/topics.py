"""Writes on improvement topics: generate them from the gaps of an assessment, create, edit, merge, split."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from certprep.catalogue.models import Process
from certprep.core.audit import audit_record, snapshot
from certprep.core.errors import ServiceError
from certprep.core.text import single_line, without_control_characters
from certprep.core.versioning import save_versioned
from certprep.engagements.models import Engagement
from certprep.gaps.choices import TopicGrouping, TopicStatus
from certprep.gaps.models import Assessment, ImprovementTopic, Rating
from certprep.gaps.rules import gap, priority_points
from certprep.gaps.selectors.lens import parent_clause, process_codes_by_requirement, tree
from certprep.people.selectors import process_owners
from certprep.responsibilities.choices import LENS_URN
from certprep.survey.models import Person

TITLE_MAX = 300
DESCRIPTION_MAX = 20_000


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _title(title: str) -> str:
    title = " ".join(single_line(title, field="title", label=_("The title")).split())
    if not title:
        raise ServiceError(_("Give the topic a title."), field="title")
    if len(title) > TITLE_MAX:
        raise ServiceError(_("At most %(n)s characters.") % {"n": TITLE_MAX}, field="title")
    return title


def _description(text: str) -> str:
    text = without_control_characters(text or "").strip()
    if len(text) > DESCRIPTION_MAX:
        raise ServiceError(_("At most %(n)s characters.") % {"n": DESCRIPTION_MAX}, field="description")
    return text


def _check_owner(engagement: Engagement, owner: Person | None) -> None:
    if owner is not None and owner.engagement_id != engagement.pk:
        raise ServiceError(_("The owner must be one of this engagement's people."), field="owner")


def _check_ratings(engagement: Engagement, ratings: Sequence[Rating]) -> None:
    if any(r.assessment.engagement_id != engagement.pk for r in ratings):
        raise ServiceError(_("A requirement belongs to another engagement."), field="ratings")


def rating_points(rating: Rating) -> int:
    target = rating.target or rating.assessment.default_target
    return priority_points(
        rating_gap=gap(rating.level, target), documentation=rating.documentation, weight=rating.requirement.weight
    )


@transaction.atomic
def topics_generate(*, assessment: Assessment, actor: Any, grouping: str) -> list[ImprovementTopic]:
    """One topic per process (or per clause) for the requirements with a gap that no topic covers yet.
    Running it again adds only what is new; topics people edited are left as they are."""
    if grouping not in (TopicGrouping.PROCESS, TopicGrouping.CLAUSE):
        raise ServiceError(_("Group topics by process or by clause."), field="grouping")
    engagement = assessment.engagement
    covered = set(
        ImprovementTopic.ratings.through.objects.filter(improvementtopic__engagement=engagement).values_list(
            "rating_id", flat=True
        )
    )
    ratings = [
        r
        for r in assessment.ratings.select_related("requirement", "assessment").order_by("requirement__order")
        if r.pk not in covered and r.requirement.is_current and rating_points(r) > 0
    ]
    if not ratings:
        return []
    groups: dict[str, list[Rating]] = {}
    titles: dict[str, str] = {}
    if grouping == TopicGrouping.PROCESS:
        codes = process_codes_by_requirement(assessment.framework_id)
        names = {p.code: p.tr.name for p in Process.objects.filter(lens__urn=LENS_URN)}
        nodes = tree(assessment.framework_id)
        for rating in ratings:
            mapped = codes.get(rating.requirement_id)
            if mapped:
                key = mapped[0]
                titles[key] = _("Improve %(process)s") % {"process": names.get(key, key)}
            else:
                parent = parent_clause(nodes, rating.requirement_id)
                key = f"clause:{parent.ref_id if parent else ''}"
                titles[key] = (
                    _("Improve %(ref)s %(name)s") % {"ref": parent.ref_id, "name": parent.name}
                    if parent
                    else _("Improve")
                )
            groups.setdefault(key, []).append(rating)
    else:
        nodes = tree(assessment.framework_id)
        for rating in ratings:
            parent = parent_clause(nodes, rating.requirement_id)
            key = parent.ref_id if parent else ""
            titles[key] = (
                (_("Improve %(ref)s %(name)s") % {"ref": parent.ref_id, "name": parent.name}).strip()
                if parent
                else _("Improve")
            )
            groups.setdefault(key, []).append(rating)
    # A process's topic starts with the process's owner, when exactly one person owns it.
    owners = {code: held[0] for code, held in process_owners(engagement).items() if len(held) == 1}
    created = []
    for key, members in groups.items():
        refs = ", ".join(r.requirement.ref_id for r in members)
        topic = ImprovementTopic.objects.create(
            engagement=engagement,
            assessment=assessment,
            owner=owners.get(key) if grouping == TopicGrouping.PROCESS else None,
            title=titles[key][:TITLE_MAX],
            description=_("Close the gaps found in %(refs)s.") % {"refs": refs},
            grouping=grouping,
            group_key=key.removeprefix("clause:")[:100],
            created_by=_user(actor),
        )
        topic.ratings.set(members)
        audit_record(
            engagement=engagement,
            actor=actor,
            action="create",
            obj=topic,
            values={"title": topic.title, "requirements": refs},
        )
        created.append(topic)
    return created


@transaction.atomic
def topic_create(
    *,
    engagement: Engagement,
    actor: Any,
    title: str,
    description: str = "",
    ratings: Sequence[Rating] = (),
    owner: Person | None = None,
    due_date: datetime.date | None = None,
    status: str = TopicStatus.OPEN,
) -> ImprovementTopic:
    _check_owner(engagement, owner)
    _check_ratings(engagement, ratings)
    if status not in TopicStatus.values:
        raise ServiceError(_("Unknown status."), field="status")
    topic = ImprovementTopic.objects.create(
        engagement=engagement,
        title=_title(title),
        description=_description(description),
        owner=owner,
        due_date=due_date,
        status=status,
        assessment=ratings[0].assessment if ratings else None,
        created_by=_user(actor),
    )
    topic.ratings.set(ratings)
    audit_record(engagement=engagement, actor=actor, action="create", obj=topic, values={"title": topic.title})
    return topic


UNSET: Any = object()


@transaction.atomic
def topic_update(
    *,
    topic: ImprovementTopic,
    actor: Any,
    expected_version: int,
    title: str | None = None,
    description: str | None = None,
    owner: Any = UNSET,
    due_date: Any = UNSET,
    status: str | None = None,
    ratings: Sequence[Rating] | None = None,
) -> ImprovementTopic:
    stored = ImprovementTopic.objects.get(pk=topic.pk)
    fields: list[str] = []
    if title is not None:
        topic.title = _title(title)
        fields.append("title")
    if description is not None:
        topic.description = _description(description)
        fields.append("description")
    if owner is not UNSET:
        _check_owner(topic.engagement, owner)
        topic.owner = owner
        fields.append("owner")
    if due_date is not UNSET:
        topic.due_date = due_date
        fields.append("due_date")
    if status is not None:
        if status not in TopicStatus.values:
            raise ServiceError(_("Unknown status."), field="status")
        topic.status = status
        fields.append("status")
    before = snapshot(stored, fields)
    save_versioned(topic, expected_version=expected_version, fields=fields)
    changes = {k: [before[k], v] for k, v in snapshot(topic, fields).items() if before[k] != v}
    if ratings is not None:
        _check_ratings(topic.engagement, ratings)
        old = sorted(str(r.requirement) for r in stored.ratings.select_related("requirement"))
        topic.ratings.set(ratings)
        new = sorted(str(r.requirement) for r in ratings)
        if old != new:
            changes["requirements"] = [old, new]
    if changes:
        audit_record(engagement=topic.engagement, actor=actor, action="update", obj=topic, changes=changes)
    return topic


@transaction.atomic
def topic_merge(*, topics: Sequence[ImprovementTopic], actor: Any, title: str | None = None) -> ImprovementTopic:
    """Fold several topics into the first: its requirements, descriptions, the earliest due date. The
    others are deleted; the audit trail names them."""
    if len({t.pk for t in topics}) < 2:
        raise ServiceError(_("Choose at least two topics to merge."), field="topics")
    engagement = topics[0].engagement
    if any(t.engagement_id != engagement.pk for t in topics):
        raise ServiceError(_("A topic belongs to another engagement."), field="topics")
    ordered = sorted({t.pk: t for t in topics}.values(), key=lambda t: t.pk)
    keep, others = ordered[0], ordered[1:]
    keep = ImprovementTopic.objects.select_for_update().get(pk=keep.pk)
    ratings = {r.pk: r for t in ordered for r in t.ratings.all()}
    parts = [t.description for t in ordered if t.description]
    keep.description = _description("\n\n".join(dict.fromkeys(parts)))
    dues = [t.due_date for t in ordered if t.due_date]
    keep.due_date = min(dues) if dues else None
    keep.owner = keep.owner or next((t.owner for t in others if t.owner_id), None)
    if title:
        keep.title = _title(title)
    keep.grouping = TopicGrouping.CUSTOM if any(t.group_key != keep.group_key for t in others) else keep.grouping
    save_versioned(
        keep, expected_version=keep.version, fields=["description", "due_date", "owner", "title", "grouping"]
    )
    keep.ratings.set(list(ratings.values()))
    audit_record(
        engagement=engagement,
        actor=actor,
        action="update",
        obj=keep,
        changes={"merged": [[t.title for t in others], keep.title]},
    )
    for other in others:
        audit_record(
            engagement=engagement,
            actor=actor,
            action="delete",
            obj=other,
            values={"title": other.title, "merged into": keep.title},
        )
        other.delete()
    return keep


@transaction.atomic
def topic_split(
    *, topic: ImprovementTopic, actor: Any, expected_version: int, ratings: Sequence[Rating], title: str
) -> ImprovementTopic:
    """Move some requirements of a topic to a new topic with the same owner, due date and status. The
    editor's version is checked first (and bumped), so a split made from a stale page is refused."""
    save_versioned(topic, expected_version=expected_version, fields=[])
    linked = set(topic.ratings.values_list("pk", flat=True))
    moving = [r for r in ratings if r.pk in linked]
    if not moving:
        raise ServiceError(_("Choose the requirements to move to the new topic."), field="ratings")
    if len(moving) == len(linked):
        raise ServiceError(_("Leave at least one requirement in this topic."), field="ratings")
    new = ImprovementTopic.objects.create(
        engagement=topic.engagement,
        assessment=topic.assessment,
        title=_title(title),
        grouping=TopicGrouping.CUSTOM,
        owner=topic.owner,
        due_date=topic.due_date,
        status=topic.status,
        created_by=_user(actor),
    )
    new.ratings.set(moving)
    topic.ratings.remove(*moving)
    refs = sorted(str(r.requirement) for r in moving)
    audit_record(
        engagement=topic.engagement,
        actor=actor,
        action="create",
        obj=new,
        values={"title": new.title, "split from": topic.title, "requirements": refs},
    )
    return new


@transaction.atomic
def topic_delete(*, topic: ImprovementTopic, actor: Any) -> None:
    audit_record(engagement=topic.engagement, actor=actor, action="delete", obj=topic, values={"title": topic.title})
    topic.delete()
