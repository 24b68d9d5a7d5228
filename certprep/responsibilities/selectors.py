"""Reads for the responsibility matrix. Each read runs a fixed number of queries, whatever the number of
processes, activities, roles and people."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from certprep.catalogue.selectors import lens_process_codes, lens_process_names
from certprep.engagements.models import Engagement
from certprep.people.choices import PROCESS_ROLES, SmsRole
from certprep.people.models import Person
from certprep.people.rules import Pair, describe_pairs
from certprep.people.selectors import holders_by_pair
from certprep.responsibilities import rules
from certprep.responsibilities.models import Activity, Assignment, Matrix, MatrixRole, RoleHolder


def matrix_settings(engagement: Engagement) -> Matrix:
    """The stored settings, or the defaults (unsaved) for an engagement that never changed them."""
    return Matrix.objects.filter(engagement=engagement).first() or Matrix(engagement=engagement)


def processes() -> list[tuple[str, str]]:
    """(code, name in the active language) of the 13 processes, in lens order, from the lens file."""
    return list(lens_process_names().items())


def roles_with_holders(engagement: Engagement) -> QuerySet[MatrixRole]:
    """The engagement's roles in order, each with `holders` (and their person) prefetched."""
    return (
        MatrixRole.objects.filter(engagement=engagement)
        .prefetch_related(
            Prefetch("holders", queryset=RoleHolder.objects.select_related("person").order_by("person__name", "id"))
        )
        .order_by("order", "id")
    )


def people_of(engagement: Engagement) -> QuerySet[Person]:
    return Person.objects.filter(engagement=engagement).order_by("name", "id")


@dataclass
class Holders:
    """Who holds each column: people per (role, process) from the people list for linked columns, the
    column's own list for the others."""

    by_pair: dict[Pair, list[Person]]

    def of(self, role: MatrixRole, process_code: str) -> list[Person]:
        if role.sms_role:
            code = process_code if role.sms_role in PROCESS_ROLES else ""
            return self.by_pair.get((role.sms_role, code), [])
        return [holder.person for holder in role.holders.all()]


def role_facts(role: MatrixRole, holders: Holders, codes: list[str]) -> rules.RoleFacts:
    if role.sms_role in PROCESS_ROLES:
        by_process = {code: frozenset(p.pk for p in holders.of(role, code)) for code in codes}
        return rules.RoleFacts(id=role.pk, name=role.tr.name, per_process=True, by_process=by_process)
    return rules.RoleFacts(id=role.pk, name=role.tr.name, holder_ids=frozenset(p.pk for p in holders.of(role, "")))


def role_load(
    roles: list[MatrixRole], holders: Holders, names: dict[str, str], codes: list[str]
) -> dict[int, list[str]]:
    """What each person holds, one entry per role for a process or per other role (the count the "too many
    roles" limit is compared with)."""
    pairs: dict[int, list[Pair]] = {}
    for pair, people in holders.by_pair.items():
        for person in people:
            pairs.setdefault(person.pk, []).append(pair)
    load = {pk: describe_pairs(held, names=names, codes=codes, split=True) for pk, held in pairs.items()}
    for role in roles:
        if role.sms_role:
            continue
        for holder in role.holders.all():
            load.setdefault(holder.person_id, []).append(role.tr.name)
    return load


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
    columns: list[tuple[MatrixRole, list[Person]]] = field(default_factory=list)  # each role and its holders here


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


def _people_names(roles: list[MatrixRole], holders: Holders) -> dict[int, str]:
    """person id -> name, of every holder of a column (own or through the people's roles)."""
    names: dict[int, str] = {}
    for role in roles:
        for holder in role.holders.all():
            names[holder.person_id] = holder.person.name
    for people in holders.by_pair.values():
        for person in people:
            names[person.pk] = person.name
    return names


def _blocks(
    activities: list[Activity],
    facts: list[rules.ActivityFacts],
    roles: list[MatrixRole],
    holders: Holders,
    names: dict[str, str],
    violations: list[rules.Violation],
) -> list[ProcessBlock]:
    """The activities grouped by process in matrix order, each row with its cells and its violations."""
    by_activity: dict[int, list[rules.Violation]] = {}
    by_process: dict[str, list[rules.Violation]] = {}
    for violation in violations:
        if violation.activity_id is not None:
            by_activity.setdefault(violation.activity_id, []).append(violation)
        elif violation.process_code is not None:
            by_process.setdefault(violation.process_code, []).append(violation)
    blocks: dict[str, ProcessBlock] = {}
    for activity, fact in zip(activities, facts, strict=True):
        code = activity.process_code
        if code not in blocks:
            blocks[code] = ProcessBlock(
                code,
                names.get(code, code),
                [],
                by_process.get(code, []),
                [(role, holders.of(role, code)) for role in roles],
            )
        blocks[code].rows.append(
            Row(
                activity=activity,
                label=fact.label,
                cells=[Cell(activity, role, fact.letters.get(role.pk, "")) for role in roles],
                violations=by_activity.get(activity.pk, []),
            )
        )
    return list(blocks.values())


def matrix_view(engagement: Engagement) -> MatrixView:
    """The whole matrix of an engagement with the rule check, in six queries."""
    matrix = matrix_settings(engagement)
    roles = list(roles_with_holders(engagement))
    choices = processes()
    names = dict(choices)
    codes = list(lens_process_codes())
    holders = Holders(by_pair=holders_by_pair(engagement))
    rank = {code: n for n, (code, _name) in enumerate(choices)}
    activities = sorted(
        Activity.objects.filter(engagement=engagement), key=lambda a: (rank.get(a.process_code, 99), a.order, a.pk)
    )
    letters: dict[int, dict[int, str]] = {}
    for activity_id, role_id, letter in Assignment.objects.filter(activity__engagement=engagement).values_list(
        "activity_id", "role_id", "letter"
    ):
        letters.setdefault(activity_id, {})[role_id] = letter
    people_names = _people_names(roles, holders)

    facts = [
        rules.ActivityFacts(
            id=a.pk,
            process_code=a.process_code,
            label=activity_label(names.get(a.process_code, a.process_code), a.tr.name),
            letters=letters.get(a.pk, {}),
        )
        for a in activities
    ]
    columns = [role_facts(r, holders, codes) for r in roles]
    owners = {
        code: frozenset(p.pk for p in people)
        for (role, code), people in holders.by_pair.items()
        if role == SmsRole.PROCESS_OWNER and code
    }
    violations = rules.check_matrix(
        activities=facts,
        roles=columns,
        owners=owners,
        load=role_load(roles, holders, names, codes),
        max_roles_per_person=matrix.max_roles_per_person,
        process_names=names,
        people_names=people_names,
    )
    blocks = _blocks(activities, facts, roles, holders, names, violations)
    return MatrixView(
        matrix=matrix,
        roles=roles,
        processes=blocks,
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
