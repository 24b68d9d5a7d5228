"""What a person's fields may hold, as plain rules over plain data (no database): the texts, the e-mail and
the (role, process) pairs are checked and normalized here, for the pages, the API and the list import alike,
and a partial update is turned into the services' arguments in one place."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from certprep.catalogue.selectors import lens_process_codes
from certprep.core.errors import ServiceError
from certprep.core.text import single_line
from certprep.people.choices import PROCESS_ROLE_SHORT, PROCESS_ROLES, SmsRole
from certprep.people.rules import Pair, canonical_pairs, pair_problem

PERSON_FIELDS = ["name", "department", "job_title", "email"]
TEXT_LIMITS = {"name": 200, "department": 200, "job_title": 200, "email": 254}
# Texts a partial update may clear (null in the API); the name may not, so null there leaves it as it is.
CLEARABLE = ("department", "job_title", "email")


def _labels() -> dict[str, str]:
    return {
        "name": _("The name"),
        "department": _("The department"),
        "job_title": _("The job title"),
        "email": _("The e-mail address"),
    }


def clean_pairs(pairs: Iterable[Any], *, codes: Sequence[str] | None = None, field: str = "roles") -> list[Pair]:
    """Check (role, process code) pairs; ServiceError naming the first wrong one. Returns them without
    repeats, in reading order."""
    codes = list(codes if codes is not None else lens_process_codes())
    if isinstance(pairs, (str, bytes)):
        raise ServiceError(_("The roles must be a list of role and process pairs."), field=field)
    checked: list[Pair] = []
    for pair in pairs:
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ServiceError(_("The roles must be a list of role and process pairs."), field=field)
        role, code = str(pair[0] or ""), str(pair[1] or "")
        problem = pair_problem((role, code), codes)
        if problem:
            raise ServiceError(problem, field=field)
        checked.append((role, code))
    return canonical_pairs(checked, codes)


def _one_line(value: Any, *, field: str, label: str) -> str:
    """A single-line text of a person (see core.text.single_line), with runs of spaces made one."""
    return " ".join(single_line(value, field=field, label=label).split())


def clean_person_values(values: Mapping[str, Any], *, process_codes: Sequence[str]) -> dict[str, Any]:
    """Check and normalize the fields of a person; raise ServiceError naming the field on the first problem.

    Texts are single lines (a line break or another control character is refused), without surrounding
    spaces; the roles (role, process) pairs come back without repeats in reading order, so the same person
    always reads the same."""
    labels = _labels()
    cleaned: dict[str, Any] = {
        name: _one_line(values.get(name, ""), field=name, label=labels[name]) for name in PERSON_FIELDS
    }
    if not cleaned["name"]:
        raise ServiceError(_("Every person needs a name."), field="name")
    for name, limit in TEXT_LIMITS.items():
        if len(cleaned[name]) > limit:
            raise ServiceError(
                _("%(what)s may hold at most %(n)s characters.") % {"what": labels[name], "n": limit}, field=name
            )
    if cleaned["email"]:
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            raise ServiceError(
                _('"%(value)s" is not a valid e-mail address.') % {"value": cleaned["email"]}, field="email"
            ) from None
    cleaned["roles"] = clean_pairs(values.get("roles") or [], codes=process_codes)
    return cleaned


def role_pairs(roles: Iterable[Any]) -> list[Pair]:
    """Roles as sent, each a {"role", "process"} object or a (role, process) pair, as pairs."""
    pairs: list[Pair] = []
    for item in roles:
        if isinstance(item, Mapping):
            pairs.append((str(item.get("role") or ""), str(item.get("process") or "")))
        else:
            pairs.append((str(item[0] or ""), str(item[1] or "")))
    return pairs


def person_changes(sent: Mapping[str, Any]) -> dict[str, Any]:
    """The `data` of person_update for the fields a change sends: a null text is cleared (a null name is
    left as it is), the roles become the pairs held from now on. Pages send every field; the API only the
    ones it changes."""
    data: dict[str, Any] = {}
    for name in PERSON_FIELDS:
        if name not in sent:
            continue
        value = sent[name]
        if value is None and name not in CLEARABLE:
            continue
        data[name] = "" if value is None else value
    if "roles" in sent:
        data["roles"] = role_pairs(sent["roles"] or [])
    return data


# --- Roles as form values -------------------------------------------------------------------------------------

SEPARATOR = "@"


def pair_value(pair: Pair) -> str:
    """A (role, process code) pair as a form value: "process_owner@change", "sms_manager@"."""
    return f"{pair[0]}{SEPARATOR}{pair[1]}"


def value_pair(value: str) -> Pair:
    role, _sep, code = value.partition(SEPARATOR)
    return role, code


def system_role_choices(held: Iterable[Pair]) -> list[tuple[str, str]]:
    """The roles held for the SMS as a whole, as (form value, label); a process role whose process is not
    chosen yet (older data) is offered too while it is held, so it can be removed."""
    choices = [(pair_value((role.value, "")), str(role.label)) for role in SmsRole if role.value not in PROCESS_ROLES]
    choices += [
        (pair_value((role, "")), _("%(role)s (process not chosen)") % {"role": SmsRole(role).label})
        for role, code in held
        if role in PROCESS_ROLES and not code
    ]
    return choices


def process_role_labels() -> list[tuple[str, str]]:
    """The roles held for a process, as (role, short label), in vocabulary order."""
    return [(role.value, str(PROCESS_ROLE_SHORT[role])) for role in SmsRole if role.value in PROCESS_ROLES]


def holder_cells(codes: Sequence[str]) -> list[Pair]:
    """Every cell of the roles-per-process form: the SMS-wide roles, then each process's roles in order."""
    cells: list[Pair] = [(role.value, "") for role in SmsRole if role.value not in PROCESS_ROLES]
    process_roles = [role.value for role in SmsRole if role.value in PROCESS_ROLES]
    return cells + [(role, code) for code in codes for role in process_roles]
