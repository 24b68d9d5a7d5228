"""The one door to the gap analysis's objects, for pages and API alike.

Each `<object>_for(user, engagement_id, pk, role=...)` checks the membership through
engagements.access.engagement_for (404 for non-members, 403 when the role is too low) and returns the object
with the caller's membership; an object of another engagement, or none at all, is 404. The `<object>_in`
functions find an object of an engagement already opened (after a write, to show it again). Each look-up
reads what every caller of it shows, in one query, with the engagement instance shared.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from certprep.catalogue.models import Framework
from certprep.core.actors import Visitor
from certprep.core.api_refs import body_ref, body_refs, engagement_ref, path_ref
from certprep.core.errors import ServiceError
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement, Membership
from certprep.gaps.choices import EvidenceKind
from certprep.gaps.models import Assessment, DocumentItem, Evidence, ImprovementTopic, Rating
from certprep.people.models import Person
from certprep.survey.models import Answer

# Within an engagement ------------------------------------------------------------------------------


def assessment_in(engagement: Engagement, pk: int) -> Assessment:
    return engagement_ref(Assessment.objects.select_related("framework"), engagement, pk)


def rating_in(engagement: Engagement, pk: int) -> Rating:
    rating = path_ref(
        Rating.objects.filter(assessment__engagement=engagement).select_related(
            "assessment__framework", "requirement", "owner"
        ),
        pk,
    )
    rating.assessment.engagement = engagement
    return rating


def evidence_in(engagement: Engagement, pk: int, *, kind: str | None = None) -> Evidence:
    queryset = Evidence.objects.filter(rating__assessment__engagement=engagement).select_related(
        "rating__assessment", "rating__requirement", "added_by"
    )
    evidence = path_ref(queryset.filter(kind=kind) if kind else queryset, pk)
    evidence.rating.assessment.engagement = engagement
    return evidence


def topic_in(engagement: Engagement, pk: int) -> ImprovementTopic:
    return engagement_ref(ImprovementTopic.objects.select_related("owner"), engagement, pk)


def document_in(engagement: Engagement, pk: int) -> DocumentItem:
    item = path_ref(
        DocumentItem.objects.filter(engagement=engagement).select_related("owner").prefetch_related("requirements"),
        pk,
    )
    item.engagement = engagement
    return item


# Through the door ----------------------------------------------------------------------------------


def assessment_for(
    user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER
) -> tuple[Assessment, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return assessment_in(engagement, pk), membership


def rating_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> tuple[Rating, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return rating_in(engagement, pk), membership


def evidence_for(
    user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER, kind: str | None = None
) -> tuple[Evidence, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return evidence_in(engagement, pk, kind=kind), membership


def evidence_file_for(user: Visitor, engagement_id: int, pk: int) -> Evidence:
    """A stored evidence file to download (members); 404 for a link, an answer or a file no longer stored."""
    evidence, _membership = evidence_for(user, engagement_id, pk, kind=EvidenceKind.FILE)
    if not evidence.file:
        raise Http404
    return evidence


def topic_for(
    user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER
) -> tuple[ImprovementTopic, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return topic_in(engagement, pk), membership


def document_for(
    user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER
) -> tuple[DocumentItem, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return document_in(engagement, pk), membership


# Objects a request names in its body or form (refused as input with 400, never 404) ------------------


def framework_named(urn: str, *, field: str = "framework") -> Framework:
    """A framework of the catalogue, named by its URN."""
    framework = Framework.objects.filter(urn=urn).first()
    if framework is None:
        raise ServiceError(_("No framework with this URN is loaded."), field=field)
    return framework


def assessment_named(engagement: Engagement, pk: int, *, field: str) -> Assessment:
    return body_ref(
        Assessment.objects.filter(engagement=engagement).select_related("engagement", "framework"),
        pk,
        field=field,
        message=_("No assessment with this id in this engagement."),
    )


def person_named(engagement: Engagement, pk: int | None, *, field: str = "owner") -> Person | None:
    """A person of the engagement (an owner, a holder); None for none."""
    if pk is None:
        return None
    return body_ref(
        Person.objects.filter(engagement=engagement),
        pk,
        field=field,
        message=_("No person with this id in this engagement."),
    )


def ratings_named(engagement: Engagement, pks: list[int], *, field: str = "ratings") -> list[Rating]:
    """The engagement's ratings with these ids, in clause order."""
    return body_refs(
        Rating.objects.filter(assessment__engagement=engagement)
        .select_related("assessment", "requirement")
        .order_by("requirement__order", "pk"),
        pks,
        field=field,
        message=_("These ids name no requirement rating of this engagement: %(ids)s."),
    )


def topics_named(engagement: Engagement, pks: list[int], *, field: str = "topics") -> list[ImprovementTopic]:
    return body_refs(
        ImprovementTopic.objects.filter(engagement=engagement).select_related("engagement", "owner").order_by("id"),
        pks,
        field=field,
        message=_("These ids name no improvement topic of this engagement: %(ids)s."),
    )


def _answers(engagement: Engagement) -> QuerySet[Answer]:
    return Answer.objects.filter(response__respondent__campaign__engagement=engagement).select_related(
        "question", "response__respondent__person", "response__respondent__campaign"
    )


def answer_in(engagement: Engagement, pk: int) -> Answer:
    """A survey answer of the engagement a page links as evidence; 404 for any other."""
    return path_ref(_answers(engagement), pk)


def answer_named(engagement: Engagement, pk: int, *, field: str = "answer") -> Answer:
    """A survey answer of the engagement, to link as evidence."""
    return body_ref(
        _answers(engagement),
        pk,
        field=field,
        message=_("No survey answer with this id in this engagement."),
    )
