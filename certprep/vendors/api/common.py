"""What the vendors' API modules share: path prefixes, the shape of amounts and days, and a PATCH body read as
the fields it sends (amounts and days turned into Decimal)."""

from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from certprep.vendors.services.register import QUOTE_DECIMALS

BASE = "/{engagement_id}"
VERSION_HELP = "The version you read; a different stored version gives 409 Conflict."
Amount = Annotated[
    str, Field(pattern=r"^\d{1,13}(\.\d{1,3})?$", description="A decimal amount as a string, at most 10^12: 1234.50")
]
Days = Annotated[str, Field(pattern=r"^\d{1,4}(\.\d)?$", description="Days as a string, in tenths at most: 2.5")]
# Checked against ISO 4217 by the service (400 naming the field), after the caller's access is checked.
Currency = Annotated[str, Field(min_length=3, max_length=3, description="ISO 4217 code: CNY, EUR, USD.")]
Answer = Annotated[str, Field(pattern=r"^(yes|no|unknown)$", description="yes, no or unknown.")]


def as_fields(data: dict[str, Any]) -> dict[str, Any]:
    """A body's values for the services: amounts and days as Decimal (never float)."""
    return {
        name: Decimal(value) if name in QUOTE_DECIMALS and value is not None else value for name, value in data.items()
    }


def sent(payload: Schema) -> dict[str, Any]:
    """The fields a body sets (not the ones it leaves out); the version is not a field to change."""
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    return as_fields(data)
