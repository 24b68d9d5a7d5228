"""What a change to an engagement or its organization profile sends, turned into the `data` of its update
service, in one place for pages and API alike.

A page sends every field of its form; the API only the fields it changes, where `null` clears a text or a
choice and leaves anything that cannot be empty as it is. Lists of places, services and tools keep each entry
once, trimmed to one line of at most 200 characters."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

LIST_ITEM_MAX = 200
PROFILE_LISTS = ("sites", "services_in_scope", "itsm_tools")
PROFILE_CLEARED = ("industry", "itil_adoption", "scope_who", "scope_services", "scope_where", "notes")


def _lines(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v.strip()[:LIST_ITEM_MAX] for v in values if v and v.strip()))


def engagement_changes(sent: Mapping[str, Any]) -> dict[str, Any]:
    """The engagement's fields sent, without the version."""
    return {name: value for name, value in sent.items() if name not in ("version", "expected_version")}


def profile_changes(sent: Mapping[str, Any]) -> dict[str, Any]:
    """The profile's fields sent, without the version: a null text or choice cleared, lists and the existing
    certifications each entry once."""
    data: dict[str, Any] = {}
    for name, value in sent.items():
        if name in ("version", "expected_version"):
            continue
        if name in PROFILE_LISTS:
            data[name] = _lines(value or [])
        elif name == "existing_certifications":
            data[name] = list(dict.fromkeys(value or []))
        elif value is None and name in PROFILE_CLEARED:
            data[name] = ""
        else:
            data[name] = value
    return data
