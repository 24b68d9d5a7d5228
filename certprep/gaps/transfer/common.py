"""What the export, the check and the import of the gaps section share: how survey answers and requirements
are referred to inside the file (the one way a file is refused is core.transfer.refuse)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from certprep.catalogue.models import Framework, Requirement
from certprep.engagements.models import Engagement
from certprep.gaps.transfer.schema import GapsPart, RequirementRef
from certprep.survey.models import Answer, Campaign

AnswerKey = tuple[int, int, str, str]


def answer_keys(
    engagement: Engagement, people: Sequence[int], answer_ids: Iterable[int] | None
) -> dict[int, AnswerKey]:
    """answer id -> (campaign #, person #, questionnaire key, question key), numbered like the survey section
    (campaigns by creation, people in `people`'s order). Two queries whatever the number of answers."""
    campaign_ref = {
        pk: index
        for index, pk in enumerate(
            Campaign.objects.filter(engagement=engagement).order_by("created_at", "id").values_list("pk", flat=True)
        )
    }
    person_ref = {pk: index for index, pk in enumerate(people)}
    answers = Answer.objects.filter(response__respondent__campaign__engagement=engagement)
    if answer_ids is not None:
        answers = answers.filter(pk__in=list(answer_ids))
    return {
        pk: (campaign_ref[campaign_id], person_ref[person_id], questionnaire, question)
        for pk, campaign_id, person_id, questionnaire, question in answers.values_list(
            "pk",
            "response__respondent__campaign_id",
            "response__respondent__person_id",
            "response__questionnaire__key",
            "question__key",
        )
    }


class Requirements:
    """The requirements of some frameworks, found by URN, else by an unambiguous reference."""

    def __init__(self, frameworks: Iterable[Framework]) -> None:
        self.by_urn: dict[tuple[int, str], int] = {}
        by_ref: dict[tuple[int, str], list[int]] = defaultdict(list)
        for pk, framework_id, urn, ref_id in Requirement.objects.filter(
            framework__in=[f.pk for f in frameworks]
        ).values_list("pk", "framework_id", "urn", "ref_id"):
            self.by_urn[(framework_id, urn)] = pk
            if ref_id:
                by_ref[(framework_id, ref_id)].append(pk)
        self.by_ref = {key: pks[0] for key, pks in by_ref.items() if len(pks) == 1}

    def resolve(self, framework: Framework, ref: RequirementRef) -> int | None:
        found = self.by_urn.get((framework.pk, ref.urn))
        if found is None and ref.ref_id:
            found = self.by_ref.get((framework.pk, ref.ref_id))
        return found


def frameworks_of(part: GapsPart) -> dict[str, Framework]:
    urns = {a.framework for a in part.assessments} | {r.framework for d in part.documents for r in d.requirements or ()}
    return {f.urn: f for f in Framework.objects.filter(urn__in=urns)}
