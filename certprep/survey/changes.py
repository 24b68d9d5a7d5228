"""What a change to a survey object sends, turned into the `data` its update service takes, in one place per
object for pages and API alike.

A page sends every field of its form; the API sends only the fields it changes, where `null` clears a text
or a list and leaves anything that cannot be empty as it is. The functions drop the version (the services
take it as `expected_version`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

VERSION = ("version", "expected_version")


def _changes(sent: Mapping[str, Any], *, cleared: Mapping[str, Any]) -> dict[str, Any]:
    """The fields sent, a null one becoming its entry in `cleared` (its empty value) or left out."""
    data: dict[str, Any] = {}
    for name, value in sent.items():
        if name in VERSION:
            continue
        if value is None:
            if name in cleared:
                data[name] = cleared[name]
            continue
        data[name] = value
    return data


def questionnaire_changes(sent: Mapping[str, Any]) -> dict[str, Any]:
    """title, intro ("" when null), audience ([] when null)."""
    return _changes(sent, cleared={"intro": "", "audience": []})


def question_changes(sent: Mapping[str, Any]) -> dict[str, Any]:
    """The question's fields; a null section or guidance is cleared, any other null leaves the field."""
    return _changes(sent, cleared={"section": "", "guidance": ""})


def campaign_changes(sent: Mapping[str, Any]) -> dict[str, Any]:
    """name (without surrounding spaces), deadline, grace and reminder days, message ("" when null)."""
    data = _changes(sent, cleared={"message": ""})
    if "name" in data:
        data["name"] = data["name"].strip()
    return data


# The interview form and services name the people by the objects; the API body by their ids.
_INTERVIEW_NAMES = {"attendee_ids": "attendees", "interviewer_id": "interviewer"}


def interview_changes(sent: Mapping[str, Any]) -> dict[str, Any]:
    """The interview's fields, the API's `attendee_ids` and `interviewer_id` named as the service names them;
    a null process, place, link or minutes is cleared, no interviewer is None, no attendees an empty list."""
    renamed = {_INTERVIEW_NAMES.get(name, name): value for name, value in sent.items()}
    data = _changes(
        renamed, cleared={"process_code": "", "location": "", "call_link": "", "minutes": "", "attendees": []}
    )
    if "interviewer" in renamed:
        data["interviewer"] = renamed["interviewer"]
    return data
