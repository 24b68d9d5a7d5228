"""The rules a responsibility matrix must follow, over plain data (no database).

The selector gathers the facts; `check_matrix` returns what breaks the rules, each violation naming what it
points at so a page can highlight the row, link to the person or role, and say what to fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

ERROR = "error"
WARNING = "warning"

NO_ACCOUNTABLE = "no_accountable"
SEVERAL_ACCOUNTABLE = "several_accountable"
NO_RESPONSIBLE = "no_responsible"
PROCESS_WITHOUT_OWNER = "process_without_owner"
TOO_MANY_ROLES = "too_many_roles"
ROLE_NOT_HELD = "role_not_held"


@dataclass(frozen=True)
class ActivityFacts:
    """One row: its id, process, a label people recognise, and the letter of each role (role id -> letter)."""

    id: int
    process_code: str
    label: str
    letters: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RoleFacts:
    """One column: its id, name and the ids of the people holding it."""

    id: int
    name: str
    holder_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Violation:
    kind: str
    severity: str
    message: str
    activity_id: int | None = None
    process_code: str | None = None
    person_id: int | None = None
    role_id: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def check_activity(activity: ActivityFacts, role_names: Mapping[int, str]) -> list[Violation]:
    """Exactly one Accountable and at least one Responsible role per activity."""
    found: list[Violation] = []
    accountable = [role_id for role_id, letter in activity.letters.items() if letter == "A"]
    if not accountable:
        found.append(
            Violation(
                NO_ACCOUNTABLE,
                ERROR,
                _("%(activity)s has no Accountable role: exactly one role must answer for it (A).")
                % {"activity": activity.label},
                activity_id=activity.id,
                process_code=activity.process_code,
            )
        )
    elif len(accountable) > 1:
        names = sorted(role_names.get(role_id, str(role_id)) for role_id in accountable)
        found.append(
            Violation(
                SEVERAL_ACCOUNTABLE,
                ERROR,
                _("%(activity)s has %(count)s Accountable roles (%(roles)s): exactly one role may answer for it.")
                % {"activity": activity.label, "count": len(accountable), "roles": ", ".join(names)},
                activity_id=activity.id,
                process_code=activity.process_code,
            )
        )
    if not any(letter == "R" for letter in activity.letters.values()):
        found.append(
            Violation(
                NO_RESPONSIBLE,
                ERROR,
                _("%(activity)s has no Responsible role: someone must do the work (R).") % {"activity": activity.label},
                activity_id=activity.id,
                process_code=activity.process_code,
            )
        )
    return found


def check_process_owners(
    process_codes: Iterable[str], owned_processes: set[str], process_names: Mapping[str, str]
) -> list[Violation]:
    """Each process in the matrix needs a process owner: a person with the SMS role "process owner"
    who works in that process."""
    return [
        Violation(
            PROCESS_WITHOUT_OWNER,
            ERROR,
            _("%(process)s has no process owner: mark a person as process owner of it in the survey's people list.")
            % {"process": process_names.get(code, code)},
            process_code=code,
        )
        for code in dict.fromkeys(process_codes)
        if code not in owned_processes
    ]


def check_role_load(
    roles: Iterable[RoleFacts], people_names: Mapping[int, str], max_roles_per_person: int
) -> list[Violation]:
    """Nobody should carry more matrix roles than the engagement allows."""
    held: dict[int, list[str]] = {}
    for role in roles:
        for person_id in role.holder_ids:
            held.setdefault(person_id, []).append(role.name)
    found = []
    for person_id, names in sorted(held.items(), key=lambda item: (people_names.get(item[0], ""), item[0])):
        if len(names) > max_roles_per_person:
            found.append(
                Violation(
                    TOO_MANY_ROLES,
                    ERROR,
                    _("%(person)s holds %(count)s roles (%(roles)s); at most %(max)s are allowed.")
                    % {
                        "person": people_names.get(person_id, str(person_id)),
                        "count": len(names),
                        "roles": ", ".join(names),
                        "max": max_roles_per_person,
                    },
                    person_id=person_id,
                )
            )
    return found


def check_unheld_roles(roles: Iterable[RoleFacts], activities: Iterable[ActivityFacts]) -> list[Violation]:
    """A role that does or answers for work (R or A) but that nobody holds: the work has no one to do it."""
    used = {role_id for activity in activities for role_id, letter in activity.letters.items() if letter in ("A", "R")}
    return [
        Violation(
            ROLE_NOT_HELD,
            WARNING,
            _("Nobody holds the role %(role)s, yet it is Responsible or Accountable for activities: assign a person to it.")
            % {"role": role.name},
            role_id=role.id,
        )
        for role in roles
        if role.id in used and not role.holder_ids
    ]


def check_matrix(
    *,
    activities: list[ActivityFacts],
    roles: list[RoleFacts],
    owned_processes: set[str],
    max_roles_per_person: int,
    process_names: Mapping[str, str] | None = None,
    people_names: Mapping[int, str] | None = None,
) -> list[Violation]:
    """Every violation of the matrix: per process its owner, then its activities in order; then people
    with too many roles; then roles nobody holds. Processes without activities are not checked."""
    process_names = process_names or {}
    role_names = {role.id: role.name for role in roles}
    found: list[Violation] = []
    by_process: dict[str, list[ActivityFacts]] = {}
    for activity in activities:
        by_process.setdefault(activity.process_code, []).append(activity)
    for code, rows in by_process.items():
        found.extend(check_process_owners([code], owned_processes, process_names))
        for activity in rows:
            found.extend(check_activity(activity, role_names))
    found.extend(check_role_load(roles, people_names or {}, max_roles_per_person))
    found.extend(check_unheld_roles(roles, activities))
    return found


def count_by_severity(violations: Iterable[Violation]) -> dict[str, int]:
    counts = {ERROR: 0, WARNING: 0}
    for violation in violations:
        counts[violation.severity] = counts.get(violation.severity, 0) + 1
    return counts
