"""The preliminary survey's section of the whole-engagement export file (feature I2).

People, questionnaires with their questions, campaigns with respondents, responses, answers and evidence
files (their bytes in base64), interviews and follow-ups. Objects refer to one another by position or key
inside the file, never by database id: a person is `#n` in `people`, a questionnaire its `key`, a question
its `key` inside the questionnaire, a user a user name. Respondents' link secrets are not carried: an
import issues new links, so a link of the original installation never opens the copy.

`survey_check` refuses a file whose references do not resolve before anything is written;
`survey_import` then writes everything with bulk inserts inside the caller's transaction.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from certprep.catalogue.selectors import lens_process_codes
from certprep.core.errors import ServiceError
from certprep.core.text import SingleLineText
from certprep.core.uploads import MAX_ATTACHMENT_BYTES, file_type, store_file
from certprep.engagements.models import Engagement
from certprep.people.choices import SmsRoleName
from certprep.people.models import Person, RoleAssignment
from certprep.people.rules import canonical_pairs, cross, pair_problem
from certprep.people.selectors import pairs_by_person
from certprep.responsibilities.choices import ProcessCode
from certprep.survey.choices import (
    CampaignStatus,
    InterviewStatusName,
    QuestionKindName,
    QuestionnaireKindName,
    ResponseStatus,
    TopicName,
)
from certprep.survey.models import (
    Answer,
    Attachment,
    Campaign,
    FollowUp,
    Interview,
    Question,
    Questionnaire,
    Respondent,
    Response,
)
from certprep.survey.services.campaigns import _new_respondent

CampaignStatusName: Any = Literal[tuple(CampaignStatus.values)]
ResponseStatusName: Any = Literal[tuple(ResponseStatus.values)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Names, titles and places are single lines (core.text.SingleLineText): bidirectional controls are dropped and
# a line break or another control character is refused, naming the field's path in the file.


class RolePart(_Strict):
    """A role a person holds: for a process of the lens, or ("" as process) for the SMS as a whole."""

    role: SmsRoleName
    process: ProcessCode | Literal[""] = ""


class PersonPart(_Strict):
    name: SingleLineText = Field(min_length=1, max_length=200)
    department: SingleLineText = Field("", max_length=200)
    job_title: SingleLineText = Field("", max_length=200)
    email: SingleLineText = Field("", max_length=254)
    roles: list[RolePart] = Field(default_factory=list, max_length=200)
    # Older files: two separate lists, read as their cross product (each process role for each process).
    sms_roles: list[SmsRoleName] = Field(default_factory=list, max_length=20)
    processes: list[ProcessCode] = Field(default_factory=list, max_length=20)

    def pairs(self) -> list[tuple[str, str]]:
        """The (role, process code) pairs the person holds, from `roles` or from an older file's lists."""
        pairs = [(r.role, r.process) for r in self.roles]
        return pairs + cross(self.sms_roles, self.processes)


class QuestionPart(_Strict):
    key: str = Field(min_length=1, max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")
    order: int = Field(0, ge=0)
    section: SingleLineText = Field("", max_length=200)
    kind: QuestionKindName
    text: str = Field(min_length=1)
    guidance: str = ""
    required: bool = False
    topic: TopicName = "other"
    options: list[dict[str, Any]] = Field(default_factory=list)
    columns: list[dict[str, Any]] = Field(default_factory=list)
    translations: dict[str, Any] = Field(default_factory=dict)


class QuestionnairePart(_Strict):
    key: str = Field(min_length=1, max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")
    kind: QuestionnaireKindName
    process_code: ProcessCode | Literal[""] = ""
    audience: list[SmsRoleName] = Field(default_factory=list, max_length=20)
    title: SingleLineText = Field(min_length=1, max_length=200)
    intro: str = ""
    order: int = Field(0, ge=0, le=32767)
    template_key: str = Field("", max_length=80)
    template_version: int | None = Field(None, ge=0)
    translations: dict[str, Any] = Field(default_factory=dict)
    questions: list[QuestionPart] = Field(default_factory=list, max_length=10_000)


class AttachmentPart(_Strict):
    name: SingleLineText = Field(min_length=1, max_length=255)
    content_type: str = Field(min_length=1, max_length=100)
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    uploaded_at: datetime.datetime | None = None
    content: str


class AnswerPart(_Strict):
    question: str = Field(min_length=1, max_length=80)
    value: Any = None
    flagged: bool = False
    flag_note: str = Field("", max_length=500)
    version: int = Field(1, ge=1)
    attachments: list[AttachmentPart] = Field(default_factory=list, max_length=100)


class ResponsePart(_Strict):
    questionnaire: str = Field(min_length=1, max_length=80)
    status: ResponseStatusName = "not_started"
    started_at: datetime.datetime | None = None
    submitted_at: datetime.datetime | None = None
    reopened_at: datetime.datetime | None = None
    answers: list[AnswerPart] = Field(default_factory=list, max_length=10_000)


class RespondentPart(_Strict):
    person: int = Field(ge=0)
    revoked_at: datetime.datetime | None = None
    invited_at: datetime.datetime | None = None
    reminded_at: datetime.datetime | None = None
    thanked_at: datetime.datetime | None = None
    last_seen_at: datetime.datetime | None = None
    responses: list[ResponsePart] = Field(default_factory=list, max_length=1_000)


class CampaignPart(_Strict):
    name: SingleLineText = Field(min_length=1, max_length=200)
    deadline: datetime.date
    grace_days: int = Field(7, ge=0, le=60)
    reminder_days: int = Field(2, ge=0, le=30)
    message: str = ""
    status: CampaignStatusName = "draft"
    sent_at: datetime.datetime | None = None
    created_by: str | None = Field(None, max_length=150)
    questionnaires: list[str] = Field(default_factory=list, max_length=1_000)
    respondents: list[RespondentPart] = Field(default_factory=list, max_length=100_000)


class FollowUpPart(_Strict):
    text: SingleLineText = Field(min_length=1, max_length=500)
    owner: int | None = Field(None, ge=0)
    due_date: datetime.date | None = None
    done: bool = False


class InterviewPart(_Strict):
    title: SingleLineText = Field(min_length=1, max_length=200)
    process_code: ProcessCode | Literal[""] = ""
    starts_at: datetime.datetime
    duration_minutes: int = Field(60, ge=5, le=600)
    location: SingleLineText = Field("", max_length=200)
    call_link: SingleLineText = Field("", max_length=200)
    attendees: list[int] = Field(default_factory=list, max_length=10_000)
    interviewer: str | None = Field(None, max_length=150)
    status: InterviewStatusName = "planned"
    minutes: str = ""
    follow_ups: list[FollowUpPart] = Field(default_factory=list, max_length=10_000)


class SurveyPart(_Strict):
    people: list[PersonPart] = Field(default_factory=list, max_length=100_000)
    questionnaires: list[QuestionnairePart] = Field(default_factory=list, max_length=1_000)
    campaigns: list[CampaignPart] = Field(default_factory=list, max_length=1_000)
    interviews: list[InterviewPart] = Field(default_factory=list, max_length=10_000)


# ---------------------------------------------------------------------------------------------- export


def _iso(value: datetime.date | datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _group(rows: Iterable[Any], key: str) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


def _read(attachment: Attachment) -> bytes:
    try:
        with attachment.file.open("rb") as handle:
            return handle.read()
    except OSError as exc:
        raise ServiceError(
            _("The evidence file %(name)s is missing from the file store; the engagement cannot be exported whole.")
            % {"name": attachment.original_name}
        ) from exc


def survey_export(engagement: Engagement) -> dict[str, Any]:
    """The survey of the engagement as JSON-ready data (the engagement export checks the files' size)."""
    people = list(Person.objects.filter(engagement=engagement).order_by("id"))
    person_ref = {p.pk: index for index, p in enumerate(people)}
    held = pairs_by_person(engagement)
    codes = lens_process_codes()
    questionnaires = list(Questionnaire.objects.filter(engagement=engagement).order_by("order", "id"))
    questions = _group(
        Question.objects.filter(questionnaire__engagement=engagement).order_by("order", "id"), "questionnaire_id"
    )
    question_key = {q.pk: q.key for rows in questions.values() for q in rows}
    questionnaire_key = {q.pk: q.key for q in questionnaires}

    campaigns = list(
        Campaign.objects.filter(engagement=engagement).select_related("created_by").order_by("created_at", "id")
    )
    campaign_questionnaires = _group(
        Campaign.questionnaires.through.objects.filter(campaign__engagement=engagement), "campaign_id"
    )
    respondents = _group(Respondent.objects.filter(campaign__engagement=engagement).order_by("id"), "campaign_id")
    responses = _group(
        Response.objects.filter(respondent__campaign__engagement=engagement).order_by("id"), "respondent_id"
    )
    answers = _group(
        Answer.objects.filter(response__respondent__campaign__engagement=engagement).order_by("id"), "response_id"
    )
    attachments = list(
        Attachment.objects.filter(answer__response__respondent__campaign__engagement=engagement).order_by(
            "uploaded_at", "id"
        )
    )
    files = _group(attachments, "answer_id")

    interviews = list(
        Interview.objects.filter(engagement=engagement).select_related("interviewer").order_by("starts_at", "id")
    )
    attendees = _group(Interview.attendees.through.objects.filter(interview__engagement=engagement), "interview_id")
    follow_ups = _group(FollowUp.objects.filter(interview__engagement=engagement).order_by("id"), "interview_id")

    def attachment_data(a: Attachment) -> dict[str, Any]:
        content = _read(a)
        return {
            "name": a.original_name,
            "content_type": a.content_type,
            "size": a.size,
            "sha256": a.sha256,
            "uploaded_at": _iso(a.uploaded_at),
            "content": base64.b64encode(content).decode("ascii"),
        }

    return {
        "people": [
            {
                "name": p.name,
                "department": p.department,
                "job_title": p.job_title,
                "email": p.email,
                "roles": [{"role": role, "process": code} for role, code in canonical_pairs(held.get(p.pk, []), codes)],
            }
            for p in people
        ],
        "questionnaires": [
            {
                "key": q.key,
                "kind": q.kind,
                "process_code": q.process_code,
                "audience": list(q.audience or []),
                "title": q.title,
                "intro": q.intro,
                "order": q.order,
                "template_key": q.template_key,
                "template_version": q.template_version,
                "translations": q.translations or {},
                "questions": [
                    {
                        "key": k.key,
                        "order": k.order,
                        "section": k.section,
                        "kind": k.kind,
                        "text": k.text,
                        "guidance": k.guidance,
                        "required": k.required,
                        "topic": k.topic,
                        "options": k.options or [],
                        "columns": k.columns or [],
                        "translations": k.translations or {},
                    }
                    for k in questions.get(q.pk, [])
                ],
            }
            for q in questionnaires
        ],
        "campaigns": [
            {
                "name": c.name,
                "deadline": c.deadline.isoformat(),
                "grace_days": c.grace_days,
                "reminder_days": c.reminder_days,
                "message": c.message,
                "status": c.status,
                "sent_at": _iso(c.sent_at),
                "created_by": c.created_by.get_username() if c.created_by else None,
                "questionnaires": sorted(
                    questionnaire_key[row.questionnaire_id] for row in campaign_questionnaires.get(c.pk, [])
                ),
                "respondents": [
                    {
                        "person": person_ref[r.person_id],
                        "revoked_at": _iso(r.revoked_at),
                        "invited_at": _iso(r.invited_at),
                        "reminded_at": _iso(r.reminded_at),
                        "thanked_at": _iso(r.thanked_at),
                        "last_seen_at": _iso(r.last_seen_at),
                        "responses": [
                            {
                                "questionnaire": questionnaire_key[s.questionnaire_id],
                                "status": s.status,
                                "started_at": _iso(s.started_at),
                                "submitted_at": _iso(s.submitted_at),
                                "reopened_at": _iso(s.reopened_at),
                                "answers": [
                                    {
                                        "question": question_key[a.question_id],
                                        "value": a.value,
                                        "flagged": a.flagged,
                                        "flag_note": a.flag_note,
                                        "version": a.version,
                                        "attachments": [attachment_data(f) for f in files.get(a.pk, [])],
                                    }
                                    for a in answers.get(s.pk, [])
                                ],
                            }
                            for s in responses.get(r.pk, [])
                        ],
                    }
                    for r in respondents.get(c.pk, [])
                ],
            }
            for c in campaigns
        ],
        "interviews": [
            {
                "title": i.title,
                "process_code": i.process_code,
                "starts_at": i.starts_at.isoformat(),
                "duration_minutes": i.duration_minutes,
                "location": i.location,
                "call_link": i.call_link,
                "attendees": sorted(person_ref[row.person_id] for row in attendees.get(i.pk, [])),
                "interviewer": i.interviewer.get_username() if i.interviewer else None,
                "status": i.status,
                "minutes": i.minutes,
                "follow_ups": [
                    {
                        "text": f.text,
                        "owner": person_ref[f.owner_id] if f.owner_id is not None else None,
                        "due_date": _iso(f.due_date),
                        "done": f.done,
                    }
                    for f in follow_ups.get(i.pk, [])
                ],
            }
            for i in interviews
        ],
    }


# ---------------------------------------------------------------------------------------------- import


def _refuse(field: str, message: str) -> ServiceError:
    return ServiceError(
        _("The file is not consistent: %(field)s: %(msg)s") % {"field": field, "msg": message}, field=field
    )


def _person(ref: int, people: int, field: str) -> None:
    if not 0 <= ref < people:
        raise _refuse(field, _("no person #%(n)s in the file") % {"n": ref})


def _once(seen: set[Any], value: Any, field: str, what: str) -> None:
    if value in seen:
        raise _refuse(field, _("%(what)s appears twice") % {"what": what})
    seen.add(value)


def _decoded(part: AttachmentPart, field: str) -> bytes:
    try:
        content = base64.b64decode(part.content, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _refuse(f"{field}.content", _("not base64")) from exc
    if len(content) != part.size or hashlib.sha256(content).hexdigest() != part.sha256:
        raise _refuse(f"{field}.content", _("the content does not match its size and sha256"))
    # The same checks as an upload through a personal link: allowed type, judged by the content.
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise _refuse(f"{field}.size", _("The file is larger than 10 MB."))
    try:
        _extension, content_type = file_type(SimpleUploadedFile(part.name, content))
    except ServiceError as exc:
        raise _refuse(f"{field}.name", exc.message) from exc
    if content_type != part.content_type:
        raise _refuse(f"{field}.content_type", _("expected %(type)s") % {"type": content_type})
    return content


def survey_check(part: SurveyPart) -> None:
    """Every reference of the survey section resolves and nothing unique appears twice; else a
    ServiceError naming the field (e.g. survey.campaigns.0.respondents.3.person)."""
    count = len(part.people)
    emails: set[str] = set()
    for p_index, person in enumerate(part.people):
        if person.email:
            try:
                validate_email(person.email)
            except ValidationError as exc:
                raise _refuse(f"survey.people.{p_index}.email", _("Enter a valid e-mail address.")) from exc
            _once(emails, person.email.lower(), f"survey.people.{p_index}.email", person.email)
        for r_index, pair in enumerate(person.pairs()):
            problem = pair_problem(pair, lens_process_codes())
            if problem:
                raise _refuse(f"survey.people.{p_index}.roles.{r_index}", problem)
    keys: dict[str, set[str]] = {}
    for q_index, questionnaire in enumerate(part.questionnaires):
        field = f"survey.questionnaires.{q_index}"
        if questionnaire.key in keys:
            raise _refuse(f"{field}.key", _("%(what)s appears twice") % {"what": questionnaire.key})
        keys[questionnaire.key] = set()
        for k_index, question in enumerate(questionnaire.questions):
            _once(keys[questionnaire.key], question.key, f"{field}.questions.{k_index}.key", question.key)
    for c_index, campaign in enumerate(part.campaigns):
        field = f"survey.campaigns.{c_index}"
        for k_index, key in enumerate(campaign.questionnaires):
            if key not in keys:
                raise _refuse(
                    f"{field}.questionnaires.{k_index}", _("no questionnaire %(key)s in the file") % {"key": key}
                )
        people_seen: set[int] = set()
        for r_index, respondent in enumerate(campaign.respondents):
            r_field = f"{field}.respondents.{r_index}"
            _person(respondent.person, count, f"{r_field}.person")
            _once(people_seen, respondent.person, f"{r_field}.person", f"#{respondent.person}")
            questionnaires_seen: set[str] = set()
            for s_index, response in enumerate(respondent.responses):
                s_field = f"{r_field}.responses.{s_index}"
                if response.questionnaire not in keys:
                    raise _refuse(
                        f"{s_field}.questionnaire",
                        _("no questionnaire %(key)s in the file") % {"key": response.questionnaire},
                    )
                _once(questionnaires_seen, response.questionnaire, f"{s_field}.questionnaire", response.questionnaire)
                questions_seen: set[str] = set()
                for a_index, answer in enumerate(response.answers):
                    a_field = f"{s_field}.answers.{a_index}"
                    if answer.question not in keys[response.questionnaire]:
                        raise _refuse(
                            f"{a_field}.question",
                            _("no question %(key)s in questionnaire %(questionnaire)s")
                            % {"key": answer.question, "questionnaire": response.questionnaire},
                        )
                    _once(questions_seen, answer.question, f"{a_field}.question", answer.question)
                    for f_index, attachment in enumerate(answer.attachments):
                        _decoded(attachment, f"{a_field}.attachments.{f_index}")
    for i_index, interview in enumerate(part.interviews):
        field = f"survey.interviews.{i_index}"
        for a_index, ref in enumerate(interview.attendees):
            _person(ref, count, f"{field}.attendees.{a_index}")
        if len(set(interview.attendees)) != len(interview.attendees):
            raise _refuse(f"{field}.attendees", _("a person appears twice"))
        if interview.call_link and not interview.call_link.lower().startswith(("http://", "https://")):
            raise _refuse(f"{field}.call_link", _("A call link must start with http:// or https://."))
        for f_index, follow_up in enumerate(interview.follow_ups):
            if follow_up.owner is not None:
                _person(follow_up.owner, count, f"{field}.follow_ups.{f_index}.owner")


def survey_import(*, engagement: Engagement, part: SurveyPart, members: Collection[str]) -> list[Person]:
    """Write a checked survey section into the (new) engagement; returns the people in file order so
    other sections can refer to them. `members` are the user names that are members of the engagement
    once it is imported: only they are matched as campaign authors and interviewers, anyone else is left
    empty. Runs inside the caller's transaction."""
    User = get_user_model()
    usernames = {c.created_by for c in part.campaigns} | {i.interviewer for i in part.interviews}
    users = {
        u.get_username(): u for u in User.objects.filter(username__in=[n for n in usernames if n and n in members])
    }

    people = Person.objects.bulk_create(
        [
            Person(engagement=engagement, **p.model_dump(exclude={"roles", "sms_roles", "processes"}))
            for p in part.people
        ],
        batch_size=1000,
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(person=person, role=role, process_code=code)
            for person, p in zip(people, part.people, strict=True)
            for role, code in dict.fromkeys(p.pairs())
        ],
        batch_size=1000,
    )
    questionnaires = Questionnaire.objects.bulk_create(
        [Questionnaire(engagement=engagement, **q.model_dump(exclude={"questions"})) for q in part.questionnaires],
        batch_size=1000,
    )
    questionnaire_by_key = {q.key: q for q in questionnaires}
    questions = Question.objects.bulk_create(
        [
            Question(questionnaire=questionnaire, **k.model_dump())
            for questionnaire, q in zip(questionnaires, part.questionnaires, strict=True)
            for k in q.questions
        ],
        batch_size=1000,
    )
    question_by_key = {(k.questionnaire.key, k.key): k for k in questions}

    campaigns = Campaign.objects.bulk_create(
        [
            Campaign(
                engagement=engagement,
                created_by=users.get(c.created_by or ""),
                **c.model_dump(exclude={"created_by", "questionnaires", "respondents"}),
            )
            for c in part.campaigns
        ],
        batch_size=1000,
    )
    through = Campaign.questionnaires.through
    through.objects.bulk_create(
        [
            through(campaign=campaign, questionnaire=questionnaire_by_key[key])
            for campaign, c in zip(campaigns, part.campaigns, strict=True)
            for key in c.questionnaires
        ],
        batch_size=1000,
    )
    respondent_parts: list[RespondentPart] = []
    respondent_rows: list[Respondent] = []
    for campaign, c in zip(campaigns, part.campaigns, strict=True):
        for r in c.respondents:
            new = _new_respondent(campaign, people[r.person])  # a new link: the old secret never travels
            for name in ("revoked_at", "invited_at", "reminded_at", "thanked_at", "last_seen_at"):
                setattr(new, name, getattr(r, name))
            respondent_rows.append(new)
            respondent_parts.append(r)
    respondents = Respondent.objects.bulk_create(respondent_rows, batch_size=1000)

    response_parts: list[ResponsePart] = []
    response_rows: list[Response] = []
    for respondent, r in zip(respondents, respondent_parts, strict=True):
        for s in r.responses:
            response_rows.append(
                Response(
                    respondent=respondent,
                    questionnaire=questionnaire_by_key[s.questionnaire],
                    **s.model_dump(exclude={"questionnaire", "answers"}),
                )
            )
            response_parts.append(s)
    responses = Response.objects.bulk_create(response_rows, batch_size=1000)

    answer_parts: list[AnswerPart] = []
    answer_rows: list[Answer] = []
    for response, s in zip(responses, response_parts, strict=True):
        for a in s.answers:
            answer_rows.append(
                Answer(
                    response=response,
                    question=question_by_key[(s.questionnaire, a.question)],
                    **a.model_dump(exclude={"question", "attachments"}),
                )
            )
            answer_parts.append(a)
    answers = Answer.objects.bulk_create(answer_rows, batch_size=1000)

    attachment_rows: list[Attachment] = []
    stamps: list[datetime.datetime | None] = []
    for answer, a in zip(answers, answer_parts, strict=True):
        for f in a.attachments:
            row = Attachment(
                answer=answer, original_name=f.name, content_type=f.content_type, size=f.size, sha256=f.sha256
            )
            store_file(row.file, base64.b64decode(f.content))  # removed again if the import fails later
            attachment_rows.append(row)
            stamps.append(f.uploaded_at)
    created = Attachment.objects.bulk_create(attachment_rows, batch_size=1000)
    stamped = []  # the upload time is set on insert; put back the one from the file
    for row, stamp in zip(created, stamps, strict=True):
        if stamp is not None:
            row.uploaded_at = stamp
            stamped.append(row)
    Attachment.objects.bulk_update(stamped, ["uploaded_at"], batch_size=1000)

    interviews = Interview.objects.bulk_create(
        [
            Interview(
                engagement=engagement,
                interviewer=users.get(i.interviewer or ""),
                **i.model_dump(exclude={"attendees", "interviewer", "follow_ups"}),
            )
            for i in part.interviews
        ],
        batch_size=1000,
    )
    attendance = Interview.attendees.through
    attendance.objects.bulk_create(
        [
            attendance(interview=interview, person=people[ref])
            for interview, i in zip(interviews, part.interviews, strict=True)
            for ref in i.attendees
        ],
        batch_size=1000,
    )
    FollowUp.objects.bulk_create(
        [
            FollowUp(
                interview=interview,
                owner=people[f.owner] if f.owner is not None else None,
                **f.model_dump(exclude={"owner"}),
            )
            for interview, i in zip(interviews, part.interviews, strict=True)
            for f in i.follow_ups
        ],
        batch_size=1000,
    )
    return people
