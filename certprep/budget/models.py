"""The budget of an engagement over the three-year certificate cycle: its settings (reporting currency, the
inputs of the derived lines), the exchange rates people entered, the budget lines and the tool options.

Money is Decimal everywhere; the rules of amounts, rounding and conversion are in certprep.budget.money."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certprep.budget.choices import Category, CycleYear, LineSource, ToolKind
from certprep.core.models import VersionedModel
from certprep.engagements.models import Engagement


class BudgetSettings(VersionedModel):
    """What the budget of one engagement rests on: the currency it is reported in and the inputs its derived
    lines are computed from (training hours and rate, internal day rates, the audit-days estimate's overrides,
    factors and shares, the certification day rate used until a quote exists, the tool option chosen)."""

    engagement = models.OneToOneField(Engagement, on_delete=models.CASCADE, related_name="budget_settings")
    reporting_currency = models.CharField(
        _("reporting currency"),
        max_length=3,
        default="CNY",
        help_text=_("ISO 4217 code (CNY, EUR, USD): every total is shown in it, at the exchange rates you enter."),
    )
    training_hours = models.DecimalField(
        _("training hours per person"),
        max_digits=8,
        decimal_places=2,
        default=Decimal(4),
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
        help_text=_("Awareness training every person in scope needs for the management system."),
    )
    training_rate = models.DecimalField(
        _("training cost per hour and person"),
        max_digits=18,
        decimal_places=4,
        default=Decimal(0),
        help_text=_("In the reporting currency: trainer, room and the hour of work missed."),
    )
    internal_day_rate = models.DecimalField(
        _("internal day rate"),
        max_digits=18,
        decimal_places=4,
        default=Decimal(0),
        help_text=_("What a day of a person's work costs the organization, in the reporting currency."),
    )
    role_day_rates = models.JSONField(
        _("day rates per role"), default=dict, blank=True, help_text=_("SMS role -> day rate; a person's own wins.")
    )
    person_day_rates = models.JSONField(_("day rates per person"), default=dict, blank=True)
    audit_table = models.JSONField(
        _("audit-time table"),
        default=dict,
        blank=True,
        help_text=_("Your own bands of the audit-time table; empty: the shipped table."),
    )
    factors = models.JSONField(
        _("adjustment factors"),
        default=list,
        blank=True,
        help_text=_("Each with its per cent (negative: less time) and its justification."),
    )
    surveillance_share = models.DecimalField(
        _("surveillance share"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(1)],
        help_text=_("Each surveillance audit's days as a share of the initial audit's; empty: the table's."),
    )
    recertification_share = models.DecimalField(
        _("recertification share"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(1)],
        help_text=_("The recertification audit's days as a share of the initial audit's; empty: the table's."),
    )
    audit_day_rate = models.DecimalField(
        _("certification audit day rate"),
        max_digits=18,
        decimal_places=4,
        default=Decimal(0),
        help_text=_("Used with the estimated audit days until a certification body is decided (reporting currency)."),
    )
    chosen_tool = models.ForeignKey(
        "ToolOption", verbose_name=_("tool option chosen"), on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = _("budget settings")
        verbose_name_plural = _("budget settings")

    def __str__(self) -> str:
        return str(_("Budget settings of %(engagement)s") % {"engagement": self.engagement})


class ExchangeRate(models.Model):
    """1 unit of `source` is worth `rate` units of `target`, as a person entered it on `as_of` (never fetched)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="exchange_rates")
    source = models.CharField(_("from currency"), max_length=3)
    target = models.CharField(_("to currency"), max_length=3)
    rate = models.DecimalField(_("rate"), max_digits=20, decimal_places=10)
    as_of = models.DateField(_("date"))
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["engagement", "source", "target", "-as_of", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(rate__gt=0), name="exchange_rate_positive")]

    def __str__(self) -> str:
        return f"1 {self.source} = {self.rate} {self.target} ({self.as_of})"


class ToolOption(VersionedModel):
    """A way to get the tools the SMS needs: adapting the ITSM platform in use or buying a new one, with what
    it costs once (initial year) and each following year. The budget's tool lines come from the chosen one."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="tool_options")
    kind = models.CharField(_("kind"), max_length=10, choices=ToolKind.choices)
    name = models.CharField(_("name"), max_length=200)
    initial_cost = models.DecimalField(_("initial cost"), max_digits=18, decimal_places=4, default=Decimal(0))
    yearly_cost = models.DecimalField(
        _("yearly cost"),
        max_digits=18,
        decimal_places=4,
        default=Decimal(0),
        help_text=_("Licences and upkeep in each later year."),
    )
    currency = models.CharField(_("currency"), max_length=3)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("tool option")
        verbose_name_plural = _("tool options")
        ordering = ["engagement", "pk"]

    def __str__(self) -> str:
        return self.name


class BudgetLine(VersionedModel):
    """One cost of the certificate cycle: quantity x unit price in its own currency, in one year of the cycle.

    A typed line is a person's; a derived line is recomputed from its inputs (`derived_key` names what it
    prices) and never overwrites a typed one: a typed line of the same category and year supersedes it."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=4, default=Decimal(1))
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("Days, hours, persons, licences."))
    unit_price = models.DecimalField(_("unit price"), max_digits=18, decimal_places=4)
    currency = models.CharField(_("currency"), max_length=3, help_text=_("ISO 4217 code of the unit price."))
    cycle_year = models.PositiveSmallIntegerField(
        _("year of the cycle"), choices=CycleYear.choices, default=CycleYear.INITIAL
    )
    source = models.CharField(_("source"), max_length=10, choices=LineSource.choices, default=LineSource.TYPED)
    derived_key = models.CharField(_("derived as"), max_length=120, blank=True)
    derived_from = models.JSONField(
        _("derived from"), default=dict, blank=True, help_text=_("What a derived line was computed from.")
    )
    estimate = models.BooleanField(
        _("estimate"), default=False, help_text=_("An estimate, not a figure somebody quoted or agreed.")
    )
    quote = models.ForeignKey(
        "vendors.Quote",
        verbose_name=_("source quote"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_lines",
        help_text=_("The quote a line from a quote prices."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["engagement", "cycle_year", "category", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "derived_key"], condition=~Q(derived_key=""), name="budget_line_derived_once"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="budget_line_quantity_not_negative"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="budget_line_price_not_negative"),
        ]
        indexes = [models.Index(fields=["engagement", "source"])]

    def __str__(self) -> str:
        return self.description
