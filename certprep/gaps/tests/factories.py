"""Builders for the gap-analysis tests: assessments on either scale, ratings, team members with a role, small
frameworks of any size (for filters and query counts), survey answers, and files people upload as evidence.

Use them with the root conftest fixtures (owner, engagement, outsider, owner_client, outsider_client, catalogue)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from certprep.catalogue.models import Framework, Process, Requirement
from certprep.catalogue.selectors import PROCESS_LENS_URN
from certprep.engagements import services as engagement_services
from certprep.engagements.models import Engagement
from certprep.engagements.tests.factories import UserFactory
from certprep.gaps.models import Assessment, GapSettings, Rating
from certprep.gaps.services import assessments as assessment_services
from certprep.gaps.services import ratings as rating_services
from certprep.survey.models import Answer, Response
from certprep.survey.services import answers as answer_services
from certprep.survey.tests.factories import person, sent_campaign

DAY = datetime.date(2025, 1, 15)

# A real (tiny) PDF, and a Windows program whose name pretends to be a PDF.
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 64


def use_settings(
    engagement: Engagement,
    owner: Any,
    *,
    scale: str = "compliance",
    default_target: int = 3,
    sms_operating_since: datetime.date | None = None,
) -> GapSettings:
    """Set the engagement's gap-analysis settings through the service, as the settings page does."""
    current = assessment_services.settings_for(engagement)
    return assessment_services.settings_update(
        engagement=engagement,
        actor=owner,
        expected_version=current.version,
        scale=scale,
        default_target=default_target,
        sms_operating_since=sms_operating_since,
    )


def assessment(
    engagement: Engagement,
    owner: Any,
    *,
    scale: str | None = "compliance",
    name: str = "Baseline",
    assessed_on: datetime.date = DAY,
    framework: Framework | None = None,
    based_on: Assessment | None = None,
    default_target: int | None = None,
) -> Assessment:
    """An assessment made through the service (ISO/IEC 20000-1 unless a framework is given). `scale` first
    switches the engagement's settings to it (compliance unless told, "mixed" for the product's default);
    None keeps the settings' scale."""
    if scale is not None and assessment_services.settings_for(engagement).scale != scale:
        use_settings(engagement, owner, scale=scale)
    return assessment_services.assessment_create(
        engagement=engagement,
        actor=owner,
        name=name,
        assessed_on=assessed_on,
        framework=framework,
        based_on=based_on,
        default_target=default_target,
    )


def rating(assessment: Assessment, ref_id: str) -> Rating:
    """A fresh copy of the rating of one requirement, as a page would load it."""
    return Rating.objects.select_related("assessment__engagement", "assessment__framework", "requirement", "owner").get(
        assessment=assessment, requirement__ref_id=ref_id
    )


def rate(actor: Any, assessment: Assessment, ref_id: str, **changes: Any) -> Rating:
    """Change a rating with the version just read."""
    found = rating(assessment, ref_id)
    return rating_services.rating_update(rating=found, actor=actor, expected_version=found.version, **changes)


def member(engagement: Engagement, owner: Any, username: str, role: str = "viewer") -> Any:
    """A new user added to the engagement with `role` (viewer, editor or owner)."""
    user: Any = UserFactory(username=username)
    engagement_services.member_add(engagement=engagement, actor=owner, user=user, role=role)
    return user


def another_engagement(owner: Any, name: str) -> Engagement:
    """A second engagement of the same owner, made as people make them."""
    return engagement_services.engagement_create(user=owner, name=name, organization_name=f"{name} Ltd")


def _parent_ref(ref: str) -> str | None:
    return ref.rsplit(".", 1)[0] if "." in ref else None


def framework(
    refs: Sequence[str],
    *,
    name: str = "Test framework",
    urn: str | None = None,
    weights: dict[str, int] | None = None,
    names: dict[str, str] | None = None,
) -> Framework:
    """A framework whose listed refs are assessable requirements; the clauses above them are created as
    headings (not assessable). Requirements are ordered as listed, headings just before their first child."""
    found = Framework.objects.create(
        urn=urn or f"urn:test:framework:{name.lower().replace(' ', '-')}", ref_id=name, name=name
    )
    made: dict[str, Requirement] = {}
    order = 0

    def ensure(ref: str, *, assessable: bool) -> Requirement:
        nonlocal order
        if ref in made:
            return made[ref]
        parent_ref = _parent_ref(ref)
        parent = ensure(parent_ref, assessable=False) if parent_ref else None
        order += 1
        title = (names or {}).get(ref, f"Requirement {ref}" if assessable else f"Clause {ref}")
        made[ref] = Requirement.objects.create(
            framework=found,
            urn=f"{found.urn}:{ref}",
            parent=parent,
            ref_id=ref,
            name=title,
            assessable=assessable,
            depth=ref.count(".") + 1,
            order=order,
            weight=(weights or {}).get(ref, 1),
            search_text=f"{ref}\n{title}".lower(),
        )
        return made[ref]

    for ref in refs:
        ensure(ref, assessable=True)
    return found


def sized_framework(size: int, *, name: str) -> Framework:
    """A framework of `size` assessable requirements spread over five clauses (1.1, 1.2, ..., 5.k)."""
    refs = [f"{n % 5 + 1}.{n // 5 + 1}" for n in range(size)]
    return framework(sorted(refs, key=lambda r: tuple(int(p) for p in r.split("."))), name=name)


def map_to_process(framework: Framework, code: str, refs: Sequence[str]) -> Process:
    """Map requirements of `framework` to one process of the 13-process lens (needs the catalogue)."""
    process = Process.objects.get(lens__urn=PROCESS_LENS_URN, code=code)
    process.requirements.add(*Requirement.objects.filter(framework=framework, ref_id__in=refs))
    return process


def survey_answers(
    engagement: Engagement,
    owner: Any,
    wanted: Sequence[tuple[str, str, Any]],
    *,
    name: str = "Alice A",
    also: Sequence[str] = (),
) -> dict[tuple[str, str], Answer]:
    """Survey answers given by one person: `wanted` lists (questionnaire template key, question key, value),
    e.g. ("process-change", "procedure-exists", "no") or ("management-system", "audit-experience", "itsm").
    A campaign over those questionnaires is sent, then the person answers; the people named in `also` give the
    same answers. Returns {(questionnaire, question): answer} of the first person."""
    keys = tuple(dict.fromkeys(key for key, _q, _v in wanted))
    processes = [key.removeprefix("process-") for key in keys if key.startswith("process-")]
    roles = ["process_manager"] if processes else []
    if "management-system" in keys:
        roles.append("top_management")
    everyone = [person(engagement, someone, roles=roles, processes=processes) for someone in (name, *also)]
    campaign, _tokens = sent_campaign(engagement, owner, keys=keys)
    result: dict[tuple[str, str], Answer] = {}
    for someone in reversed(everyone):  # the first person last, so the result holds their answers
        responses = {
            r.questionnaire.template_key: r
            for r in Response.objects.filter(respondent__campaign=campaign, respondent__person=someone).select_related(
                "respondent", "questionnaire"
            )
        }
        for key, question_key, value in wanted:
            response = responses[key]
            question = response.questionnaire.questions.get(key=question_key)
            saved = answer_services.answer_save(
                respondent=response.respondent, response=response, question=question, raw=value, expected_version=None
            )
            result[(key, question_key)] = saved.answer
    return result
