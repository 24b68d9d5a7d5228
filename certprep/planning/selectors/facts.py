"""What generation reads about an engagement, as the plain facts of certprep.planning.rules.

The organization profile, the latest gap assessment's readiness overall and by process (through the gap
analysis's own selectors), the documented information of each process's requirements, the improvement
topics, who holds which role, and the plan's minimum operating time and working week."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count

from certprep.catalogue.selectors import lens_processes
from certprep.engagements.models import Engagement, OrganizationProfile
from certprep.gaps.choices import TopicGrouping
from certprep.gaps.models import Assessment, ImprovementTopic, Rating
from certprep.gaps.rules import documentation_gap
from certprep.gaps.selectors.dashboard import dashboard
from certprep.gaps.selectors.documents import statuses_by_requirement
from certprep.gaps.selectors.lens import process_codes_by_requirement
from certprep.people.choices import PROCESS_ROLES, SmsRole
from certprep.people.models import RoleAssignment
from certprep.planning.models import Calendar, Plan
from certprep.planning.rules import Organization, PlanFacts, ProcessFacts, TopicFacts


def _documentation_by_process(engagement: Engagement, assessment: Assessment) -> dict[str, float]:
    """Process code -> share of its assessed requirements whose documented information is not ready (only the
    requirements a checklist item evidences count)."""
    statuses = statuses_by_requirement(engagement.pk, framework_id=assessment.framework_id)
    codes = process_codes_by_requirement(assessment.framework_id)
    counted: dict[str, list[int]] = defaultdict(list)
    for requirement_id in Rating.objects.filter(assessment=assessment).values_list("requirement_id", flat=True):
        status = statuses.get(requirement_id)
        if status:
            for code in codes.get(requirement_id, ()):
                counted[code].append(documentation_gap(status))
    return {code: sum(gaps) / len(gaps) for code, gaps in counted.items()}


def _holders(engagement: Engagement) -> tuple[dict[tuple[str, str], list[int]], dict[str, tuple[int, ...]]]:
    by_process: dict[tuple[str, str], list[int]] = defaultdict(list)
    system: dict[str, list[int]] = defaultdict(list)
    rows = RoleAssignment.objects.filter(person__engagement=engagement).order_by("person__name", "person_id")
    for role, code, person_id in rows.values_list("role", "process_code", "person_id"):
        if role in PROCESS_ROLES:
            by_process[(code, role)].append(person_id)
        else:
            system[role].append(person_id)
    return by_process, {role: tuple(ids) for role, ids in system.items()}


def _organization(engagement: Engagement, readiness: float | None) -> Organization:
    profile = OrganizationProfile.objects.filter(engagement=engagement).first()
    if profile is None:
        return Organization(readiness=readiness)
    return Organization(
        people_in_scope=profile.people_in_scope,
        sites=len(profile.sites or []),
        itil_adoption=profile.itil_adoption or "",
        certifications=frozenset(profile.existing_certifications or []),
        readiness=readiness,
    )


def _topics(engagement: Engagement) -> tuple[TopicFacts, ...]:
    topics = (
        ImprovementTopic.objects.filter(engagement=engagement).annotate(requirements=Count("ratings")).order_by("pk")
    )
    return tuple(
        TopicFacts(
            id=topic.pk,
            title=topic.title,
            title_zh=str((topic.translations.get("zh-hans") or {}).get("title") or ""),
            process_code=topic.group_key if topic.grouping == TopicGrouping.PROCESS else "",
            requirements=topic.requirements,
            owner=topic.owner_id,
        )
        for topic in topics
    )


def plan_facts(engagement: Engagement) -> PlanFacts:
    latest = dashboard(engagement).latest
    documentation = _documentation_by_process(engagement, latest.assessment) if latest else {}
    by_process, system = _holders(engagement)
    processes = []
    for process in lens_processes():
        summary = latest.by_process.get(process.code) if latest else None
        processes.append(
            ProcessFacts(
                code=process.code,
                name=process.name,
                name_zh=process.name_in("zh-hans"),
                readiness=summary.percent if summary and summary.rated else None,
                documentation_gap=documentation.get(process.code),
                owners=tuple(by_process.get((process.code, SmsRole.PROCESS_OWNER), ())),
                coordinators=tuple(by_process.get((process.code, SmsRole.PROCESS_COORDINATOR), ())),
            )
        )
    plan = Plan.objects.filter(engagement=engagement).first()
    calendar = Calendar.objects.filter(engagement=engagement).first()
    return PlanFacts(
        organization=_organization(engagement, latest.overall.percent if latest and latest.overall.rated else None),
        processes=tuple(processes),
        topics=_topics(engagement),
        system_roles=system,
        minimum_operating_months=plan.minimum_operating_months if plan else 3,
        working_weekdays=len(calendar.workweek) if calendar else 5,
    )
