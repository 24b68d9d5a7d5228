"""The rules a responsibility matrix must follow, over plain data (no database).

The selector gathers the facts; `check_matrix` returns what breaks the rules, each violation naming what it
points at so a page can highlight the row, link to the person or role, and say what to fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from certprep.core.wording import join_names

ERROR = "error"
WARNING = "warning"

NO_ACCOUNTABLE = "no_accountable"
SEVERAL_ACCOUNTABLE = "several_accountable"
SEVERAL_ACCOUNTABLE_PEOPLE = "several_accountable_people"
NO_RESPONSIBLE = "no_responsible"
PROCESS_WITHOUT_OWNER = "process_without_owner"
PROCESS_WITH_SEVERAL_OWNERS = "process_with_several_owners"
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
    """One column: its id, name and the people holding it. A column held per process (a process role of the
    people list, e.g. the process owner) has `by_process`: process code -> the people holding the role for
    that process; any other column has the same holders for every process (`holder_ids`)."""

    id: int
    name: str
    holder_ids: frozenset[int] = frozenset()
    per_process: bool = False
    by_process: Mapping[str, frozenset[int]] = field(default_factory=dict)

    def holders_for(self, process_code: str) -> frozenset[int]:
        if self.per_process:
            return self.by_process.get(process_code, frozenset())
        return self.holder_ids


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


def _names(ids: Iterable[int], people_names: Mapping[int, str]) -> str:
    return join_names(sorted(people_names.get(pk, str(pk)) for pk in ids))


def check_activity(
    activity: ActivityFacts, roles: Mapping[int, RoleFacts], people_names: Mapping[int, str] | None = None
) -> list[Violation]:
    """Exactly one Accountable per activity, counted in people: one role holds the A, and one person holds
    that role for the activity's process. At least one Responsible role."""
    people_names = people_names or {}
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
        names = sorted(roles[role_id].name if role_id in roles else str(role_id) for role_id in accountable)
        found.append(
            Violation(
                SEVERAL_ACCOUNTABLE,
                ERROR,
                _("%(activity)s has %(count)s Accountable roles (%(roles)s): exactly one role may answer for it.")
                % {"activity": activity.label, "count": len(accountable), "roles": join_names(names)},
                activity_id=activity.id,
                process_code=activity.process_code,
            )
        )
    else:
        role = roles.get(accountable[0])
        holders = role.holders_for(activity.process_code) if role else frozenset()
        if role is not None and len(holders) > 1:
            found.append(
                Violation(
                    SEVERAL_ACCOUNTABLE_PEOPLE,
                    ERROR,
                    _(
                        "%(activity)s: %(count)s people hold %(role)s, the Accountable role (%(people)s); exactly "
                        "one person may answer for it."
                    )
                    % {
                        "activity": activity.label,
                        "count": len(holders),
                        "role": role.name,
                        "people": _names(holders, people_names),
                    },
                    activity_id=activity.id,
                    process_code=activity.process_code,
                    role_id=role.id,
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
    process_codes: Iterable[str],
    owners: Mapping[str, frozenset[int]],
    process_names: Mapping[str, str],
    people_names: Mapping[int, str] | None = None,
) -> list[Violation]:
    """Each process needs exactly one owner: one person holding the SMS role "process owner" for it."""
    people_names = people_names or {}
    found = []
    for code in dict.fromkeys(process_codes):
        held = owners.get(code, frozenset())
        name = process_names.get(code, code)
        if not held:
            found.append(
                Violation(
                    PROCESS_WITHOUT_OWNER,
                    ERROR,
                    _("%(process)s has no process owner: name exactly one in the roles per process.")
                    % {"process": name},
                    process_code=code,
                )
            )
        elif len(held) > 1:
            found.append(
                Violation(
                    PROCESS_WITH_SEVERAL_OWNERS,
                    ERROR,
                    _("%(process)s has %(count)s process owners (%(people)s): exactly one person may own a process.")
                    % {"process": name, "count": len(held), "people": _names(held, people_names)},
                    process_code=code,
                )
            )
    return found


def check_role_load(
    load: Mapping[int, list[str]], people_names: Mapping[int, str], max_roles_per_person: int
) -> list[Violation]:
    """Nobody should carry more roles than the engagement allows. `load` is what each person holds, one
    entry per role for a process ("Change management: owner") or per other role ("SMS manager",
    "Service desk"); at most `max_roles_per_person` entries are fine, one more is flagged."""
    found = []
    for person_id, names in sorted(load.items(), key=lambda item: (people_names.get(item[0], ""), item[0])):
        if len(names) > max_roles_per_person:
            found.append(
                Violation(
                    TOO_MANY_ROLES,
                    ERROR,
                    _("%(person)s holds %(count)s roles (%(roles)s); at most %(max)s are allowed.")
                    % {
                        "person": people_names.get(person_id, str(person_id)),
                        "count": len(names),
                        "roles": join_names(names),
                        "max": max_roles_per_person,
                    },
                    person_id=person_id,
                )
            )
    return found


def check_unheld_roles(
    roles: Iterable[RoleFacts], activities: Iterable[ActivityFacts], process_names: Mapping[str, str] | None = None
) -> list[Violation]:
    """A role that does or answers for work (R or A) but that nobody holds: the work has no one to do it. A
    role held per process is checked per process."""
    process_names = process_names or {}
    used: dict[int, dict[str, None]] = {}
    for activity in activities:
        for role_id, letter in activity.letters.items():
            if letter in ("A", "R"):
                used.setdefault(role_id, {})[activity.process_code] = None
    found = []
    for role in roles:
        if role.id not in used:
            continue
        if not role.per_process:
            if not role.holder_ids:
                found.append(
                    Violation(
                        ROLE_NOT_HELD,
                        WARNING,
                        _(
                            "Nobody holds the role %(role)s, yet it is Responsible or Accountable for activities: "
                            "assign a person to it."
                        )
                        % {"role": role.name},
                        role_id=role.id,
                    )
                )
            continue
        for code in used[role.id]:
            if not role.holders_for(code):
                found.append(
                    Violation(
                        ROLE_NOT_HELD,
                        WARNING,
                        _(
                            "Nobody holds %(role)s for %(process)s, yet the role is Responsible or Accountable for "
                            "its activities: name the person in the roles per process."
                        )
                        % {"role": role.name, "process": process_names.get(code, code)},
                        role_id=role.id,
                        process_code=code,
                    )
                )
    return found


def check_matrix(
    *,
    activities: list[ActivityFacts],
    roles: list[RoleFacts],
    owners: Mapping[str, frozenset[int]],
    load: Mapping[int, list[str]],
    max_roles_per_person: int,
    process_names: Mapping[str, str] | None = None,
    people_names: Mapping[int, str] | None = None,
) -> list[Violation]:
    """Every violation of the matrix: per process its owner, then its activities in order; then people
    with too many roles; then roles nobody holds. Processes without activities are not checked."""
    process_names = process_names or {}
    people_names = people_names or {}
    by_id = {role.id: role for role in roles}
    found: list[Violation] = []
    by_process: dict[str, list[ActivityFacts]] = {}
    for activity in activities:
        by_process.setdefault(activity.process_code, []).append(activity)
    for code, rows in by_process.items():
        found.extend(check_process_owners([code], owners, process_names, people_names))
        for activity in rows:
            found.extend(check_activity(activity, by_id, people_names))
    found.extend(check_role_load(load, people_names, max_roles_per_person))
    found.extend(check_unheld_roles(roles, activities, process_names))
    return found


def count_by_severity(violations: Iterable[Violation]) -> dict[str, int]:
    counts = {ERROR: 0, WARNING: 0}
    for violation in violations:
        counts[violation.severity] = counts.get(violation.severity, 0) + 1
    return counts
