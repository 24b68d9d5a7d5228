"""Benchmark data: a large engagement and generated frameworks, made through certprep's own services.

As a module (bench/run.py uses it, after django.setup()):

    from generate import generate
    ids = generate("large")   # ids, usernames and URL parameters the benchmark pages need

As a script, it fills the database configured by the environment (by default the development
database in var/) so you can look at a large engagement in the browser:

    .venv/bin/python bench/generate.py large --password bench

The same size cannot be generated twice into one database (the user names would clash).
Everything is deterministic: the same size gives the same names, clauses and texts every time.
"""
# ruff: noqa: E402 - Django must be set up before the product is imported when this runs as a script

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from certprep.catalogue.models import Framework
from certprep.catalogue.services import framework_import, lens_import
from certprep.core.models import AuditEntry
from certprep.engagements import services
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement

ISO_20000_URN = "urn:certprep:framework:iso-iec-20000-1-2018"  # shipped, loaded by load_catalogue
SEARCH = "capacity"  # the word the catalogue search benchmark looks for
PROCESS = "incident"  # the lens process the catalogue filter benchmark shows


@dataclass(frozen=True)
class Size:
    """How much data one benchmark size holds."""

    people_in_scope: int
    sites: int
    services: int
    assessable_requirements: int  # the framework the tree, search, filter and API pages read
    catalogue_nodes: int  # a bigger framework (all nodes, headings included) for catalogue benchmarks
    members: int  # of the benchmark engagement, the benchmark user included
    audit_entries: int  # of the benchmark engagement
    other_engagements: int  # the benchmark user is also a member of these
    # Hooks for features that are not in the product yet: nothing reads these until those issues add
    # their data here (through their services) and their pages to PAGES in run.py.
    survey_respondents: int
    matrix_activities: int  # per process, in the responsibility matrix
    plan_tasks: int
    gap_requirements: int  # assessable requirements of the framework the gap assessment rates, all rated
    real_nodes: int  # a CISO Assistant library shaped like NIST SP 800-53 and NZISM v3 (see real_shaped_file)


SIZES: dict[str, Size] = {
    "large": Size(
        people_in_scope=2000,
        sites=3,
        services=40,
        assessable_requirements=300,
        catalogue_nodes=1200,
        members=60,
        audit_entries=5000,
        other_engagements=150,
        survey_respondents=800,
        matrix_activities=20,
        plan_tasks=1500,
        gap_requirements=1200,
        real_nodes=5880,  # NZISM v3's size
    ),
    # About 1/20 of large, with at least one of everything.
    "small": Size(
        people_in_scope=100,
        sites=1,
        services=2,
        assessable_requirements=15,
        catalogue_nodes=60,
        members=3,
        audit_entries=250,
        other_engagements=8,
        survey_respondents=40,
        matrix_activities=3,
        plan_tasks=75,
        gap_requirements=140,
        real_nodes=294,
    ),
}

# --- generated frameworks ---------------------------------------------------------------------------

AREAS = [
    ("Context and scope", "环境与范围"),
    ("Leadership and commitment", "领导作用与承诺"),
    ("Planning the service management system", "服务管理体系的策划"),
    ("Support of the service management system", "服务管理体系的支持"),
    ("Service portfolio", "服务组合"),
    ("Relationship and agreement", "关系与协议"),
    ("Supply and demand", "供应与需求"),
    ("Service design, build and transition", "服务设计、构建和转换"),
    ("Resolution and fulfilment", "解决与履行"),
    ("Service assurance", "服务保证"),
    ("Performance evaluation", "绩效评价"),
    ("Improvement", "改进"),
]
AREA_SUFFIXES = [
    ("", ""),
    (": extended controls", "：扩展控制"),
    (": sector guidance", "：行业指南"),
    (": multi-site operation", "：多场所运行"),
]

# A subject heads each group of clauses; its last item is the lens process the group maps to. Incident
# and capacity come first so that even the small framework has clauses for the search and filter pages.
SUBJECTS = [
    ("incident", "事件", "incident"),
    ("capacity", "容量", "capacity"),
    ("change", "变更", "change"),
    ("service level", "服务级别", "service-level"),
    ("service reporting", "服务报告", "service-reporting"),
    ("service continuity", "服务连续性", "continuity-availability"),
    ("budgeting", "预算", "budgeting-accounting"),
    ("information security", "信息安全", "information-security"),
    ("business relationship", "业务关系", "business-relationship"),
    ("supplier", "供方", "supplier"),
    ("problem", "问题", "problem"),
    ("configuration", "配置", "configuration"),
    ("release", "发布", "release"),
    ("service request", "服务请求", "incident"),
    ("demand", "需求", "capacity"),
    ("service catalogue", "服务目录", "service-level"),
    ("availability", "可用性", "continuity-availability"),
    ("accounting for services", "服务核算", "budgeting-accounting"),
    ("asset", "资产", "configuration"),
    ("deployment", "部署", "release"),
]
ASPECTS = [
    ("Planning of {s} management", "{s}管理的策划"),
    ("Policy for {s}", "{s}方针"),
    ("Roles and authorities for {s}", "{s}的角色和职权"),
    ("{S} criteria and thresholds", "{s}准则和阈值"),
    ("Monitoring {s} performance", "监视{s}绩效"),
    ("Reporting on {s}", "{s}报告"),
    ("Reviewing {s} decisions", "评审{s}决策"),
    ("Escalation in {s} management", "{s}管理中的升级"),
    ("Resources for {s} management", "{s}管理的资源"),
    ("Documented information on {s}", "{s}成文信息"),
    ("Interfaces between {s} and other processes", "{s}与其他过程的接口"),
    ("Objectives for {s}", "{s}目标"),
    ("Risks to {s}", "{s}风险"),
    ("Continual improvement of {s}", "{s}的持续改进"),
    ("Communicating {s} information", "沟通{s}信息"),
    ("Competence for {s}", "{s}能力"),
]
PARAPHRASES = [
    "Decide how {s} is handled, who is accountable and which records show it is done, "
    "and review this at planned intervals.",
    "Agree measurable criteria for {s} with the people concerned, apply them consistently "
    "and act when they are not met.",
    "Keep {s} information accurate and available to those who need it, and protect it against unauthorized change.",
    "Check at planned intervals that {s} activities achieve the intended results and record what was decided.",
]
EVIDENCE = [
    "Approved {s} procedure, records of its use and minutes of the last review.",
    "{S} reports for the last three periods with trends and actions taken.",
    "Role descriptions naming the {s} owner; training records for the staff involved.",
]
PROCESSES = [
    # code, group, name
    ("service-level", "service-delivery", "Service level management"),
    ("service-reporting", "service-delivery", "Service reporting"),
    ("continuity-availability", "service-delivery", "Service continuity and availability management"),
    ("budgeting-accounting", "service-delivery", "Budgeting and accounting for services"),
    ("capacity", "service-delivery", "Capacity management"),
    ("information-security", "service-delivery", "Information security management"),
    ("business-relationship", "relationship", "Business relationship management"),
    ("supplier", "relationship", "Supplier management"),
    ("incident", "resolution", "Incident and service request management"),
    ("problem", "resolution", "Problem management"),
    ("configuration", "control", "Configuration management"),
    ("change", "control", "Change management"),
    ("release", "release", "Release and deployment management"),
]
PROCESS_GROUPS = [
    ("service-delivery", "Service delivery processes"),
    ("relationship", "Relationship processes"),
    ("resolution", "Resolution processes"),
    ("control", "Control processes"),
    ("release", "Release process"),
]


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Writes every value out: certprep refuses YAML anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _outline(
    rng: random.Random, *, assessable: int | None = None, nodes: int | None = None
) -> Iterator[tuple[int, dict[str, Any], str]]:
    """Clauses in document order as (depth, node, lens process): areas, subjects, assessable clauses.

    Stops after `assessable` assessable clauses, or after exactly `nodes` clauses (headings included).
    """
    made = leaves = 0

    def room(needed: int) -> bool:
        return nodes is None or made + needed <= nodes

    def done() -> bool:
        return (assessable is not None and leaves >= assessable) or (nodes is not None and made >= nodes)

    def clause(ref_id: str, aspect: tuple[str, str], subject: tuple[str, str, str]) -> dict[str, Any]:
        (title, title_zh), (s, s_zh, _process) = aspect, subject
        return {
            "ref_id": ref_id,
            "name": title.format(s=s, S=s.capitalize()),
            "assessable": True,
            "paraphrase": rng.choice(PARAPHRASES).format(s=s),
            "evidence": rng.choice(EVIDENCE).format(s=s, S=s.capitalize()),
            "weight": 2 if rng.random() < 0.15 else 1,
            "translations": {"zh-hans": {"name": title_zh.format(s=s_zh)}},
        }

    subject_index = 0
    group_ref, subject, aspects, leaf_no = "", SUBJECTS[0], list(ASPECTS), 0
    for section in range(10_000):
        if done() or not room(3):
            break
        area, area_zh = AREAS[section % len(AREAS)]
        suffix, suffix_zh = AREA_SUFFIXES[(section // len(AREAS)) % len(AREA_SUFFIXES)]
        section_ref = str(section + 4)  # clauses start at 4, as in ISO management system standards
        made += 1
        yield (
            1,
            {
                "ref_id": section_ref,
                "name": area + suffix,
                "description": f"Requirements on {area.lower()}{suffix}.",
                "translations": {"zh-hans": {"name": area_zh + suffix_zh}},
            },
            "",
        )
        for group in range(1, rng.randint(3, 6) + 1):
            if done() or not room(2):
                break
            subject = SUBJECTS[subject_index % len(SUBJECTS)]
            subject_index += 1
            group_ref = f"{section_ref}.{group}"
            made += 1
            yield (
                2,
                {
                    "ref_id": group_ref,
                    "name": f"{subject[0].capitalize()} management",
                    "translations": {"zh-hans": {"name": f"{subject[1]}管理"}},
                },
                subject[2],
            )
            aspects, leaf_no = rng.sample(ASPECTS, len(ASPECTS)), 0
            for _leaf in range(rng.randint(3, 8)):
                if done():
                    break
                made, leaves, leaf_no = made + 1, leaves + 1, leaf_no + 1
                yield 3, clause(f"{group_ref}.{leaf_no}", aspects.pop(), subject), subject[2]
    # With a node budget, the one or two nodes too few for another area go to the last subject.
    while nodes is not None and made < nodes:
        made, leaf_no = made + 1, leaf_no + 1
        yield 3, clause(f"{group_ref}.{leaf_no}", aspects.pop(), subject), subject[2]


def framework_files(
    *, urn: str, name: str, seed: int, assessable: int | None = None, nodes: int | None = None
) -> tuple[bytes, bytes]:
    """A certprep framework file and a process lens file over it (the 13 processes of the 2005 edition)."""
    rng = random.Random(seed)
    roots: list[dict[str, Any]] = []
    parents: dict[int, dict[str, Any]] = {}
    maps_to: dict[str, list[str]] = {code: [] for code, _group, _name in PROCESSES}
    for depth, node, process in _outline(rng, assessable=assessable, nodes=nodes):
        if depth == 1:
            roots.append(node)
        else:
            parents[depth - 1].setdefault("children", []).append(node)
        parents[depth] = node
        if node.get("assessable"):
            maps_to[process].append(node["ref_id"])
    framework = {
        "format": "certprep.framework/1",
        "urn": urn,
        "ref_id": name,
        "name": f"{name} (generated for benchmarks)",
        "version": 1,
        "locale": "en",
        "provider": "certprep benchmarks",
        "description": "Generated clauses shaped like a service management standard; not a real standard.",
        "translations": {"zh-hans": {"name": f"{name}（基准测试生成）"}},
        "requirements": roots,
    }
    lens = {
        "format": "certprep.lens/1",
        "urn": f"{urn}:processes",
        "name": f"Processes of {name}",
        "version": 1,
        "framework": urn,
        "groups": [{"code": code, "name": group_name} for code, group_name in PROCESS_GROUPS],
        "processes": [
            {"code": code, "group": group, "name": process_name, "maps_to": maps_to[code]}
            for code, group, process_name in PROCESSES
        ],
    }

    def dump(data: dict[str, Any]) -> bytes:
        return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120).encode()

    return dump(framework), dump(lens)


FAMILIES = [
    ("AC", "Access control"),
    ("AU", "Audit and accountability"),
    ("CM", "Configuration management"),
    ("CP", "Contingency planning"),
    ("IA", "Identification and authentication"),
    ("IR", "Incident response"),
    ("MA", "Maintenance"),
    ("PE", "Physical and environmental protection"),
    ("RA", "Risk assessment"),
    ("SC", "System and communications protection"),
    ("SI", "System and information integrity"),
    ("SR", "Supply chain risk management"),
]


def real_shaped_file(size: str) -> tuple[str, bytes]:
    """A CISO Assistant library in the shapes that broke certprep on real ones: NIST SP 800-53 families with
    alphanumeric references (`AC`, `AC-2`, `AC-2(1)`), and under each family sections with neither reference
    nor name, only a description (as NZISM v3's parents). Exactly `real_nodes` nodes, imported through the
    CISO Assistant reader like a downloaded library."""
    from certprep.catalogue.tests.libraries import library, node

    total = SIZES[size].real_nodes
    slug = f"bench-{size}-real"
    nodes: list[dict[str, Any]] = []
    family_index = 0
    while len(nodes) < total:
        family, title = FAMILIES[family_index % len(FAMILIES)]
        round_no = family_index // len(FAMILIES)
        family_index += 1
        ref = family if round_no == 0 else f"{family}{round_no + 1}"
        nodes.append(node(slug, ref.lower(), ref_id=ref, name=title))
        for section in range(1, 6):
            if len(nodes) >= total:
                break
            section_key = f"{ref.lower()}.s{section}"
            text = f"{title}, part {section}: what the organization sets up and keeps running."
            nodes.append(node(slug, section_key, parent=ref.lower(), description=text))
            for control in range(1, 21):
                if len(nodes) >= total:
                    break
                number = (section - 1) * 20 + control
                control_ref = f"{ref}-{number}"
                nodes.append(
                    node(
                        slug,
                        control_ref.lower(),
                        parent=section_key,
                        assessable=True,
                        ref_id=control_ref,
                        description=f"The organization defines, applies and reviews {title.lower()} measure {number}.",
                    )
                )
                for enhancement in range(1, 4):
                    if len(nodes) >= total:
                        break
                    nodes.append(
                        node(
                            slug,
                            f"{control_ref.lower()}.{enhancement}",
                            parent=control_ref.lower(),
                            assessable=True,
                            ref_id=f"{control_ref}({enhancement})",
                            description=f"A stronger form of {control_ref}, variant {enhancement}.",
                        )
                    )
    return f"urn:certprep-test:risk:framework:{slug}", library(slug=slug, name=f"Real-shaped {size}", nodes=nodes)


def catalogue_file(size: str) -> tuple[str, bytes]:
    """The URN and file of the size's big framework (1,200 nodes for large), e.g. to time its import."""
    spec = SIZES[size]
    urn = f"urn:certprep:bench:{size}:catalogue-{spec.catalogue_nodes}"
    data, _lens = framework_files(
        urn=urn, name=f"BENCH-{size.upper()}-{spec.catalogue_nodes}", seed=1200, nodes=spec.catalogue_nodes
    )
    return urn, data


# --- people and the engagement ----------------------------------------------------------------------

FIRST = [
    "Wei",
    "Jing",
    "Min",
    "Lei",
    "Yan",
    "Hui",
    "Anna",
    "Lukas",
    "Sofia",
    "Mateo",
    "Priya",
    "Omar",
    "Ines",
    "Tomasz",
    "Chloe",
    "Kenji",
    "Amara",
    "Elif",
    "Noah",
    "Lena",
]
LAST = [
    "Li",
    "Wang",
    "Zhang",
    "Chen",
    "Liu",
    "Zhou",
    "Schmidt",
    "Rossi",
    "Garcia",
    "Novak",
    "Sharma",
    "Haddad",
    "Silva",
    "Kowalski",
    "Martin",
    "Tanaka",
    "Okafor",
    "Yilmaz",
    "Berg",
    "Fischer",
]
ORG_WORDS = [
    "Northwind",
    "Harbour",
    "Bluepeak",
    "Riverside",
    "Kestrel",
    "Lumen",
    "Granite",
    "Meridian",
    "Cobalt",
    "Summit",
    "Evergreen",
    "Atlas",
]
ORG_KINDS = ["IT Services", "Hosting", "Data Centres", "Managed Networks", "Digital Services", "Cloud Operations"]
SITES = ["Shanghai head office (Pudong)", "Suzhou data centre", "Hangzhou support office"]
SERVICE_KINDS = [
    "Managed hosting",
    "Managed network",
    "Service desk",
    "Backup and recovery",
    "Desktop support",
    "Database administration",
    "Monitoring",
    "Identity management",
    "E-mail and collaboration",
    "Cloud migration",
]


def _people(prefix: str, count: int) -> list[Any]:
    User = get_user_model()
    users = []
    for i in range(count):
        first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST) + i) % len(LAST)]
        username = f"{prefix}-{first}.{last}-{i}".lower()
        users.append(
            User.objects.create_user(
                username, email=f"{username}@bench.example", password=None, first_name=first, last_name=last
            )
        )
    return users


def _services_in_scope(count: int) -> list[str]:
    return [f"{SERVICE_KINDS[i % len(SERVICE_KINDS)]} {i // len(SERVICE_KINDS) + 1}" for i in range(count)]


def _fill_audit_trail(engagement: Engagement, *, editors: list[Any], owner: Any, target: int, spec: Size) -> None:
    """Edit the engagement and its profile through the services until the trail holds `target` entries.

    Each edit is a real profile_update or engagement_update call (one audit entry each), not a bulk
    insert: about 5,000 of them take some seconds on SQLite, which is acceptable for a benchmark.
    """
    profile = engagement.profile
    profile = services.profile_update(
        profile=profile,
        actor=owner,
        expected_version=profile.version,
        data={
            "industry": "it_services",
            "people_in_scope": spec.people_in_scope,
            "sites": SITES[: spec.sites],
            "services_in_scope": _services_in_scope(spec.services),
            "scope_who": f"the Managed Services division of {engagement.organization_name}",
            "scope_services": "the services listed in the service catalogue, to external business customers",
            "scope_where": ", ".join(SITES[: spec.sites]),
            "itsm_tools": ["Jira Service Management", "Zabbix", "iTop"],
            "itil_adoption": "partial",
            "existing_certifications": ["iso9001", "iso27001"],
        },
    )
    missing = target - AuditEntry.objects.filter(engagement=engagement).count()
    for i in range(missing):
        actor = editors[i % len(editors)]
        if i % 4 == 0:
            engagement = services.engagement_update(
                engagement=engagement,
                actor=owner,
                expected_version=engagement.version,
                data={"description": f"Certification project, steering committee revision {i // 4 + 1}."},
            )
        else:
            profile = services.profile_update(
                profile=profile,
                actor=actor,
                expected_version=profile.version,
                data={
                    "notes": f"Working notes, edit {i + 1}: incident and change follow ITIL practice; "
                    f"problem and capacity management are being formalised."
                },
            )


def generate(size: str, *, password: str | None = None, log: Callable[[str], Any] = print) -> dict[str, Any]:
    """Create one size's data and return what the benchmark pages need (ids, user name, URL parameters)."""
    spec = SIZES[size]
    User = get_user_model()
    username = f"bench-{size}"
    if User.objects.filter(username=username).exists():
        raise SystemExit(f"The {size} benchmark data exists already in this database ({username}).")
    started = [time.perf_counter()]

    def step(text: str) -> None:
        now = time.perf_counter()
        log(f"  [{size}] {text}: {now - started[0]:.1f} s")
        started[0] = now

    with transaction.atomic():
        user = User.objects.create_user(
            username,
            email=f"{username}@bench.example",
            password=password,
            first_name="Bench",
            last_name=size.capitalize(),
        )
        engagement = services.engagement_create(
            user=user,
            name=f"Benchmark ({size}) - ISO/IEC 20000-1 certification",
            organization_name=f"{size.capitalize()} Benchmark IT Services Co., Ltd.",
            description="Generated for benchmarks.",
            target_stage1_date=datetime.date(2027, 9, 1),
        )
        members = _people(f"{size}-member", spec.members - 1)
        for i, member in enumerate(members):
            role = Role.OWNER if i == 0 else Role.EDITOR if i % 3 == 0 else Role.VIEWER
            services.member_add(engagement=engagement, actor=user, user=member, role=role)
        step(f"engagement with {spec.members} members")

    with transaction.atomic():
        editors = [user, *members[::3]]
        _fill_audit_trail(engagement, editors=editors, owner=user, target=spec.audit_entries, spec=spec)
        step(f"{spec.audit_entries} audit entries through profile_update/engagement_update")

    with transaction.atomic():
        owners = _people(f"{size}-owner", max(1, spec.other_engagements // 10))
        roles = [Role.VIEWER, Role.EDITOR, Role.OWNER]
        for i in range(spec.other_engagements):
            org = f"{ORG_WORDS[i % len(ORG_WORDS)]} {ORG_KINDS[(i // len(ORG_WORDS)) % len(ORG_KINDS)]}"
            other = services.engagement_create(
                user=owners[i % len(owners)],
                name=f"{org} {i + 1} - ISO/IEC 20000-1 {2026 + i % 3}",
                organization_name=f"{org} {i + 1} Ltd",
                target_stage1_date=datetime.date(2026 + i % 3, 1 + i % 12, 1),
            )
            services.member_add(engagement=other, actor=owners[i % len(owners)], user=user, role=roles[i % 3])
        step(f"{spec.other_engagements} other engagements the benchmark user belongs to")

    n = spec.assessable_requirements
    framework_data, lens_data = framework_files(
        urn=f"urn:certprep:bench:{size}:framework-{n}", name=f"BENCH-{size.upper()}-{n}", seed=300, assessable=n
    )
    framework = framework_import(data=framework_data).framework
    lens_import(data=lens_data)
    catalogue_urn, catalogue_data = catalogue_file(size)
    catalogue = framework_import(data=catalogue_data).framework
    step(
        f"framework of {n} assessable requirements with a process lens, "
        f"framework of {spec.catalogue_nodes} nodes, through framework_import"
    )

    iso = Framework.objects.filter(urn=ISO_20000_URN).first()
    campaign_id = _survey(engagement, user, spec.survey_respondents)
    step(f"survey: {spec.survey_respondents} people imported, campaign sent, half of them answering")
    _matrix(engagement, user, spec.matrix_activities)
    step(f"responsibility matrix: 13 processes x {spec.matrix_activities} activities, 10 roles with holders")
    gaps = _gaps(engagement, user, size, spec.gap_requirements)
    step(
        f"gap analysis: ISO 20000 assessment, a {spec.gap_requirements}-requirement assessment and one of the "
        f"{spec.real_nodes}-node real-shaped framework (NIST families, unnamed parents), all rated, with evidence "
        "and topics generated"
    )
    log(f"  [{size}] plan tasks: not in the product yet ({spec.plan_tasks} planned)")
    return {
        **gaps,
        "size": size,
        "username": username,
        "user_id": user.pk,
        "engagement_id": engagement.pk,
        "framework_id": framework.pk,
        "framework_requirements": framework.requirements.count(),
        "catalogue_framework_id": catalogue.pk,
        "catalogue_urn": catalogue_urn,
        "iso_framework_id": iso.pk if iso else None,
        "search": SEARCH,
        "process": PROCESS,
        "campaign_id": campaign_id,
    }


PROCESS_CODES = [
    "service-level",
    "service-reporting",
    "continuity-availability",
    "budgeting-accounting",
    "capacity",
    "information-security",
    "business-relationship",
    "supplier",
    "incident",
    "problem",
    "configuration",
    "change",
    "release",
]
DEPARTMENTS = [
    "Service Desk",
    "Infrastructure",
    "Operations",
    "Customer Services",
    "Finance",
    "Security",
    "Procurement",
]


def _rate_all(assessment: Any, actor: Any) -> None:
    from certprep.gaps.models import DocumentItem, Evidence, Rating

    rows = list(Rating.objects.filter(assessment=assessment).order_by("requirement__order"))
    docs = ["missing", "draft", "uncontrolled", "approved", ""]
    for i, rating in enumerate(rows):
        rating.level = i % 4
        rating.notes = f"Observed in interview {i % 17}." if i % 3 == 0 else ""
        rating.owner = actor if i % 2 else None
        rating.version = 2
    Rating.objects.bulk_update(rows, ["level", "notes", "owner", "version"], batch_size=500)
    # The documentation status lives on the checklist item that evidences the requirement.
    documented = [(i, r) for i, r in enumerate(rows) if docs[i % len(docs)]]
    items = DocumentItem.objects.bulk_create(
        [
            DocumentItem(
                engagement_id=assessment.engagement_id,
                key=f"bench-{assessment.pk}-{r.pk}",
                name=f"Document {r.pk}",
                status=docs[i % len(docs)],
                order=i,
            )
            for i, r in documented
        ],
        batch_size=500,
    )
    through = DocumentItem.requirements.through
    through.objects.bulk_create(
        [
            through(documentitem_id=item.pk, requirement_id=r.requirement_id)
            for item, (_i, r) in zip(items, documented, strict=True)
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    Evidence.objects.bulk_create(
        [
            Evidence(rating=r, kind="link", url=f"https://intranet.example.com/doc/{r.pk}", title=f"Document {r.pk}")
            for r in rows[::4]
        ],
        batch_size=500,
    )


def _gaps(engagement: Any, actor: Any, size: str, requirements: int) -> dict[str, Any]:
    from certprep.gaps.services.assessments import assessment_create
    from certprep.gaps.services.topics import topics_generate

    iso = assessment_create(
        engagement=engagement, actor=actor, name="ISO baseline", assessed_on=datetime.date(2026, 3, 1)
    )
    _rate_all(iso, actor)
    data, _lens = framework_files(
        urn=f"urn:certprep:bench:{size}:gaps-{requirements}",
        name=f"BENCH-GAPS-{size.upper()}",
        seed=700,
        assessable=requirements,
    )
    framework = framework_import(data=data).framework
    big = assessment_create(
        engagement=engagement,
        actor=actor,
        name=f"{requirements} requirements",
        assessed_on=datetime.date(2026, 6, 1),
        framework=framework,
    )
    _rate_all(big, actor)
    topics_generate(assessment=iso, actor=actor, grouping="process")
    topics_generate(assessment=big, actor=actor, grouping="clause")
    _urn, real_data = real_shaped_file(size)
    real_framework = framework_import(data=real_data).framework
    real = assessment_create(
        engagement=engagement,
        actor=actor,
        name="Real-shaped framework",
        assessed_on=datetime.date(2026, 9, 1),
        framework=real_framework,
    )
    _rate_all(real, actor)
    topics_generate(assessment=real, actor=actor, grouping="clause")
    rating = big.ratings.order_by("requirement__order").first()
    return {
        "real_framework_id": real_framework.pk,
        "gap_real_id": real.pk,
        "gap_iso_id": iso.pk,
        "gap_big_id": big.pk,
        "gap_big_requirements": requirements,
        "gap_rating_id": rating.pk if rating else 0,
    }


def _matrix(engagement: Any, actor: Any, per_process: int) -> None:
    """The shipped matrix, trimmed or grown to `per_process` activities in each process, roles held."""
    from certprep.responsibilities.models import Activity, MatrixRole
    from certprep.responsibilities.services import (
        activity_create,
        activity_delete,
        matrix_from_template,
        role_holder_add,
    )
    from certprep.survey.models import Person

    with transaction.atomic():
        matrix_from_template(engagement=engagement, actor=actor)
        for code in PROCESS_CODES:
            activities = list(Activity.objects.filter(engagement=engagement, process_code=code).order_by("order"))
            for extra in activities[per_process:]:
                activity_delete(activity=extra, actor=actor)
            for n in range(len(activities), per_process):
                activity_create(
                    engagement=engagement, actor=actor, process_code=code, name=f"Activity {n + 1} of {code}"
                )
        people = list(Person.objects.filter(engagement=engagement).order_by("pk")[:40])
        # SMS-role columns take their holders from the people's roles (the survey import above); the others
        # (the service desk) are named here.
        for i, role in enumerate(MatrixRole.objects.filter(engagement=engagement, sms_role="").order_by("order")):
            for person in people[i * 3 : i * 3 + 3]:
                role_holder_add(role=role, actor=actor, person=person)


def _survey(engagement: Any, actor: Any, respondents: int) -> int:
    """People (through the people import), the shipped questionnaires, a sent campaign to everyone and
    answers from half of the respondents (through the respondent's autosave service)."""
    from certprep.people.workbook import people_import
    from certprep.survey.models import Response
    from certprep.survey.services.answers import answer_save
    from certprep.survey.services.campaigns import campaign_create, campaign_send
    from certprep.survey.services.questionnaires import questionnaire_copy_templates

    lines = ["Name,Department,Job title,E-mail,SMS roles,Processes"]
    for i in range(respondents):
        role = "top_management" if i % 40 == 0 else "process_manager" if i % 5 == 0 else "process_executor"
        processes = "" if role == "top_management" else f"{PROCESS_CODES[i % 13]};{PROCESS_CODES[(i + 5) % 13]}"
        lines.append(f'Person {i:04d},{DEPARTMENTS[i % 7]},Engineer,person{i}@bench.example,{role},"{processes}"')
    with transaction.atomic():
        people_import(engagement=engagement, actor=actor, raw="\n".join(lines).encode(), filename="people.csv")
        questionnaire_copy_templates(engagement=engagement, actor=actor)
        campaign = campaign_create(
            engagement=engagement,
            actor=actor,
            name="Benchmark survey",
            deadline=timezone.localdate() + datetime.timedelta(days=30),
            questionnaire_ids=list(engagement.questionnaires.values_list("pk", flat=True)),
        )
        campaign_send(campaign=campaign, actor=actor, notify=False)
    responses = (
        Response.objects.filter(respondent__campaign=campaign)
        .select_related("respondent__person", "respondent__campaign__engagement", "questionnaire")
        .order_by("pk")
    )
    firsts: dict[int, Any] = {}
    with transaction.atomic():
        for n, response in enumerate(responses):
            if response.respondent_id % 2:  # half of the respondents answer, the others have not started
                continue
            if response.questionnaire_id not in firsts:
                firsts[response.questionnaire_id] = response.questionnaire.questions.filter(
                    kind__in=["short_text", "long_text"]
                ).first()
            question = firsts[response.questionnaire_id]
            answer_save(
                respondent=response.respondent,
                response=response,
                question=question,
                raw=f"Answer of {response.respondent.person.name}",
                expected_version=None,
                flagged=n % 10 == 0,
                flag_note="discuss" if n % 10 == 0 else None,
            )
    return campaign.pk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("--password", help="Password of the benchmark user bench-<size> (default: none, no sign-in).")
    args = parser.parse_args()
    result = generate(args.size, password=args.password)
    for key, value in result.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
