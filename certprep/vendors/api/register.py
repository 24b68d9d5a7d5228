"""The register through the API: vendors with their accreditation, and their quotes with the quote check and
the 3-year schedule each quote gives in its own currency."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.schemas import Choice, InputSchema, IsoDate, VersionQuery
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.vendors.access import quote_for, vendor_for
from certprep.vendors.api.common import BASE, VERSION_HELP, Amount, Answer, Currency, Days, as_fields, sent
from certprep.vendors.choices import VendorKind
from certprep.vendors.models import Quote, Vendor
from certprep.vendors.selectors.comparison import register_rows, schedule_of
from certprep.vendors.services.register import (
    QUOTE_FIELDS,
    VENDOR_FIELDS,
    quote_create,
    quote_delete,
    quote_update,
    vendor_create,
    vendor_delete,
    vendor_update,
)

router = Router()
VENDORS = BASE + "/vendors"


class VendorOut(Schema):
    id: int
    kind: str = Field(description="consultancy or certification_body.")
    name: str
    website: str
    contacts: str
    references: str
    notes: str
    accreditation_body: str
    scope_covers_20000: str = Field(description="Whether the accreditation covers ISO/IEC 20000-1: yes, no, unknown.")
    accreditation_number: str
    accreditation_expires: datetime.date | None
    flags: list[str] = Field(
        description="What the accreditation lacks today: missing, expired, expiry_unknown, scope_not_covered, "
        "scope_unknown (certification bodies only)."
    )
    version: int


class VendorIn(InputSchema):
    kind: Choice[VendorKind]
    name: str = Field(min_length=1, max_length=200)
    website: str = Field("", max_length=300)
    contacts: str = Field("", max_length=5000)
    references: str = Field("", max_length=5000)
    notes: str = Field("", max_length=20_000)
    accreditation_body: str = Field("", max_length=200)
    scope_covers_20000: Answer = "unknown"
    accreditation_number: str = Field("", max_length=100)
    accreditation_expires: IsoDate | None = None


class VendorPatch(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    kind: Choice[VendorKind] | None = None
    name: str | None = Field(None, min_length=1, max_length=200)
    website: str | None = Field(None, max_length=300)
    contacts: str | None = Field(None, max_length=5000)
    references: str | None = Field(None, max_length=5000)
    notes: str | None = Field(None, max_length=20_000)
    accreditation_body: str | None = Field(None, max_length=200)
    scope_covers_20000: Answer | None = None
    accreditation_number: str | None = Field(None, max_length=100)
    accreditation_expires: IsoDate | None = Field(None, description="null clears it.")


class ItemOut(Schema):
    year: int = Field(description="0 initial certification, 1 and 2 surveillance years, 3 recertification year.")
    part: str = Field(description="audit_days, travel, application_fee, certificate_fee, consulting_fee, ...")
    amount: str
    days: str | None
    estimated: bool = Field(description="A part the quote leaves out, added so the 3-year total is complete.")
    unpriced: bool = Field(description="Estimated at zero: nothing to estimate it from; enter a figure.")


class QuoteOut(Schema):
    id: int
    vendor_id: int
    received_on: datetime.date
    valid_until: datetime.date | None
    currency: str
    day_rate: str
    stage1_days: str
    stage2_days: str
    surveillance1_days: str
    surveillance2_days: str
    recertification_days: str
    travel_per_audit: str
    application_fee: str
    certificate_fee_per_year: str
    consulting_fixed_fee: str
    consulting_days: str
    notes: str
    includes_surveillance: str = Field(description="The quote check: does it include next year's surveillance?")
    includes_recertification: str
    includes_certificate_fee: str
    includes_travel: str
    schedule: list[ItemOut] = Field(description="The 3-year schedule in the quote's own currency.")
    total: str = Field(description="The 3-year total in the quote's own currency, estimates included.")
    version: int


class QuoteIn(InputSchema):
    received_on: IsoDate
    valid_until: IsoDate | None = None
    currency: Currency
    day_rate: Amount = "0"
    stage1_days: Days = "0"
    stage2_days: Days = "0"
    surveillance1_days: Days = "0"
    surveillance2_days: Days = "0"
    recertification_days: Days = "0"
    travel_per_audit: Amount = "0"
    application_fee: Amount = "0"
    certificate_fee_per_year: Amount = "0"
    consulting_fixed_fee: Amount = "0"
    consulting_days: Days = "0"
    notes: str = Field("", max_length=20_000)
    includes_surveillance: Answer = "unknown"
    includes_recertification: Answer = "unknown"
    includes_certificate_fee: Answer = "unknown"
    includes_travel: Answer = "unknown"


class QuotePatch(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    received_on: IsoDate | None = None
    valid_until: IsoDate | None = Field(None, description="null clears it.")
    currency: Currency | None = None
    day_rate: Amount | None = None
    stage1_days: Days | None = None
    stage2_days: Days | None = None
    surveillance1_days: Days | None = None
    surveillance2_days: Days | None = None
    recertification_days: Days | None = None
    travel_per_audit: Amount | None = None
    application_fee: Amount | None = None
    certificate_fee_per_year: Amount | None = None
    consulting_fixed_fee: Amount | None = None
    consulting_days: Days | None = None
    notes: str | None = Field(None, max_length=20_000)
    includes_surveillance: Answer | None = None
    includes_recertification: Answer | None = None
    includes_certificate_fee: Answer | None = None
    includes_travel: Answer | None = None


def vendor_out(vendor: Vendor, flags: list[str]) -> dict[str, Any]:
    return {"id": vendor.pk, "version": vendor.version, "flags": flags} | {
        name: getattr(vendor, name) for name in VENDOR_FIELDS
    }


def quote_out(quote: Quote) -> dict[str, Any]:
    items = schedule_of(quote.vendor, quote)
    out: dict[str, Any] = {"id": quote.pk, "vendor_id": quote.vendor_id, "version": quote.version}
    for name in QUOTE_FIELDS:
        value = getattr(quote, name)
        out[name] = str(value) if name not in ("received_on", "valid_until") and value is not None else value
    out["schedule"] = [
        {
            "year": int(item.year),
            "part": str(item.part),
            "amount": str(item.amount),
            "days": None if item.days is None else str(item.days),
            "estimated": item.estimated,
            "unpriced": item.unpriced,
        }
        for item in items
    ]
    out["total"] = str(sum((item.amount for item in items), start=0))
    return out


def _flags_of(vendor: Vendor) -> list[str]:
    rows = register_rows(vendor.engagement, on=timezone.localdate())
    return [str(flag) for row in rows if row.vendor.pk == vendor.pk for flag in row.accreditation]


@router.get(VENDORS, response={200: list[VendorOut], **READ}, summary="The vendor register, with accreditation flags")
def vendor_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    rows = register_rows(engagement, on=timezone.localdate())
    return [vendor_out(row.vendor, [str(flag) for flag in row.accreditation]) for row in rows]


@router.post(VENDORS, response={201: VendorOut, **WRITE}, summary="Add a vendor (editors)")
def vendor_post(request: SignedInRequest, engagement_id: int, payload: VendorIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    vendor = vendor_create(engagement=engagement, actor=request.user, **payload.dict())
    return Status(201, vendor_out(vendor, _flags_of(vendor)))


@router.get(VENDORS + "/{vendor_id}", response={200: VendorOut, **READ}, summary="One vendor")
def vendor_get(request: HttpRequest, engagement_id: int, vendor_id: int) -> Any:
    vendor, _m = vendor_for(request.user, engagement_id, vendor_id)
    return vendor_out(vendor, _flags_of(vendor))


@router.patch(
    VENDORS + "/{vendor_id}",
    response={200: VendorOut, **VERSIONED},
    summary="Change a vendor (editors; send the version)",
)
def vendor_patch(request: SignedInRequest, engagement_id: int, vendor_id: int, payload: VendorPatch) -> Any:
    vendor, _m = vendor_for(request.user, engagement_id, vendor_id, role=Role.EDITOR)
    vendor_update(vendor=vendor, actor=request.user, expected_version=payload.version, **sent(payload))
    return vendor_out(vendor, _flags_of(vendor))


@router.delete(
    VENDORS + "/{vendor_id}",
    response={204: None, **VERSIONED},
    summary="Remove a vendor with its auditors, quotes, scores and decisions (editors)",
)
def vendor_remove(request: SignedInRequest, engagement_id: int, vendor_id: int, query: Query[VersionQuery]) -> Any:
    vendor, _m = vendor_for(request.user, engagement_id, vendor_id, role=Role.EDITOR)
    vendor_delete(vendor=vendor, actor=request.user, expected_version=query.version)
    return Status(204, None)


@router.get(
    VENDORS + "/{vendor_id}/quotes", response={200: list[QuoteOut], **READ}, summary="A vendor's quotes, newest first"
)
def quote_list(request: HttpRequest, engagement_id: int, vendor_id: int) -> Any:
    vendor, _m = vendor_for(request.user, engagement_id, vendor_id)
    quotes = list(vendor.quotes.order_by("-received_on", "-pk"))
    for quote in quotes:
        quote.vendor = vendor
    return [quote_out(quote) for quote in quotes]


@router.post(VENDORS + "/{vendor_id}/quotes", response={201: QuoteOut, **WRITE}, summary="Add a quote (editors)")
def quote_post(request: SignedInRequest, engagement_id: int, vendor_id: int, payload: QuoteIn) -> Any:
    vendor, _m = vendor_for(request.user, engagement_id, vendor_id, role=Role.EDITOR)
    quote = quote_create(vendor=vendor, actor=request.user, **as_fields(payload.dict()))
    return Status(201, quote_out(quote))


@router.get(BASE + "/vendor-quotes/{quote_id}", response={200: QuoteOut, **READ}, summary="One quote")
def quote_get(request: HttpRequest, engagement_id: int, quote_id: int) -> Any:
    quote, _m = quote_for(request.user, engagement_id, quote_id)
    return quote_out(quote)


@router.patch(
    BASE + "/vendor-quotes/{quote_id}",
    response={200: QuoteOut, **VERSIONED},
    summary="Change a quote or answer its quote check (editors; send the version)",
)
def quote_patch(request: SignedInRequest, engagement_id: int, quote_id: int, payload: QuotePatch) -> Any:
    quote, _m = quote_for(request.user, engagement_id, quote_id, role=Role.EDITOR)
    quote_update(quote=quote, actor=request.user, expected_version=payload.version, **sent(payload))
    return quote_out(quote)


@router.delete(
    BASE + "/vendor-quotes/{quote_id}", response={204: None, **VERSIONED}, summary="Remove a quote (editors)"
)
def quote_remove(request: SignedInRequest, engagement_id: int, quote_id: int, query: Query[VersionQuery]) -> Any:
    quote, _m = quote_for(request.user, engagement_id, quote_id, role=Role.EDITOR)
    quote_delete(quote=quote, actor=request.user, expected_version=query.version)
    return Status(204, None)
