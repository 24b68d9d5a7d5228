"""The bases of API input: a JSON body is taken as it is, a query string is converted, and the JSON schema
says what either refuses."""

from __future__ import annotations

import datetime

import pytest
from pydantic import ValidationError

from certprep.core.schemas import InputSchema, IsoDate, IsoDateTime, QueryInput


class Meeting(InputSchema):
    count: int = 0
    on: IsoDate | None = None
    at: IsoDateTime | None = None
    done: bool = False
    tags: list[str] = []
    marks: dict[str, str] = {}


class Search(QueryInput):
    page: int = 1
    q: str = ""


def refused(data, model=Meeting):
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return [(".".join(map(str, e["loc"])), e["type"]) for e in caught.value.errors()]


def test_a_body_converts_nothing():
    assert refused({"count": "1"}) == [("count", "int_type")]
    assert refused({"count": True}) == [("count", "int_type")]
    assert refused({"done": 1}) == [("done", "bool_type")]
    assert refused({"on": 0})[0][0] == "on"
    assert refused({"at": 1700000000})[0][0] == "at"


def test_dates_are_iso_text_and_moments_carry_their_offset():
    meeting = Meeting.model_validate({"on": "2030-01-31", "at": "2030-05-06T10:00:00+02:00"})
    assert meeting.on == datetime.date(2030, 1, 31)
    assert meeting.at == datetime.datetime(2030, 5, 6, 8, 0, tzinfo=datetime.UTC)
    for text in ("0", "1700000000", "2030-01-31T00:00:00", "31.01.2030"):
        assert refused({"on": text})[0][0] == "on", text
    for text in ("2030-05-06T10:00:00", "2030-05-06", "1700000000", "2030-05-06T10:00Z"):
        assert refused({"at": text})[0][0] == "at", text


def test_a_body_is_an_object_with_only_the_named_fields():
    assert refused("AAA") == [("", "object_type")]
    assert refused([None, None]) == [("", "object_type")]
    assert refused({"cuont": 1}) == [("cuont", "extra_forbidden")]


def test_what_no_database_stores_is_refused():
    assert refused({"tags": ["a\x00b"]}) == [("tags", "value_error")]
    assert refused({"marks": {"a\x00": "b"}}) == [("marks", "value_error")]
    assert refused({"count": 2**63}) == [("count", "value_error")]
    assert Meeting.model_validate({"count": 2**63 - 1}).count == 2**63 - 1
    assert refused({"q": "a\x00"}, Search) == [("q", "value_error")]


def test_a_query_string_is_converted_from_text():
    assert Search.model_validate({"page": "2", "q": "incident"}).page == 2


def test_the_json_schema_says_what_is_refused():
    schema = Meeting.model_json_schema()
    properties = schema["properties"]
    assert schema["additionalProperties"] is False
    assert properties["count"]["format"] == "int64"
    assert properties["tags"]["items"]["pattern"] == properties["marks"]["propertyNames"]["pattern"] == r"^[^\x00]*$"
    assert properties["on"]["anyOf"][0] == {"format": "date", "type": "string"}
    assert Search.model_json_schema()["properties"]["q"]["pattern"] == r"^[^\x00]*$"
