"""What the gap-analysis API modules share: the path prefix, the small reference schemas, and reading a PATCH
body as the fields it sends under the services' names."""

from typing import Any, Literal

from ninja import Schema

from certprep.core.schemas import Choice
from certprep.gaps.choices import DocumentStatus

BASE = "/{engagement_id}/gaps"
VERSION_HELP = "The version you read; a different stored version gives 409 Conflict."
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# One vocabulary for the checklist and the requirements; "controlled", the former name of approved, is still
# read. A JSON body is strict, so the value of a choice is read as the choice.
DocumentStatusIn = Choice[DocumentStatus] | Literal["controlled"]


class GapCountOut(Schema):
    added: int


class GapPersonRef(Schema):
    id: int
    name: str


class GapUserRef(Schema):
    id: int
    username: str


def sent(payload: Schema, renamed: dict[str, str] | None = None) -> dict[str, Any]:
    """The fields a body sets (not the ones it leaves out), named as the services name them (owner_id ->
    owner); the version is not a field to change."""
    names = renamed or {}
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    return {names.get(name, name): value for name, value in data.items()}


def person_ref(person: Any) -> dict[str, Any] | None:
    return {"id": person.pk, "name": person.name} if person is not None else None
