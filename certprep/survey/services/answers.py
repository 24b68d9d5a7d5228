"""Writes a respondent makes through their personal link: autosaved answers, evidence files, submit.

The link is the respondent's only credential, so every function here takes the Respondent found from
the link and refuses anything that belongs to somebody else.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from certprep.catalogue.models import Process
from certprep.core.audit import audit_record
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.rows import db_param, json_read, loaded
from certprep.core.storage import delete_on_commit
from certprep.core.text import without_control_characters
from certprep.core.tokens import token_hash
from certprep.core.uploads import checked_upload
from certprep.engagements.models import Engagement
from certprep.survey.answers import clean_value, is_answered, spec_of
from certprep.survey.choices import CampaignStatus, QuestionKind, ResponseStatus
from certprep.survey.models import Answer, Attachment, Campaign, Question, Respondent, Response
from certprep.survey.services.campaigns import thanks_send

MAX_ATTACHMENTS_PER_ANSWER = 10


def _link_works(respondent: Respondent) -> bool:
    """A link works while it is not revoked, its campaign is open and the links have not expired."""
    if respondent.revoked_at is not None:
        return False
    campaign = respondent.campaign
    return campaign.status == CampaignStatus.OPEN and timezone.now() < campaign.links_expire_at


def _plausible(token: str) -> bool:
    return bool(token) and len(token) <= 100


def respondent_by_token(token: str) -> Respondent | None:
    """The respondent whose link this is, if the link still works: not revoked, campaign open, not expired.
    Anything else gives None, and the caller shows the same page whatever the reason."""
    if not _plausible(token):
        return None
    respondent = (
        Respondent.objects.select_related("person", "campaign", "campaign__engagement")
        .filter(token_hash=token_hash(token))
        .order_by()
        .first()
    )
    return respondent if respondent is not None and _link_works(respondent) else None


# The autosave runs at every pause in typing, so its few statements are written out: building them with the
# ORM cost more CPU than everything else in a save together (bench/survey_load.py). The tables are the
# models' own (Meta.db_table); tests run these statements on SQLite and PostgreSQL.
_RESPONSE_BY_LINK = """
    SELECT r.respondent_id, r.questionnaire_id, r.status, p.campaign_id, p.revoked_at,
           c.engagement_id, c.status, c.deadline, c.grace_days, e.time_zone
      FROM survey_response r
      JOIN survey_respondent p ON p.id = r.respondent_id
      JOIN survey_campaign c ON c.id = p.campaign_id
      JOIN engagements_engagement e ON e.id = c.engagement_id
     WHERE r.id = %s AND p.token_hash = %s
"""
_RESPONSE_STATUS = "SELECT status FROM survey_response WHERE id = %s"
_PROGRESS = """
    SELECT (SELECT COUNT(*) FROM survey_answer WHERE response_id = %s AND value IS NOT NULL),
           (SELECT COUNT(*) FROM survey_question WHERE questionnaire_id = %s)
"""
_ANSWER = "SELECT * FROM survey_answer WHERE response_id = %s AND question_id = %s"
_ANSWER_STATE = """
    SELECT id, value, flagged, flag_note, version, updated_at
      FROM survey_answer WHERE response_id = %s AND question_id = %s
"""
# An answer is written by one statement, which holds the database's write lock only while it runs: the save
# reads what it needs first, without a lock, and the statement itself checks that nothing changed meanwhile
# (the version the save read, and a response still open: a submit in between makes it write nothing).
# PostgreSQL: FOR SHARE makes the statement wait for a submit that holds the response row, then see it.
_STILL_OPEN = "EXISTS (SELECT 1 FROM survey_response WHERE id = %s AND status <> %s{share})"
_ANSWER_UPDATE = """
    UPDATE survey_answer SET {sets}, version = version + 1, updated_at = %s
     WHERE id = %s AND version = %s AND {open}
"""
_ANSWER_INSERT = """
    INSERT INTO survey_answer (response_id, question_id, value, flagged, flag_note, version, updated_at)
    SELECT %s, %s, %s, %s, %s, 1, %s WHERE {open} ON CONFLICT DO NOTHING RETURNING id
"""
_RESPONSE_STARTED = "UPDATE survey_response SET status = %s, started_at = %s WHERE id = %s AND status = %s"


def _date(value: Any) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))  # SQLite: text


def respondent_seen(respondent: Respondent) -> None:
    """Note when the person last opened their link (the campaign page shows it)."""
    Respondent.objects.filter(pk=respondent.pk).update(last_seen_at=timezone.now())


def response_by_link(*, token: str, response_id: int) -> Response | None:
    """The response `response_id` if it is one of the link's respondent's and the link still works, with what
    the link's check needs of its respondent, campaign and engagement, in one query (for the autosave).
    None otherwise; respondent_by_token then tells a link that does not work from a response that is not
    the link's."""
    if not _plausible(token):
        return None
    with connection.cursor() as cursor:
        cursor.execute(_RESPONSE_BY_LINK, [response_id, token_hash(token)])
        row = cursor.fetchone()
    if row is None:
        return None
    (
        respondent_id,
        questionnaire_id,
        status,
        campaign_id,
        revoked_at,
        engagement_id,
        campaign_status,
        deadline,
        grace_days,
        time_zone,
    ) = row
    if revoked_at is not None:
        return None
    campaign = loaded(
        Campaign,
        id=campaign_id,
        engagement_id=engagement_id,
        status=campaign_status,
        deadline=_date(deadline),
        grace_days=grace_days,
    )
    campaign.engagement = loaded(Engagement, id=engagement_id, time_zone=time_zone)
    respondent = loaded(Respondent, id=respondent_id, campaign_id=campaign_id, revoked_at=None)
    respondent.campaign = campaign
    response = loaded(
        Response, id=response_id, respondent_id=respondent_id, questionnaire_id=questionnaire_id, status=status
    )
    response.respondent = respondent
    return response if _link_works(respondent) else None


def response_of(respondent: Respondent, response_id: int) -> Response:
    """One of the respondent's own responses; somebody else's is not found."""
    response = (
        Response.objects.select_related("questionnaire", "respondent")
        .filter(pk=response_id, respondent=respondent)
        .first()
    )
    if response is None:
        raise ServiceError(_("This questionnaire is not part of your survey."))
    return response


def _process_codes() -> list[str]:
    return list(dict.fromkeys(Process.objects.order_by("lens_id", "order").values_list("code", flat=True)))


@dataclass(frozen=True)
class SaveResult:
    answer: Answer
    answered: int
    total: int
    counted_at: datetime.datetime  # when `answered` was counted, so a page can drop the count of an older save


def progress(response: Response) -> tuple[int, int]:
    """(answered questions, questions) of a response, in one query. An attachment question's value lists its
    files, so "answered" is "has a value" for every kind (empty answers are stored as NULL)."""
    with connection.cursor() as cursor:
        cursor.execute(_PROGRESS, [response.pk, response.questionnaire_id])
        answered, total = cursor.fetchone()
    return int(answered), int(total)


def _editable(status: str) -> None:
    if status == ResponseStatus.SUBMITTED:
        raise ServiceError(
            _("This questionnaire was submitted and can no longer be changed. Ask the survey owner to reopen it.")
        )


def _status(response: Response, *, lock: bool = False) -> str:
    """The response's status; with `lock`, its row locked until the transaction ends (a submit waits for this
    change; SQLite locks the whole database for the transaction anyway)."""
    lock_clause = " FOR UPDATE" if lock and connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(_RESPONSE_STATUS + lock_clause, [response.pk])
        row = cursor.fetchone()
    if row is None:
        raise ServiceError(_("This questionnaire is not part of your survey."))
    return str(row[0])


def _answer_row(response: Response, question: Question) -> Answer:
    answer = next(iter(Answer.objects.raw(_ANSWER, [response.pk, question.pk])), None)
    if answer is None:
        try:
            with transaction.atomic():
                answer = Answer.objects.create(response=response, question=question, value=None, version=0)
        except IntegrityError:  # another tab created it a moment ago
            answer = Answer.objects.get(response=response, question=question)
    return answer


def _stored_time(value: Any) -> datetime.datetime:
    """A timestamp read by a written-out statement: PostgreSQL gives a datetime, SQLite the text Django stored."""
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value, datetime.UTC)
    return timezone.make_aware(datetime.datetime.fromisoformat(str(value)), datetime.UTC)


def _answer_state(response: Response, question: Question) -> Answer | None:
    """The stored answer (value, discussion mark, version, save time), or None before the first save."""
    with connection.cursor() as cursor:
        cursor.execute(_ANSWER_STATE, [response.pk, question.pk])
        row = cursor.fetchone()
    if row is None:
        return None
    answer_id, value, flagged, flag_note, version, updated_at = row
    return loaded(
        Answer,
        id=answer_id,
        response_id=response.pk,
        question_id=question.pk,
        value=json_read(Answer, "value", value),
        flagged=bool(flagged),
        flag_note=flag_note,
        version=version,
        updated_at=_stored_time(updated_at),
    )


def _write_answer(response: Response, question: Question, answer: Answer | None, updates: dict[str, Any]) -> int | None:
    """Write `updates` over `answer` (None: the first save) in one statement and return the answer's id;
    None when it wrote nothing because the answer's version moved on or the response was submitted meanwhile."""
    # No answer is SQL NULL (the progress counts values that are not NULL).
    params = {name: db_param(Answer, name, value) for name, value in updates.items()}
    share = " FOR SHARE" if connection.features.has_select_for_update else ""
    still_open = _STILL_OPEN.format(share=share)
    open_params: list[Any] = [response.pk, ResponseStatus.SUBMITTED.value]
    with connection.cursor() as cursor:
        if answer is None:
            first = [params.get("value"), params.get("flagged", False), params.get("flag_note", "")]
            cursor.execute(
                _ANSWER_INSERT.format(open=still_open),
                [response.pk, question.pk, *first, params["updated_at"], *open_params],
            )
            row = cursor.fetchone()
            return None if row is None else int(row[0])
        fields = [name for name in ("value", "flagged", "flag_note") if name in updates]
        cursor.execute(
            _ANSWER_UPDATE.format(sets=", ".join(f"{name} = %s" for name in fields), open=still_open),
            [*(params[name] for name in fields), params["updated_at"], answer.pk, answer.version, *open_params],
        )
        return answer.pk if cursor.rowcount == 1 else None


def answer_save(
    *,
    respondent: Respondent,
    response: Response,
    question: Question,
    raw: Any,
    expected_version: int | None,
    flagged: bool | None = None,
    flag_note: str | None = None,
    process_codes: list[str] | None = None,
) -> SaveResult:
    """Autosave one answer. `expected_version` is the answer version the page last saw (0 for none);
    if another tab saved since, ConflictError carries the stored answer and nothing is written."""
    if response.respondent_id != respondent.pk or question.questionnaire_id != response.questionnaire_id:
        raise ServiceError(_("This question is not part of your survey."))
    _editable(response.status)
    codes = (
        (process_codes if process_codes is not None else _process_codes())
        if question.kind == QuestionKind.PROCESS_REF
        else []
    )
    value = clean_value(spec_of(question, codes), raw)
    note = without_control_characters(flag_note)[:500] if flag_note is not None else None
    answer = _answer_state(response, question)
    # An attachment question's value is the list of its file names, kept by the file uploads.
    updates: dict[str, Any] = {} if question.kind == QuestionKind.ATTACHMENT else {"value": value}
    if flagged is not None:
        updates["flagged"] = flagged
    if note is not None:
        updates["flag_note"] = note
    stored = answer or Answer(response_id=response.pk, question_id=question.pk, value=None, version=0)
    changed = any(getattr(stored, k) != v for k, v in updates.items())
    # A stale page that sends what is stored already conflicts with nobody (e.g. a save still on its way).
    if changed and expected_version is not None and expected_version != stored.version:
        raise ConflictError(
            _("This answer was changed in another window since you opened it. Choose which one to keep."),
            current=stored,
        )
    if changed:
        saved_at = timezone.now()
        answer_id = _write_answer(response, question, answer, {**updates, "updated_at": saved_at})
        if answer_id is None:
            # Between the read and the write, a submit closed the response or another window saved.
            _editable(_status(response))
            raise ConflictError(
                _("This answer was changed in another window since you opened it. Choose which one to keep."),
                current=_answer_state(response, question) or stored,
            )
        for key, v in updates.items():
            setattr(stored, key, v)
        stored.pk, stored.response_id, stored.question_id = answer_id, response.pk, question.pk
        stored.version += 1
        stored.updated_at = saved_at  # the reply shows when this save happened, not the row's earlier save
    if response.status == ResponseStatus.NOT_STARTED:
        with connection.cursor() as cursor:
            cursor.execute(
                _RESPONSE_STARTED,
                [
                    ResponseStatus.IN_PROGRESS.value,
                    db_param(Response, "started_at", timezone.now()),
                    response.pk,
                    ResponseStatus.NOT_STARTED.value,
                ],
            )
        response.status = ResponseStatus.IN_PROGRESS
    counted_at = timezone.now()  # taken before counting: a count taken later includes at least this save
    answered, total = progress(response)
    return SaveResult(answer=stored, answered=answered, total=total, counted_at=counted_at)


def _files_changed(answer: Answer) -> None:
    names = list(
        Attachment.objects.filter(answer=answer).order_by("uploaded_at", "id").values_list("original_name", flat=True)
    )
    Answer.objects.filter(pk=answer.pk).update(value=names or None, version=F("version") + 1, updated_at=timezone.now())


@transaction.atomic
def attachment_add(
    *, respondent: Respondent, response: Response, question: Question, upload: UploadedFile
) -> Attachment:
    if response.respondent_id != respondent.pk or question.questionnaire_id != response.questionnaire_id:
        raise ServiceError(_("This question is not part of your survey."))
    if question.kind != QuestionKind.ATTACHMENT:
        raise ServiceError(_("This question does not take files."))
    status = _status(response, lock=True)
    _editable(status)
    content_type, sha256, original = checked_upload(upload)
    answer = _answer_row(response, question)
    if answer.attachments.count() >= MAX_ATTACHMENTS_PER_ANSWER:
        raise ServiceError(_("At most %(n)s files per question.") % {"n": MAX_ATTACHMENTS_PER_ANSWER})
    attachment = Attachment(
        answer=answer, original_name=original, content_type=content_type, size=upload.size or 0, sha256=sha256
    )
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    _files_changed(answer)
    if status == ResponseStatus.NOT_STARTED:
        Response.objects.filter(pk=response.pk).update(status=ResponseStatus.IN_PROGRESS, started_at=timezone.now())
    return attachment


@transaction.atomic
def attachment_delete(*, respondent: Respondent, attachment: Attachment) -> None:
    response = attachment.answer.response
    if response.respondent_id != respondent.pk:
        raise ServiceError(_("This file is not part of your survey."))
    _editable(response.status)
    stored = [name for name in (attachment.file.name,) if name]
    attachment.delete()
    _files_changed(attachment.answer)
    # The file goes once the row is gone for good: a transaction rolls back the row, not the file store.
    delete_on_commit(stored, storage=attachment.file.storage)


@transaction.atomic
def response_submit(*, respondent: Respondent, response: Response, base_url: str | None = None) -> list[Question]:
    """Submit a response. Returns the required questions still unanswered (and submits nothing) if any."""
    response = Response.objects.select_for_update().select_related("questionnaire").get(pk=response.pk)
    if response.respondent_id != respondent.pk:
        raise ServiceError(_("This questionnaire is not part of your survey."))
    _editable(response.status)
    answers = {a.question_id: a for a in Answer.objects.filter(response=response).prefetch_related("attachments")}
    missing = [
        q
        for q in response.questionnaire.questions.filter(required=True)
        if not (q.pk in answers and is_answered(q.kind, answers[q.pk].value, len(answers[q.pk].attachments.all())))
    ]
    if missing:
        return missing
    now = timezone.now()
    Response.objects.filter(pk=response.pk).update(
        status=ResponseStatus.SUBMITTED,
        submitted_at=now,
        started_at=response.started_at or now,
        version=F("version") + 1,
    )
    audit_record(
        engagement=respondent.campaign.engagement,
        actor=respondent.person.name,
        action="update",
        obj=response,
        changes={"status": [response.status, ResponseStatus.SUBMITTED]},
    )
    if not respondent.responses.exclude(status=ResponseStatus.SUBMITTED).exists() and respondent.thanked_at is None:
        thanks_send(respondent=respondent, base_url=base_url)
    return []
