"""The implementation plan of an engagement: its tasks (a WBS outline), the dependencies between them, the
people assigned, and the working calendar the plan is scheduled on.

Every row reaches its engagement: a plan and a calendar belong to one engagement, tasks and dependencies to
one plan, assignments to one task; the services refuse links across plans and people of other engagements.
Dates are computed (certprep.planning.selectors.schedule), never stored: only what people decide is kept.
"""

from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certprep.catalogue.models import Translatable
from certprep.core.models import VersionedModel
from certprep.engagements.models import Engagement
from certprep.gaps.models import ImprovementTopic
from certprep.people.models import Person
from certprep.planning.choices import ConstraintType, LagUnit, LinkType, TaskOrigin

MONDAY_TO_FRIDAY = [0, 1, 2, 3, 4]


def _workweek_default() -> list[int]:
    return list(MONDAY_TO_FRIDAY)


class Plan(VersionedModel):
    """The engagement's certification implementation plan: when work starts, how long the service management
    system must operate before the stage 1 audit, and which version of the shipped template generated it."""

    engagement = models.OneToOneField(Engagement, on_delete=models.CASCADE, related_name="plan")
    start_date = models.DateField(_("start"))
    minimum_operating_months = models.PositiveSmallIntegerField(
        _("minimum operating time before stage 1 (months)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("Certification bodies expect the SMS to have operated for some months before the stage 1 audit."),
    )
    template_version = models.PositiveIntegerField(_("template version"), default=0)
    generated_at = models.DateTimeField(_("generated"), null=True, blank=True)

    class Meta:
        verbose_name = _("implementation plan")
        verbose_name_plural = _("implementation plans")

    def __str__(self) -> str:
        return str(_("Plan of %(engagement)s") % {"engagement": self.engagement})


class Task(Translatable, VersionedModel):
    """A task of the plan: a stage or summary task when other tasks sit below it, a milestone when it takes
    no time. A generated task keeps the rule that made it (`rule`, with its figures in `reason`) and the
    values the rule gave it (`generated`), so regenerating can tell a person's edit from an old proposal."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey(
        "self", verbose_name=_("summary task"), on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    outline_level = models.PositiveSmallIntegerField(_("outline level"), default=1)
    name = models.CharField(_("name"), max_length=300)
    translations = models.JSONField(_("texts in each language"), default=dict, blank=True)
    duration_days = models.PositiveIntegerField(
        _("duration (working days)"), default=1, validators=[MaxValueValidator(5000)]
    )
    milestone = models.BooleanField(_("milestone"), default=False)
    effort_hours = models.PositiveIntegerField(_("effort (hours)"), null=True, blank=True)
    percent_complete = models.PositiveSmallIntegerField(
        _("per cent complete"), default=0, validators=[MaxValueValidator(100)]
    )
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_finish = models.DateField(_("actual finish"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    constraint_type = models.CharField(
        _("constraint"), max_length=4, choices=ConstraintType.choices, default=ConstraintType.ASAP
    )
    constraint_date = models.DateField(_("constraint date"), null=True, blank=True)
    origin = models.CharField(_("origin"), max_length=10, choices=TaskOrigin.choices, default=TaskOrigin.MANUAL)
    origin_key = models.CharField(
        _("generated as"), max_length=120, blank=True, help_text=_("The generated task's key; empty for a manual task.")
    )
    rule = models.CharField(_("rule"), max_length=60, blank=True)
    reason = models.JSONField(_("why"), default=dict, blank=True)
    generated = models.JSONField(_("as generated"), default=dict, blank=True)
    topic = models.ForeignKey(
        ImprovementTopic,
        verbose_name=_("improvement topic"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_tasks",
    )
    process_code = models.SlugField(_("process"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "origin_key"], condition=~Q(origin_key=""), name="task_origin_key_unique_in_plan"
            ),
            models.CheckConstraint(condition=Q(percent_complete__lte=100), name="task_percent_complete_at_most_100"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def constraint_day(self) -> datetime.date | None:
        return self.constraint_date if self.constraint_type != ConstraintType.ASAP else None


class Dependency(models.Model):
    """`successor` depends on `predecessor`: finish-to-start, start-to-start, finish-to-finish or
    start-to-finish, with a lag (negative: an overlap) in working days or in per cent of the predecessor."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="dependencies")
    predecessor = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="predecessor_links")
    type = models.CharField(_("type"), max_length=2, choices=LinkType.choices, default=LinkType.FS)
    lag = models.DecimalField(
        _("lag"),
        max_digits=8,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(-10_000), MaxValueValidator(10_000)],
    )
    lag_unit = models.CharField(_("lag unit"), max_length=1, choices=LagUnit.choices, default=LagUnit.DAYS)

    class Meta:
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        ordering = ["successor_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="dependency_unique_pair"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="dependency_not_on_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id}{self.type}->{self.successor_id}"


class Assignment(models.Model):
    """A person of the organization working on a task, with the share of their time it takes."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="plan_assignments")
    share = models.PositiveSmallIntegerField(
        _("share of time (%)"), default=100, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["task_id", "person__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["task", "person"], name="assignment_unique_person_on_task")]

    def __str__(self) -> str:
        return f"{self.person} {self.share}%"


class Calendar(VersionedModel):
    """The engagement's working calendar: the country (and region) whose public holidays and make-up working
    days apply, the working weekdays, and the engagement's own days off and extra working days (ISO dates)."""

    engagement = models.OneToOneField(Engagement, on_delete=models.CASCADE, related_name="working_calendar")
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("Public holidays of this country (ISO 3166 code).")
    )
    region = models.CharField(_("region"), max_length=10, blank=True)
    workweek = models.JSONField(_("working weekdays"), default=_workweek_default)
    days_off = models.JSONField(_("days off"), default=list, blank=True)
    extra_working_days = models.JSONField(_("extra working days"), default=list, blank=True)

    class Meta:
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")

    def __str__(self) -> str:
        return str(_("Working calendar of %(engagement)s") % {"engagement": self.engagement})
