"""The preliminary survey's section of the whole-engagement export file.

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
import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import pydantic
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from certprep.catalogue.selectors import LensProcessCode, lens_process_codes
from certprep.core.errors import ServiceError
from certprep.core.schemas import Choice
from certprep.core.text import SingleLineText
from certprep.core.transfer import file_content, group_by, refuse, stored_bytes
from certprep.core.uploads import file_type, store_file
from certprep.engagements.models import Engagement
from certprep.people.choices import SmsRole
from certprep.people.models import Person, RoleAssignment
from certprep.people.rules import Pair, canonical_pairs, cross, pair_problem
from certprep.people.selectors import pairs_by_person
from certprep.survey.choices import (
    CampaignStatus,
    InterviewStatus,
    QuestionKind,
    QuestionnaireKind,
    ResponseStatus,
    Topic,
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
from certprep.survey.services.campaigns import respondent_new

# A moment as the file writes it: ISO 8601 with its offset (2031-04-01T09:00:00+00:00), as it always has.
Moment = Annotated[datetime.datetime, PlainSerializer(lambda value: value.isoformat(), when_used="json")]
NO_PROCESS = Literal[""]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Names, titles and places are single lines (core.text.SingleLineText): bidirectional controls are dropped and
# a line break or another control character is refused, naming the field's path in the file.


class RolePart(_Strict):
    """A role a person holds: for a process of the lens, or ("" as process) for the SMS as a whole."""

    role: Choice[SmsRole]
    process: LensProcessCode | NO_PROCESS = ""


class PersonPart(_Strict):
    name: SingleLineText = Field(min_length=1, max_length=200)
    department: SingleLineText = Field("", max_length=200)
    job_title: SingleLineText = Field("", max_length=200)
    email: SingleLineText = Field("", max_length=254)
    roles: list[RolePart] = Field(default_factory=list, max_length=200)
    # Older files: two separate lists, read as their cross product (each process role for each process);
    # never written.
    sms_roles: list[Choice[SmsRole]] = Field(default_factory=list, max_length=20, exclude=True)
    processes: list[LensProcessCode] = Field(default_factory=list, max_length=20, exclude=True)

    def pairs(self) -> list[Pair]:
        """The (role, process code) pairs the person holds, from `roles` or from an older file's lists."""
        pairs = [(str(r.role), r.process) for r in self.roles]
        return pairs + cross(self.sms_roles, self.processes)


class QuestionPart(_Strict):
    key: str = Field(min_length=1, max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")
    order: int = Field(0, ge=0)
    section: SingleLineText = Field("", max_length=200)
    kind: Choice[QuestionKind]
    text: str = Field(min_length=1)
    guidance: str = ""
    required: bool = False
    topic: Choice[Topic] = Topic.OTHER
    options: list[dict[str, Any]] = Field(default_factory=list)
    columns: list[dict[str, Any]] = Field(default_factory=list)
    translations: dict[str, Any] = Field(default_factory=dict)


class QuestionnairePart(_Strict):
    key: str = Field(min_length=1, max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")
    kind: Choice[QuestionnaireKind]
    process_code: LensProcessCode | NO_PROCESS = ""
    audience: list[Choice[SmsRole]] = Field(default_factory=list, max_length=20)
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
    uploaded_at: Moment | None = None
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
    status: Choice[ResponseStatus] = ResponseStatus.NOT_STARTED
    started_at: Moment | None = None
    submitted_at: Moment | None = None
    reopened_at: Moment | None = None
    answers: list[AnswerPart] = Field(default_factory=list, max_length=10_000)


class RespondentPart(_Strict):
    person: int = Field(ge=0)
    revoked_at: Moment | None = None
    invited_at: Moment | None = None
    reminded_at: Moment | None = None
    thanked_at: Moment | None = None
    last_seen_at: Moment | None = None
    responses: list[ResponsePart] = Field(default_factory=list, max_length=1_000)


class CampaignPart(_Strict):
    name: SingleLineText = Field(min_length=1, max_length=200)
    deadline: datetime.date
    grace_days: int = Field(7, ge=0, le=60)
    reminder_days: int = Field(2, ge=0, le=30)
    message: str = ""
    status: Choice[CampaignStatus] = CampaignStatus.DRAFT
    sent_at: Moment | None = None
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
    process_code: LensProcessCode | NO_PROCESS = ""
    starts_at: Moment
    duration_minutes: int = Field(60, ge=5, le=600)
    location: SingleLineText = Field("", max_length=200)
    call_link: SingleLineText = Field("", max_length=200)
    attendees: list[int] = Field(default_factory=list, max_length=10_000)
    interviewer: str | None = Field(None, max_length=150)
    status: Choice[InterviewStatus] = InterviewStatus.PLANNED
    minutes: str = ""
    follow_ups: list[FollowUpPart] = Field(default_factory=list, max_length=10_000)


class SurveyPart(_Strict):
    people: list[PersonPart] = Field(default_factory=list, max_length=100_000)
    questionnaires: list[QuestionnairePart] = Field(default_factory=list, max_length=1_000)
    campaigns: list[CampaignPart] = Field(default_factory=list, max_length=1_000)
    interviews: list[InterviewPart] = Field(default_factory=list, max_length=10_000)


# ---------------------------------------------------------------------------------------------- export
# The export builds the very parts the import validates, so the two cannot drift apart: a field the export
# writes that the import does not read (or the other way round) fails here, not in someone's next import.


@dataclass(frozen=True)
class _Stored:
    """The engagement's survey rows, read once each and grouped by what they belong to."""

    people: list[Person]
    held: dict[int, list[Pair]]
    questionnaires: list[Questionnaire]
    questions: dict[int, list[Question]]
    campaigns: list[Campaign]
    campaign_questionnaires: dict[int, list[Any]]
    respondents: dict[int, list[Respondent]]
    responses: dict[int, list[Response]]
    answers: dict[int, list[Answer]]
    files: dict[int, list[Attachment]]
    interviews: list[Interview]
    attendees: dict[int, list[Any]]
    follow_ups: dict[int, list[FollowUp]]

    @classmethod
    def read(cls, engagement: Engagement) -> _Stored:
        by_campaign = {"respondent__campaign__engagement": engagement}
        return cls(
            people=list(Person.objects.filter(engagement=engagement).order_by("id")),
            held=pairs_by_person(engagement),
            questionnaires=list(Questionnaire.objects.filter(engagement=engagement).order_by("order", "id")),
            questions=group_by(
                Question.objects.filter(questionnaire__engagement=engagement).order_by("order", "id"),
                "questionnaire_id",
            ),
            campaigns=list(
                Campaign.objects.filter(engagement=engagement).select_related("created_by").order_by("created_at", "id")
            ),
            campaign_questionnaires=group_by(
                Campaign.questionnaires.through.objects.filter(campaign__engagement=engagement), "campaign_id"
            ),
            respondents=group_by(
                Respondent.objects.filter(campaign__engagement=engagement).order_by("id"), "campaign_id"
            ),
            responses=group_by(Response.objects.filter(**by_campaign).order_by("id"), "respondent_id"),
            answers=group_by(
                Answer.objects.filter(response__respondent__campaign__engagement=engagement).order_by("id"),
                "response_id",
            ),
            files=group_by(
                Attachment.objects.filter(answer__response__respondent__campaign__engagement=engagement).order_by(
                    "uploaded_at", "id"
                ),
                "answer_id",
            ),
            interviews=list(
                Interview.objects.filter(engagement=engagement)
                .select_related("interviewer")
                .order_by("starts_at", "id")
            ),
            attendees=group_by(
                Interview.attendees.through.objects.filter(interview__engagement=engagement), "interview_id"
            ),
            follow_ups=group_by(
                FollowUp.objects.filter(interview__engagement=engagement).order_by("id"), "interview_id"
            ),
        )


class _Exporter:
    """Builds the survey part from the stored rows; people, questionnaires and questions are named by their
    place or key in the file."""

    def __init__(self, stored: _Stored) -> None:
        self.stored = stored
        self.person_ref = {person.pk: index for index, person in enumerate(stored.people)}
        self.questionnaire_key = {q.pk: q.key for q in stored.questionnaires}
        self.question_key = {q.pk: q.key for rows in stored.questions.values() for q in rows}
        self.codes = lens_process_codes()

    def survey(self) -> SurveyPart:
        stored = self.stored
        return SurveyPart(
            people=[self.person(p) for p in stored.people],
            questionnaires=[self.questionnaire(q) for q in stored.questionnaires],
            campaigns=[self.campaign(c) for c in stored.campaigns],
            interviews=[self.interview(i) for i in stored.interviews],
        )

    def person(self, p: Person) -> PersonPart:
        pairs = canonical_pairs(self.stored.held.get(p.pk, []), self.codes)
        return PersonPart(
            name=p.name,
            department=p.department,
            job_title=p.job_title,
            email=p.email,
            roles=[RolePart(role=SmsRole(role), process=code) for role, code in pairs],
        )

    def questionnaire(self, q: Questionnaire) -> QuestionnairePart:
        return QuestionnairePart(
            key=q.key,
            kind=QuestionnaireKind(q.kind),
            process_code=q.process_code,
            audience=[SmsRole(role) for role in q.audience or []],
            title=q.title,
            intro=q.intro,
            order=q.order,
            template_key=q.template_key,
            template_version=q.template_version,
            translations=q.translations or {},
            questions=[self.question(k) for k in self.stored.questions.get(q.pk, [])],
        )

    @staticmethod
    def question(k: Question) -> QuestionPart:
        return QuestionPart(
            key=k.key,
            order=k.order,
            section=k.section,
            kind=QuestionKind(k.kind),
            text=k.text,
            guidance=k.guidance,
            required=k.required,
            topic=Topic(k.topic),
            options=k.options or [],
            columns=k.columns or [],
            translations=k.translations or {},
        )

    def campaign(self, c: Campaign) -> CampaignPart:
        keys = [
            self.questionnaire_key[row.questionnaire_id] for row in self.stored.campaign_questionnaires.get(c.pk, [])
        ]
        return CampaignPart(
            name=c.name,
            deadline=c.deadline,
            grace_days=c.grace_days,
            reminder_days=c.reminder_days,
            message=c.message,
            status=CampaignStatus(c.status),
            sent_at=c.sent_at,
            created_by=c.created_by.get_username() if c.created_by else None,
            questionnaires=sorted(keys),
            respondents=[self.respondent(r) for r in self.stored.respondents.get(c.pk, [])],
        )

    def respondent(self, r: Respondent) -> RespondentPart:
        return RespondentPart(
            person=self.person_ref[r.person_id],
            revoked_at=r.revoked_at,
            invited_at=r.invited_at,
            reminded_at=r.reminded_at,
            thanked_at=r.thanked_at,
            last_seen_at=r.last_seen_at,
            responses=[self.response(s) for s in self.stored.responses.get(r.pk, [])],
        )

    def response(self, s: Response) -> ResponsePart:
        return ResponsePart(
            questionnaire=self.questionnaire_key[s.questionnaire_id],
            status=ResponseStatus(s.status),
            started_at=s.started_at,
            submitted_at=s.submitted_at,
            reopened_at=s.reopened_at,
            answers=[self.answer(a) for a in self.stored.answers.get(s.pk, [])],
        )

    def answer(self, a: Answer) -> AnswerPart:
        return AnswerPart(
            question=self.question_key[a.question_id],
            value=a.value,
            flagged=a.flagged,
            flag_note=a.flag_note,
            version=a.version,
            attachments=[self.attachment(f) for f in self.stored.files.get(a.pk, [])],
        )

    @staticmethod
    def attachment(f: Attachment) -> AttachmentPart:
        return AttachmentPart(
            name=f.original_name,
            content_type=f.content_type,
            size=f.size,
            sha256=f.sha256,
            uploaded_at=f.uploaded_at,
            content=base64.b64encode(stored_bytes(f.file, f.original_name)).decode("ascii"),
        )

    def interview(self, i: Interview) -> InterviewPart:
        return InterviewPart(
            title=i.title,
            process_code=i.process_code,
            starts_at=i.starts_at,
            duration_minutes=i.duration_minutes,
            location=i.location,
            call_link=i.call_link,
            attendees=sorted(self.person_ref[row.person_id] for row in self.stored.attendees.get(i.pk, [])),
            interviewer=i.interviewer.get_username() if i.interviewer else None,
            status=InterviewStatus(i.status),
            minutes=i.minutes,
            follow_ups=[self.follow_up(f) for f in self.stored.follow_ups.get(i.pk, [])],
        )

    def follow_up(self, f: FollowUp) -> FollowUpPart:
        return FollowUpPart(
            text=f.text,
            owner=self.person_ref[f.owner_id] if f.owner_id is not None else None,
            due_date=f.due_date,
            done=f.done,
        )


def survey_export(engagement: Engagement) -> dict[str, Any]:
    """The survey of the engagement as JSON-ready data (the engagement export checks the files' size)."""
    try:
        part = _Exporter(_Stored.read(engagement)).survey()
    except pydantic.ValidationError as exc:
        # Data saved before a rule existed (a name with a line break) would make a file that does not import.
        first = exc.errors()[0]
        where = ".".join(str(place) for place in (exc.title, *first["loc"]))
        raise ServiceError(
            _("The engagement cannot be exported: %(field)s: %(msg)s") % {"field": where, "msg": first["msg"]}
        ) from exc
    return part.model_dump(mode="json")


# ---------------------------------------------------------------------------------------------- import


def _person(ref: int, people: int, field: str) -> None:
    if not 0 <= ref < people:
        raise refuse(field, _("no person #%(n)s in the file") % {"n": ref})


def _once(seen: set[Any], value: Any, field: str, what: str) -> None:
    if value in seen:
        raise refuse(field, _("%(what)s appears twice") % {"what": what})
    seen.add(value)


def _decoded(part: AttachmentPart, field: str) -> bytes:
    content = file_content(part.content, size=part.size, sha256=part.sha256, field=field)
    # The same checks as an upload through a personal link: allowed type, judged by the content.
    try:
        _extension, content_type = file_type(SimpleUploadedFile(part.name, content))
    except ServiceError as exc:
        raise refuse(f"{field}.name", exc.message) from exc
    if content_type != part.content_type:
        raise refuse(f"{field}.content_type", _("expected %(type)s") % {"type": content_type})
    return content


def _check_people(people: Sequence[PersonPart]) -> None:
    emails: set[str] = set()
    codes = lens_process_codes()
    for p_index, person in enumerate(people):
        if person.email:
            try:
                validate_email(person.email)
            except ValidationError as exc:
                raise refuse(f"survey.people.{p_index}.email", _("Enter a valid e-mail address.")) from exc
            _once(emails, person.email.lower(), f"survey.people.{p_index}.email", person.email)
        for r_index, pair in enumerate(person.pairs()):
            problem = pair_problem(pair, codes)
            if problem:
                raise refuse(f"survey.people.{p_index}.roles.{r_index}", problem)


def _question_keys(questionnaires: Sequence[QuestionnairePart]) -> dict[str, set[str]]:
    """Questionnaire key -> its question keys; each key once."""
    keys: dict[str, set[str]] = {}
    for q_index, questionnaire in enumerate(questionnaires):
        field = f"survey.questionnaires.{q_index}"
        if questionnaire.key in keys:
            raise refuse(f"{field}.key", _("%(what)s appears twice") % {"what": questionnaire.key})
        keys[questionnaire.key] = set()
        for k_index, question in enumerate(questionnaire.questions):
            _once(keys[questionnaire.key], question.key, f"{field}.questions.{k_index}.key", question.key)
    return keys


def _check_questionnaire(key: str, keys: dict[str, set[str]], field: str) -> None:
    if key not in keys:
        raise refuse(field, _("no questionnaire %(key)s in the file") % {"key": key})


def _check_response(response: ResponsePart, keys: dict[str, set[str]], field: str) -> None:
    questions_seen: set[str] = set()
    for a_index, answer in enumerate(response.answers):
        a_field = f"{field}.answers.{a_index}"
        if answer.question not in keys[response.questionnaire]:
            raise refuse(
                f"{a_field}.question",
                _("no question %(key)s in questionnaire %(questionnaire)s")
                % {"key": answer.question, "questionnaire": response.questionnaire},
            )
        _once(questions_seen, answer.question, f"{a_field}.question", answer.question)
        for f_index, attachment in enumerate(answer.attachments):
            _decoded(attachment, f"{a_field}.attachments.{f_index}")


def _check_campaign(campaign: CampaignPart, keys: dict[str, set[str]], people: int, field: str) -> None:
    for k_index, key in enumerate(campaign.questionnaires):
        _check_questionnaire(key, keys, f"{field}.questionnaires.{k_index}")
    people_seen: set[int] = set()
    for r_index, respondent in enumerate(campaign.respondents):
        r_field = f"{field}.respondents.{r_index}"
        _person(respondent.person, people, f"{r_field}.person")
        _once(people_seen, respondent.person, f"{r_field}.person", f"#{respondent.person}")
        questionnaires_seen: set[str] = set()
        for s_index, response in enumerate(respondent.responses):
            s_field = f"{r_field}.responses.{s_index}"
            _check_questionnaire(response.questionnaire, keys, f"{s_field}.questionnaire")
            _once(questionnaires_seen, response.questionnaire, f"{s_field}.questionnaire", response.questionnaire)
            _check_response(response, keys, s_field)


def _check_interview(interview: InterviewPart, people: int, field: str) -> None:
    for a_index, ref in enumerate(interview.attendees):
        _person(ref, people, f"{field}.attendees.{a_index}")
    if len(set(interview.attendees)) != len(interview.attendees):
        raise refuse(f"{field}.attendees", _("a person appears twice"))
    if interview.call_link and not interview.call_link.lower().startswith(("http://", "https://")):
        raise refuse(f"{field}.call_link", _("A call link must start with http:// or https://."))
    for f_index, follow_up in enumerate(interview.follow_ups):
        if follow_up.owner is not None:
            _person(follow_up.owner, people, f"{field}.follow_ups.{f_index}.owner")


def survey_check(part: SurveyPart) -> None:
    """Every reference of the survey section resolves and nothing unique appears twice; else a
    ServiceError naming the field (e.g. survey.campaigns.0.respondents.3.person)."""
    _check_people(part.people)
    keys = _question_keys(part.questionnaires)
    for c_index, campaign in enumerate(part.campaigns):
        _check_campaign(campaign, keys, len(part.people), f"survey.campaigns.{c_index}")
    for i_index, interview in enumerate(part.interviews):
        _check_interview(interview, len(part.people), f"survey.interviews.{i_index}")


# Inserted in batches: an engagement may hold a hundred thousand answers.
BATCH = 1000


def _members(part: SurveyPart, members: Collection[str]) -> dict[str, Any]:
    """The users the file names (campaign authors, interviewers) who are members once it is imported."""
    names = {c.created_by for c in part.campaigns} | {i.interviewer for i in part.interviews}
    wanted = [name for name in names if name and name in members]
    return {u.get_username(): u for u in get_user_model().objects.filter(username__in=wanted)}


def _load_people(engagement: Engagement, parts: Sequence[PersonPart]) -> list[Person]:
    exclude = {"roles", "sms_roles", "processes"}
    people = Person.objects.bulk_create(
        [Person(engagement=engagement, **p.model_dump(exclude=exclude)) for p in parts], batch_size=BATCH
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(person=person, role=role, process_code=code)
            for person, p in zip(people, parts, strict=True)
            for role, code in dict.fromkeys(p.pairs())
        ],
        batch_size=BATCH,
    )
    return people


def _load_questionnaires(
    engagement: Engagement, parts: Sequence[QuestionnairePart]
) -> tuple[dict[str, Questionnaire], dict[tuple[str, str], Question]]:
    """The questionnaires by key, the questions by (questionnaire key, question key)."""
    questionnaires = Questionnaire.objects.bulk_create(
        [Questionnaire(engagement=engagement, **q.model_dump(exclude={"questions"})) for q in parts], batch_size=BATCH
    )
    questions = Question.objects.bulk_create(
        [
            Question(questionnaire=questionnaire, **k.model_dump())
            for questionnaire, q in zip(questionnaires, parts, strict=True)
            for k in q.questions
        ],
        batch_size=BATCH,
    )
    return {q.key: q for q in questionnaires}, {(k.questionnaire.key, k.key): k for k in questions}


class _Loader:
    """Writes the campaigns of a checked section, level by level, each level in bulk."""

    def __init__(
        self,
        people: Sequence[Person],
        questionnaires: dict[str, Questionnaire],
        questions: dict[tuple[str, str], Question],
    ) -> None:
        self.people = people
        self.questionnaires = questionnaires
        self.questions = questions

    def campaigns(self, engagement: Engagement, parts: Sequence[CampaignPart], users: dict[str, Any]) -> None:
        exclude = {"created_by", "questionnaires", "respondents"}
        campaigns = Campaign.objects.bulk_create(
            [
                Campaign(
                    engagement=engagement, created_by=users.get(c.created_by or ""), **c.model_dump(exclude=exclude)
                )
                for c in parts
            ],
            batch_size=BATCH,
        )
        through = Campaign.questionnaires.through
        through.objects.bulk_create(
            [
                through(campaign=campaign, questionnaire=self.questionnaires[key])
                for campaign, c in zip(campaigns, parts, strict=True)
                for key in c.questionnaires
            ],
            batch_size=BATCH,
        )
        self.respondents([(campaign, r) for campaign, c in zip(campaigns, parts, strict=True) for r in c.respondents])

    def respondents(self, parts: list[tuple[Campaign, RespondentPart]]) -> None:
        rows = []
        for campaign, r in parts:
            new = respondent_new(campaign, self.people[r.person])  # a new link: the old secret never travels
            for name in ("revoked_at", "invited_at", "reminded_at", "thanked_at", "last_seen_at"):
                setattr(new, name, getattr(r, name))
            rows.append(new)
        respondents = Respondent.objects.bulk_create(rows, batch_size=BATCH)
        self.responses([(row, s) for row, (_c, r) in zip(respondents, parts, strict=True) for s in r.responses])

    def responses(self, parts: list[tuple[Respondent, ResponsePart]]) -> None:
        exclude = {"questionnaire", "answers"}
        rows = [
            Response(
                respondent=respondent,
                questionnaire=self.questionnaires[s.questionnaire],
                **s.model_dump(exclude=exclude),
            )
            for respondent, s in parts
        ]
        responses = Response.objects.bulk_create(rows, batch_size=BATCH)
        self.answers(
            [(row, s.questionnaire, a) for row, (_r, s) in zip(responses, parts, strict=True) for a in s.answers]
        )

    def answers(self, parts: list[tuple[Response, str, AnswerPart]]) -> None:
        rows = [
            Answer(
                response=response,
                question=self.questions[(key, a.question)],
                **a.model_dump(exclude={"question", "attachments"}),
            )
            for response, key, a in parts
        ]
        answers = Answer.objects.bulk_create(rows, batch_size=BATCH)
        self.attachments([(row, f) for row, (_s, _k, a) in zip(answers, parts, strict=True) for f in a.attachments])

    @staticmethod
    def attachments(parts: list[tuple[Answer, AttachmentPart]]) -> None:
        rows = []
        for answer, f in parts:
            row = Attachment(
                answer=answer, original_name=f.name, content_type=f.content_type, size=f.size, sha256=f.sha256
            )
            store_file(row.file, base64.b64decode(f.content))  # removed again if the import fails later
            rows.append(row)
        created = Attachment.objects.bulk_create(rows, batch_size=BATCH)
        stamped = []  # the upload time is set on insert; put back the one from the file
        for row, (_answer, f) in zip(created, parts, strict=True):
            if f.uploaded_at is not None:
                row.uploaded_at = f.uploaded_at
                stamped.append(row)
        Attachment.objects.bulk_update(stamped, ["uploaded_at"], batch_size=BATCH)


def _load_interviews(
    engagement: Engagement, parts: Sequence[InterviewPart], people: Sequence[Person], users: dict[str, Any]
) -> None:
    exclude = {"attendees", "interviewer", "follow_ups"}
    interviews = Interview.objects.bulk_create(
        [
            Interview(
                engagement=engagement, interviewer=users.get(i.interviewer or ""), **i.model_dump(exclude=exclude)
            )
            for i in parts
        ],
        batch_size=BATCH,
    )
    attendance = Interview.attendees.through
    attendance.objects.bulk_create(
        [
            attendance(interview=interview, person=people[ref])
            for interview, i in zip(interviews, parts, strict=True)
            for ref in i.attendees
        ],
        batch_size=BATCH,
    )
    FollowUp.objects.bulk_create(
        [
            FollowUp(
                interview=interview,
                owner=people[f.owner] if f.owner is not None else None,
                **f.model_dump(exclude={"owner"}),
            )
            for interview, i in zip(interviews, parts, strict=True)
            for f in i.follow_ups
        ],
        batch_size=BATCH,
    )


def survey_import(*, engagement: Engagement, part: SurveyPart, members: Collection[str]) -> list[Person]:
    """Write a checked survey section into the (new) engagement; returns the people in file order so
    other sections can refer to them. `members` are the user names that are members of the engagement
    once it is imported: only they are matched as campaign authors and interviewers, anyone else is left
    empty. Runs inside the caller's transaction."""
    users = _members(part, members)
    people = _load_people(engagement, part.people)
    questionnaires, questions = _load_questionnaires(engagement, part.questionnaires)
    _Loader(people, questionnaires, questions).campaigns(engagement, part.campaigns, users)
    _load_interviews(engagement, part.interviews, people, users)
    return people
