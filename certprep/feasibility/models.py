"""The certification feasibility scheme of an engagement: the ratings of the management basis and of the
feasibility dimensions (each with its weight), the benefits with their measures, the risk register, and the
recommendation a person confirms or overrides.

What certprep already knows (the profile, the survey's current state, the matrix's findings, the gap
analysis, the plan, the budget, the vendors) is read where it lives when the scheme is shown, never copied
here: these models hold only what people decide on top of it."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certprep.core.models import VersionedModel
from certprep.engagements.models import Engagement
from certprep.feasibility.choices import Area, BenefitKey, Outcome, RatingKey, RiskStatus, Score
from certprep.people.models import Person


class Rating(VersionedModel):
    """One rated aspect of the management basis or one feasibility dimension: its score on the 1-5 scale (blank
    while not rated), why, the evidence, and its weight in the overall feasibility score."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="feasibility_ratings")
    area = models.CharField(_("area"), max_length=10, choices=Area.choices)
    key = models.CharField(_("aspect"), max_length=30, choices=RatingKey.choices)
    score = models.PositiveSmallIntegerField(_("rating"), choices=Score.choices, null=True, blank=True)
    rationale = models.TextField(_("rationale"), blank=True, help_text=_("Why this rating: what you saw and weighed."))
    evidence = models.TextField(
        _("evidence"), blank=True, help_text=_("Documents, figures or findings the rating rests on.")
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("How much this rating counts in the overall feasibility score, against the others."),
    )

    class Meta:
        verbose_name = _("feasibility rating")
        verbose_name_plural = _("feasibility ratings")
        ordering = ["engagement", "id"]
        constraints = [models.UniqueConstraint(fields=["engagement", "key"], name="feasibility_rating_unique_key")]

    def __str__(self) -> str:
        return self.get_key_display()


class Benefit(VersionedModel):
    """An expected benefit of certification: its effect, how it is measured (a KPI from its baseline to its
    target), the lenses it is judged through and, when it can be priced, its money value per year."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="benefits")
    code = models.CharField(
        _("benefit of the seeds"), max_length=30, choices=BenefitKey.choices, blank=True, editable=False
    )
    title = models.CharField(_("benefit"), max_length=300)
    effect = models.TextField(_("expected effect"), blank=True)
    kpi = models.CharField(_("KPI"), max_length=300, blank=True, help_text=_("The measure that shows the benefit."))
    baseline = models.CharField(_("baseline"), max_length=100, blank=True, help_text=_("The KPI's value today."))
    target = models.CharField(_("target"), max_length=100, blank=True, help_text=_("The KPI's value to reach."))
    lenses = models.JSONField(_("judged against"), default=list, blank=True)
    value_per_year = models.DecimalField(
        _("money value per year"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Optional, in the budget's reporting currency; blank when the benefit cannot be priced."),
    )
    first_year = models.PositiveSmallIntegerField(
        _("first year with the benefit"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("Year 1, 2 or 3 of the certificate cycle in which the money value starts to count."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        ordering = ["engagement", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "code"], condition=~Q(code=""), name="feasibility_benefit_unique_code"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Risk(VersionedModel):
    """A risk factor of the certification project and its countermeasure."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="project_risks")
    code = models.CharField(_("usual risk"), max_length=40, blank=True, editable=False)
    title = models.CharField(_("risk"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood"), validators=[MinValueValidator(1), MaxValueValidator(5)], default=3
    )
    impact = models.PositiveSmallIntegerField(
        _("impact"), validators=[MinValueValidator(1), MaxValueValidator(5)], default=3
    )
    owner = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="project_risks", verbose_name=_("owner")
    )
    countermeasure = models.TextField(_("countermeasure"), blank=True)
    due = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["engagement", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Recommendation(VersionedModel):
    """What a person decided on the rule's proposal: the outcome (equal to the proposal when confirmed, another
    one when overridden), the conditions of a "go with conditions", the rationale, who and when. `proposed` and
    `inputs` keep the proposal and the figures it rested on at that moment, so the decision can be read later
    against what was on the page."""

    engagement = models.OneToOneField(Engagement, on_delete=models.CASCADE, related_name="recommendation")
    proposed = models.CharField(_("proposed"), max_length=12, choices=Outcome.choices)
    outcome = models.CharField(_("recommendation"), max_length=12, choices=Outcome.choices)
    conditions = models.TextField(
        _("conditions"), blank=True, help_text=_("What must hold for the project to go on; one per line.")
    )
    rationale = models.TextField(_("rationale"), help_text=_("Why you confirm or override the proposal."))
    inputs = models.JSONField(_("inputs of the proposal"), default=dict)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return self.get_outcome_display()

    @property
    def overridden(self) -> bool:
        return self.outcome != self.proposed
