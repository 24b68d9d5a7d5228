"""The demo engagement's gap analysis: a baseline four months ago, a reassessment two weeks ago that shows
progress and still has unrated requirements, evidence, the documented-information checklist in mixed
states, and improvement topics drawn from the gaps."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.utils import timezone

from certprep.core.actors import Actor
from certprep.core.versioning import save_versioned
from certprep.gaps.choices import Documentation, DocumentStatus, Scale, TopicGrouping
from certprep.gaps.models import Assessment, DocumentItem, Rating
from certprep.gaps.services import assessments, documents, ratings, topics
from certprep.people.models import Person

# Requirements the demo organization already does well (ISO 9001 and 27001 habits) or has not started.
STRONG = ("5.1", "5.3", "7.1", "7.2", "7.4", "7.5.3", "8.6.1", "8.7.3.1", "8.7.3.2", "9.2", "10.1")
WEAK = ("4.1", "4.2", "6.3", "7.6", "8.2.2", "8.2.5", "8.4.1", "8.4.2", "8.5.3", "9.4", "10.2")
DOC_STATES = {
    "sms-scope": DocumentStatus.DRAFT,
    "service-management-policy": DocumentStatus.APPROVED,
    "service-management-objectives": DocumentStatus.IN_REVIEW,
    "service-management-plan": DocumentStatus.MISSING,
    "internal-audit-programme": DocumentStatus.APPROVED,
    "internal-audit-results": DocumentStatus.MISSING,
    "management-review-results": DocumentStatus.MISSING,
}


def _spread(ref: str, modulo: int) -> int:
    """A fixed pseudo-random number per clause, so the demo is the same every time."""
    return int(hashlib.sha256(ref.encode()).hexdigest()[:6], 16) % modulo


def _baseline_level(ref: str) -> int:
    if ref in STRONG:
        return 2 + _spread(ref, 2)
    if ref in WEAK:
        return 0
    return _spread(ref, 3)


def _documentation(level: int) -> str:
    return [Documentation.MISSING, Documentation.DRAFT, Documentation.UNCONTROLLED, Documentation.APPROVED][level]


NOTES = {
    "8.6.1": "Service desk logs every incident in the ticketing tool; the major incident procedure is still a draft.",
    "9.2": "Internal audits run for ISO 9001; the IT service processes are not in the programme yet.",
    "6.3": "No service management plan yet; the implementation plan covers part of it.",
}
LINKS = {
    "8.6.1": ("https://intranet.example.com/itsm/incident-procedure", "Incident management procedure v0.9 (draft)"),
    "7.5.3": ("https://intranet.example.com/qms/document-control", "Document control procedure (ISO 9001)"),
    "9.2": ("https://intranet.example.com/qms/audit-programme-2026", "Internal audit programme 2026"),
}


def _rate_baseline(engagement: Any, actor: Actor, today: datetime.date) -> Assessment:
    baseline = assessments.assessment_create(
        engagement=engagement, actor=actor, name="Baseline", assessed_on=today - datetime.timedelta(days=120)
    )
    members = list(engagement.memberships.select_related("user").order_by("pk"))
    assessors = [m.user for m in members if m.role != "viewer"] or [actor]
    for n, rating in enumerate(
        baseline.ratings.select_related("requirement", "assessment__engagement").order_by("requirement__order")
    ):
        level = _baseline_level(rating.requirement.ref_id)
        ratings.rating_update(
            rating=rating,
            actor=actor,
            expected_version=rating.version,
            level=level,
            documentation=_documentation(level),
            owner=assessors[n % len(assessors)],
            notes="",
        )
    return baseline


def _rate_reassessment(engagement: Any, actor: Actor, today: datetime.date, baseline: Assessment) -> Assessment:
    """A reassessment after the pilot: some requirements not rated again, weak ones a step better, a few notes
    and links."""
    reassessment = assessments.assessment_create(
        engagement=engagement,
        actor=actor,
        name="Reassessment after the pilot",
        assessed_on=today - datetime.timedelta(days=14),
        based_on=baseline,
    )
    rows = list(
        reassessment.ratings.select_related("requirement", "assessment__engagement").order_by("requirement__order")
    )
    for rating in rows:
        ref = rating.requirement.ref_id
        spread = _spread(ref + "/2", 4)
        if spread == 0 and ref not in STRONG:
            ratings.rating_update(rating=rating, actor=actor, expected_version=rating.version, level=None)
            continue
        if rating.level is not None and rating.level < 3 and spread >= 2:
            new = rating.level + 1
            ratings.rating_update(
                rating=rating,
                actor=actor,
                expected_version=rating.version,
                level=new,
                documentation=_documentation(new),
            )
    by_ref = {
        r.requirement.ref_id: Rating.objects.select_related("assessment__engagement", "requirement").get(pk=r.pk)
        for r in rows
    }
    for ref, text in NOTES.items():
        if ref in by_ref:
            rating = by_ref[ref]
            by_ref[ref] = ratings.rating_update(rating=rating, actor=actor, expected_version=rating.version, notes=text)
    for ref, (url, title) in LINKS.items():
        if ref in by_ref:
            ratings.evidence_add_link(rating=by_ref[ref], actor=actor, url=url, title=title)
    return reassessment


def _fill_checklist(engagement: Any, actor: Actor, today: datetime.date, people: list[Person]) -> None:
    documents.checklist_load(engagement=engagement, actor=actor)
    for n, item in enumerate(
        DocumentItem.objects.filter(engagement=engagement, key__in=list(DOC_STATES)).select_related("engagement")
    ):
        status = DOC_STATES[item.key]
        documents.document_update(
            item=item,
            actor=actor,
            expected_version=item.version,
            status=status,
            owner=people[n % len(people)] if people else None,
            location="SharePoint / ITSM / Policies" if status != DocumentStatus.MISSING else "",
            review_date=today + datetime.timedelta(days=90 + 30 * n) if status == DocumentStatus.APPROVED else None,
        )


def load_gaps_demo(*, engagement: Any, actor: Actor) -> None:
    """Does nothing if the engagement already has an assessment or no framework is loaded."""
    if Assessment.objects.filter(engagement=engagement).exists() or assessments.default_framework() is None:
        return
    today = timezone.localdate()
    gap_settings = assessments.settings_for(engagement)
    gap_settings.scale = Scale.COMPLIANCE
    gap_settings.sms_operating_since = today - datetime.timedelta(days=62)
    save_versioned(gap_settings, expected_version=gap_settings.version, fields=["scale", "sms_operating_since"])
    baseline = _rate_baseline(engagement, actor, today)
    reassessment = _rate_reassessment(engagement, actor, today, baseline)
    people = list(Person.objects.filter(engagement=engagement).order_by("name")[:5])
    _fill_checklist(engagement, actor, today, people)
    made = topics.topics_generate(assessment=reassessment, actor=actor, grouping=TopicGrouping.PROCESS)
    for n, topic in enumerate(made[:4]):
        topics.topic_update(
            topic=topic,
            actor=actor,
            expected_version=topic.version,
            owner=people[n % len(people)] if people else None,
            due_date=today + datetime.timedelta(days=30 * (n + 1)),
        )
