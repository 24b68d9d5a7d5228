"""The implementation plan of an engagement: its tasks (a WBS outline), the dependencies between them, the
people assigned, and the working calendar the plan is scheduled on.

Every row reaches its engagement: a plan and a calendar belong to one engagement, tasks and dependencies to
one plan, assignments to one task; the services refuse links across plans and people of other engagements.
Dates are computed (certprep.planning.selectors.schedule), never stored: only what people decide is kept.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certprep.catalogue.models import Translatable
from certprep.core.models import VersionedModel
from certprep.engagements.models import Engagement
from certprep.gaps.models import ImprovementTopic
from certprep.people.models import Person
from certprep.planning.choices import AuditKind, ConstraintType, ExchangeFormat, LagUnit, LinkType, TaskOrigin

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
    findings_window_days = models.PositiveSmallIntegerField(
        _("window to close stage 1 findings (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("The fewest calendar days between the stage 1 audit and stage 2, to close what stage 1 found."),
    )
    certification_body = models.CharField(
        _("certification body"),
        max_length=200,
        blank=True,
        help_text=_("Who audits: the body's name until it is chosen in the vendor register."),
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
    optimistic_days = models.PositiveIntegerField(
        _("optimistic duration (working days)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(5000)],
        help_text=_("Three-point estimate for the risk analysis: the duration if everything goes well."),
    )
    pessimistic_days = models.PositiveIntegerField(
        _("pessimistic duration (working days)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(5000)],
        help_text=_("Three-point estimate: the duration if much goes wrong. The most likely one is the duration."),
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


class AuditBooking(VersionedModel):
    """An audit reserved with the certification body: stage 1, stage 2 (in one or more batches, each covering
    part of the scope), the surveillance audits of years 1 and 2 and the recertification in year 3. Each is a
    milestone on the plan (`task`); the body wants the reservation `reservation_lead_days` before the audit."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="bookings")
    kind = models.CharField(_("audit"), max_length=16, choices=AuditKind.choices)
    batch = models.PositiveSmallIntegerField(
        _("batch"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Stage 2 may be audited in batches, with time to improve between them; other audits have one."),
    )
    date = models.DateField(_("audit date"))
    audit_days = models.PositiveSmallIntegerField(
        _("audit days"), default=1, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    reservation_lead_days = models.PositiveSmallIntegerField(
        _("reservation lead time (days)"),
        default=60,
        validators=[MaxValueValidator(730)],
        help_text=_("How many calendar days before the audit the certification body needs the reservation."),
    )
    reserved_on = models.DateField(_("reserved on"), null=True, blank=True)
    scope = models.CharField(_("scope of this batch"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    task = models.OneToOneField(
        Task, verbose_name=_("milestone"), on_delete=models.SET_NULL, null=True, blank=True, related_name="booking"
    )

    class Meta:
        verbose_name = _("audit booking")
        verbose_name_plural = _("audit bookings")
        ordering = ["plan", "date", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "kind", "batch"], name="booking_unique_kind_batch")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.batch}"

    @property
    def book_by(self) -> datetime.date:
        return self.date - datetime.timedelta(days=self.reservation_lead_days)


class Baseline(models.Model):
    """A saved copy of the plan's schedule (MS Project keeps up to 11: Baseline and Baseline 1-10). `tasks` holds
    one entry per task as it stood: {"task": id, "wbs", "name", "start", "finish", "duration_days",
    "effort_hours", "milestone"}; a task deleted later is still compared by its entry."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="baselines")
    number = models.PositiveSmallIntegerField(_("baseline number"), validators=[MaxValueValidator(10)])
    name = models.CharField(_("name"), max_length=120, blank=True)
    saved_at = models.DateTimeField(_("saved"))
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    tasks = models.JSONField(_("tasks as saved"), default=list)

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="baseline_unique_number"),
            models.CheckConstraint(condition=Q(number__lte=10), name="baseline_number_at_most_10"),
        ]

    def __str__(self) -> str:
        return self.name or str(_("Baseline %(number)s") % {"number": self.number})


class RiskRun(models.Model):
    """One Monte Carlo run of the schedule risk analysis, kept with what it ran on: `inputs` (the network, each
    task's three-point estimate, the calendar and the booked audit dates) and `results` (percentile dates,
    probabilities of being ready by the booked dates, the tasks most often critical, histogram and S-curve)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="risk_runs")
    created_at = models.DateTimeField(_("run"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    iterations = models.PositiveIntegerField(
        _("iterations"), default=5000, validators=[MinValueValidator(1000), MaxValueValidator(100_000)]
    )
    seed = models.PositiveIntegerField(_("seed"), help_text=_("The same seed on the same inputs gives the same run."))
    inputs = models.JSONField(_("inputs"), default=dict)
    results = models.JSONField(_("results"), default=dict)

    class Meta:
        verbose_name = _("risk analysis run")
        verbose_name_plural = _("risk analysis runs")
        ordering = ["plan", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.iterations} x seed {self.seed}"


class PlanImport(models.Model):
    """A file imported into the plan (MS Project XML, .mpp or Excel), with what certprep could not represent
    (`unrepresented`: one message per element, shown after the import and kept)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="imports")
    format = models.CharField(_("format"), max_length=8, choices=ExchangeFormat.choices)
    file_name = models.CharField(_("file"), max_length=255)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    task_count = models.PositiveIntegerField(_("tasks"), default=0)
    unrepresented = models.JSONField(_("not represented"), default=list, blank=True)

    class Meta:
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")
        ordering = ["plan", "-imported_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name


class CalendarFeed(models.Model):
    """A private iCalendar address of the engagement's milestones, audits and interviews. Only the token's hash
    is stored; the address works until it expires or is revoked."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_read_at = models.DateTimeField(_("last read"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["engagement", "-created_at"]

    def __str__(self) -> str:
        return f"{self.engagement_id} feed {self.pk}"
