"""Bases for API input schemas.

A request body is JSON, so its values already have their types: an `InputSchema` takes them as they are and
converts nothing. `"target_stage1_date": 0` is not 1 January 1970, `"1"` is not a number, `1` is not `true`,
a bare string or list is not an object, and a property the schema does not name is refused (a misspelt
field must not be ignored in silence). Dates and times come as ISO 8601 text (`IsoDate`, `IsoDateTime`),
the only form JSON has for them. Query strings are text by nature: `QueryInput` converts them.

Both refuse what no database can store (text with a NUL character, an integer wider than 64 bits) with a
422 instead of a 500, and say so in the JSON schema (`format: int64`, a pattern without NUL)."""

from __future__ import annotations

import datetime
import re
from enum import Enum
from typing import Annotated, Any, TypeVar

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    Strict,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

INT64_MAX = 2**63 - 1
NO_NUL = r"^[^\x00]*$"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# RFC 3339, as OpenAPI's date-time format: seconds and the offset from UTC are part of the value.
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def _unstorable(value: Any) -> str | None:
    """Why no database column can store this value (or a part of it), if so."""
    if isinstance(value, str):
        return _("Null characters are not allowed.") if "\x00" in value else None
    if isinstance(value, int) and not isinstance(value, bool):
        return None if -INT64_MAX - 1 <= value <= INT64_MAX else _("This number is too large.")
    if isinstance(value, (list, tuple, set)):
        return next(filter(None, map(_unstorable, value)), None)
    if isinstance(value, dict):
        return next(filter(None, map(_unstorable, [*value.keys(), *value.values()])), None)
    return None


def _describe_storable(schema: dict[str, Any]) -> None:
    """Say in the JSON schema what `_unstorable` refuses: integers are 64-bit, text has no NUL character."""
    kinds = schema.get("type")
    if kinds == "integer" and "format" not in schema:
        schema["format"] = "int64"
    if kinds == "string" and not {"format", "pattern", "enum", "const"} & schema.keys():
        schema["pattern"] = NO_NUL
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(key, []):
            _describe_storable(branch)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            _describe_storable(schema[key])
    if isinstance(schema.get("additionalProperties"), dict):
        schema["propertyNames"] = {"pattern": NO_NUL}


def _describe_fields(schema: dict[str, Any]) -> None:
    for field in schema.get("properties", {}).values():
        _describe_storable(field)


def _iso_date_text(value: Any) -> Any:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise PydanticCustomError("iso_date", _("Enter a date as YYYY-MM-DD."))
    return value


def _iso_date_time_text(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value
    if not isinstance(value, str) or not _DATE_TIME.fullmatch(value):
        raise PydanticCustomError(
            "iso_date_time", _("Enter a date and time with its offset from UTC, e.g. 2030-05-06T10:00:00Z.")
        )
    return value


IsoDate = Annotated[datetime.date, Strict(False), BeforeValidator(_iso_date_text)]
"""A date in a JSON body: only the text YYYY-MM-DD (never a number of seconds)."""

IsoDateTime = Annotated[datetime.datetime, Strict(False), BeforeValidator(_iso_date_time_text)]
"""A moment in a JSON body: only RFC 3339 text with its offset, e.g. 2030-05-06T10:00:00Z."""


E = TypeVar("E", bound=Enum)

Choice = Annotated[E, Strict(False)]
"""One value of a TextChoices enum, for API bodies and file parts alike: `Choice[SmsRole]` accepts the stored
value ("sms_manager") and is described as the enum's own schema. Strict schemas would otherwise accept only
enum members, which JSON cannot send."""


class _StorableInput(Schema):
    model_config = ConfigDict(json_schema_extra=lambda schema, model: _describe_fields(schema))

    @field_validator("*")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        problem = _unstorable(value)
        if problem:
            raise ValueError(problem)
        return value


class InputSchema(_StorableInput):
    """A JSON request body (or an object inside one): strict types, an object, only the named properties."""

    model_config = ConfigDict(strict=True, extra="forbid", from_attributes=False)

    # Replaces ninja's validator of the same name, which reads fields as attributes of any value: a string
    # "AAA" then had a `title` ("Aaa") and became a topic.
    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        if not isinstance(values, (dict, cls)):
            raise PydanticCustomError("object_type", _("Send a JSON object."))
        return handler(values)


class QueryInput(_StorableInput):
    """Filters read from the query string, whose values are text and are converted to the declared types."""


class VersionQuery(QueryInput):
    """`?version=` on a delete: the version the client read, refused with 409 when someone changed it since."""

    version: int | None = Field(None, ge=1, description="The version you read; when sent, a stale one gives 409.")
