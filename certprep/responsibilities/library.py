"""The shipped responsibility matrix template (data/raci-template.yaml, format certprep.raci/1).

An engagement copies the template once (services.matrix_from_template) and edits its copy. This module
reads and checks the file; it never touches the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from certprep.people.choices import SmsRole
from certprep.responsibilities.choices import PROCESS_CODES

TEMPLATE_PATH = Path(__file__).resolve().parent / "data" / "raci-template.yaml"
FORMAT = "certprep.raci/1"
LETTERS = ("R", "A", "S", "C", "I")
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")


class TemplateError(ValueError):
    """A template file that does not follow the format; the message names the place of the first problem."""


@dataclass(frozen=True)
class RoleTemplate:
    key: str
    name: str
    translations: dict[str, Any] = field(default_factory=dict)
    sms_role: str = ""  # the SMS role whose holders fill the column, if any


@dataclass(frozen=True)
class ActivityTemplate:
    process_code: str
    key: str
    name: str
    raci: dict[str, str] = field(default_factory=dict)
    translations: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MatrixTemplate:
    version: int
    roles: tuple[RoleTemplate, ...]
    activities: tuple[ActivityTemplate, ...]

    def role(self, key: str) -> RoleTemplate | None:
        return next((role for role in self.roles if role.key == key), None)

    def activity(self, process_code: str, key: str) -> ActivityTemplate | None:
        return next((a for a in self.activities if a.process_code == process_code and a.key == key), None)


def _text(value: Any, where: str, *, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TemplateError(f"{where}: needs a non-empty text")
    if len(value.strip()) > limit:
        raise TemplateError(f"{where}: longer than {limit} characters")
    return value.strip()


def _key(value: Any, where: str) -> str:
    if not isinstance(value, str) or not KEY_PATTERN.match(value):
        raise TemplateError(f"{where}: '{value}' is not a key (up to 80 lower-case letters, digits and hyphens)")
    return value


def _translations(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TemplateError(f"{where}: must be a mapping of language to texts")
    result: dict[str, Any] = {}
    for lang, texts in value.items():
        if not isinstance(texts, dict):
            raise TemplateError(f"{where}.{lang}: must be a mapping such as {{name: ...}}")
        result[str(lang).lower()] = {str(k): str(v) for k, v in texts.items() if v}
    return result


def parse_template(data: Any, *, source: str = "template") -> MatrixTemplate:
    """Check a template document (already read with yaml.safe_load) and return it as plain data."""
    if not isinstance(data, dict):
        raise TemplateError(f"{source}: not a {FORMAT} document (expected a mapping at the top)")
    if data.get("format") != FORMAT:
        raise TemplateError(f"{source}: 'format' must be {FORMAT}, found {data.get('format')!r}")
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise TemplateError(f"{source}: 'version' must be a whole number from 1")
    raw_roles = data.get("roles")
    if not isinstance(raw_roles, list) or not raw_roles:
        raise TemplateError(f"{source}: 'roles' must be a non-empty list")
    roles: list[RoleTemplate] = []
    for n, raw in enumerate(raw_roles, start=1):
        where = f"{source}: roles[{n}]"
        if not isinstance(raw, dict):
            raise TemplateError(f"{where}: must be a mapping with key and name")
        key = _key(raw.get("key"), f"{where}.key")
        if any(role.key == key for role in roles):
            raise TemplateError(f"{where}: key '{key}' appears twice")
        sms_role = raw.get("sms_role") or ""
        if sms_role and sms_role not in SmsRole.values:
            raise TemplateError(f"{where}.sms_role: '{sms_role}' is not one of {', '.join(SmsRole.values)}")
        if sms_role and any(role.sms_role == sms_role for role in roles):
            raise TemplateError(f"{where}.sms_role: '{sms_role}' is linked to another role already")
        roles.append(
            RoleTemplate(
                key=key,
                name=_text(raw.get("name"), f"{where}.name", limit=200),
                translations=_translations(raw.get("translations"), f"{where}.translations"),
                sms_role=str(sms_role),
            )
        )
    role_keys = {role.key for role in roles}
    raw_processes = data.get("processes")
    if not isinstance(raw_processes, dict) or not raw_processes:
        raise TemplateError(f"{source}: 'processes' must be a mapping of process code to activities")
    activities: list[ActivityTemplate] = []
    for code, raw_activities in raw_processes.items():
        if code not in PROCESS_CODES:
            raise TemplateError(
                f"{source}: processes.{code}: unknown process code; use one of {', '.join(PROCESS_CODES)}"
            )
        if not isinstance(raw_activities, list):
            raise TemplateError(f"{source}: processes.{code}: must be a list of activities")
        seen: set[str] = set()
        for n, raw in enumerate(raw_activities, start=1):
            where = f"{source}: processes.{code}[{n}]"
            if not isinstance(raw, dict):
                raise TemplateError(f"{where}: must be a mapping with key, name and raci")
            key = _key(raw.get("key"), f"{where}.key")
            if key in seen:
                raise TemplateError(f"{where}: key '{key}' appears twice in {code}")
            seen.add(key)
            raci = raw.get("raci") or {}
            if not isinstance(raci, dict):
                raise TemplateError(f"{where}.raci: must be a mapping of role key to letter")
            letters: dict[str, str] = {}
            for role_key, letter in raci.items():
                if role_key not in role_keys:
                    raise TemplateError(f"{where}.raci: unknown role '{role_key}'")
                if not isinstance(letter, str) or letter.strip().upper() not in LETTERS:
                    raise TemplateError(f"{where}.raci.{role_key}: '{letter}' is not one of {', '.join(LETTERS)}")
                letters[str(role_key)] = letter.strip().upper()
            activities.append(
                ActivityTemplate(
                    process_code=str(code),
                    key=key,
                    name=_text(raw.get("name"), f"{where}.name", limit=300),
                    raci=letters,
                    translations=_translations(raw.get("translations"), f"{where}.translations"),
                )
            )
    return MatrixTemplate(version=version, roles=tuple(roles), activities=tuple(activities))


def load_template(path: Path) -> MatrixTemplate:
    """Read and check a template file; TemplateError for a missing, unreadable or malformed file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise TemplateError(f"{path.name}: the file is missing") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{path.name}: cannot be read ({exc})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TemplateError(f"{path.name}: not valid YAML ({exc})") from exc
    return parse_template(data, source=path.name)


_cache: dict[tuple[str, float], MatrixTemplate] = {}


def shipped_template() -> MatrixTemplate:
    """The shipped template, read once per file version (the file's modification time)."""
    try:
        stamp = TEMPLATE_PATH.stat().st_mtime
    except FileNotFoundError as exc:
        raise TemplateError(f"{TEMPLATE_PATH.name}: the file is missing") from exc
    cache_key = (str(TEMPLATE_PATH), stamp)
    if cache_key not in _cache:
        _cache.clear()
        _cache[cache_key] = load_template(TEMPLATE_PATH)
    return _cache[cache_key]
