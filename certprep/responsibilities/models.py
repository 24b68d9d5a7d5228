"""The responsibility matrix: which role is Responsible, Accountable, Supportive, Consulted
or Informed for each activity of the 13 management processes, and which people hold the roles."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certprep.catalogue.models import Translatable
from certprep.core.models import VersionedModel
from certprep.engagements.models import Engagement
from certprep.people.choices import SmsRole
from certprep.people.models import Person
from certprep.responsibilities.choices import Letter


class Matrix(VersionedModel):
    """The settings of one engagement's responsibility matrix. The matrix itself is its roles, activities
    and letters; this row holds what applies to all of them."""

    engagement = models.OneToOneField(Engagement, on_delete=models.CASCADE, related_name="raci_matrix")
    rasci = models.BooleanField(
        _("RASCI"),
        default=False,
        help_text=_(
            "Adds S (Supportive) between A and C: roles that help the responsible role do the work. "
            "Plain RACI is enough for most organizations."
        ),
    )
    max_roles_per_person = models.PositiveSmallIntegerField(
        _("most roles per person"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_(
            "A person holding more matrix roles than this is flagged: too many hats on one head make "
            "the segregation of duties and the workload questionable to an auditor."
        ),
    )
    template_version = models.PositiveIntegerField(
        _("template version"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The version of the shipped template the matrix started from, if any."),
    )

    class Meta:
        verbose_name = _("responsibility matrix")
        verbose_name_plural = _("responsibility matrices")

    def __str__(self) -> str:
        return str(_("Responsibility matrix of %(engagement)s") % {"engagement": self.engagement.name})


class MatrixRole(Translatable, VersionedModel):
    """A role of the matrix (a column), e.g. "Process manager" or "Service desk". People hold roles;
    a role is not a person, so one person may hold several roles and several people one role.

    A column linked to an SMS role (`sms_role`) takes its holders from the people's roles: the "Process
    owner" column of change management shows the people who own change management. Other columns (the
    service desk, an internal auditor) list their holders here (`RoleHolder`)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="raci_roles")
    key = models.SlugField(_("key"), max_length=80, help_text=_("A short identifier, unique in the engagement."))
    name = models.CharField(_("name"), max_length=200)
    sms_role = models.CharField(
        _("SMS role"),
        max_length=30,
        choices=SmsRole.choices,
        blank=True,
        help_text=_("When set, the column's holders are the people holding this SMS role (for the row's process)."),
    )
    translations = models.JSONField(default=dict, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("matrix role")
        verbose_name_plural = _("matrix roles")
        ordering = ["engagement", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "key"], name="raci_role_key_unique"),
            models.UniqueConstraint(
                fields=["engagement", "sms_role"], condition=~Q(sms_role=""), name="raci_role_sms_role_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def linked(self) -> bool:
        """Whether the holders come from the people's roles rather than from this column's own list."""
        return bool(self.sms_role)


class Activity(Translatable, VersionedModel):
    """One activity of a management process (a row), e.g. "Log and classify incidents" in incident
    management; each role gets at most one letter for it."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="raci_activities")
    process_code = models.SlugField(_("process"), max_length=50, help_text=_("One of the 13 management processes."))
    key = models.SlugField(_("key"), max_length=80, help_text=_("A short identifier, unique in the process."))
    name = models.CharField(_("name"), max_length=300)
    translations = models.JSONField(default=dict, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["engagement", "process_code", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "process_code", "key"], name="raci_activity_key_unique")
        ]
        indexes = [models.Index(fields=["engagement", "process_code", "order"])]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """One filled cell of the matrix: the letter a role has for an activity. An empty cell has no row."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="assignments")
    role = models.ForeignKey(MatrixRole, on_delete=models.CASCADE, related_name="assignments")
    letter = models.CharField(_("letter"), max_length=1, choices=Letter.choices)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [models.UniqueConstraint(fields=["activity", "role"], name="raci_one_letter_per_cell")]

    def __str__(self) -> str:
        return f"{self.activity} / {self.role}: {self.letter}"


class RoleHolder(models.Model):
    """A person of the organization who holds a matrix column that is not an SMS role, e.g. Lee works at the
    service desk. Columns linked to an SMS role take their holders from the people's roles instead."""

    role = models.ForeignKey(MatrixRole, on_delete=models.CASCADE, related_name="holders")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="raci_roles")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role holder")
        verbose_name_plural = _("role holders")
        ordering = ["role", "person__name", "id"]
        constraints = [models.UniqueConstraint(fields=["role", "person"], name="raci_role_held_once")]

    def __str__(self) -> str:
        return f"{self.person} - {self.role}"
