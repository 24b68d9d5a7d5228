"""The shipped questionnaire templates (data/questionnaires/*.yaml, format certprep.questionnaire/1).

Templates are versioned data files; an engagement copies them (questionnaire_copy_templates) and edits its
copy. This module reads and checks the files; it never touches the database.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from certprep.catalogue.selectors import lens_process_codes
from certprep.people.choices import SmsRole
from certprep.survey.choices import CHOICE_KINDS, QuestionKind, QuestionnaireKind, Topic

DATA_DIR = Path(__file__).resolve().parent / "data" / "questionnaires"
FORMAT = "certprep.questionnaire/1"


class TemplateError(ValueError):
    """A shipped or uploaded template file that does not follow the format."""


@dataclass(frozen=True)
class QuestionTemplate:
    key: str
    kind: str
    text: str
    section: str = ""
    guidance: str = ""
    required: bool = False
    topic: str = Topic.OTHER
    options: list[dict[str, Any]] = field(default_factory=list)
    columns: list[dict[str, Any]] = field(default_factory=list)
    translations: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class QuestionnaireTemplate:
    key: str
    version: int
    kind: str
    title: str
    intro: str
    audience: list[str]
    process: str
    translations: dict[str, Any]
    questions: list[QuestionTemplate]
    order: int = 0


def _need(data: dict[str, Any], name: str, where: str) -> Any:
    if name not in data or data[name] in (None, ""):
        raise TemplateError(f"{where}: '{name}' is missing")
    return data[name]


def _items_with_labels(raw: Any, id_key: str, where: str) -> list[dict[str, Any]]:
    """Options ({value, label}) or columns ({key, label}), with the translated labels folded per language."""
    if not isinstance(raw, list) or not raw:
        raise TemplateError(f"{where}: needs a non-empty list")
    items, seen = [], set()
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise TemplateError(f"{where} item {n}: must be a mapping")
        ident = str(_need(item, id_key, f"{where} item {n}"))
        if ident in seen:
            raise TemplateError(f"{where} item {n}: '{ident}' appears twice")
        seen.add(ident)
        items.append({id_key: ident, "label": str(item.get("label") or ident)})
    return items


def _labels_by_language(raw: list[dict[str, Any]], id_key: str) -> dict[str, dict[str, str]]:
    result: dict[str, dict[str, str]] = {}
    for item in raw:
        for lang, values in (item.get("translations") or {}).items():
            if isinstance(values, dict) and values.get("label"):
                result.setdefault(str(lang), {})[str(item[id_key])] = str(values["label"])
    return result


def parse_template(data: Any, *, source: str = "template") -> QuestionnaireTemplate:
    """Check one template document and return it as plain data; TemplateError names the first problem."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TemplateError(f"{source}: not a {FORMAT} document")
    key = str(_need(data, "key", source))
    kind = str(_need(data, "kind", source))
    if kind not in QuestionnaireKind.values:
        raise TemplateError(f"{source}: unknown kind '{kind}'")
    process = str(data.get("process") or "")
    if kind == QuestionnaireKind.PROCESS and not process:
        raise TemplateError(f"{source}: a process questionnaire needs 'process'")
    audience = [str(a) for a in data.get("audience") or []]
    unknown = [a for a in audience if a not in SmsRole.values]
    if unknown:
        raise TemplateError(f"{source}: unknown audience roles {unknown}")
    questions: list[QuestionTemplate] = []
    seen: set[str] = set()
    for n, q in enumerate(_need(data, "questions", source), start=1):
        where = f"{source} question {n}"
        if not isinstance(q, dict):
            raise TemplateError(f"{where}: must be a mapping")
        qkey = str(_need(q, "key", where))
        if qkey in seen:
            raise TemplateError(f"{where}: key '{qkey}' appears twice")
        seen.add(qkey)
        qkind = str(_need(q, "kind", where))
        if qkind not in QuestionKind.values:
            raise TemplateError(f"{where}: unknown kind '{qkind}'")
        topic = str(q.get("topic") or Topic.OTHER)
        if topic not in Topic.values:
            raise TemplateError(f"{where}: unknown topic '{topic}'")
        translations = {str(k): dict(v) for k, v in (q.get("translations") or {}).items() if isinstance(v, dict)}
        options: list[dict[str, Any]] = []
        columns: list[dict[str, Any]] = []
        if qkind in CHOICE_KINDS:
            options = _items_with_labels(q.get("options"), "value", f"{where} options")
            for lang, labels in _labels_by_language(q["options"], "value").items():
                translations.setdefault(lang, {})["options"] = labels
        if qkind == QuestionKind.TABLE:
            columns = _items_with_labels(q.get("columns"), "key", f"{where} columns")
            for lang, labels in _labels_by_language(q["columns"], "key").items():
                translations.setdefault(lang, {})["columns"] = labels
        questions.append(
            QuestionTemplate(
                key=qkey,
                kind=qkind,
                text=str(_need(q, "text", where)),
                section=str(q.get("section") or ""),
                guidance=str(q.get("guidance") or ""),
                required=bool(q.get("required", False)),
                topic=topic,
                options=options,
                columns=columns,
                translations=translations,
            )
        )
    return QuestionnaireTemplate(
        key=key,
        version=int(data.get("version") or 1),
        kind=kind,
        title=str(_need(data, "title", source)),
        intro=str(data.get("intro") or ""),
        audience=audience,
        process=process,
        translations={str(k): dict(v) for k, v in (data.get("translations") or {}).items() if isinstance(v, dict)},
        questions=questions,
    )


@functools.cache
def shipped_templates() -> tuple[QuestionnaireTemplate, ...]:
    """All shipped templates: the management-system questionnaire first, then the processes in lens order."""
    order = list(lens_process_codes())
    templates = []
    for path in sorted(DATA_DIR.glob("*.yaml")):
        template = parse_template(yaml.safe_load(path.read_text(encoding="utf-8")), source=path.name)
        rank = (
            0
            if template.kind == QuestionnaireKind.MANAGEMENT
            else 1 + (order.index(template.process) if template.process in order else 99)
        )
        templates.append((rank, template))
    templates.sort(key=lambda pair: (pair[0], pair[1].key))
    return tuple(QuestionnaireTemplate(**{**t.__dict__, "order": n}) for n, (_rank, t) in enumerate(templates))
