"""What the budget's API modules share: the path prefix, the shape of amounts and reading a PATCH body."""

from typing import Annotated, Any

from ninja import Field, Schema

BASE = "/{engagement_id}/budget"
VERSION_HELP = "The version you read; a different stored version gives 409 Conflict."
# Amounts and codes are checked by the services (certprep.budget.money's bounds, CLDR's currencies), which answer
# 400 naming the field: one set of rules and words for pages, API and imports.
Amount = Annotated[
    str, Field(min_length=1, max_length=40, description="A decimal number as a string, at most 4 decimals: 1234.50")
]
Currency = Annotated[str, Field(min_length=3, max_length=3, description="ISO 4217 code: CNY, EUR, USD.")]


def sent(payload: Schema) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    return data
