"""Writes for survey campaigns: choose questionnaires and respondents, send personal links, remind,
revoke and re-issue links, reopen a submitted response."""

from __future__ import annotations

import base64
import datetime
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.audit import audit_record, diff, snapshot
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.mail import mail_send
from certprep.core.text import single_line, without_control_characters
from certprep.core.timezones import zone
from certprep.core.tokens import token_hash
from certprep.core.versioning import save_versioned
from certprep.engagements.models import Engagement
from certprep.people.choices import PROCESS_ROLES
from certprep.people.models import Person
from certprep.people.rules import Pair
from certprep.people.selectors import pairs_by_person, pairs_of
from certprep.survey.choices import CampaignStatus, QuestionnaireKind, ResponseStatus
from certprep.survey.models import Campaign, Questionnaire, Respondent, Response
from certprep.survey.selectors.tracking import RESPONDENT_MAIL

CAMPAIGN_FIELDS = ["name", "deadline", "grace_days", "reminder_days", "message"]
# At most one reminder per person in this interval, sent by hand or by the daily run alike. 20 hours, not 24:
# a daily run that starts a few minutes earlier than the day before must still remind.
REMINDER_INTERVAL = datetime.timedelta(hours=20)
REMINDER_INTERVAL_HOURS = int(REMINDER_INTERVAL.total_seconds() // 3600)


def respondent_token(respondent: Respondent) -> str:
    """The secret of the respondent's current link: 256 bits, reproducible only with the secret key."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"certprep.survey-link:{respondent.token_nonce}".encode(), "sha256")
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


def respondent_new(campaign: Campaign, person: Person) -> Respondent:
    respondent = Respondent(campaign=campaign, person=person, token_nonce=secrets.token_hex(16))
    respondent.token_hash = token_hash(respondent_token(respondent))
    return respondent


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Monday-to-Friday days after `start` up to and including `end`."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + datetime.timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


def deadline_warning(*, engagement: Engagement, deadline: datetime.date, today: datetime.date | None = None) -> str:
    """A warning when the deadline leaves less preparation time than the engagement's minimum, else ""."""
    today = today or timezone.localdate()
    days = working_days_between(today, deadline)
    minimum = engagement.survey_preparation_days
    if days >= minimum:
        return ""
    return _(
        "The deadline leaves %(days)s working days to prepare; this engagement asks for at least %(minimum)s so "
        "respondents can gather documents. Consider a later deadline."
    ) % {"days": days, "minimum": minimum}


def questionnaires_for(
    person: Person, questionnaires: Iterable[Questionnaire], *, pairs: Iterable[Pair] | None = None
) -> list[Questionnaire]:
    """The questionnaires a person receives, from the roles they hold (`pairs`, read when not given): a
    questionnaire whose audience names one of the person's roles; for a process questionnaire, a process role
    counts only when it is held for that questionnaire's process (the owner of change management receives the
    change questionnaire, not the capacity one), while an SMS-wide role in its audience counts as such."""
    held = list(pairs) if pairs is not None else pairs_of(person)
    chosen = []
    for questionnaire in questionnaires:
        audience = set(questionnaire.audience or [])
        for role, code in held:
            if role not in audience:
                continue
            if (
                questionnaire.kind == QuestionnaireKind.PROCESS
                and role in PROCESS_ROLES
                and code != questionnaire.process_code
            ):
                continue
            chosen.append(questionnaire)
            break
    return chosen


@dataclass(frozen=True)
class Selection:
    """Who would receive what, before a campaign is created."""

    assignments: list[tuple[Person, list[Questionnaire]]]
    people_without_email: list[Person]

    @property
    def respondent_count(self) -> int:
        return len(self.assignments)


def campaign_preview(
    *,
    engagement: Engagement,
    questionnaire_ids: Iterable[int],
    roles: Iterable[str] = (),
    departments: Iterable[str] = (),
) -> Selection:
    questionnaires = list(engagement.questionnaires.filter(pk__in=list(questionnaire_ids)).order_by("order", "id"))
    roles, departments = set(roles), {d for d in departments if d}
    held = pairs_by_person(engagement)
    assignments = []
    for person in engagement.people.order_by("name", "id"):
        pairs = held.get(person.pk, [])
        if roles and not roles & {role for role, _code in pairs}:
            continue
        if departments and person.department not in departments:
            continue
        chosen = questionnaires_for(person, questionnaires, pairs=pairs)
        if chosen:
            assignments.append((person, chosen))
    return Selection(assignments=assignments, people_without_email=[p for p, _q in assignments if not p.email])


def _campaign_name(value: Any) -> str:
    return single_line(value, field="name", label=_("The campaign name"), limit=200)


def _check_campaign(values: dict[str, Any], *, deadline_changed: bool = True) -> None:
    if not str(values.get("name") or "").strip():
        raise ServiceError(_("A campaign needs a name."), field="name")
    if not isinstance(values.get("deadline"), datetime.date):
        raise ServiceError(_("Set a deadline."), field="deadline")
    if deadline_changed and values["deadline"] < timezone.localdate():
        raise ServiceError(_("The deadline is in the past."), field="deadline")
    if not 0 <= int(values.get("grace_days", 0)) <= 60:
        raise ServiceError(_("Grace days must be between 0 and 60."), field="grace_days")
    if not 0 <= int(values.get("reminder_days", 0)) <= 30:
        raise ServiceError(_("Reminder days must be between 0 and 30."), field="reminder_days")


@transaction.atomic
def campaign_create(
    *,
    engagement: Engagement,
    actor: Actor,
    name: str,
    deadline: datetime.date,
    questionnaire_ids: Iterable[int],
    roles: Iterable[str] = (),
    departments: Iterable[str] = (),
    grace_days: int = 7,
    reminder_days: int = 2,
    message: str = "",
) -> Campaign:
    """A draft campaign with its respondents and their (not yet started) responses."""
    values = {
        "name": _campaign_name(name),
        "deadline": deadline,
        "grace_days": grace_days,
        "reminder_days": reminder_days,
        "message": message,
    }
    _check_campaign(values)
    selection = campaign_preview(
        engagement=engagement, questionnaire_ids=questionnaire_ids, roles=roles, departments=departments
    )
    if not selection.assignments:
        raise ServiceError(
            _("Nobody matches: check the people's roles and processes, or choose other questionnaires or roles.")
        )
    campaign = Campaign.objects.create(
        engagement=engagement, created_by=actor if actor.is_authenticated else None, **values
    )
    chosen = {q.pk for _p, qs in selection.assignments for q in qs}
    campaign.questionnaires.set(chosen)
    respondents = Respondent.objects.bulk_create(
        respondent_new(campaign, person) for person, _qs in selection.assignments
    )
    Response.objects.bulk_create(
        Response(respondent=respondent, questionnaire=questionnaire)
        for respondent, (_person, questionnaires) in zip(respondents, selection.assignments, strict=True)
        for questionnaire in questionnaires
    )
    audit_record(
        engagement=engagement,
        actor=actor,
        action="create",
        obj=campaign,
        values={**snapshot(campaign, CAMPAIGN_FIELDS), "respondents": len(respondents)},
    )
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, actor: Actor, expected_version: int, data: dict[str, Any]) -> Campaign:
    before = snapshot(Campaign.objects.get(pk=campaign.pk), CAMPAIGN_FIELDS)
    if "name" in data:
        data = {**data, "name": _campaign_name(data["name"])}
    fields = [f for f in CAMPAIGN_FIELDS if f in data]
    for name in fields:
        setattr(campaign, name, data[name])
    # A passed deadline may stay as it is (e.g. while only the grace days are extended); a new one must lie ahead.
    _check_campaign(
        snapshot(campaign, CAMPAIGN_FIELDS) | {"deadline": campaign.deadline},
        deadline_changed=str(campaign.deadline) != before["deadline"],
    )
    save_versioned(campaign, expected_version=expected_version, fields=fields)
    changes = diff(before, snapshot(campaign, CAMPAIGN_FIELDS))
    if changes:
        audit_record(engagement=campaign.engagement, actor=actor, action="update", obj=campaign, changes=changes)
    return campaign


def respondent_link(token: str, base_url: str | None = None) -> str:
    path = reverse("survey:respond", args=[token])
    return f"{(base_url or settings.CERTPREP_BASE_URL).rstrip('/')}{path}"


def _mail(respondent: Respondent, template: str, subject: str, link: str | None, base_url: str | None) -> bool:
    person = respondent.person
    if not person.email:
        return False
    campaign = respondent.campaign
    body = render_to_string(
        f"survey/email/{template}.txt",
        {
            "person": person,
            "campaign": campaign,
            "engagement": campaign.engagement,
            "link": link,
            "questionnaires": [r.questionnaire for r in respondent.responses.select_related("questionnaire")],
            "expires_at": campaign.links_expire_at,
        },
    )
    mail_send(
        subject=subject,
        body=body,
        to=[(person.name, person.email)],
        engagement_id=campaign.engagement_id,
        topic=RESPONDENT_MAIL,
        object_id=respondent.pk,
    )
    return True


def _issue(respondent: Respondent) -> str:
    """Replace the respondent's link with a new one (the old one stops working) and return its secret."""
    respondent.token_nonce = secrets.token_hex(16)
    token = respondent_token(respondent)
    respondent.token_hash = token_hash(token)
    respondent.token_issued_at = timezone.now()
    respondent.revoked_at = None
    respondent.save(update_fields=["token_nonce", "token_hash", "token_issued_at", "revoked_at"])
    return token


@transaction.atomic
def campaign_send(
    *, campaign: Campaign, actor: Actor, base_url: str | None = None, notify: bool = True
) -> dict[str, Any]:
    """Open the campaign: e-mail every respondent with an address their personal link. Returns
    {"sent": n, "links": {respondent id: link}}; links can also be copied by hand from the campaign page.
    notify=False opens the campaign without e-mails (the demo data)."""
    given, campaign = campaign, Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.DRAFT:
        raise ServiceError(_("This campaign has already been sent."))
    if campaign.deadline < timezone.localdate():
        raise ServiceError(_("The deadline is in the past; change it before sending."), field="deadline")
    now = timezone.now()
    sent, links = 0, {}
    campaign.status = CampaignStatus.OPEN
    campaign.sent_at = now
    campaign.save(update_fields=["status", "sent_at"])
    given.status, given.sent_at = campaign.status, campaign.sent_at
    for respondent in campaign.respondents.select_related("person", "campaign__engagement"):
        link = respondent_link(respondent_token(respondent), base_url)
        links[respondent.pk] = link
        subject = _("Survey for the ISO/IEC 20000 preparation: %(campaign)s") % {"campaign": campaign.name}
        if notify and _mail(respondent, "invitation", subject, link, base_url):
            respondent.invited_at = now
            respondent.save(update_fields=["invited_at"])
            sent += 1
    audit_record(
        engagement=campaign.engagement,
        actor=actor,
        action="update",
        obj=campaign,
        changes={"status": [CampaignStatus.DRAFT, CampaignStatus.OPEN]},
        values={"e-mails": sent},
    )
    return {"sent": sent, "links": links}


@transaction.atomic
def campaign_close(*, campaign: Campaign, actor: Actor) -> Campaign:
    """Stop accepting answers: every link of the campaign stops working."""
    if Campaign.objects.select_for_update().get(pk=campaign.pk).status != CampaignStatus.OPEN:
        raise ServiceError(_("Only an open campaign can be closed."))
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.CLOSED)
    campaign.status = CampaignStatus.CLOSED
    audit_record(
        engagement=campaign.engagement, actor=actor, action="update", obj=campaign,
        changes={"status": [CampaignStatus.OPEN, CampaignStatus.CLOSED]},
    )  # fmt: skip
    return campaign


@transaction.atomic
def link_reissue(*, respondent: Respondent, actor: Actor, send: bool = False, base_url: str | None = None) -> str:
    """A new personal link for the respondent; the previous link stops working at once."""
    if respondent.campaign.status == CampaignStatus.DRAFT:
        raise ServiceError(_("Send the campaign first; links are issued when it is sent."))
    if respondent.campaign.status == CampaignStatus.CLOSED:
        raise ServiceError(_("The campaign is closed; its links no longer open the questionnaires."))
    if timezone.now() >= respondent.campaign.links_expire_at:
        raise ServiceError(_("The links of this campaign have expired. Move the deadline or add grace days first."))
    token = _issue(respondent)
    link = respondent_link(token, base_url)
    if send:
        subject = _("Your new survey link: %(campaign)s") % {"campaign": respondent.campaign.name}
        _mail(respondent, "invitation", subject, link, base_url)
    audit_record(
        engagement=respondent.campaign.engagement, actor=actor, action="update", obj=respondent,
        values={"link": _("re-issued")},
    )  # fmt: skip
    return link


@transaction.atomic
def link_revoke(*, respondent: Respondent, actor: Actor) -> None:
    if respondent.revoked_at:
        return
    respondent.revoked_at = timezone.now()
    respondent.save(update_fields=["revoked_at"])
    audit_record(
        engagement=respondent.campaign.engagement, actor=actor, action="update", obj=respondent,
        values={"link": _("revoked")},
    )  # fmt: skip


LinkAction = Literal["show", "reissue", "revoke"]


def link_use(
    *, respondent: Respondent, actor: Actor, action: LinkAction, send: bool = False, base_url: str | None = None
) -> str | None:
    """What an owner does with a respondent's personal link, from the page or the API: show the working link,
    re-issue it (e-mailed when `send`) or revoke it. Returns the working link (None after a revocation)."""
    if respondent.campaign.status == CampaignStatus.DRAFT:
        raise ServiceError(_("Send the campaign first; links work once it is sent."))
    if action == "reissue":
        return link_reissue(respondent=respondent, actor=actor, send=send, base_url=base_url)
    if action == "revoke":
        link_revoke(respondent=respondent, actor=actor)
        return None
    if respondent.revoked_at:
        raise ServiceError(_("This link was revoked. Issue a new one to let the person answer again."))
    return respondent_link(respondent_token(respondent), base_url)


@dataclass(frozen=True)
class ReminderRun:
    """What a reminder run did (or, previewed, would do)."""

    sent: int  # reminded now (previewed: would be)
    recent: int  # not reminded again: they had a reminder less than REMINDER_INTERVAL ago
    next_at: datetime.datetime | None  # when the first of those can be reminded again
    refusal: str = ""  # why nobody can be reminded at all


def _pending(campaign: Campaign) -> QuerySet[Respondent]:
    """Respondents with an e-mail address and a working link who have not submitted everything."""
    return (
        campaign.respondents.select_related("person", "campaign__engagement")
        .filter(revoked_at=None)
        .exclude(person__email="")
        .filter(responses__status__in=[ResponseStatus.NOT_STARTED, ResponseStatus.IN_PROGRESS])
        .distinct()
        .order_by("pk")
    )


def _reminder_refusal(campaign: Campaign, now: datetime.datetime) -> str:
    if campaign.status != CampaignStatus.OPEN:
        return _("Only an open campaign sends reminders.")
    if now >= campaign.links_expire_at:  # a reminder with a link that no longer works would only confuse
        return _(
            "The links of this campaign have expired, so a reminder would not help. "
            "Move the deadline or add grace days first."
        )
    return ""


def _split(respondents: list[Respondent], now: datetime.datetime) -> tuple[list[Respondent], list[Respondent]]:
    """(those who may be reminded now, those reminded less than REMINDER_INTERVAL ago)."""
    due = [r for r in respondents if r.reminded_at is None or now - r.reminded_at >= REMINDER_INTERVAL]
    recent = [r for r in respondents if r not in due]
    return due, recent


def _next_at(recent: list[Respondent]) -> datetime.datetime | None:
    moments = [r.reminded_at for r in recent if r.reminded_at]
    return min(moments) + REMINDER_INTERVAL if moments else None


def reminders_preview(*, campaign: Campaign, now: datetime.datetime | None = None) -> ReminderRun:
    """Who "Send reminders now" would remind, for the confirmation page."""
    now = now or timezone.now()
    refusal = _reminder_refusal(campaign, now)
    if refusal:
        return ReminderRun(sent=0, recent=0, next_at=None, refusal=refusal)
    due, recent = _split(list(_pending(campaign)), now)
    return ReminderRun(sent=len(due), recent=len(recent), next_at=_next_at(recent))


def reminders_run(
    *,
    campaign: Campaign,
    actor: Actor | None,
    base_url: str | None = None,
    only_due: bool = False,
    now: datetime.datetime | None = None,
) -> ReminderRun:
    """Remind every respondent who has not submitted everything, with their current link, unless they had a
    reminder less than REMINDER_INTERVAL ago. With only_due (the daily run), only within the campaign's
    reminder window. Days and dates are the engagement's (its time zone)."""
    now = now or timezone.now()
    with timezone.override(zone(campaign.engagement.time_zone)):
        refusal = _reminder_refusal(campaign, now)
        if refusal:
            return ReminderRun(sent=0, recent=0, next_at=None, refusal=refusal)
        today = timezone.localdate(now)
        if only_due and not (
            campaign.deadline - datetime.timedelta(days=campaign.reminder_days) <= today <= campaign.deadline
        ):
            return ReminderRun(sent=0, recent=0, next_at=None)
        due, recent = _split(list(_pending(campaign)), now)
        subject = _("Reminder: the survey closes on %(deadline)s") % {
            "deadline": formats.date_format(campaign.deadline, "DATE_FORMAT")
        }
        count = 0
        for respondent in due:
            with transaction.atomic():
                # Compare and write: of two runs at the same moment (a double click, the daily run) one reminds.
                claimed = (
                    Respondent.objects.filter(pk=respondent.pk)
                    .filter(Q(reminded_at=None) | Q(reminded_at__lte=now - REMINDER_INTERVAL))
                    .update(reminded_at=now)
                )
                if not claimed:
                    recent.append(respondent)
                    continue
                token = respondent_token(respondent)
                if _mail(respondent, "reminder", subject, respondent_link(token, base_url), base_url):
                    count += 1
    if count:
        audit_record(
            engagement=campaign.engagement, actor=actor or "system", action="update", obj=campaign,
            values={"reminders": count},
        )  # fmt: skip
    return ReminderRun(sent=count, recent=len(recent), next_at=_next_at(recent) if recent else None)


def reminders_send(*, campaign: Campaign, actor: Actor, base_url: str | None = None, only_due: bool = False) -> int:
    """The number of reminders sent by reminders_run."""
    return reminders_run(campaign=campaign, actor=actor, base_url=base_url, only_due=only_due).sent


@transaction.atomic
def response_reopen(*, response: Response, actor: Actor) -> Response:
    """Let the respondent change a submitted questionnaire again (their link must still work)."""
    if response.status != ResponseStatus.SUBMITTED:
        raise ServiceError(_("Only a submitted questionnaire can be reopened."))
    if response.respondent.campaign.status != CampaignStatus.OPEN:
        raise ServiceError(_("The campaign is closed: the respondent could not open the questionnaire again."))
    if timezone.now() >= response.respondent.campaign.links_expire_at:
        raise ServiceError(_("The links of this campaign have expired. Move the deadline or add grace days first."))
    Response.objects.filter(pk=response.pk).update(
        status=ResponseStatus.IN_PROGRESS, reopened_at=timezone.now(), version=response.version + 1
    )
    response.refresh_from_db()
    audit_record(
        engagement=response.respondent.campaign.engagement, actor=actor, action="update", obj=response,
        changes={"status": [ResponseStatus.SUBMITTED, ResponseStatus.IN_PROGRESS]},
    )  # fmt: skip
    return response


def thanks_send(*, respondent: Respondent, base_url: str | None = None) -> bool:
    """Thank a respondent who has submitted all their questionnaires (once)."""
    subject = _("Thank you for your answers: %(campaign)s") % {"campaign": respondent.campaign.name}
    if _mail(respondent, "thanks", subject, None, base_url):
        Respondent.objects.filter(pk=respondent.pk).update(thanked_at=timezone.now())
        return True
    return False


@transaction.atomic
def answer_flag(
    *, answer: Any, actor: Actor, flagged: bool, note: str = "", seen: tuple[bool, str] | None = None
) -> None:
    """An analyst marks an answer "discuss face to face" (or clears the mark) for the interview guide.

    `seen` is the mark and note the analyst's page showed; if the respondent changed them since, the
    change is refused rather than replacing the respondent's note. The answer's version stays: the
    value is not touched, so the respondent's typing goes on without a conflict."""
    note = without_control_characters(note)[:500]
    stored = type(answer).objects.select_for_update().get(pk=answer.pk)
    if seen is not None and (stored.flagged, stored.flag_note) != (seen[0], seen[1]):
        raise ConflictError(
            _(
                "The discussion mark of this answer was changed since you opened the page (now: %(note)s). "
                "Look at it again first."
            )
            % {"note": stored.flag_note or (_("marked") if stored.flagged else _("not marked"))},
            current=stored,
        )
    before = {"flagged": stored.flagged, "flag_note": stored.flag_note}
    type(answer).objects.filter(pk=answer.pk).update(flagged=flagged, flag_note=note if flagged else "")
    answer.flagged, answer.flag_note = flagged, (note if flagged else "")
    changes = diff(before, {"flagged": answer.flagged, "flag_note": answer.flag_note})
    if changes:
        audit_record(
            engagement=answer.response.respondent.campaign.engagement,
            actor=actor,
            action="update",
            obj=answer,
            changes=changes,
        )
