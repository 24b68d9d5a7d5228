"""Reads for the responsibility matrix. Each read runs a fixed number of queries, whatever the number of
processes, activities, roles and people."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from certprep.catalogue.models import Process
from certprep.engagements.models import Engagement
from certprep.responsibilities import rules
from certprep.responsibilities.choices import LENS_URN, PROCESS_CODES, PROCESS_OWNER_ROLE
from certprep.responsibilities.models import Activity, Assignment, Matrix, MatrixRole, RoleHolder
from certprep.survey.models import Person


def matrix_settings(engagement: Engagement) -> Matrix:
    """The stored settings, or the defaults (unsaved) for an engagement that never changed them."""
    return Matrix.objects.filter(engagement=engagement).first() or Matrix(engagement=engagement)


def processes() -> list[tuple[str, str]]:
    """(code, name in the active language) of the 13 processes, in lens order. Names come from the
    catalogue's process lens; a process the catalogue does not have (not loaded yet) shows its code."""
    names = {p.code: p.tr.name for p in Process.objects.filter(lens__urn=LENS_URN).order_by("order")}
    ordered = [code for code in names if code in PROCESS_CODES]
    ordered += [code for code in PROCESS_CODES if code not in names]
    return [(code, names.get(code, code)) for code in ordered]


def roles_with_holders(engagement: Engagement) -> QuerySet[MatrixRole]:
    """The engagement's roles in order, each with `holders` (and their person) prefetched."""
    return (
        MatrixRole.objects.filter(engagement=engagement)
        .prefetch_related(Prefetch("holders", queryset=RoleHolder.objects.select_related("person").order_by("person__name", "id")))
        .order_by("order", "id")
    )


def people_of(engagement: Engagement) -> QuerySet[Person]:
    return Person.objects.filter(engagement=engagement).order_by("name", "id")


def owned_processes(engagement: Engagement) -> set[str]:
    """Process codes that have an owner: a person with the SMS role process owner working in the process."""
    owned: set[str] = set()
    for sms_roles, codes in Person.objects.filter(engagement=engagement).values_list("sms_roles", "processes"):
        if PROCESS_OWNER_ROLE in (sms_roles or []):
            owned.update(str(code) for code in codes or [])
    return owned


@dataclass
class Cell:
    activity: Activity
    role: MatrixRole
    letter: str


@dataclass
class Row:
    activity: Activity
    label: str
    cells: list[Cell]
    violations: list[rules.Violation] = field(default_factory=list)


@dataclass
class ProcessBlock:
    code: str
    name: str
    rows: list[Row]
    violations: list[rules.Violation] = field(default_factory=list)


@dataclass
class MatrixView:
    matrix: Matrix
    roles: list[MatrixRole]
    processes: list[ProcessBlock]  # every process with activities, in lens order
    process_choices: list[tuple[str, str]]
    violations: list[rules.Violation]
    counts: dict[str, int]
    people_names: dict[int, str]

    @property
    def is_empty(self) -> bool:
        return not self.roles and not self.processes

    def block(self, code: str) -> ProcessBlock | None:
        return next((block for block in self.processes if block.code == code), None)

    def row(self, activity_id: int) -> Row | None:
        for block in self.processes:
            for row in block.rows:
                if row.activity.pk == activity_id:
                    return row
        return None


def activity_label(process_name: str, activity_name: str) -> str:
    return f"{process_name}: {activity_name}"


def matrix_view(engagement: Engagement) -> MatrixView:
    """The whole matrix of an engagement with the rule check, in seven queries."""
    matrix = matrix_settings(engagement)
    roles = list(roles_with_holders(engagement))
    choices = processes()
    names = dict(choices)
    rank = {code: n for n, (code, _name) in enumerate(choices)}
    activities = sorted(
        Activity.objects.filter(engagement=engagement), key=lambda a: (rank.get(a.process_code, 99), a.order, a.pk)
    )
    letters: dict[int, dict[int, str]] = {}
    for activity_id, role_id, letter in Assignment.objects.filter(activity__engagement=engagement).values_list(
        "activity_id", "role_id", "letter"
    ):
        letters.setdefault(activity_id, {})[role_id] = letter
    people_names: dict[int, str] = {}
    for role in roles:
        for holder in role.holders.all():
            people_names[holder.person_id] = holder.person.name

    facts = [
        rules.ActivityFacts(
            id=a.pk,
            process_code=a.process_code,
            label=activity_label(names.get(a.process_code, a.process_code), a.tr.name),
            letters=letters.get(a.pk, {}),
        )
        for a in activities
    ]
    role_facts = [
        rules.RoleFacts(id=r.pk, name=r.tr.name, holder_ids=frozenset(h.person_id for h in r.holders.all())) for r in roles
    ]
    violations = rules.check_matrix(
        activities=facts,
        roles=role_facts,
        owned_processes=owned_processes(engagement),
        max_roles_per_person=matrix.max_roles_per_person,
        process_names=names,
        people_names=people_names,
    )
    by_activity: dict[int, list[rules.Violation]] = {}
    by_process: dict[str, list[rules.Violation]] = {}
    for violation in violations:
        if violation.activity_id is not None:
            by_activity.setdefault(violation.activity_id, []).append(violation)
        elif violation.process_code is not None:
            by_process.setdefault(violation.process_code, []).append(violation)

    blocks: dict[str, ProcessBlock] = {}
    for activity, fact in zip(activities, facts, strict=True):
        block = blocks.get(activity.process_code)
        if block is None:
            code = activity.process_code
            block = blocks[code] = ProcessBlock(code, names.get(code, code), [], by_process.get(code, []))
        block.rows.append(
            Row(
                activity=activity,
                label=fact.label,
                cells=[Cell(activity, role, fact.letters.get(role.pk, "")) for role in roles],
                violations=by_activity.get(activity.pk, []),
            )
        )
    return MatrixView(
        matrix=matrix,
        roles=roles,
        processes=list(blocks.values()),
        process_choices=choices,
        violations=violations,
        counts=rules.count_by_severity(violations),
        people_names=people_names,
    )


def activities_of(engagement: Engagement, process_code: str) -> QuerySet[Activity]:
    return Activity.objects.filter(engagement=engagement, process_code=process_code).order_by("order", "id")


def activity_counts(engagement: Engagement) -> dict[str, int]:
    counts: dict[str, int] = {}
    for code in Activity.objects.filter(engagement=engagement).values_list("process_code", flat=True):
        counts[code] = counts.get(code, 0) + 1
    return counts
