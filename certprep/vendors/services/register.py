"""Writing the vendor register: vendors with their accreditation, their auditors and availability windows, and
their quotes (with the quote check). Keyword-only, atomic, version-checked, recorded in the audit trail."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.errors import ServiceError
from certprep.engagements.models import Engagement
from certprep.vendors.models import Auditor, AvailabilityWindow, Quote, Vendor
from certprep.vendors.services.common import clean_text, created, deleted, deleted_plain, updated

VENDOR_FIELDS = (
    "kind",
    "name",
    "website",
    "contacts",
    "references",
    "notes",
    "accreditation_body",
    "scope_covers_20000",
    "accreditation_number",
    "accreditation_expires",
)
# A quote's amounts and days: Decimal in the model, strings in the API (which reads them back as Decimal).
QUOTE_DECIMALS = (
    "day_rate",
    "stage1_days",
    "stage2_days",
    "surveillance1_days",
    "surveillance2_days",
    "recertification_days",
    "travel_per_audit",
    "application_fee",
    "certificate_fee_per_year",
    "consulting_fixed_fee",
    "consulting_days",
)
QUOTE_FIELDS = (
    "received_on",
    "valid_until",
    "currency",
    *QUOTE_DECIMALS,
    "notes",
    "includes_surveillance",
    "includes_recertification",
    "includes_certificate_fee",
    "includes_travel",
)
AUDITOR_FIELDS = ("name", "sector_experience", "languages", "competence_notes")
WINDOW_FIELDS = ("starts_on", "ends_on", "note")


def _known(changes: dict[str, Any], allowed: tuple[str, ...], service: str) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"{service}() got unknown fields {sorted(unknown)}")


def _name_free(vendor: Vendor) -> None:
    taken = Vendor.objects.filter(engagement=vendor.engagement, name__iexact=vendor.name).exclude(pk=vendor.pk)
    if taken.exists():
        raise ServiceError(_("The register has a vendor of this name already."), field="name")


@transaction.atomic
def vendor_create(*, engagement: Engagement, actor: Actor, kind: str, name: str, **fields: Any) -> Vendor:
    _known(fields, VENDOR_FIELDS, "vendor_create")
    vendor = Vendor(engagement=engagement, kind=kind, name=name.strip(), **clean_text(fields))
    _name_free(vendor)
    return created(engagement, actor, vendor, VENDOR_FIELDS)


@transaction.atomic
def vendor_update(*, vendor: Vendor, actor: Actor, expected_version: int, **changes: Any) -> Vendor:
    """Change a vendor (VENDOR_FIELDS; None leaves a field as it is, but clears the accreditation's expiry)."""
    _known(changes, VENDOR_FIELDS, "vendor_update")
    changes = clean_text(changes)
    if changes.get("name") is not None:
        vendor.name = changes["name"]
        _name_free(vendor)
    return updated(
        vendor.engagement,
        actor,
        vendor,
        expected_version=expected_version,
        changes=changes,
        clearable=("accreditation_expires",),
    )


@transaction.atomic
def vendor_delete(*, vendor: Vendor, actor: Actor, expected_version: int | None = None) -> None:
    """Remove a vendor with its auditors, windows, quotes, scores and the decisions naming it."""
    deleted(
        vendor.engagement,
        actor,
        vendor,
        expected_version=expected_version,
        conflict=_("Someone else changed this vendor since you opened it; it was not removed."),
        facts=("kind", "name"),
    )


@transaction.atomic
def auditor_add(*, vendor: Vendor, actor: Actor, name: str, **fields: Any) -> Auditor:
    _known(fields, AUDITOR_FIELDS, "auditor_add")
    auditor = Auditor(vendor=vendor, name=name.strip(), **clean_text(fields))
    return created(vendor.engagement, actor, auditor, AUDITOR_FIELDS)


@transaction.atomic
def auditor_remove(*, auditor: Auditor, actor: Actor) -> None:
    deleted_plain(auditor.vendor.engagement, actor, auditor, facts=("name",))


@transaction.atomic
def window_add(
    *, vendor: Vendor, actor: Actor, starts_on: datetime.date, ends_on: datetime.date, note: str = ""
) -> AvailabilityWindow:
    if ends_on < starts_on:
        raise ServiceError(_("The window ends before it starts."), field="ends_on")
    window = AvailabilityWindow(vendor=vendor, starts_on=starts_on, ends_on=ends_on, note=note.strip())
    return created(vendor.engagement, actor, window, WINDOW_FIELDS)


@transaction.atomic
def window_remove(*, window: AvailabilityWindow, actor: Actor) -> None:
    deleted_plain(window.vendor.engagement, actor, window, facts=WINDOW_FIELDS)


def _quote_dates(quote: Quote) -> None:
    if quote.valid_until is not None and quote.valid_until < quote.received_on:
        raise ServiceError(_("A quote cannot expire before it was received."), field="valid_until")


@transaction.atomic
def quote_create(*, vendor: Vendor, actor: Actor, received_on: datetime.date, currency: str, **fields: Any) -> Quote:
    """Record a vendor's quote in its own currency, with the quote check's answers (unknown unless given)."""
    _known(fields, QUOTE_FIELDS, "quote_create")
    values = {name: value for name, value in clean_text(fields).items() if value is not None}
    quote = Quote(
        engagement=vendor.engagement, vendor=vendor, received_on=received_on, currency=currency.strip(), **values
    )
    _quote_dates(quote)
    return created(vendor.engagement, actor, quote, QUOTE_FIELDS)


@transaction.atomic
def quote_update(*, quote: Quote, actor: Actor, expected_version: int, **changes: Any) -> Quote:
    """Change a quote (QUOTE_FIELDS; None leaves a field as it is, but clears `valid_until`)."""
    _known(changes, QUOTE_FIELDS, "quote_update")
    changes = clean_text(changes)
    if "valid_until" in changes:
        quote.valid_until = changes["valid_until"]
    if changes.get("received_on") is not None:
        quote.received_on = changes["received_on"]
    _quote_dates(quote)
    return updated(
        quote.engagement, actor, quote, expected_version=expected_version, changes=changes, clearable=("valid_until",)
    )


@transaction.atomic
def quote_delete(*, quote: Quote, actor: Actor, expected_version: int | None = None) -> None:
    deleted(
        quote.engagement,
        actor,
        quote,
        expected_version=expected_version,
        conflict=_("Someone else changed this quote since you opened it; it was not removed."),
        facts=("received_on", "currency", "day_rate"),
    )
