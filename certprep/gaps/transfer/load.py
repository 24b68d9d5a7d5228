"""Writing a checked gaps section into a new engagement, with bulk inserts inside the caller's transaction."""

from __future__ import annotations

import base64
import datetime
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from typing import Any

from django.contrib.auth import get_user_model

from certprep.core.transfer import refuse
from certprep.core.uploads import store_file
from certprep.engagements.models import Engagement
from certprep.gaps.choices import LEGACY_DOCUMENTATION, Scale
from certprep.gaps.models import Assessment, Decision, DocumentItem, Evidence, GapSettings, ImprovementTopic, Rating
from certprep.gaps.rules import capability_level, clean_attributes
from certprep.gaps.services.documents import documentation_from_ratings, link_by_clause
from certprep.gaps.transfer.check import rating_scale
from certprep.gaps.transfer.common import Requirements, answer_keys, frameworks_of
from certprep.gaps.transfer.schema import GapsPart, RatingPart
from certprep.people.models import Person

UserOf = Callable[[str | None], Any]
BATCH = 1000


def _users(part: GapsPart, members: Collection[str]) -> UserOf:
    """Who a user name of the file is here: only the engagement's members are matched."""
    names = {a.created_by for a in part.assessments} | {t.created_by for t in part.topics}
    for a_part in part.assessments:
        for r in a_part.ratings:
            names |= {r.owner, r.rated_by}
            names |= {e.added_by for e in r.evidence} | {d.decided_by for d in r.decisions}
    wanted = [n for n in names if n and n in members]
    users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=wanted)}
    return lambda name: users.get(name) if name else None


def _stamped(rows: Sequence[Any], stamps: Sequence[datetime.datetime | None], field: str) -> None:
    """The time is set on insert; put back the one from the file."""
    changed = []
    for row, stamp in zip(rows, stamps, strict=True):
        if stamp is not None:
            setattr(row, field, stamp)
            changed.append(row)
    if changed:
        type(changed[0])._default_manager.bulk_update(changed, [field], batch_size=BATCH)


class _Loader:
    """The objects written so far, so later parts can refer to them."""

    def __init__(self, engagement: Engagement, part: GapsPart, people: Sequence[Person], user: UserOf) -> None:
        self.engagement = engagement
        self.part = part
        self.people = people
        self.user = user
        self.frameworks = frameworks_of(part)
        self.requirements = Requirements(self.frameworks.values())
        self.assessments: list[Assessment] = []
        self.ratings: list[tuple[Rating, RatingPart]] = []
        self.rating_by_ref: dict[tuple[int, str], Rating] = {}

    def assessments_and_ratings(self) -> None:
        self.assessments = Assessment.objects.bulk_create(
            [
                Assessment(
                    engagement=self.engagement,
                    framework=self.frameworks[a.framework],
                    created_by=self.user(a.created_by),
                    **a.model_dump(exclude={"framework", "based_on", "created_by", "ratings"}),
                )
                for a in self.part.assessments
            ],
            batch_size=BATCH,
        )
        based = []
        for created, a in zip(self.assessments, self.part.assessments, strict=True):
            if a.based_on is not None:
                created.based_on = self.assessments[a.based_on]
                based.append(created)
        Assessment.objects.bulk_update(based, ["based_on"], batch_size=BATCH)
        rows: list[Rating] = []
        parts: list[RatingPart] = []
        for a_index, (assessment, a) in enumerate(zip(self.assessments, self.part.assessments, strict=True)):
            for r in a.ratings:
                row = self._rating(assessment, a_index, str(a.scale), a.framework, r)
                rows.append(row)
                parts.append(r)
                self.rating_by_ref[(a_index, r.requirement.urn)] = row
        created_rows = Rating.objects.bulk_create(rows, batch_size=BATCH)
        self.ratings = list(zip(created_rows, parts, strict=True))

    def _rating(self, assessment: Assessment, a_index: int, scale_of: str, urn: str, r: RatingPart) -> Rating:
        scale = rating_scale(r, scale_of, f"gaps.assessments.{a_index}.ratings")
        attributes = clean_attributes(r.attributes) if scale == Scale.CAPABILITY else {}
        requirement_id = self.requirements.resolve(self.frameworks[urn], r.requirement)
        if requirement_id is None:  # gaps_check refuses this before anything is written
            raise refuse(f"gaps.assessments.{a_index}.ratings", r.requirement.urn)
        return Rating(
            assessment=assessment,
            requirement_id=requirement_id,
            scale=scale,
            attributes=attributes,
            level=capability_level(attributes) if scale == Scale.CAPABILITY else r.level,
            target=r.target,
            notes=r.notes,
            owner=self.user(r.owner),
            rated_by=self.user(r.rated_by),
            rated_at=r.rated_at,
        )

    def decisions(self, answer_id: dict[tuple[int, int, str, str], int]) -> None:
        rows: list[Decision] = []
        stamps: list[datetime.datetime | None] = []
        for rating, r in self.ratings:
            for d in r.decisions:
                key = f"{d.rule}:{answer_id[d.answer.key()]}"
                rows.append(Decision(rating=rating, key=key, decision=d.decision, decided_by=self.user(d.decided_by)))
                stamps.append(d.decided_at)
        _stamped(Decision.objects.bulk_create(rows, batch_size=BATCH), stamps, "decided_at")

    def topics(self) -> None:
        topics = ImprovementTopic.objects.bulk_create(
            [
                ImprovementTopic(
                    engagement=self.engagement,
                    assessment=self.assessments[t.assessment] if t.assessment is not None else None,
                    owner=self.people[t.owner] if t.owner is not None else None,
                    created_by=self.user(t.created_by),
                    **t.model_dump(exclude={"assessment", "owner", "created_by", "ratings"}),
                )
                for t in self.part.topics
            ],
            batch_size=BATCH,
        )
        through = ImprovementTopic.ratings.through
        through.objects.bulk_create(
            [
                through(improvementtopic=topic, rating=self.rating_by_ref[(ref.assessment, ref.requirement)])
                for topic, t in zip(topics, self.part.topics, strict=True)
                for ref in t.ratings
            ],
            batch_size=BATCH,
        )

    def documents(self) -> None:
        documents = DocumentItem.objects.bulk_create(
            [
                DocumentItem(
                    engagement=self.engagement,
                    owner=self.people[d.owner] if d.owner is not None else None,
                    **d.model_dump(exclude={"owner", "requirements"}),
                )
                for d in self.part.documents
            ],
            batch_size=BATCH,
        )
        links = DocumentItem.requirements.through
        links.objects.bulk_create(
            [
                links(
                    documentitem_id=item.pk,
                    requirement_id=self.requirements.resolve(self.frameworks[ref.framework], ref),
                )
                for item, d in zip(documents, self.part.documents, strict=True)
                for ref in d.requirements or ()
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        # An older file: its documents name no requirements and its ratings carry the documentation status.
        older = [item for item, d in zip(documents, self.part.documents, strict=True) if d.requirements is None]
        if older:
            link_by_clause(engagement=self.engagement, items=older)
        legacy: dict[int, list[tuple[str, str]]] = defaultdict(list)
        newest_first = sorted(
            self.ratings, key=lambda pair: (pair[0].assessment.assessed_on, pair[0].assessment.pk), reverse=True
        )
        for rating, r in newest_first:
            if r.documentation:
                status = LEGACY_DOCUMENTATION.get(str(r.documentation), str(r.documentation))
                legacy[rating.requirement_id].append((status, rating.assessment.name))
        if legacy:
            documentation_from_ratings(engagement=self.engagement, statuses=legacy)

    def evidence(self, answer_id: dict[tuple[int, int, str, str], int]) -> None:
        """Evidence last: its files go to the file store, which the transaction cannot roll back (see store_file)."""
        rows: list[Evidence] = []
        stamps: list[datetime.datetime | None] = []
        for rating, r in self.ratings:
            for e in r.evidence:
                row = Evidence(
                    rating=rating,
                    kind=e.kind,
                    title=e.title,
                    url=e.url,
                    answer_id=answer_id[e.answer.key()] if e.answer is not None else None,
                    added_by=self.user(e.added_by),
                )
                if e.file is not None:
                    row.original_name = e.file.original_name
                    row.content_type = e.file.content_type
                    row.size = e.file.size
                    row.sha256 = e.file.sha256
                    store_file(row.file, base64.b64decode(e.file.content))  # removed if the import fails
                rows.append(row)
                stamps.append(e.added_at)
        _stamped(Evidence.objects.bulk_create(rows, batch_size=BATCH), stamps, "added_at")


def gaps_import(*, engagement: Engagement, part: GapsPart, people: Sequence[Person], members: Collection[str]) -> None:
    """Write a checked gaps section into the (new) engagement; `people` in the survey section's order
    (already imported), `members` the user names that are members of the engagement once it is imported:
    only they are matched as assessors and authors. Runs inside the caller's transaction."""
    if part.settings is not None:
        GapSettings.objects.update_or_create(engagement=engagement, defaults=part.settings.model_dump())
    loader = _Loader(engagement, part, people, _users(part, members))
    loader.assessments_and_ratings()
    answer_id = {key: pk for pk, key in answer_keys(engagement, [p.pk for p in people], None).items()}
    loader.decisions(answer_id)
    loader.topics()
    loader.documents()
    loader.evidence(answer_id)
