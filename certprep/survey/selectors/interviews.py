"""Reads for the interviews: the list, what needs a face-to-face follow-up, and the interview guide
generated from the answers. Each read is a fixed number of queries, however many respondents answered."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from certprep.core.models import AuditEntry
from certprep.core.timezones import zone
from certprep.engagements.models import Engagement
from certprep.people.choices import SmsRole
from certprep.people.models import Person
from certprep.people.selectors import people_for_process, people_ids_in
from certprep.survey.choices import InterviewStatus, QuestionKind, QuestionnaireKind, ResponseStatus
from certprep.survey.models import FollowUp, Interview, Questionnaire, Response
from certprep.survey.selectors.state import (
    SurveyData,
    answer_text,
    lens_process_names,
    load_survey,
    shorten,
)

# A process "misses many answers" when at least this share of the expected answers is missing
# (and at least MANY_MISSING_MIN answers): worth asking in person rather than sending another reminder.
MANY_MISSING_SHARE = 0.25
MANY_MISSING_MIN = 2
DIGEST_ANSWERS = 6


def many_missing(missing: int, expected: int) -> bool:
    """Whether a process's missing answers call for an interview."""
    return expected > 0 and missing >= MANY_MISSING_MIN and missing / expected >= MANY_MISSING_SHARE


def subject_name(process_code: str, names: dict[str, str]) -> str:
    """What an interview or questionnaire is about: a process name, or the management system."""
    if not process_code:
        return _("Management system")
    return names.get(process_code, process_code)


def schedule_query(process_code: str, person_ids: list[int]) -> str:
    """The query string that pre-fills the new-interview form."""
    params: dict[str, str] = {"process": process_code}
    if person_ids:
        params["attendees"] = ",".join(str(i) for i in person_ids)
    return urlencode(params)


# --- The list ------------------------------------------------------------------------------------------


def interviews_of(engagement: Engagement) -> QuerySet[Interview]:
    """The engagement's interviews with attendees, interviewer and `open_follow_ups` (three queries)."""
    return (
        Interview.objects.filter(engagement=engagement)
        .select_related("interviewer")
        .prefetch_related(Prefetch("attendees", queryset=Person.objects.order_by("name", "pk")))
        .annotate(open_follow_ups=Count("follow_ups", filter=Q(follow_ups__done=False)))
        .order_by("starts_at", "pk")
    )


# An interview on a process invites, by default, the people who run it: its owner, manager and coordinator.
INTERVIEWED_ROLES = (SmsRole.PROCESS_OWNER, SmsRole.PROCESS_MANAGER, SmsRole.PROCESS_COORDINATOR)


def next_working_morning(now: datetime.datetime) -> datetime.datetime:
    """10:00 on the next weekday after `now` (a wall-clock time in the engagement's zone, without a zone)."""
    start = now + datetime.timedelta(days=1)
    while start.weekday() >= 5:
        start += datetime.timedelta(days=1)
    return start.replace(hour=10, minute=0, second=0, microsecond=0, tzinfo=None)


def interview_defaults(
    engagement: Engagement, *, process: str, attendee_ids: list[int], interviewer_id: int | None
) -> dict[str, Any]:
    """A new interview's values: on `process` (dropped when it is not a lens process), with the attendees given
    (those of the engagement) or else the people running the process, tomorrow morning (or Monday's), an
    hour, interviewed by the caller."""
    process = process if process in lens_process_names() else ""
    if attendee_ids:
        attendees = people_ids_in(engagement, attendee_ids)
    elif process:
        attendees = [person.pk for person in people_for_process(engagement, process, roles=INTERVIEWED_ROLES)]
    else:
        attendees = []
    return {
        "process_code": process,
        "attendees": attendees,
        "starts_at": next_working_morning(timezone.localtime(timezone=zone(engagement.time_zone))),
        "duration_minutes": 60,
        "interviewer": interviewer_id,
    }


def upcoming_interviews(engagement: Engagement, *, limit: int = 5) -> list[Interview]:
    """The next interviews that have not started yet, soonest first."""
    return list(
        Interview.objects.filter(engagement=engagement, starts_at__gte=timezone.now()).order_by("starts_at")[:limit]
    )


def follow_ups_of(interview: Interview) -> QuerySet[FollowUp]:
    """The interview's follow-ups with their owners, open first, by due date."""
    return FollowUp.objects.filter(interview=interview).select_related("owner").order_by("done", "due_date", "pk")


def follow_up_of(pk: int) -> FollowUp:
    """One follow-up with its owner (for the answer to a write)."""
    return FollowUp.objects.select_related("owner").get(pk=pk)


def split_upcoming(
    interviews: list[Interview], now: datetime.datetime | None = None
) -> tuple[list[Interview], list[Interview]]:
    """(upcoming, past): an interview is past once it has ended; past ones newest first."""
    now = now or timezone.now()
    upcoming = [i for i in interviews if i.ends_at >= now]
    past = [i for i in interviews if i.ends_at < now]
    return upcoming, list(reversed(past))


def interview_rows(engagement: Engagement) -> tuple[list[Interview], list[Interview]]:
    """(upcoming, past) interviews for the list page, each with `subject` (the process or management system)."""
    names = lens_process_names()
    interviews = list(interviews_of(engagement))
    for interview in interviews:
        interview.subject = subject_name(interview.process_code, names)  # type: ignore[attr-defined]
    return split_upcoming(interviews)


@dataclass
class FlaggedRow:
    answer_id: int
    person_id: int
    person: str
    questionnaire: str
    process_code: str
    subject: str
    question: str
    answer: str
    note: str
    draft: bool
    schedule: str
    flagged_by: str = ""  # the member who marked it, or the respondent's name
    by_respondent: bool = True
    planned: PlannedRef | None = None  # the upcoming interview with this person on this subject


@dataclass(frozen=True)
class PlannedRef:
    """An upcoming planned interview, as the follow-up panel names it."""

    id: int
    title: str
    starts_at: datetime.datetime


@dataclass
class MissingRow:
    process_code: str
    subject: str
    missing: int
    expected: int
    people: list[str]
    person_ids: list[int]
    planned: int
    schedule: str


@dataclass
class FollowUpNeeds:
    flagged: list[FlaggedRow] = field(default_factory=list)
    missing: list[MissingRow] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.flagged or self.missing)


def _mark_members_flags(engagement: Engagement, rows: list[FlaggedRow]) -> None:
    """Who marked each flagged answer: a member marks it through the audited service (its latest mark in the
    audit trail); a respondent marks it while answering (no entry). One query whatever the number of rows."""
    if not rows:
        return
    marked_by: dict[str, str] = {}
    for object_id, actor, changes in (
        AuditEntry.objects.filter(
            engagement=engagement, object_type="survey.answer", object_id__in=[str(r.answer_id) for r in rows]
        )
        .order_by("-at", "-pk")
        .values_list("object_id", "actor_label", "changes")
    ):
        change = (changes or {}).get("flagged")
        if object_id not in marked_by and isinstance(change, list) and len(change) == 2:
            marked_by[object_id] = actor if change[1] is True else ""
    for row in rows:
        member = marked_by.get(str(row.answer_id))
        if member:
            row.flagged_by, row.by_respondent = member, False


def follow_up_needs(engagement: Engagement) -> FollowUpNeeds:
    """Answers flagged for a face-to-face talk, and the processes (or the management system) missing many
    answers, each with the query that pre-fills a new interview with the subject and its respondents."""
    names = lens_process_names()
    data = load_survey(Questionnaire.objects.filter(engagement=engagement).order_by("order", "pk"))
    planned: dict[str, int] = {}
    # The first upcoming interview per (subject, attendee): a flagged answer shows it instead of "Schedule".
    planned_with: dict[tuple[str, int], PlannedRef] = {}
    for upcoming in (
        Interview.objects.filter(engagement=engagement, status=InterviewStatus.PLANNED, starts_at__gte=timezone.now())
        .order_by("starts_at", "pk")
        .prefetch_related(Prefetch("attendees", queryset=Person.objects.only("pk")))
    ):
        planned[upcoming.process_code] = planned.get(upcoming.process_code, 0) + 1
        ref = PlannedRef(id=upcoming.pk, title=upcoming.title, starts_at=upcoming.starts_at)
        for attendee in upcoming.attendees.all():
            planned_with.setdefault((upcoming.process_code, attendee.pk), ref)
    needs = FollowUpNeeds()
    per_subject: dict[str, dict[str, Any]] = {}
    for questionnaire in data.questionnaires:
        code = questionnaire.process_code if questionnaire.kind == QuestionnaireKind.PROCESS else ""
        subject = subject_name(code, names)
        tally = per_subject.setdefault(code, {"missing": 0, "expected": 0, "people": {}})
        for response in data.responses_to(questionnaire):
            person = response.respondent.person
            started = response.status != ResponseStatus.NOT_STARTED
            for question in data.questions(questionnaire):
                answer = data.answer(response, question)
                if answer is not None and answer.flagged:
                    needs.flagged.append(
                        FlaggedRow(
                            answer_id=answer.pk,
                            person_id=person.pk,
                            person=person.name,
                            questionnaire=questionnaire.tr.title,
                            process_code=code,
                            subject=subject,
                            question=question.tr.text,
                            answer=shorten(answer_text(question, answer.value, data.files_of(answer), names), 200),
                            note=answer.flag_note,
                            draft=response.status != ResponseStatus.SUBMITTED,
                            schedule=schedule_query(code, [person.pk]),
                            flagged_by=person.name,
                            planned=planned_with.get((code, person.pk)),
                        )
                    )
                if started:
                    tally["expected"] += 1
                    if not data.answered(response, question):
                        tally["missing"] += 1
                        tally["people"].setdefault(person.pk, person.name)
    _mark_members_flags(engagement, needs.flagged)
    order = {"": -1} | {code: i for i, code in enumerate(names)}
    for code, tally in sorted(per_subject.items(), key=lambda kv: order.get(kv[0], 99)):
        if many_missing(tally["missing"], tally["expected"]):
            ids = list(tally["people"])
            needs.missing.append(
                MissingRow(
                    process_code=code,
                    subject=subject_name(code, names),
                    missing=tally["missing"],
                    expected=tally["expected"],
                    people=list(tally["people"].values()),
                    person_ids=ids,
                    planned=planned.get(code, 0),
                    schedule=schedule_query(code, ids),
                )
            )
    return needs


# --- The interview guide -------------------------------------------------------------------------------


@dataclass
class PersonRef:
    id: int
    name: str
    email: str = ""


@dataclass
class GuideAnswer:
    person: str
    answer: str = ""
    note: str = ""
    draft: bool = False


@dataclass
class GuideQuestion:
    question: str
    section: str = ""
    questionnaire: str = ""
    answers: list[GuideAnswer] = field(default_factory=list)
    more: int = 0  # answers left out of a digest


@dataclass
class GuideFollowUp:
    text: str
    owner: str
    due_date: datetime.date | None
    interview: str
    interview_starts_at: datetime.datetime


@dataclass
class Guide:
    """The interview guide as plain data, rendered as HTML on the page, as .docx and in the invitation."""

    interview_id: int
    title: str
    process_code: str
    subject: str
    status: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    duration_minutes: int
    location: str
    call_link: str
    attendees: list[PersonRef]
    interviewer: str
    interviewer_email: str
    uid: str
    version: int
    time_zone: str = "UTC"  # the engagement's: the guide, the page and the invitation give times in it
    questionnaires: list[str] = field(default_factory=list)
    respondents: list[str] = field(default_factory=list)
    fallback: bool = False  # no attendee answered: the guide uses every response to the questionnaires
    not_started: list[str] = field(default_factory=list)
    flagged: list[GuideQuestion] = field(default_factory=list)
    unanswered: list[GuideQuestion] = field(default_factory=list)
    answered_no: list[GuideQuestion] = field(default_factory=list)
    digest: list[GuideQuestion] = field(default_factory=list)
    follow_ups: list[GuideFollowUp] = field(default_factory=list)

    @property
    def flagged_count(self) -> int:
        return sum(len(q.answers) for q in self.flagged)

    @property
    def missing_count(self) -> int:
        return sum(len(q.answers) for q in self.unanswered)

    @property
    def empty(self) -> bool:
        return not (self.flagged or self.unanswered or self.answered_no or self.digest or self.follow_ups)

    def first_items(self, limit: int = 5) -> list[str]:
        """The first questions to raise: flagged ones, then unanswered, then required ones answered no."""
        items = [q.question for q in self.flagged + self.unanswered + self.answered_no]
        return items[:limit]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(flagged_count=self.flagged_count, missing_count=self.missing_count)
        return data


def _guide_questionnaires(interview: Interview) -> QuerySet[Questionnaire]:
    if interview.process_code:
        wanted = Q(kind=QuestionnaireKind.PROCESS, process_code=interview.process_code)
    else:
        wanted = Q(kind=QuestionnaireKind.MANAGEMENT)
    return Questionnaire.objects.filter(wanted, engagement_id=interview.engagement_id).order_by("order", "pk")


def _fill_guide(guide: Guide, data: SurveyData, names: dict[str, str]) -> None:
    for questionnaire in data.questionnaires:
        guide.questionnaires.append(questionnaire.tr.title)
        responses = data.responses_to(questionnaire)
        started = [r for r in responses if r.status != ResponseStatus.NOT_STARTED]
        for response in responses:
            if (
                response.status == ResponseStatus.NOT_STARTED
                and response.respondent.person.name not in guide.not_started
            ):
                guide.not_started.append(response.respondent.person.name)
        for question in data.questions(questionnaire):
            common = {
                "question": question.tr.text,
                "section": question.tr.section,
                "questionnaire": questionnaire.tr.title,
            }
            flagged = GuideQuestion(**common)
            unanswered = GuideQuestion(**common)
            answered_no = GuideQuestion(**common)
            digest = GuideQuestion(**common)
            for response in started:
                answer = data.answer(response, question)
                person = response.respondent.person.name
                draft = response.status != ResponseStatus.SUBMITTED
                text = answer_text(question, answer.value, data.files_of(answer), names) if answer is not None else ""
                if answer is not None and answer.flagged:
                    flagged.answers.append(GuideAnswer(person=person, answer=text, note=answer.flag_note, draft=draft))
                if not data.answered(response, question):
                    unanswered.answers.append(GuideAnswer(person=person, draft=draft))
                    continue
                if (
                    question.kind == QuestionKind.YES_NO
                    and question.required
                    and answer is not None
                    and answer.value == "no"
                ):
                    answered_no.answers.append(GuideAnswer(person=person, answer=text, draft=draft))
                if len(digest.answers) < DIGEST_ANSWERS:
                    digest.answers.append(GuideAnswer(person=person, answer=shorten(text), draft=draft))
                else:
                    digest.more += 1
            for target, item in (
                (guide.flagged, flagged),
                (guide.unanswered, unanswered),
                (guide.answered_no, answered_no),
                (guide.digest, digest),
            ):
                if item.answers:
                    target.append(item)


def interview_guide(interview: Interview) -> Guide:
    """The guide for an interview, generated from the answers to its subject's questionnaires.

    It uses the attendees' responses, or every response to those questionnaires when no attendee has one.
    Parts: flagged answers, questions left unanswered (by whom), required yes/no questions answered "no", a
    digest of the current answers, and the open follow-ups of earlier interviews on the same subject."""
    names = lens_process_names()
    attendees = sorted(interview.attendees.all(), key=lambda p: (p.name.casefold(), p.pk))
    interviewer = interview.interviewer
    guide = Guide(
        interview_id=interview.pk,
        title=interview.title,
        process_code=interview.process_code,
        subject=subject_name(interview.process_code, names),
        status=interview.status,
        starts_at=interview.starts_at,
        ends_at=interview.ends_at,
        duration_minutes=interview.duration_minutes,
        location=interview.location,
        call_link=interview.call_link,
        attendees=[PersonRef(id=p.pk, name=p.name, email=p.email) for p in attendees],
        interviewer=(interviewer.get_full_name() or interviewer.get_username()) if interviewer else "",
        interviewer_email=interviewer.email if interviewer else "",
        uid=interview.uid,
        version=interview.version,
        time_zone=interview.engagement.time_zone,
    )
    questionnaires = _guide_questionnaires(interview)
    all_responses = Response.objects.filter(questionnaire__in=questionnaires)
    mine = all_responses.filter(respondent__person__in=[p.pk for p in attendees])
    use_mine = bool(attendees) and mine.exists()
    guide.fallback = not use_mine
    data = load_survey(questionnaires, responses=mine if use_mine else all_responses)
    seen: dict[str, None] = {}
    for response in data.responses:
        seen.setdefault(response.respondent.person.name, None)
    guide.respondents = list(seen)
    _fill_guide(guide, data, names)
    earlier = (
        FollowUp.objects.filter(
            interview__engagement_id=interview.engagement_id,
            interview__process_code=interview.process_code,
            interview__starts_at__lte=interview.starts_at,
            done=False,
        )
        .exclude(interview=interview)
        .select_related("interview", "owner")
        .order_by("due_date", "pk")
    )
    guide.follow_ups = [
        GuideFollowUp(
            text=f.text,
            owner=f.owner.name if f.owner else "",
            due_date=f.due_date,
            interview=f.interview.title,
            interview_starts_at=f.interview.starts_at,
        )
        for f in earlier
    ]
    return guide
