"""Writes for interviews and their follow-ups. Each is one transaction, validated and audited; an edit of an
interview goes through the version the editor loaded, and bumps the version (the invitation's SEQUENCE)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.api_refs import MAX_ID
from certprep.core.audit import audit_record, diff, snapshot
from certprep.core.errors import ServiceError
from certprep.core.text import single_line
from certprep.core.timezones import zone
from certprep.core.versioning import delete_versioned, save_versioned
from certprep.engagements.models import Engagement, Membership
from certprep.people.models import Person
from certprep.survey.choices import InterviewStatus
from certprep.survey.models import FollowUp, Interview
from certprep.survey.selectors.interviews import subject_name
from certprep.survey.selectors.state import lens_process_names

INTERVIEW_FIELDS = [
    "title",
    "process_code",
    "starts_at",
    "duration_minutes",
    "location",
    "call_link",
    "interviewer",
    "status",
    "minutes",
]
MIN_DURATION, MAX_DURATION = 5, 600
MAX_MINUTES = 50_000
EARLIEST_YEAR, LATEST_YEAR = 1990, 2200
_http_url = URLValidator(schemes=["http", "https"])


def _text(data: dict[str, Any], name: str, limit: int, label: str) -> str:
    value = data.get(name)
    text = "" if value is None else str(value)
    if "\x00" in text:
        raise ServiceError(_("%(field)s contains a character that cannot be stored.") % {"field": label}, field=name)
    text = text.strip()
    if len(text) > limit:
        raise ServiceError(_("%(field)s may hold at most %(n)s characters.") % {"field": label, "n": limit}, field=name)
    return text


def _line(data: dict[str, Any], name: str, limit: int, label: str) -> str:
    """A single-line field: one line of text without control characters (core.text.single_line)."""
    return single_line(data.get(name), field=name, label=label, limit=limit)


def _id(value: Any) -> int:
    """A database id, or ValueError (also for numbers no database column holds)."""
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise ValueError(value)
    return number


def _attendees(engagement: Engagement, values: Iterable[Any]) -> list[Person]:
    """People of this engagement only: a person of another engagement (or an unknown id) is refused."""
    wanted: list[int] = []
    for value in values or []:
        if isinstance(value, Person):
            if value.engagement_id != engagement.pk:
                raise ServiceError(_("Attendees must be people of this engagement."), field="attendees")
            wanted.append(value.pk)
        else:
            try:
                wanted.append(_id(value))
            except (TypeError, ValueError) as exc:
                raise ServiceError(_("Attendees must be people of this engagement."), field="attendees") from exc
    wanted = list(dict.fromkeys(wanted))
    people = list(Person.objects.filter(engagement=engagement, pk__in=wanted).order_by("name", "pk"))
    if len(people) != len(wanted):
        raise ServiceError(_("Attendees must be people of this engagement."), field="attendees")
    return people


def _interviewer(engagement: Engagement, value: Any) -> Any:
    if value in (None, ""):
        return None
    user_model = get_user_model()
    if not isinstance(value, user_model):
        try:
            value = user_model.objects.filter(pk=_id(value)).first()
        except (TypeError, ValueError):
            value = None
    if value is None or not Membership.objects.filter(engagement=engagement, user=value).exists():
        raise ServiceError(_("The interviewer must be a member of this engagement."), field="interviewer")
    return value


def _clean(engagement: Engagement, data: dict[str, Any], current: Interview | None = None) -> dict[str, Any]:
    """The validated values of the fields present in `data` (all of them for a new interview)."""

    def given(name: str) -> bool:
        return current is None or name in data

    cleaned: dict[str, Any] = {}
    names = lens_process_names()
    if given("process_code"):
        code = _line(data, "process_code", 50, _("Process"))
        if code and names and code not in names:
            raise ServiceError(_("Unknown process: %(code)s") % {"code": code}, field="process_code")
        cleaned["process_code"] = code
    if given("title"):
        title = _line(data, "title", 200, _("Title"))
        if not title:
            if current is not None:
                raise ServiceError(_("An interview needs a title."), field="title")
            code = cleaned.get("process_code", "")
            title = _("Interview: %(subject)s") % {"subject": subject_name(code, names)}
        cleaned["title"] = title[:200]
    if given("starts_at"):
        starts_at = data.get("starts_at")
        if not isinstance(starts_at, datetime.datetime):
            raise ServiceError(_("Enter when the interview starts."), field="starts_at")
        if not EARLIEST_YEAR <= starts_at.year <= LATEST_YEAR:
            raise ServiceError(
                _("Enter a start between %(first)s and %(last)s.") % {"first": EARLIEST_YEAR, "last": LATEST_YEAR},
                field="starts_at",
            )
        if timezone.is_naive(starts_at):
            # A time without a zone is a wall-clock time where the organization works.
            starts_at = timezone.make_aware(starts_at, zone(engagement.time_zone))
        cleaned["starts_at"] = starts_at
    if given("duration_minutes"):
        duration = data.get("duration_minutes", 60 if current is None else None)
        if isinstance(duration, bool) or not isinstance(duration, int) or not MIN_DURATION <= duration <= MAX_DURATION:
            raise ServiceError(
                _("The duration must be between %(min)s and %(max)s minutes.")
                % {"min": MIN_DURATION, "max": MAX_DURATION},
                field="duration_minutes",
            )
        cleaned["duration_minutes"] = duration
    if given("location"):
        cleaned["location"] = _line(data, "location", 200, _("Place"))
    if given("call_link"):
        link = _line(data, "call_link", 200, _("Call link"))
        if link:
            try:
                _http_url(link)
            except ValidationError as exc:
                raise ServiceError(
                    _("The call link must be a web address starting with http:// or https://."), field="call_link"
                ) from exc
        cleaned["call_link"] = link
    if given("interviewer"):
        cleaned["interviewer"] = _interviewer(engagement, data.get("interviewer"))
    if given("status"):
        status = data.get("status") or InterviewStatus.PLANNED
        if status not in InterviewStatus.values:
            raise ServiceError(_("Unknown status: %(status)s") % {"status": status}, field="status")
        cleaned["status"] = status
    if given("minutes"):
        cleaned["minutes"] = _text(data, "minutes", MAX_MINUTES, _("Minutes"))
    if given("attendees"):
        cleaned["attendees"] = _attendees(engagement, data.get("attendees") or [])
    return cleaned


def _snapshot(interview: Interview, attendees: list[Person]) -> dict[str, Any]:
    values = snapshot(interview, INTERVIEW_FIELDS)
    values["attendees"] = [p.name for p in attendees]
    return values


@transaction.atomic
def interview_create(*, engagement: Engagement, actor: Actor, data: dict[str, Any]) -> Interview:
    """Schedule an interview. Needs a start; the title defaults to the subject (process or management system)."""
    cleaned = _clean(engagement, data)
    attendees = cleaned.pop("attendees")
    interview = Interview.objects.create(engagement=engagement, **cleaned)
    interview.attendees.set(attendees)
    audit_record(
        engagement=engagement, actor=actor, action="create", obj=interview, values=_snapshot(interview, attendees)
    )
    return interview


@transaction.atomic
def interview_update(*, interview: Interview, actor: Actor, expected_version: int, data: dict[str, Any]) -> Interview:
    """Change an interview if nobody saved it since `expected_version`; every save bumps the version."""
    stored = Interview.objects.select_related("interviewer").get(pk=interview.pk)
    before = _snapshot(stored, list(stored.attendees.order_by("name", "pk")))
    cleaned = _clean(interview.engagement, data, current=interview)
    attendees = cleaned.pop("attendees", None)
    for name, value in cleaned.items():
        setattr(interview, name, value)
    save_versioned(interview, expected_version=expected_version, fields=list(cleaned))
    if attendees is not None:
        interview.attendees.set(attendees)
    else:
        attendees = list(interview.attendees.order_by("name", "pk"))
    changes = diff(before, _snapshot(interview, attendees))
    if changes:
        audit_record(engagement=interview.engagement, actor=actor, action="update", obj=interview, changes=changes)
    return interview


@transaction.atomic
def interview_delete(*, interview: Interview, actor: Actor) -> None:
    """Delete the interview with its follow-ups, as stored when the row is locked (core.versioning)."""

    def record(stored: Interview) -> None:
        audit_record(
            engagement=interview.engagement,
            actor=actor,
            action="delete",
            obj=stored,
            values={"title": stored.title, "starts_at": stored.starts_at, "process_code": stored.process_code},
        )

    delete_versioned(interview, expected_version=None, conflict="", record=record)


@transaction.atomic
def followup_add(
    *,
    interview: Interview,
    actor: Actor,
    text: str,
    owner: Person | int | None = None,
    due_date: datetime.date | None = None,
) -> FollowUp:
    """Record an action agreed in the interview, optionally with its owner (a person of the engagement) and due date."""
    action = _line({"text": text}, "text", 500, _("Action"))
    if not action:
        raise ServiceError(_("Describe the action to follow up."), field="text")
    person = None
    if owner not in (None, ""):
        try:
            owner_id = owner.pk if isinstance(owner, Person) else _id(owner)
        except (TypeError, ValueError):
            owner_id = None
        person = Person.objects.filter(engagement=interview.engagement, pk=owner_id).first() if owner_id else None
        if person is None:
            raise ServiceError(_("The owner must be a person of this engagement."), field="owner")
    if due_date is not None and not isinstance(due_date, datetime.date):
        raise ServiceError(_("Enter the due date as YYYY-MM-DD."), field="due_date")
    follow_up = FollowUp.objects.create(interview=interview, text=action, owner=person, due_date=due_date)
    audit_record(
        engagement=interview.engagement,
        actor=actor,
        action="create",
        obj=follow_up,
        values={
            "interview": interview.title,
            "text": action,
            "owner": person.name if person else "",
            "due_date": due_date,
        },
    )
    return follow_up


@transaction.atomic
def followup_toggle(*, follow_up: FollowUp, actor: Actor, done: bool | None = None) -> FollowUp:
    """Mark a follow-up done, or open again. With `done` given (what the button said), two people
    pressing "Mark done" on the same page both leave it done instead of undoing each other."""
    follow_up = FollowUp.objects.select_for_update().select_related("interview__engagement").get(pk=follow_up.pk)
    if done is not None and follow_up.done == done:
        return follow_up
    follow_up.done = not follow_up.done
    follow_up.save(update_fields=["done"])
    audit_record(
        engagement=follow_up.interview.engagement,
        actor=actor,
        action="update",
        obj=follow_up,
        changes={"done": [not follow_up.done, follow_up.done]},
    )
    return follow_up


@transaction.atomic
def followup_delete(*, follow_up: FollowUp, actor: Actor) -> None:
    audit_record(
        engagement=follow_up.interview.engagement,
        actor=actor,
        action="delete",
        obj=follow_up,
        values={"interview": follow_up.interview.title, "text": follow_up.text},
    )
    follow_up.delete()
