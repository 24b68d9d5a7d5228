"""Roles held for processes, as plain data (no database): the order they are shown in, how they are written
in a spreadsheet cell ("SMS manager; Change management: owner, manager") and read back in English or
Chinese, and what is worth a second look.

A pair is (role, process code); the process code is "" for a role held for the SMS as a whole, and for a
process role whose process was not chosen yet."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from certprep.catalogue.selectors import LensProcess
from certprep.core.languages import is_chinese
from certprep.core.wording import join_names
from certprep.people.choices import PROCESS_ROLE_SHORT, PROCESS_ROLE_SHORT_NAMES, PROCESS_ROLES, ROLE_NAMES, SmsRole

Pair = tuple[str, str]

ROLE_ORDER = {role.value: n for n, role in enumerate(SmsRole)}
# Items of a cell: semicolons (also full-width) and line breaks. Within an item, roles after a process are
# separated by commas or "、"; items without a process may be separated by commas too (older files).
ITEM_SEPARATORS = re.compile(r"[;；\r\n]+")
ROLE_SEPARATORS = re.compile(r"[,，、/]+")
PROCESS_SEPARATOR = re.compile(r"[:：]")


class RoleNotationError(ValueError):
    """A cell item that does not read as a role or a role for a process; `item` is the offending text."""

    def __init__(self, item: str, message: str) -> None:
        super().__init__(message)
        self.item = item
        self.message = message


def name_key(text: str) -> str:
    """How names are compared: case, spacing and hyphens do not matter ("IT服务" is "IT 服务")."""
    folded = " ".join(str(text).replace("-", " ").replace("_", " ").split()).casefold()
    return _NEXT_TO_CHINESE.sub("", folded)


_NEXT_TO_CHINESE = re.compile("(?<=[\u3400-\u9fff]) | (?=[\u3400-\u9fff])")
# The words ITIL-trained Chinese readers write for certprep's terms (docs/glossary.md): 流程 for 过程,
# 供应商 for 供方, 能力管理 for 容量管理.
ITIL_WORDS = (("过程", "流程"), ("供方", "供应商"), ("容量管理", "能力管理"))


def _itil_variants(names: Iterable[str]) -> list[str]:
    found = list(names)
    for term, typed in ITIL_WORDS:
        found += [name.replace(term, typed) for name in found if term in name]
    return found


def canonical_pairs(pairs: Iterable[Pair], codes: Sequence[str]) -> list[Pair]:
    """The pairs without repeats, in the order people read them: roles for the SMS as a whole, process roles
    whose process is not chosen, then per process in lens order, each process's roles in vocabulary order."""
    rank = {code: n for n, code in enumerate(codes)}
    unique = dict.fromkeys((str(role), str(code)) for role, code in pairs)
    return sorted(
        unique,
        key=lambda pair: (
            0 if not pair[1] and pair[0] not in PROCESS_ROLES else 1 if not pair[1] else 2,
            rank.get(pair[1], len(rank)),
            pair[1],
            ROLE_ORDER.get(pair[0], 99),
        ),
    )


def cross(roles: Iterable[str], processes: Iterable[str]) -> list[Pair]:
    """The pairs older data stood for, where roles and processes were two separate lists: each process role
    once for each process (or without a process when there is none), each SMS-wide role once."""
    codes = list(dict.fromkeys(code for code in processes if code))
    pairs: list[Pair] = []
    for role in dict.fromkeys(roles):
        if role in PROCESS_ROLES and codes:
            pairs.extend((role, code) for code in codes)
        else:
            pairs.append((role, ""))
    return pairs


def pair_problem(pair: Pair, codes: Sequence[str]) -> str:
    """Why a pair is not valid ("" when it is)."""
    role, code = pair
    if role not in ROLE_ORDER:
        return _('"%(value)s" is not a role in the SMS. Use one of: %(allowed)s.') % {
            "value": role,
            "allowed": join_names(SmsRole.values),
        }
    if code and role not in PROCESS_ROLES:
        return _("%(role)s is a role for the management system as a whole; it is not held for a process.") % {
            "role": SmsRole(role).label
        }
    if code and code not in codes:
        return _('"%(value)s" is not one of the processes. Use one of: %(allowed)s.') % {
            "value": code,
            "allowed": join_names(codes),
        }
    return ""


def pair_warnings(pairs: Iterable[Pair]) -> list[str]:
    """What is worth a second look about a person's roles; warnings never stop a save."""
    unplaced = [role for role, code in pairs if role in PROCESS_ROLES and not code]
    if not unplaced:
        return []
    return [
        _(
            "Holds %(roles)s without a process: choose the process, or the person receives no process "
            "questionnaire and does not appear in the matrix."
        )
        % {"roles": join_names(str(SmsRole(role).label) for role in dict.fromkeys(unplaced))}
    ]


# ---------------------------------------------------------------------------------------------------------
# Writing and reading a cell
# ---------------------------------------------------------------------------------------------------------


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _with_translations(names: Iterable[str], label: object) -> list[str]:
    found = list(names)
    for language in ["en", *_languages()]:
        with translation.override(language):
            found.append(str(label))
    return found


@dataclass(frozen=True)
class Vocabulary:
    """Every accepted way of writing a role, a process role after a process, and a process."""

    roles: Mapping[str, str]
    short_roles: Mapping[str, str]
    processes: Mapping[str, str]


def vocabulary(processes: Sequence[LensProcess]) -> Vocabulary:
    roles: dict[str, str] = {}
    for role in SmsRole:
        names = ROLE_NAMES.get(role.value, {})
        for name in _itil_variants(
            _with_translations([role.value, *names.get("en", ()), *names.get("zh", ())], role.label)
        ):
            roles[name_key(name)] = role.value
    short: dict[str, str] = {}
    for role in SmsRole:
        if role.value not in PROCESS_ROLES:
            continue
        names = PROCESS_ROLE_SHORT_NAMES.get(role.value, {})
        listed = [*names.get("en", ()), *names.get("zh", ())]
        for name in _with_translations(listed, PROCESS_ROLE_SHORT[role]):
            short[name_key(name)] = role.value
        for name in _itil_variants(
            _with_translations(ROLE_NAMES[role.value]["en"] + ROLE_NAMES[role.value]["zh"], role.label)
        ):
            short[name_key(name)] = role.value
        short[name_key(role.value)] = role.value
    found: dict[str, str] = {}
    for process in processes:
        written = [
            process.code,
            process.name,
            *(str((t or {}).get("name") or "") for t in process.translations.values()),
        ]
        for name in list(written):
            for suffix in (" management", "管理"):
                if name.casefold().endswith(suffix) and len(name) > len(suffix):
                    written.append(name[: -len(suffix)])
            if name.endswith("管理"):  # "事件管理流程"
                written += [name + "过程", name + "流程"]
        for name in _itil_variants(written):
            if name.strip():
                found[name_key(name)] = process.code
    return Vocabulary(roles=roles, short_roles=short, processes=found)


def _process_names(processes: Sequence[LensProcess]) -> str:
    return join_names(process.name for process in processes)


def parse_roles(text: str, *, processes: Sequence[LensProcess], words: Vocabulary | None = None) -> list[Pair]:
    """The pairs written in a cell, e.g. "Change: owner; Incident management: coordinator; SMS manager" or
    "变更管理：所有者；服务管理体系经理". Raise RoleNotationError naming the first item that does not read."""
    words = words or vocabulary(processes)
    pairs: list[Pair] = []
    for item in (part.strip() for part in ITEM_SEPARATORS.split(text or "")):
        if not item:
            continue
        parts = PROCESS_SEPARATOR.split(item, maxsplit=1)
        if len(parts) == 2:
            process_text, roles_text = parts[0].strip(), parts[1].strip()
            code = words.processes.get(name_key(process_text))
            if code is None:
                raise RoleNotationError(
                    item,
                    _(
                        '"%(item)s": "%(process)s" is not one of the processes. Write a process by its name, e.g. '
                        '"Change management: owner"; the processes are: %(allowed)s.'
                    )
                    % {"item": item, "process": process_text, "allowed": _process_names(processes)},
                )
            role_texts = [r.strip() for r in ROLE_SEPARATORS.split(roles_text) if r.strip()]
            if not role_texts:
                raise RoleNotationError(
                    item,
                    _('"%(item)s" names a process but no role; write e.g. "%(process)s: owner".')
                    % {"item": item, "process": process_text},
                )
            for role_text in role_texts:
                role = words.short_roles.get(name_key(role_text))
                if role is None:
                    raise RoleNotationError(
                        item,
                        _(
                            '"%(item)s": "%(role)s" is not a role held for a process. Use owner, manager, '
                            "coordinator or executor (所有者、经理、协调员、执行者)."
                        )
                        % {"item": item, "role": role_text},
                    )
                pairs.append((role, code))
            continue
        for role_text in (r.strip() for r in ROLE_SEPARATORS.split(item)):
            if not role_text:
                continue
            role = words.roles.get(name_key(role_text))
            if role is None:
                raise RoleNotationError(
                    role_text,
                    _(
                        '"%(item)s" is not a role in the SMS. Write an SMS-wide role (%(roles)s) or a role for a '
                        'process as "process: role", e.g. "Change management: owner".'
                    )
                    % {
                        "item": role_text,
                        "roles": join_names(str(SmsRole(r).label) for r in SmsRole.values if r not in PROCESS_ROLES),
                    },
                )
            pairs.append((role, ""))
    return pairs


def role_name(role: str, language: str) -> str:
    """The written name of a role in "en" or "zh"."""
    names = ROLE_NAMES.get(role, {})
    return (names.get("zh" if is_chinese(language) else "en") or (role,))[0]


def format_roles(pairs: Iterable[Pair], *, processes: Sequence[LensProcess], language: str = "en") -> str:
    """The pairs as one cell, readable by `parse_roles`: "SMS manager; Change management: owner, manager"
    ("服务管理体系经理；变更管理：所有者、经理" in Chinese)."""
    chinese = is_chinese(language)
    codes = [process.code for process in processes]
    names = {
        process.code: (process.name_in("zh-hans") or process.name) if chinese else process.name for process in processes
    }
    items: list[str] = []
    by_process: dict[str, list[str]] = {}
    for role, code in canonical_pairs(pairs, codes):
        if not code:
            items.append(role_name(role, language))
        else:
            short = PROCESS_ROLE_SHORT_NAMES.get(role, {}).get("zh" if chinese else "en", (role,))[0]
            by_process.setdefault(code, []).append(short)
    for code, shorts in by_process.items():
        separator, colon = ("、", "：") if chinese else (", ", ": ")
        items.append(f"{names.get(code, code)}{colon}{separator.join(shorts)}")
    return ("；" if chinese else "; ").join(items)


def describe_pairs(
    pairs: Iterable[Pair], *, names: Mapping[str, str], codes: Sequence[str], split: bool = False
) -> list[str]:
    """The pairs for a page, in the active language: "SMS manager", "Change management: owner, manager";
    with `split`, one entry per pair ("Change management: owner", "Change management: manager")."""
    items: list[str] = []
    by_process: dict[str, list[str]] = {}
    for role, code in canonical_pairs(pairs, codes):
        if not code:
            label = str(SmsRole(role).label) if role in ROLE_ORDER else role
            items.append(label if role not in PROCESS_ROLES else _("%(role)s (process not chosen)") % {"role": label})
        else:
            short = str(PROCESS_ROLE_SHORT[SmsRole(role)]) if role in PROCESS_ROLES else role
            by_process.setdefault(code, []).append(short)
    for code, shorts in by_process.items():
        for group in [[short] for short in shorts] if split else [shorts]:
            items.append(_("%(process)s: %(roles)s") % {"process": names.get(code, code), "roles": join_names(group)})
    return items
