"""Reads of the people and the roles they hold, for the people pages and API, the survey, the matrix and the
gap analysis. Each runs a fixed number of queries, whatever the number of people."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from certprep.catalogue.selectors import LensProcess
from certprep.engagements.models import Engagement
from certprep.people.choices import PROCESS_ROLES, SmsRole
from certprep.people.models import Person, RoleAssignment
from certprep.people.rules import Pair, describe_pairs, pair_warnings


def pairs_by_person(engagement: Engagement) -> dict[int, list[Pair]]:
    """Person id -> the (role, process code) pairs the person holds."""
    held: dict[int, list[Pair]] = {}
    rows = RoleAssignment.objects.filter(person__engagement=engagement).order_by("pk")
    for person_id, role, code in rows.values_list("person_id", "role", "process_code"):
        held.setdefault(person_id, []).append((role, code))
    return held


def person_with_roles(pk: int) -> Person:
    """One person with `role_assignments` read (as the API shows a person)."""
    return Person.objects.prefetch_related("role_assignments").get(pk=pk)


def pairs_of(person: Person) -> list[Pair]:
    return list(person.role_assignments.order_by("pk").values_list("role", "process_code"))


def holders_by_pair(engagement: Engagement) -> dict[Pair, list[Person]]:
    """(role, process code) -> the people holding it, by name."""
    holders: dict[Pair, list[Person]] = {}
    rows = (
        RoleAssignment.objects.filter(person__engagement=engagement)
        .select_related("person")
        .order_by("person__name", "person_id")
    )
    for row in rows:
        holders.setdefault((row.role, row.process_code), []).append(row.person)
    return holders


def process_owners(engagement: Engagement) -> dict[str, list[Person]]:
    """Process code -> the people owning it (exactly one is what a process needs)."""
    owners: dict[str, list[Person]] = {}
    rows = (
        RoleAssignment.objects.filter(person__engagement=engagement, role=SmsRole.PROCESS_OWNER)
        .exclude(process_code="")
        .select_related("person")
        .order_by("person__name", "person_id")
    )
    for row in rows:
        owners.setdefault(row.process_code, []).append(row.person)
    return owners


def process_owner(engagement: Engagement, process_code: str) -> Person | None:
    """The owner of a process, when exactly one person owns it; None when nobody or several do."""
    owners = list(
        Person.objects.filter(
            engagement=engagement,
            role_assignments__role=SmsRole.PROCESS_OWNER,
            role_assignments__process_code=process_code,
        ).order_by("pk")[:2]
    )
    return owners[0] if len(owners) == 1 else None


def people_for_process(
    engagement: Engagement, process_code: str, *, roles: Iterable[str] = tuple(PROCESS_ROLES)
) -> list[Person]:
    """The people holding one of `roles` for the process, by name (e.g. who to invite to its interview)."""
    return list(
        Person.objects.filter(
            engagement=engagement, role_assignments__process_code=process_code, role_assignments__role__in=list(roles)
        )
        .distinct()
        .order_by("name", "pk")
    )


# --- The people list ----------------------------------------------------------------------------------------

MAX_QUERY = 200


def _holding(**filters: Any) -> Exists:
    return Exists(RoleAssignment.objects.filter(person=OuterRef("pk"), **filters))


def missing_processes_q() -> Q:
    """People holding a process role whose process is not chosen."""
    return Q(_holding(role__in=sorted(PROCESS_ROLES), process_code=""))


def people_of(
    engagement: Engagement, *, q: str = "", role: str = "", process: str = "", missing_processes: bool = False
) -> QuerySet[Person]:
    """The engagement's people by name, each with `role_assignments` prefetched; `q` looks in name,
    department and e-mail, `role` and `process` keep those holding that role (for that process, when both are
    given), `missing_processes` those holding a process role whose process is not chosen."""
    people = Person.objects.filter(engagement=engagement)
    q = q.strip()[:MAX_QUERY]
    if q:
        people = people.filter(Q(name__icontains=q) | Q(department__icontains=q) | Q(email__icontains=q))
    held: dict[str, str] = {}
    if role:
        held["role"] = role
    if process:
        held["process_code"] = process
    if held:
        people = people.filter(_holding(**held))
    if missing_processes:
        people = people.filter(missing_processes_q())
    return people.prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("pk"))
    ).order_by("name", "pk")


def people_in(engagement: Engagement) -> QuerySet[Person]:
    """The engagement's people by name, without their roles (e.g. the choices of a form)."""
    return Person.objects.filter(engagement=engagement).order_by("name", "pk")


def people_by_name(engagement: Engagement) -> list[Person]:
    return list(people_in(engagement))


def people_counts(engagement: Engagement) -> dict[str, Any]:
    """How many people the engagement has, per role, and how many need a process chosen (two queries)."""
    values = Person.objects.filter(engagement=engagement).aggregate(
        total=Count("pk"), missing_processes=Count("pk", filter=missing_processes_q())
    )
    per_role = dict(
        RoleAssignment.objects.filter(person__engagement=engagement)
        .values("role")
        .annotate(n=Count("person", distinct=True))
        .values_list("role", "n")
    )
    return {
        "total": values["total"],
        "missing_processes": values["missing_processes"],
        "by_role": [(role.value, role.label, per_role.get(role.value, 0)) for role in SmsRole],
    }


def people_count(engagement: Engagement) -> int:
    return Person.objects.filter(engagement=engagement).count()


def departments_of(engagement: Engagement) -> list[str]:
    """The departments the engagement's people work in, each once, sorted."""
    rows = Person.objects.filter(engagement=engagement).exclude(department="").values_list("department", flat=True)
    return sorted(set(rows))


def people_ids_in(engagement: Engagement, ids: Iterable[int]) -> list[int]:
    """The ids among `ids` that are people of the engagement (others are dropped)."""
    return list(Person.objects.filter(engagement=engagement, pk__in=list(ids)).values_list("pk", flat=True))


@dataclass(frozen=True)
class PeopleFilter:
    """The people list's filters as a page sends them: text, a role, a process, "missing processes" only.
    Unknown roles and processes are dropped, so a stale link shows the whole list."""

    q: str = ""
    role: str = ""
    process: str = ""
    missing: bool = False

    @classmethod
    def from_query(cls, query: Mapping[str, str], *, codes: Sequence[str]) -> PeopleFilter:
        role = query.get("role", "")
        process = query.get("process", "")
        return cls(
            q=query.get("q", "").strip()[:MAX_QUERY],
            role=role if role in SmsRole.values else "",
            process=process if process in codes else "",
            missing=query.get("missing") == "1",
        )

    def arguments(self) -> dict[str, Any]:
        """The arguments of people_of."""
        return {"q": self.q, "role": self.role, "process": self.process, "missing_processes": self.missing}

    def shown(self) -> dict[str, str]:
        """The filters as the page's form shows them."""
        return {"q": self.q, "role": self.role, "process": self.process, "missing": "1" if self.missing else ""}

    def query(self) -> dict[str, str]:
        """The filters that are set, for the links of the other pages of the list."""
        return {key: value for key, value in self.shown().items() if value}

    def any(self) -> bool:
        return bool(self.query())


def roles_shown(pairs: Iterable[Pair], options: Sequence[LensProcess]) -> list[str]:
    """A person's roles for a page, in the active language ("Change management: owner, manager")."""
    names = {option.code: option.label for option in options}
    return describe_pairs(pairs, names=names, codes=[option.code for option in options])


def people_rows(people: Iterable[Person], options: Sequence[LensProcess]) -> list[dict[str, Any]]:
    """The rows of the people list: each person (roles prefetched) with their roles and warnings."""
    rows = []
    for person in people:
        pairs = [(row.role, row.process_code) for row in person.role_assignments.all()]
        rows.append({"person": person, "roles": roles_shown(pairs, options), "warnings": pair_warnings(pairs)})
    return rows
