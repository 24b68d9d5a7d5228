"""Rules that turn survey answers into gap-analysis suggestions (data/suggestions.yaml, format
certprep.gap-suggestions/1).

Plain data and plain functions, no database: the loader checks the rules file strictly, `matches` decides
whether one stored answer satisfies a rule's condition, and the maturity helpers translate a self-rated
maturity (0-5) into a compliance rating or into the process-attribute ratings of ISO/IEC 33020.

Answer values are those the survey stores (see certprep.survey.answers): None when unanswered; yes/no as
"yes"/"no" (a bool is accepted too); single choice the option value; multiple choice and related processes a
list of option values; scale an int 0-5; number an int or float; date "YYYY-MM-DD"; table a list of row dicts;
text a string.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

RULES_PATH = Path(__file__).resolve().parent / "data" / "suggestions.yaml"
FORMAT = "certprep.gap-suggestions/1"
SUPPORTED_VERSIONS = (1,)
PROCESS = "process"  # questionnaire: every process questionnaire; requirements: the process's mapped clauses
PROCESS_PREFIX = "process-"

CONDITIONS = ("equals", "in", "lte", "gte", "contains", "not_contains", "empty", "answered")
DOCUMENTATION_VALUES = ("missing", "draft", "in_review", "uncontrolled", "approved", "controlled")
COMPLIANCE_VALUES = (0, 1, 2, 3)
SUGGESTION_KINDS = ("documentation", "compliance", "from_maturity")
PLACEHOLDERS = frozenset({"process"})

_RULE_FIELDS = frozenset(
    {"key", "questionnaire", "question", "when", "requirements", "suggest", "reason", "translations"}
)
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_QUESTIONNAIRE = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
_CLAUSE = re.compile(r"^\d+(\.\d+)*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
_CHINESE_SIMPLIFIED = ("zh", "zh-hans", "zh-cn", "zh-sg", "zh-my")

# Self-rated maturity (0-5) -> the four-step compliance scale (0 not addressed ... 3 conforming).
MATURITY_TO_COMPLIANCE: Mapping[int, int] = MappingProxyType({0: 0, 1: 1, 2: 1, 3: 2, 4: 3, 5: 3})

# ISO/IEC 33020 process attributes by capability level.
LEVEL_ATTRIBUTES: Mapping[int, tuple[str, ...]] = MappingProxyType(
    {1: ("1.1",), 2: ("2.1", "2.2"), 3: ("3.1", "3.2"), 4: ("4.1", "4.2"), 5: ("5.1", "5.2")}
)
ATTRIBUTES: tuple[str, ...] = tuple(a for level in sorted(LEVEL_ATTRIBUTES) for a in LEVEL_ATTRIBUTES[level])


@dataclass(frozen=True)
class Rule:
    """One suggestion rule: when `question` of a matching questionnaire satisfies `condition`, suggest `suggest`
    for `requirements` ("process" or clause refs), telling the assessor `reason`."""

    key: str
    questionnaire: str
    question: str
    condition: tuple[str, Any]
    requirements: str | tuple[str, ...]
    suggest: tuple[str, Any]
    reason: str
    translations: dict[str, dict[str, str]] = field(default_factory=dict, hash=False, compare=False)

    def reason_in(self, language: str) -> str:
        """The reason in `language` (zh, zh-hans, zh-Hans, zh_CN ... give the zh-hans text when present),
        otherwise the English reason. Placeholders such as {process} are left for the caller to fill in."""
        code = (language or "").strip().lower().replace("_", "-")
        candidates = [code]
        if code in _CHINESE_SIMPLIFIED:
            candidates.append("zh-hans")
        for candidate in candidates:
            text = self.translations.get(candidate, {}).get("reason")
            if text:
                return text
        return self.reason

    @property
    def for_every_process(self) -> bool:
        return self.questionnaire == PROCESS


# --- Loading -----------------------------------------------------------------------------------------


def _fail(where: str, message: str) -> ValueError:
    return ValueError(f"{where}: {message}")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | bool | int | float)


def _placeholders(text: str, where: str) -> set[str]:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise _fail(where, f"badly placed braces ({exc}); write {{{{ and }}}} for literal braces") from exc
    unknown = names - PLACEHOLDERS
    if unknown:
        raise _fail(where, f"unknown placeholder(s) {', '.join(sorted(unknown))}; only {{process}} may be used")
    return names


def _condition(raw: Any, where: str) -> tuple[str, Any]:
    if not isinstance(raw, dict) or len(raw) != 1:
        raise _fail(where, f"needs exactly one condition, one of {', '.join(CONDITIONS)}")
    ((kind, value),) = raw.items()
    if kind not in CONDITIONS:
        raise _fail(where, f"unknown condition '{kind}'; use one of {', '.join(CONDITIONS)}")
    if kind == "equals":
        if not _is_scalar(value):
            raise _fail(where, "'equals' needs one value: true/false, a number or an option value")
        return kind, value
    if kind == "in":
        if not isinstance(value, list) or not value or not all(_is_scalar(v) for v in value):
            raise _fail(where, "'in' needs a non-empty list of option values")
        return kind, tuple(value)
    if kind in ("lte", "gte"):
        if not _is_number(value):
            raise _fail(where, f"'{kind}' needs a number")
        return kind, value
    if kind in ("contains", "not_contains"):
        if not isinstance(value, str) or not value:
            raise _fail(where, f"'{kind}' needs one option value")
        return kind, value
    # empty, answered
    if value is not True:
        raise _fail(where, f"'{kind}' can only be true")
    return kind, True


def _suggestion(raw: Any, where: str) -> tuple[str, Any]:
    if not isinstance(raw, dict) or len(raw) != 1:
        raise _fail(where, f"needs exactly one suggestion, one of {', '.join(SUGGESTION_KINDS)}")
    ((kind, value),) = raw.items()
    if kind == "documentation":
        if value not in DOCUMENTATION_VALUES:
            raise _fail(where, f"documentation must be one of {', '.join(DOCUMENTATION_VALUES)}, not {value!r}")
        return kind, value
    if kind == "compliance":
        if isinstance(value, bool) or value not in COMPLIANCE_VALUES:
            raise _fail(where, f"compliance must be one of 0, 1, 2, 3, not {value!r}")
        return kind, value
    if kind == "from_maturity":
        if value is not True:
            raise _fail(where, "from_maturity can only be true")
        return kind, True
    raise _fail(where, f"unknown suggestion kind '{kind}'; use one of {', '.join(SUGGESTION_KINDS)}")


def _requirements(raw: Any, questionnaire: str, where: str) -> str | tuple[str, ...]:
    if raw == PROCESS:
        if questionnaire != PROCESS and not questionnaire.startswith(PROCESS_PREFIX):
            raise _fail(where, "'process' only works for process questionnaires; list the clauses instead")
        return PROCESS
    if not isinstance(raw, list) or not raw:
        raise _fail(where, "must be 'process' or a non-empty list of clause refs such as [\"9.2\"]")
    refs: list[str] = []
    for ref in raw:
        if not isinstance(ref, str) or not _CLAUSE.match(ref):
            raise _fail(where, f'{ref!r} is not a clause ref (write it quoted, e.g. "8.6.1")')
        if ref in refs:
            raise _fail(where, f"clause {ref} appears twice")
        refs.append(ref)
    return tuple(refs)


def _translations(raw: Any, where: str, *, placeholders: set[str]) -> dict[str, dict[str, str]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _fail(where, "must be a mapping of language code to {reason: ...}")
    result: dict[str, dict[str, str]] = {}
    for language, texts in raw.items():
        code = str(language).lower()
        if not _LANGUAGE.match(code):
            raise _fail(where, f"'{language}' is not a language code such as zh-hans")
        if not isinstance(texts, dict) or set(texts) != {"reason"}:
            raise _fail(f"{where}.{language}", "must be a mapping with exactly one entry, reason")
        reason = texts["reason"]
        if not isinstance(reason, str) or not reason.strip():
            raise _fail(f"{where}.{language}.reason", "needs a non-empty text")
        if _placeholders(reason, f"{where}.{language}.reason") != placeholders:
            raise _fail(f"{where}.{language}.reason", "must use the same placeholders as the English reason")
        result[code] = {"reason": reason.strip()}
    return result


def _rule(raw: Any, n: int, source: str) -> Rule:
    if not isinstance(raw, dict):
        raise _fail(f"{source}: rules[{n}]", "must be a mapping")
    key = raw.get("key")
    if not isinstance(key, str) or not _KEY.match(key):
        raise _fail(f"{source}: rules[{n}].key", f"{key!r} is not a key (lower-case letters, digits and hyphens)")
    where = f"{source}: rule '{key}'"
    unknown = set(raw) - _RULE_FIELDS
    if unknown:
        raise _fail(where, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    missing = sorted(f for f in _RULE_FIELDS - {"translations"} if f not in raw)
    if missing:
        raise _fail(where, f"missing field(s) {', '.join(missing)}")
    questionnaire = raw["questionnaire"]
    if not isinstance(questionnaire, str) or not _QUESTIONNAIRE.match(questionnaire):
        raise _fail(f"{where}.questionnaire", f"{questionnaire!r} is not 'process' or a questionnaire key")
    question = raw["question"]
    if not isinstance(question, str) or not _QUESTIONNAIRE.match(question):
        raise _fail(f"{where}.question", f"{question!r} is not a question key")
    condition = _condition(raw["when"], f"{where}.when")
    suggest = _suggestion(raw["suggest"], f"{where}.suggest")
    requirements = _requirements(raw["requirements"], questionnaire, f"{where}.requirements")
    reason = raw["reason"]
    if not isinstance(reason, str) or not reason.strip():
        raise _fail(f"{where}.reason", "needs a non-empty text")
    names = _placeholders(reason, f"{where}.reason")
    if names and questionnaire != PROCESS and not questionnaire.startswith(PROCESS_PREFIX):
        raise _fail(f"{where}.reason", "{process} can only be used in rules for process questionnaires")
    return Rule(
        key=key,
        questionnaire=questionnaire,
        question=question,
        condition=condition,
        requirements=requirements,
        suggest=suggest,
        reason=reason.strip(),
        translations=_translations(raw.get("translations"), f"{where}.translations", placeholders=names),
    )


def parse_rules(data: Any, *, source: str = "rules") -> tuple[Rule, ...]:
    """Check a rules document (already read with yaml.safe_load); ValueError names the rule key and field."""
    if not isinstance(data, dict):
        raise _fail(source, f"not a {FORMAT} document (expected a mapping at the top)")
    if data.get("format") != FORMAT:
        raise _fail(source, f"'format' must be {FORMAT}, found {data.get('format')!r}")
    version = data.get("version")
    if isinstance(version, bool) or version not in SUPPORTED_VERSIONS:
        raise _fail(source, f"'version' must be one of {', '.join(map(str, SUPPORTED_VERSIONS))}, found {version!r}")
    unknown = set(data) - {"format", "version", "rules"}
    if unknown:
        raise _fail(source, f"unknown top-level field(s) {', '.join(sorted(map(str, unknown)))}")
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise _fail(source, "'rules' must be a non-empty list")
    rules: list[Rule] = []
    seen: set[str] = set()
    for n, raw in enumerate(raw_rules, start=1):
        rule = _rule(raw, n, source)
        if rule.key in seen:
            raise _fail(f"{source}: rule '{rule.key}'", "the key appears twice")
        seen.add(rule.key)
        rules.append(rule)
    return tuple(rules)


def _read(path: Path) -> tuple[Rule, ...]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise _fail(path.name, "the file is missing") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(path.name, f"cannot be read ({exc})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _fail(path.name, f"not valid YAML ({exc})") from exc
    return parse_rules(data, source=path.name)


@functools.lru_cache(maxsize=1)
def _shipped_rules() -> tuple[Rule, ...]:
    return _read(RULES_PATH)


def load_rules(path: Path | None = None) -> tuple[Rule, ...]:
    """The rules of `path`, or the shipped rules (read once and cached) when no path is given."""
    if path is None:
        return _shipped_rules()
    return _read(Path(path))


# --- Matching ----------------------------------------------------------------------------------------


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict):
        return len(value) == 0
    return False


def _yes_no(value: Any) -> Any:
    """The stored "yes"/"no" of a yes/no answer as a bool; anything else unchanged."""
    if isinstance(value, str) and value.strip().lower() in ("yes", "no"):
        return value.strip().lower() == "yes"
    return value


def _same(expected: Any, value: Any) -> bool:
    """Equality that keeps booleans, numbers and texts apart (True is not 1, "1" is not 1)."""
    if isinstance(expected, bool):
        value = _yes_no(value)
        return isinstance(value, bool) and value is expected
    if isinstance(value, bool):
        return False
    if _is_number(expected):
        return _is_number(value) and value == expected
    return isinstance(value, str) and value == expected


def matches(rule: Rule, value: Any) -> bool:
    """Does the stored answer `value` satisfy the rule's condition? An unanswered question (None, an empty or
    blank text, an empty list) matches only {empty: true}."""
    kind, expected = rule.condition
    if kind == "empty":
        return _is_blank(value)
    if _is_blank(value):
        return False
    if kind == "answered":
        return True
    if kind == "equals":
        return _same(expected, value)
    if kind == "in":
        return any(_same(option, value) for option in expected)
    if kind in ("lte", "gte"):
        if not _is_number(value):
            return False
        return value <= expected if kind == "lte" else value >= expected
    if kind in ("contains", "not_contains"):
        if not isinstance(value, list | tuple):
            return False
        found = expected in value
        return found if kind == "contains" else not found
    return False


def questionnaire_applies(rule: Rule, template_key: str) -> bool:
    """Does the rule read answers of the questionnaire `template_key`?"""
    if rule.questionnaire == PROCESS:
        return template_key.startswith(PROCESS_PREFIX) and len(template_key) > len(PROCESS_PREFIX)
    return rule.questionnaire == template_key


# --- Maturity ----------------------------------------------------------------------------------------


def maturity_attributes(level: int) -> dict[str, str]:
    """The process-attribute ratings (N/P/L/F) that give exactly capability `level` (0-5) under ISO/IEC 33020:
    the attributes of the lower levels F, those of `level` L, the rest N; level 0 rates PA 1.1 as P."""
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 5:
        raise ValueError(f"capability level must be a whole number from 0 to 5, not {level!r}")
    ratings = dict.fromkeys(ATTRIBUTES, "N")
    if level == 0:
        ratings["1.1"] = "P"
        return ratings
    for lower in range(1, level):
        for attribute in LEVEL_ATTRIBUTES[lower]:
            ratings[attribute] = "F"
    for attribute in LEVEL_ATTRIBUTES[level]:
        ratings[attribute] = "L"
    return ratings
