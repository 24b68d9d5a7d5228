"""The vendor register of an engagement: the consultancies and certification bodies it may hire, their
accreditation, auditors and availability, their quotes (with the quote check the seeds ask for), and the
weighted selection that ends in a recorded decision.

Every row reaches its engagement: a vendor, a criterion and a decision belong to one engagement; auditors,
availability windows and scores to one vendor; a quote to one vendor and (for the look-ups) its engagement.
Money is Decimal with its ISO 4217 currency; nothing here converts between currencies (the budget app does).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from certprep.core.models import VersionedModel
from certprep.engagements.models import Engagement
from certprep.vendors.choices import Answer, VendorKind
from certprep.vendors.criteria import shown_name
from certprep.vendors.currency import validate_currency

if TYPE_CHECKING:  # the stubs' helper type is a test dependency, not a runtime one
    from django_stubs_ext import StrOrPromise

# Bounds no real quote reaches; they keep every product exact in Decimal and match the budget's own bounds.
MAX_AMOUNT = Decimal(1_000_000_000_000)
MAX_DAYS = Decimal(1000)
ZERO = Decimal(0)


def money_field(
    verbose_name: StrOrPromise, *, help_text: StrOrPromise = "", default: Decimal | None = ZERO
) -> models.DecimalField:
    """An amount in the quote's currency: never negative, at most 10^12, three decimals (KWD has three)."""
    return models.DecimalField(
        verbose_name,
        max_digits=16,
        decimal_places=3,
        default=default,
        validators=[MinValueValidator(ZERO), MaxValueValidator(MAX_AMOUNT)],
        help_text=help_text,
    )


def days_field(verbose_name: StrOrPromise, *, help_text: StrOrPromise = "") -> models.DecimalField:
    """Auditor or consultant days, in half days at least: never negative, at most 1,000."""
    return models.DecimalField(
        verbose_name,
        max_digits=6,
        decimal_places=1,
        default=ZERO,
        validators=[MinValueValidator(ZERO), MaxValueValidator(MAX_DAYS)],
        help_text=help_text,
    )


def answer_field(verbose_name: StrOrPromise, *, help_text: StrOrPromise = "") -> models.CharField:
    return models.CharField(
        verbose_name, max_length=7, choices=Answer.choices, default=Answer.UNKNOWN, help_text=help_text
    )


class Vendor(VersionedModel):
    """A consultancy or certification body the engagement considers, with its accreditation: which
    accreditation body accredited it, whether that accreditation's scope covers ISO/IEC 20000-1, the
    accreditation certificate's number and expiry."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="vendors")
    kind = models.CharField(_("kind"), max_length=20, choices=VendorKind.choices)
    name = models.CharField(_("name"), max_length=200)
    website = models.URLField(_("website"), max_length=300, blank=True)
    contacts = models.TextField(_("contacts"), blank=True, help_text=_("Who to call or write to, and how."))
    references = models.TextField(
        _("references"), blank=True, help_text=_("Organizations it has certified or helped, and what they said.")
    )
    notes = models.TextField(_("notes"), blank=True)
    accreditation_body = models.CharField(
        _("accreditation body"),
        max_length=200,
        blank=True,
        help_text=_("Who accredited the certification body, for instance UKAS, ANAB or CNAS."),
    )
    scope_covers_20000 = answer_field(
        _("accreditation covers ISO/IEC 20000-1"),
        help_text=_("An accreditation for other standards does not let the body issue an ISO/IEC 20000-1 certificate."),
    )
    accreditation_number = models.CharField(_("accreditation certificate number"), max_length=100, blank=True)
    accreditation_expires = models.DateField(_("accreditation expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        ordering = ["engagement", "kind", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["engagement", "name"], name="vendor_unique_name")]

    def __str__(self) -> str:
        return self.name


class Auditor(models.Model):
    """An auditor (or consultant) of a vendor, and the competence the selection weighs."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="auditors")
    name = models.CharField(_("name"), max_length=200)
    sector_experience = models.CharField(
        _("sector experience"), max_length=300, blank=True, help_text=_("IT services and sectors audited before.")
    )
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    competence_notes = models.TextField(_("competence notes"), blank=True)

    class Meta:
        verbose_name = _("auditor")
        verbose_name_plural = _("auditors")
        ordering = ["vendor_id", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class AvailabilityWindow(models.Model):
    """When the vendor can come: shown against the plan's audit dates for the chosen certification body."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="availability")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("availability window")
        verbose_name_plural = _("availability windows")
        ordering = ["vendor_id", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="availability_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.starts_on} - {self.ends_on}"


class Quote(VersionedModel):
    """A vendor's offer in its own currency. A certification body quotes audit days per audit of the 3-year
    cycle at a day rate, travel per audit and its fees; a consultancy a fixed fee and/or consulting days.

    The quote check records, for each part a quote may leave out (next year's surveillance, the
    recertification, the certificate management fee, travel and expenses), whether it is included."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="vendor_quotes")
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="quotes")
    received_on = models.DateField(_("received on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    currency = models.CharField(
        _("currency"), max_length=3, validators=[validate_currency], help_text=_("ISO 4217 code, such as CNY or EUR.")
    )
    day_rate = money_field(_("day rate"), help_text=_("Price of one auditor day (or consultant day)."))
    stage1_days = days_field(_("stage 1 audit days"))
    stage2_days = days_field(_("stage 2 audit days"))
    surveillance1_days = days_field(_("surveillance 1 audit days"))
    surveillance2_days = days_field(_("surveillance 2 audit days"))
    recertification_days = days_field(_("recertification audit days"))
    travel_per_audit = money_field(
        _("travel per audit"), help_text=_("Travel and expenses charged for each audit visit.")
    )
    application_fee = money_field(_("application fee"))
    certificate_fee_per_year = money_field(
        _("certificate fee per year"), help_text=_("The yearly certificate management (registration) fee.")
    )
    consulting_fixed_fee = money_field(_("consulting fixed fee"))
    consulting_days = days_field(_("consulting days"), help_text=_("Charged at the day rate."))
    notes = models.TextField(_("notes"), blank=True)
    includes_surveillance = answer_field(
        _("includes next year's surveillance"),
        help_text=_("A quote may price the initial audit only and leave out next year's surveillance audit."),
    )
    includes_recertification = answer_field(
        _("includes the recertification"),
        help_text=_("The re-evaluation in year 3 is a full audit; some quotes leave it out."),
    )
    includes_certificate_fee = answer_field(
        _("includes the certificate management fee"),
        help_text=_("The yearly fee for keeping the certificate is often charged apart from the audit days."),
    )
    includes_travel = answer_field(
        _("includes travel and expenses"),
        help_text=_("Auditors' travel, lodging and expenses may be billed on top of the day rate."),
    )

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["vendor_id", "-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.vendor} {self.received_on}"


class Criterion(VersionedModel):
    """A selection criterion with its weight (points, normalized across the criteria). The price criterion is
    scored from the quotes' normalized 3-year totals, never by hand."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="vendor_criteria")
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("default criterion"),
        max_length=20,
        blank=True,
        editable=False,
        help_text=_(
            "Which default criterion this is (blank for one a user made): its name is shown in the reader's "
            "language until it is renamed."
        ),
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=10, validators=[MaxValueValidator(100)], help_text=_("Points from 0 to 100.")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    is_price = models.BooleanField(
        _("price criterion"), default=False, help_text=_("Scored from the 3-year total cost: cheaper scores higher.")
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["engagement", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "name"], name="criterion_unique_name"),
            models.UniqueConstraint(fields=["engagement"], condition=Q(is_price=True), name="criterion_one_price"),
            models.CheckConstraint(condition=Q(weight__lte=100), name="criterion_weight_at_most_100"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def shown_name(self) -> str:
        """The name in the reader's language for a default criterion still named as shipped, else as stored."""
        return shown_name(self.code, self.name)


class Score(VersionedModel):
    """How well a vendor meets a criterion, from 1 (poorly) to 5 (very well), and why."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    rationale = models.TextField(_("rationale"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["vendor_id", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "criterion"], name="score_unique_vendor_criterion"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="score_between_1_and_5"),
        ]

    def __str__(self) -> str:
        return f"{self.vendor_id}/{self.criterion_id}: {self.score}"


class Decision(models.Model):
    """The choice of a consultancy or a certification body: who decided, when and why. Decisions are kept as
    a history; the latest of each kind counts. `quote` is the offer the decision takes (the budget prices it)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="vendor_decisions")
    kind = models.CharField(_("kind"), max_length=20, choices=VendorKind.choices)
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="decisions")
    quote = models.ForeignKey(
        Quote, verbose_name=_("quote"), on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    decided_by_label = models.CharField(_("decided by (name)"), max_length=150, blank=True)
    decided_at = models.DateTimeField(_("decided at"), db_index=True)
    rationale = models.TextField(_("rationale"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["engagement", "kind", "-decided_at", "-pk"]
        get_latest_by = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.vendor}"
