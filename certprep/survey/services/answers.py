"""Writes a respondent makes through their personal link: autosaved answers, evidence files, submit.

The link is the respondent's only credential, so every function here takes the Respondent found from
the link and refuses anything that belongs to somebody else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from certprep.catalogue.models import Process
from certprep.core.audit import audit_record
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.text import without_control_characters
from certprep.core.uploads import checked_upload
from certprep.survey.answers import clean_value, is_answered, spec_of
from certprep.survey.choices import CampaignStatus, QuestionKind, ResponseStatus
from certprep.survey.models import Answer, Attachment, Question, Respondent, Response
from certprep.survey.services.campaigns import token_hash

MAX_ATTACHMENTS_PER_ANSWER = 10


def respondent_by_token(token: str) -> Respondent | None:
    """The respondent whose link this is, if the link still works: not revoked, campaign open, not expired.
    Anything else gives None, and the caller shows the same page whatever the reason."""
    if not token or len(token) > 100:
        return None
    respondent = (
        Respondent.objects.select_related("person", "campaign", "campaign__engagement")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if respondent is None or respondent.revoked_at is not None:
        return None
    campaign = respondent.campaign
    if campaign.status != CampaignStatus.OPEN or timezone.now() >= campaign.links_expire_at:
        return None
    return respondent


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


def progress(response: Response) -> tuple[int, int]:
    """(answered questions, questions) of a response. An attachment question's value lists its files,
    so "answered" is "has a value" for every kind (empty answers are stored as NULL)."""
    answered = Answer.objects.filter(response=response, value__isnull=False).count()
    return answered, Question.objects.filter(questionnaire_id=response.questionnaire_id).count()


def _editable(response: Response) -> None:
    if response.status == ResponseStatus.SUBMITTED:
        raise ServiceError(
            _("This questionnaire was submitted and can no longer be changed. Ask the survey owner to reopen it.")
        )


def _answer_row(response: Response, question: Question) -> Answer:
    answer = Answer.objects.filter(response=response, question=question).first()
    if answer is None:
        try:
            with transaction.atomic():
                answer = Answer.objects.create(response=response, question=question, value=None, version=0)
        except IntegrityError:  # another tab created it a moment ago
            answer = Answer.objects.get(response=response, question=question)
    return answer


@transaction.atomic
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
    response = Response.objects.select_for_update().get(pk=response.pk)
    _editable(response)
    codes = (process_codes if process_codes is not None else _process_codes()) if question.kind == QuestionKind.PROCESS_REF else []
    value = clean_value(spec_of(question, codes), raw)
    note = without_control_characters(flag_note)[:500] if flag_note is not None else None
    answer = _answer_row(response, question)
    # An attachment question's value is the list of its file names, kept by the file uploads.
    updates: dict[str, Any] = {} if question.kind == QuestionKind.ATTACHMENT else {"value": value}
    if flagged is not None:
        updates["flagged"] = flagged
    if note is not None:
        updates["flag_note"] = note
    changed = any(getattr(answer, k) != v for k, v in updates.items())
    # A stale page that sends what is stored already conflicts with nobody (e.g. a save still on its way).
    if changed and expected_version is not None and expected_version != answer.version:
        raise ConflictError(
            _("This answer was changed in another window since you opened it. Choose which one to keep."),
            current=answer,
        )
    if changed:
        saved_at = timezone.now()
        rows = Answer.objects.filter(pk=answer.pk, version=answer.version).update(
            **updates, version=F("version") + 1, updated_at=saved_at
        )
        if rows != 1:  # lost a race with another tab between the read and the write
            answer.refresh_from_db()
            raise ConflictError(
                _("This answer was changed in another window since you opened it. Choose which one to keep."),
                current=answer,
            )
        for key, v in updates.items():
            setattr(answer, key, v)
        answer.version += 1
        answer.updated_at = saved_at  # the reply shows when this save happened, not the row's earlier save
    if response.status == ResponseStatus.NOT_STARTED:
        Response.objects.filter(pk=response.pk).update(status=ResponseStatus.IN_PROGRESS, started_at=timezone.now())
    answered, total = progress(response)
    return SaveResult(answer=answer, answered=answered, total=total)


def _files_changed(answer: Answer) -> None:
    names = list(Attachment.objects.filter(answer=answer).order_by("uploaded_at", "id").values_list("original_name", flat=True))
    Answer.objects.filter(pk=answer.pk).update(value=names or None, version=F("version") + 1, updated_at=timezone.now())


@transaction.atomic
def attachment_add(*, respondent: Respondent, response: Response, question: Question, upload: UploadedFile) -> Attachment:
    if response.respondent_id != respondent.pk or question.questionnaire_id != response.questionnaire_id:
        raise ServiceError(_("This question is not part of your survey."))
    if question.kind != QuestionKind.ATTACHMENT:
        raise ServiceError(_("This question does not take files."))
    response = Response.objects.select_for_update().get(pk=response.pk)
    _editable(response)
    content_type, sha256, original = checked_upload(upload)
    answer = _answer_row(response, question)
    if answer.attachments.count() >= MAX_ATTACHMENTS_PER_ANSWER:
        raise ServiceError(_("At most %(n)s files per question.") % {"n": MAX_ATTACHMENTS_PER_ANSWER})
    attachment = Attachment(answer=answer, original_name=original, content_type=content_type, size=upload.size or 0, sha256=sha256)
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    _files_changed(answer)
    if response.status == ResponseStatus.NOT_STARTED:
        Response.objects.filter(pk=response.pk).update(status=ResponseStatus.IN_PROGRESS, started_at=timezone.now())
    return attachment


@transaction.atomic
def attachment_delete(*, respondent: Respondent, attachment: Attachment) -> None:
    response = attachment.answer.response
    if response.respondent_id != respondent.pk:
        raise ServiceError(_("This file is not part of your survey."))
    _editable(response)
    attachment.file.delete(save=False)
    attachment.delete()
    _files_changed(attachment.answer)


@transaction.atomic
def response_submit(*, respondent: Respondent, response: Response, base_url: str | None = None) -> list[Question]:
    """Submit a response. Returns the required questions still unanswered (and submits nothing) if any."""
    response = Response.objects.select_for_update().select_related("questionnaire").get(pk=response.pk)
    if response.respondent_id != respondent.pk:
        raise ServiceError(_("This questionnaire is not part of your survey."))
    _editable(response)
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
        status=ResponseStatus.SUBMITTED, submitted_at=now, started_at=response.started_at or now, version=F("version") + 1
    )
    audit_record(
        engagement=respondent.campaign.engagement,
        actor=respondent.person.name,
        action="update",
        obj=response,
        changes={"status": [response.status, ResponseStatus.SUBMITTED]},
    )
    if not respondent.responses.exclude(status=ResponseStatus.SUBMITTED).exists() and respondent.thanked_at is None:
        from certprep.survey.services.campaigns import thanks_send

        thanks_send(respondent=respondent, base_url=base_url)
    return []
