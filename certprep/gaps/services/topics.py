"""Writes on improvement topics: generate them from the gaps of an assessment, create, edit, merge, split."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from certprep.catalogue.models import Process
from certprep.catalogue.outline import heading_of, outline
from certprep.catalogue.selectors import PROCESS_LENS_URN
from certprep.core.actors import Actor
from certprep.core.audit import audit_record, audit_records, snapshot
from certprep.core.errors import ServiceError
from certprep.core.text import single_line, without_control_characters
from certprep.core.versioning import save_versioned
from certprep.engagements.models import Engagement
from certprep.gaps.choices import TopicGrouping, TopicStatus
from certprep.gaps.models import Assessment, ImprovementTopic, Rating
from certprep.gaps.selectors.documents import attach_documentation
from certprep.gaps.selectors.lens import process_codes_by_requirement
from certprep.gaps.selectors.topic_details import rating_points
from certprep.gaps.selectors.topics import SurveyReason, survey_reasons
from certprep.gaps.selectors.weights import EngagementWeights
from certprep.gaps.services.topic_texts import Line, topic_description, topic_title
from certprep.people.models import Person
from certprep.people.selectors import process_owners

TITLE_MAX = 300
DESCRIPTION_MAX = 20_000


def _user(actor: Actor) -> Any:
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


@dataclass
class _Group:
    """The gaps one generated topic gathers, and what names it."""

    key: str  # stored as the topic's group_key: a process code, or the heading's reference or label
    ratings: list[Rating] = field(default_factory=list)
    process: str = ""  # the process code, when grouped by process
    heading: int | None = None  # the outline node, when grouped by clause


def _groups(assessment: Assessment, ratings: list[Rating], grouping: str) -> list[_Group]:
    """The ratings grouped by process (unmapped ones by heading), or by heading: the nearest ancestor with a
    reference or a name, or failing that with a description (NZISM's unnamed chapters and sections)."""
    nodes = outline(assessment.framework_id)
    codes = process_codes_by_requirement(assessment.framework_id) if grouping == TopicGrouping.PROCESS else {}
    groups: dict[str, _Group] = {}
    for rating in ratings:
        mapped = codes.get(rating.requirement_id)
        if mapped:
            group = groups.setdefault(f"process:{mapped[0]}", _Group(key=mapped[0], process=mapped[0]))
        else:
            heading = heading_of(nodes, rating.requirement_id)
            pk = heading.pk if heading else None
            key = (heading.ref_id or heading.label) if heading else ""
            group = groups.setdefault(f"node:{pk}", _Group(key=key[:100], heading=pk))
        group.ratings.append(rating)
    return list(groups.values())


def _texts(
    assessment: Assessment, groups: list[_Group], reasons: dict[int, list[SurveyReason]]
) -> list[dict[str, dict[str, str]]]:
    """Each group's title and description in every language of the product (two queries per language)."""
    written: list[dict[str, dict[str, str]]] = [{} for _group in groups]
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            nodes = outline(assessment.framework_id)
            processes = {p.code: p.tr.name for p in Process.objects.filter(lens__urn=PROCESS_LENS_URN)}
            for index, group in enumerate(groups):
                if group.process:
                    area = processes.get(group.process, group.process)
                else:
                    heading = nodes.get(group.heading) if group.heading is not None else None
                    area = heading.label if heading else ""
                lines = []
                for rating in group.ratings:
                    node = nodes.get(rating.requirement_id)
                    lines.append(
                        Line(
                            ref_id=rating.requirement.ref_id,
                            name=node.name if node else rating.requirement.name,
                            paraphrase=node.description if node else "",
                            level=rating.level,
                            target=rating.target or assessment.default_target,
                            documentation=rating.documentation,
                        )
                    )
                said = list(
                    dict.fromkeys(
                        reason.text(language, processes)
                        for rating in group.ratings
                        for reason in reasons.get(rating.pk, ())
                    )
                )
                title = " ".join(topic_title(area=area or _("Improvement"), lines=lines).split())
                written[index][language] = {
                    "title": title[:TITLE_MAX],
                    "description": topic_description(
                        area=area or _("this framework"), assessment=assessment.name, lines=lines, survey=said
                    )[:DESCRIPTION_MAX],
                }
    return written


@transaction.atomic
def topics_generate(*, assessment: Assessment, actor: Actor, grouping: str) -> list[ImprovementTopic]:
    """One topic per process (or per clause heading) for the requirements with a gap that no topic covers
    yet. Running it again adds only what is new; topics people edited are left as they are.

    Each topic is written in every language of the product and stored with the engagement's report language
    as its own text (see ImprovementTopic). A fixed number of queries, however many topics are made."""
    if grouping not in (TopicGrouping.PROCESS, TopicGrouping.CLAUSE):
        raise ServiceError(_("Group topics by process or by clause."), field="grouping")
    engagement = assessment.engagement
    covered = set(
        ImprovementTopic.ratings.through.objects.filter(improvementtopic__engagement=engagement).values_list(
            "rating_id", flat=True
        )
    )
    every = list(assessment.ratings.select_related("requirement", "assessment").order_by("requirement__order"))
    attach_documentation(every, engagement.pk)
    weights = EngagementWeights(engagement.pk)
    ratings = [r for r in every if r.pk not in covered and r.requirement.is_current and rating_points(r, weights) > 0]
    if not ratings:
        return []
    groups = _groups(assessment, ratings, grouping)
    texts = _texts(assessment, groups, survey_reasons(assessment, ratings))
    report = engagement.report_language if engagement.report_language in dict(settings.LANGUAGES) else "en"
    # A process's topic starts with the process's owner, when exactly one person owns it.
    owners = {code: held[0] for code, held in process_owners(engagement).items() if len(held) == 1}
    user = _user(actor)
    topics = ImprovementTopic.objects.bulk_create(
        [
            ImprovementTopic(
                engagement=engagement,
                assessment=assessment,
                owner=owners.get(group.process) if group.process else None,
                title=written[report]["title"],
                description=written[report]["description"],
                translations=written,
                grouping=grouping,
                group_key=group.key,
                created_by=user,
            )
            for group, written in zip(groups, texts, strict=True)
        ]
    )
    through = ImprovementTopic.ratings.through
    through.objects.bulk_create(
        [
            through(improvementtopic_id=topic.pk, rating_id=r.pk)
            for topic, group in zip(topics, groups, strict=True)
            for r in group.ratings
        ]
    )
    audit_records(
        engagement=engagement,
        actor=actor,
        action="create",
        entries=[
            (topic, {"title": topic.title, "requirements": ", ".join(r.requirement.ref_id for r in group.ratings)})
            for topic, group in zip(topics, groups, strict=True)
        ],
    )
    return topics


@transaction.atomic
def topic_create(
    *,
    engagement: Engagement,
    actor: Actor,
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
    actor: Actor,
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
    edited = [
        name for name in ("title", "description") if name in fields and getattr(stored, name) != getattr(topic, name)
    ]
    if edited and topic.translations:
        # What a person wrote is the topic's text in every language: the generated versions no longer say it.
        topic.translations = {
            language: kept
            for language, texts in topic.translations.items()
            if (kept := {name: text for name, text in texts.items() if name not in edited})
        }
        fields.append("translations")
    save_versioned(topic, expected_version=expected_version, fields=fields)
    changes = {k: [before[k], v] for k, v in snapshot(topic, fields).items() if k != "translations" and before[k] != v}
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
def topic_merge(*, topics: Sequence[ImprovementTopic], actor: Actor, title: str | None = None) -> ImprovementTopic:
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
    keep.translations = {}  # the merged description exists in one language only
    save_versioned(
        keep,
        expected_version=keep.version,
        fields=["description", "due_date", "owner", "title", "grouping", "translations"],
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
    *, topic: ImprovementTopic, actor: Actor, expected_version: int, ratings: Sequence[Rating], title: str
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
def topic_delete(*, topic: ImprovementTopic, actor: Actor) -> None:
    audit_record(engagement=topic.engagement, actor=actor, action="delete", obj=topic, values={"title": topic.title})
    topic.delete()
