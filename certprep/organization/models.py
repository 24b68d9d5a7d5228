"""The certification project's internal organization in an engagement: who sits on the steering committee and
in the project team (the engagement's people in project roles), how often each body meets, the decisions taken,
and top management's approvals of the documents it approves inside certprep (the budget, the plan, the
feasibility scheme), each with the figures as they stood when approved.

Every row belongs to one engagement; a member names one of its people, a decision may name a task of its plan or
one of its improvement topics."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from certprep.core.models import VersionedModel
from certprep.engagements.models import Engagement
from certprep.gaps.models import ImprovementTopic
from certprep.organization.choices import Body, Cadence, Concerns, ProjectRole, Weekday, WeekOfMonth
from certprep.people.models import Person
from certprep.planning.models import Task


class ProjectMember(VersionedModel):
    """A person of the engagement in a project role: on the steering committee (sponsor, chair, member) or in
    the project team (project manager, process owner, document writer, internal auditor, member). A person may
    sit in both bodies, once in each."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="project_members")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="project_roles")
    body = models.CharField(_("body"), max_length=10, choices=Body.choices, editable=False)
    role = models.CharField(_("project role"), max_length=20, choices=ProjectRole.choices)
    responsibilities = models.TextField(
        _("responsibilities"), blank=True, help_text=_("What this person answers for in the certification project.")
    )
    time_share = models.PositiveSmallIntegerField(
        _("time share (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("The share of their working time the project takes, from 0 to 100."),
    )

    class Meta:
        verbose_name = _("project member")
        verbose_name_plural = _("project members")
        ordering = ["engagement", "body", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "body"], name="project_member_once_per_body"),
            models.CheckConstraint(condition=Q(time_share__lte=100), name="project_member_share_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class MeetingSeries(VersionedModel):
    """A body's regular meeting: weekly, every two weeks or monthly on the n-th weekday, at a time of day in the
    engagement's time zone, between two dates. Its occurrences go into the engagement's calendar feed."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="meeting_series")
    body = models.CharField(_("body"), max_length=10, choices=Body.choices)
    title = models.CharField(_("title"), max_length=200)
    cadence = models.CharField(_("cadence"), max_length=12, choices=Cadence.choices, default=Cadence.WEEKLY)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, default=Weekday.MONDAY)
    week_of_month = models.SmallIntegerField(
        _("week of the month"),
        choices=WeekOfMonth.choices,
        default=WeekOfMonth.FIRST,
        help_text=_("For a monthly meeting: which of the month's weekdays it falls on."),
    )
    start_time = models.TimeField(_("starts at"), help_text=_("In the engagement's time zone."))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=60, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    from_date = models.DateField(_("from"))
    until_date = models.DateField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("Leave empty to meet until the plan's finish (or for six months when there is no plan)."),
    )
    location = models.CharField(_("meeting place"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["engagement", "body", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until_date__isnull=True) | Q(until_date__gte=F("from_date")),
                name="meeting_series_until_after_from",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Decision(VersionedModel):
    """A decision of the project: what was decided, when, by whom (people of the engagement and/or the user who
    recorded it), why, and what it concerns (an approvable document by its key, a plan task, an improvement
    topic, or nothing in particular)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="project_decisions")
    decided_on = models.DateField(_("date"))
    title = models.CharField(_("decision"), max_length=300)
    rationale = models.TextField(_("rationale"), blank=True)
    decided_by = models.ManyToManyField(Person, verbose_name=_("decided by"), blank=True, related_name="+")
    decided_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by (user)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by_user_name = models.CharField(_("user name"), max_length=150, blank=True)
    concerns = models.CharField(_("concerns"), max_length=10, choices=Concerns.choices, blank=True, default="")
    document = models.CharField(_("document"), max_length=40, blank=True)
    task = models.ForeignKey(
        Task, verbose_name=_("plan task"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    topic = models.ForeignKey(
        ImprovementTopic,
        verbose_name=_("improvement topic"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["engagement", "-decided_on", "-pk"]

    @property
    def deciders(self) -> list[str]:
        """Who decided, as named: the engagement's people, then the user who recorded themselves."""
        names = [person.name for person in self.decided_by.all()]
        return [*names, self.decided_by_user_name] if self.decided_by_user_name else names

    def __str__(self) -> str:
        return self.title


class Approval(models.Model):
    """Top management's approval of a document in the state it had: who approved it (the user, and their name
    or title as they typed it), when, with which note, and the document's figures then (a list of
    {"key", "label", "value"}) with their digest. `number` counts the document's approvals (version n). A revoked
    approval is kept, with who revoked it and when."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="approvals")
    document = models.CharField(_("document"), max_length=40)
    number = models.PositiveIntegerField(_("approval number"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by_name = models.CharField(_("user name"), max_length=150)
    approver_title = models.CharField(
        _("approved as"), max_length=150, help_text=_("Your name or title as it should appear, e.g. CEO.")
    )
    approved_at = models.DateTimeField(_("approved at"))
    note = models.TextField(_("note"), blank=True)
    figures = models.JSONField(_("figures as approved"), default=list)
    digest = models.CharField(_("digest"), max_length=64)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by_name = models.CharField(_("revoked by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["engagement", "document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "document", "number"], name="approval_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.document} #{self.number}"
