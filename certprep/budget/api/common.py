"""What the budget's API modules share: the path prefix, the shape of amounts and reading a PATCH body."""

from typing import Annotated, Any

from ninja import Field, Schema

BASE = "/{engagement_id}/budget"
VERSION_HELP = "The version you read; a different stored version gives 409 Conflict."
AMOUNT = r"^\d{1,13}(\.\d{1,4})?$"
Amount = Annotated[str, Field(pattern=AMOUNT, description="A decimal number as a string: 1234.50")]
Currency = Annotated[str, Field(pattern=r"^[A-Za-z]{3}$", description="ISO 4217 code: CNY, EUR, USD.")]


def sent(payload: Schema) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    return data
