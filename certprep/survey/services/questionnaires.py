"""Writes for an engagement's questionnaires: copy the shipped templates, then add, reword, reorder and
remove questions."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.audit import audit_record, diff, snapshot
from certprep.core.errors import ServiceError
from certprep.core.ordering import move_and_record
from certprep.core.text import single_line
from certprep.core.versioning import delete_versioned, save_versioned
from certprep.engagements.models import Engagement
from certprep.people.choices import SmsRole
from certprep.survey.choices import CHOICE_KINDS, QuestionKind, Topic
from certprep.survey.library import shipped_templates
from certprep.survey.models import Answer, Question, Questionnaire

QUESTIONNAIRE_FIELDS = ["title", "intro", "audience"]
QUESTION_FIELDS = ["section", "kind", "text", "guidance", "required", "topic", "options", "columns"]


@transaction.atomic
def questionnaire_copy_templates(*, engagement: Engagement, actor: Actor) -> list[Questionnaire]:
    """Copy every shipped questionnaire the engagement does not have yet (by template key). Safe to repeat."""
    existing = set(engagement.questionnaires.values_list("template_key", flat=True))
    taken = set(engagement.questionnaires.values_list("key", flat=True))
    created = []
    for template in shipped_templates():
        if template.key in existing:
            continue
        key = template.key if template.key not in taken else f"{template.key}-{template.version}"
        questionnaire = Questionnaire.objects.create(
            engagement=engagement,
            key=key,
            kind=template.kind,
            process_code=template.process,
            audience=list(template.audience),
            title=template.title,
            intro=template.intro,
            order=template.order,
            template_key=template.key,
            template_version=template.version,
            translations=template.translations,
        )
        Question.objects.bulk_create(
            Question(
                questionnaire=questionnaire,
                key=q.key,
                order=(n + 1) * 10,
                section=q.section,
                kind=q.kind,
                text=q.text,
                guidance=q.guidance,
                required=q.required,
                topic=q.topic,
                options=q.options,
                columns=q.columns,
                translations=q.translations,
            )
            for n, q in enumerate(template.questions)
        )
        created.append(questionnaire)
    if created:
        audit_record(
            engagement=engagement,
            actor=actor,
            action="create",
            obj=engagement,
            values={"questionnaires": [q.title for q in created]},
        )
    return created


def _check_audience(audience: Any) -> list[str]:
    if not isinstance(audience, list) or any(a not in SmsRole.values for a in audience):
        raise ServiceError(_("Choose the audience among the SMS roles."), field="audience")
    return [a for a in SmsRole.values if a in audience]


@transaction.atomic
def questionnaire_update(
    *, questionnaire: Questionnaire, actor: Actor, expected_version: int, data: dict[str, Any]
) -> Questionnaire:
    before = snapshot(Questionnaire.objects.get(pk=questionnaire.pk), QUESTIONNAIRE_FIELDS)
    if "title" in data:
        title = single_line(data["title"], field="title", label=_("The title"), limit=200)
        if not title:
            raise ServiceError(_("A questionnaire needs a title."), field="title")
        if title != questionnaire.title:
            questionnaire.translations = _drop_text(questionnaire.translations, "title")
        questionnaire.title = title
    if "intro" in data:
        intro = str(data["intro"] or "")
        if intro != questionnaire.intro:
            questionnaire.translations = _drop_text(questionnaire.translations, "intro")
        questionnaire.intro = intro
    if "audience" in data:
        questionnaire.audience = _check_audience(data["audience"])
    save_versioned(questionnaire, expected_version=expected_version, fields=[*QUESTIONNAIRE_FIELDS, "translations"])
    changes = diff(before, snapshot(questionnaire, QUESTIONNAIRE_FIELDS))
    if changes:
        audit_record(
            engagement=questionnaire.engagement, actor=actor, action="update", obj=questionnaire, changes=changes
        )
    return questionnaire


def _drop_text(translations: dict[str, Any], name: str) -> dict[str, Any]:
    """Translations without `name`: a reworded text no longer matches its shipped translation."""
    return {lang: {k: v for k, v in values.items() if k != name} for lang, values in (translations or {}).items()}


_LINES = re.compile(r"\s*\n\s*")


def parse_items(raw: Any, *, id_key: str, field: str) -> list[dict[str, str]]:
    """Options or columns typed one per line as "label" or "key: label"; keys are made from labels."""
    pairs: list[tuple[str, str]] = []
    if isinstance(raw, list):  # from the API: [{value|key, label}] taken as given
        for item in raw:
            if isinstance(item, dict):
                pairs.append((str(item.get(id_key) or "").strip(), str(item.get("label") or "").strip()))
            else:
                pairs.append(("", str(item).strip()))
    else:  # typed one per line as "label" or "key: label"
        for line in _LINES.split(str(raw or "").strip()):
            if line:
                key, sep, label = line.partition(":")
                pairs.append((key.strip(), label.strip()) if sep else ("", key.strip()))
    items: list[dict[str, str]] = []
    seen: set[str] = set()
    for n, (given, label) in enumerate(pairs, start=1):
        key = (
            (given[:80] if isinstance(raw, list) else slugify(given)[:80])
            or slugify(label)[:80]
            or f"{'option' if id_key == 'value' else 'column'}-{n}"
        )
        if not label:
            raise ServiceError(_("Line %(n)s has no label.") % {"n": n}, field=field)
        if key in seen:
            raise ServiceError(_('Line %(n)s repeats "%(key)s".') % {"n": n, "key": key}, field=field)
        seen.add(key)
        items.append({id_key: key, "label": label[:200]})
    if len(items) > 50:
        raise ServiceError(_("At most 50 lines."), field=field)
    return items


def _question_values(data: dict[str, Any], current: Question | None) -> dict[str, Any]:
    kind = data.get("kind", current.kind if current else "")
    if kind not in QuestionKind.values:
        raise ServiceError(_("Choose a question type."), field="kind")
    text = str(data.get("text", current.text if current else "") or "").strip()
    if not text:
        raise ServiceError(_("Write the question."), field="text")
    topic = data.get("topic", current.topic if current else Topic.OTHER) or Topic.OTHER
    if topic not in Topic.values:
        raise ServiceError(_("Choose a topic."), field="topic")
    options = (
        parse_items(data["options"], id_key="value", field="options")
        if "options" in data
        else (current.options if current else [])
    )
    columns = (
        parse_items(data["columns"], id_key="key", field="columns")
        if "columns" in data
        else (current.columns if current else [])
    )
    if kind in CHOICE_KINDS and len(options) < 2:
        raise ServiceError(_("A choice question needs at least two options, one per line."), field="options")
    if kind == QuestionKind.TABLE and not columns:
        raise ServiceError(_("A table question needs at least one column, one per line."), field="columns")
    return {
        "kind": kind,
        "text": text,
        "section": single_line(
            data.get("section", current.section if current else ""), field="section", label=_("The section"), limit=200
        ),
        "guidance": str(data.get("guidance", current.guidance if current else "") or "").strip(),
        "required": bool(data.get("required", current.required if current else False)),
        "topic": topic,
        "options": options if kind in CHOICE_KINDS else [],
        "columns": columns if kind == QuestionKind.TABLE else [],
    }


@transaction.atomic
def question_add(*, questionnaire: Questionnaire, actor: Actor, data: dict[str, Any]) -> Question:
    values = _question_values(data, None)
    base = slugify(values["text"])[:60] or "question"
    key, n = base, 1
    taken = set(questionnaire.questions.values_list("key", flat=True))
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    last = questionnaire.questions.aggregate(m=Max("order"))["m"] or 0
    question = Question.objects.create(questionnaire=questionnaire, key=key, order=last + 10, **values)
    audit_record(
        engagement=questionnaire.engagement,
        actor=actor,
        action="create",
        obj=question,
        values=snapshot(question, QUESTION_FIELDS),
    )
    return question


@transaction.atomic
def question_update(*, question: Question, actor: Actor, expected_version: int, data: dict[str, Any]) -> Question:
    stored = Question.objects.get(pk=question.pk)
    before = snapshot(stored, QUESTION_FIELDS)
    values = _question_values(data, stored)
    if values["kind"] != stored.kind and Answer.objects.filter(question=stored).exclude(value__isnull=True).exists():
        raise ServiceError(
            _("This question already has answers; its type cannot change. Add a new question instead."), field="kind"
        )
    translations = question.translations
    for name in ("text", "guidance", "section"):
        if values[name] != getattr(stored, name):
            translations = _drop_text(translations, name)
    if values["options"] != stored.options:
        translations = _drop_text(translations, "options")
    if values["columns"] != stored.columns:
        translations = _drop_text(translations, "columns")
    for name, value in values.items():
        setattr(question, name, value)
    question.translations = translations
    save_versioned(question, expected_version=expected_version, fields=[*QUESTION_FIELDS, "translations"])
    changes = diff(before, snapshot(question, QUESTION_FIELDS))
    if changes:
        audit_record(
            engagement=question.questionnaire.engagement, actor=actor, action="update", obj=question, changes=changes
        )
    return question


@transaction.atomic
def question_delete(*, question: Question, actor: Actor) -> None:
    answered = Answer.objects.filter(question=question).exclude(value__isnull=True).count()
    if answered:
        raise ServiceError(
            _("%(n)s respondents have answered this question; it cannot be removed while their answers exist.")
            % {"n": answered}
        )

    def record(stored: Question) -> None:
        audit_record(
            engagement=question.questionnaire.engagement,
            actor=actor,
            action="delete",
            obj=stored,
            values=snapshot(stored, ["text", "kind"]),
        )

    delete_versioned(question, expected_version=None, conflict="", record=record)


@transaction.atomic
def question_move(*, question: Question, actor: Actor, direction: str) -> None:
    """Swap the question with its neighbour above ("up") or below ("down")."""
    siblings = list(
        Question.objects.select_for_update().filter(questionnaire_id=question.questionnaire_id).order_by("order", "id")
    )
    move_and_record(siblings, question, direction, engagement=question.questionnaire.engagement, actor=actor)
