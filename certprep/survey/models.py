"""The preliminary survey: questionnaires, the people who answer them, campaigns with personal links,
answers, evidence files and the interviews that follow up on them."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certprep.catalogue.models import Translatable
from certprep.core.languages import translated
from certprep.core.models import VersionedModel
from certprep.core.timezones import zone
from certprep.engagements.models import Engagement
from certprep.people.models import Person
from certprep.survey.choices import (
    CampaignStatus,
    InterviewStatus,
    QuestionKind,
    QuestionnaireKind,
    ResponseStatus,
    Topic,
)


class Questionnaire(Translatable, VersionedModel):
    """A questionnaire of one engagement, copied from a shipped template and editable from then on.

    The management-system questionnaire goes to top management and the SMS or quality manager; a process
    questionnaire goes to the people who run one of the 13 processes."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="questionnaires")
    key = models.SlugField(_("key"), max_length=80, help_text=_("A short identifier, unique in the engagement."))
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionnaireKind.choices)
    process_code = models.SlugField(
        _("process"), max_length=50, blank=True, help_text=_("For a process questionnaire: the process it surveys.")
    )
    audience = models.JSONField(
        _("audience"), default=list, blank=True, help_text=_("The SMS roles that receive this questionnaire.")
    )
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True, help_text=_("Shown to respondents above the questions."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    template_key = models.CharField(max_length=80, blank=True, editable=False)
    template_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["engagement", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["engagement", "key"], name="questionnaire_key_unique")]

    def __str__(self) -> str:
        return self.tr.title


class Question(Translatable, VersionedModel):
    """One question of a questionnaire, with the guidance that tells respondents what a good answer contains."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("key"), max_length=80)
    order = models.PositiveIntegerField(_("order"), default=0)
    section = models.CharField(_("section"), max_length=200, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    guidance = models.TextField(
        _("what a good answer contains"), blank=True, help_text=_("Shown under the question to guide the respondent.")
    )
    required = models.BooleanField(_("required"), default=False)
    topic = models.CharField(
        _("topic"),
        max_length=20,
        choices=Topic.choices,
        default=Topic.OTHER,
        help_text=_("Which part of the process's current state the answer describes."),
    )
    options = models.JSONField(
        _("options"), default=list, blank=True, help_text=_("For choice questions: [{value, label}].")
    )
    columns = models.JSONField(_("columns"), default=list, blank=True, help_text=_("For tables: [{key, label}]."))
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "key"], name="question_key_unique")]

    def __str__(self) -> str:
        return self.tr.text[:80]

    def option_labels(self) -> list[tuple[str, str]]:
        """(value, label) pairs in the active language."""
        return [
            (o["value"], _localized_item(self, "options", o["value"], o.get("label", o["value"]))) for o in self.options
        ]

    def column_labels(self) -> list[tuple[str, str]]:
        return [(c["key"], _localized_item(self, "columns", c["key"], c.get("label", c["key"]))) for c in self.columns]


def _localized_item(question: Question, group: str, key: str, default: str) -> str:
    return translated(question.translations, group, key) or str(default)


class Campaign(VersionedModel):
    """One round of the questionnaire survey: which questionnaires go to whom, by when."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(_("name"), max_length=200)
    questionnaires = models.ManyToManyField(Questionnaire, related_name="campaigns", verbose_name=_("questionnaires"))
    deadline = models.DateField(
        _("deadline"), help_text=_("The last day to submit answers. Leave people time to gather documents.")
    )
    grace_days = models.PositiveSmallIntegerField(
        _("grace days"),
        default=7,
        validators=[MaxValueValidator(60)],
        help_text=_("Links keep working this many days after the deadline, for latecomers."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder days before the deadline"),
        default=2,
        validators=[MaxValueValidator(30)],
        help_text=_("Respondents who have not submitted get a reminder this many days before the deadline."),
    )
    message = models.TextField(
        _("message to respondents"), blank=True, help_text=_("A personal note added to the invitation e-mail.")
    )
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["engagement", "-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def links_last_day(self) -> datetime.date:
        """The last day on which the personal links work."""
        return self.deadline + datetime.timedelta(days=self.grace_days)

    @property
    def links_expire_at(self) -> datetime.datetime:
        """Personal links stop working at the end of the deadline day plus the grace days, on the
        organization's clock (the engagement's time zone)."""
        last_day = self.deadline + datetime.timedelta(days=self.grace_days + 1)
        return datetime.datetime.combine(last_day, datetime.time.min, tzinfo=zone(self.engagement.time_zone))


class Respondent(models.Model):
    """A person invited to a campaign, with their personal link.

    The link's secret is derived from a random nonce and the installation's secret key, so the database
    alone never reveals a working link, yet reminders can repeat the same link. A new nonce replaces the
    link (re-issue); `token_hash` finds the respondent from a link."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="respondents")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="respondents")
    token_nonce = models.CharField(max_length=64, editable=False, default=secrets.token_hex)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_issued_at = models.DateTimeField(_("link issued"), default=timezone.now)
    revoked_at = models.DateTimeField(_("link revoked"), null=True, blank=True)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)
    thanked_at = models.DateTimeField(_("thanked"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last opened"), null=True, blank=True)

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        ordering = ["campaign", "person__name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "person"], name="one_respondent_per_person")]

    def __str__(self) -> str:
        return f"{self.person} ({self.campaign})"


class Response(VersionedModel):
    """One respondent's answers to one questionnaire, from the first keystroke to the explicit submit."""

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="responses")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="responses")
    status = models.CharField(
        _("status"), max_length=12, choices=ResponseStatus.choices, default=ResponseStatus.NOT_STARTED
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["respondent", "questionnaire__order"]
        constraints = [
            models.UniqueConstraint(fields=["respondent", "questionnaire"], name="one_response_per_questionnaire")
        ]

    def __str__(self) -> str:
        return f"{self.respondent.person} - {self.questionnaire}"


class Answer(models.Model):
    """The current answer to one question of a response. Autosaved; `version` detects another tab's save."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField(_("answer"), null=True, blank=True)
    flagged = models.BooleanField(
        _("discuss face to face"), default=False, help_text=_("Brings the question into the interview guide.")
    )
    flag_note = models.CharField(_("what to discuss"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return f"{self.question.key}: {self.value!r}"[:100]


def _attachment_path(instance: Attachment, filename: str) -> str:
    # Random names: the stored path never reveals the respondent's file name or lets one guess another's.
    return f"survey/{instance.answer.response.respondent.campaign.engagement_id}/{secrets.token_hex(16)}"


class Attachment(models.Model):
    """An evidence file a respondent attached to an answer. Served only to engagement members and to
    the respondent through their link, never as a public media URL."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["answer", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Interview(VersionedModel):
    """A face-to-face (or call) follow-up on the questionnaire answers, with its minutes."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="interviews")
    title = models.CharField(_("title"), max_length=200)
    process_code = models.SlugField(
        _("process"), max_length=50, blank=True, help_text=_("Leave empty for the management system.")
    )
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=60, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    location = models.CharField(_("place"), max_length=200, blank=True, help_text=_("Meeting room or address."))
    call_link = models.URLField(_("call link"), blank=True, help_text=_("Video call address, if any."))
    attendees = models.ManyToManyField(Person, related_name="interviews", blank=True, verbose_name=_("attendees"))
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("interviewer"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=InterviewStatus.choices, default=InterviewStatus.PLANNED
    )
    minutes = models.TextField(_("minutes"), blank=True, help_text=_("What was said and agreed."))
    uid = models.CharField(max_length=80, unique=True, editable=False, default=secrets.token_hex)

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["engagement", "starts_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)


class FollowUp(models.Model):
    """An action agreed in an interview, with who does it by when."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="follow_ups")
    text = models.CharField(_("action"), max_length=500)
    owner = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups", verbose_name=_("owner")
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["interview", "done", "due_date", "id"]

    def __str__(self) -> str:
        return self.text
