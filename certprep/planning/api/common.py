"""What the plan's API modules share: the path prefix and reading a PATCH body as the fields it sends."""

from typing import Any

from ninja import Schema

BASE = "/{engagement_id}/plan"
VERSION_HELP = "The version you read; a different stored version gives 409 Conflict."


def sent(payload: Schema) -> dict[str, Any]:
    """The fields a body sets (not the ones it leaves out); the version is not a field to change."""
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    return data
