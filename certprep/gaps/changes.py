"""Partial updates: which of the fields a request sent reach the service, and what an empty value means.

One function per entity, used by the API's PATCH and by the pages (the assessment screen's instant save,
the rating, topic and checklist forms), so both read a request the same way. `sent` holds only the fields
the request names, under the services' names (owner, not owner_id); for each entity some fields take None
as "clear it" (a rating's level, target and assessor; a topic's owner and due date; an item's owner and
review date) and the others take None as "leave it as it is". Ids are turned into the engagement's objects
here; an id the caller may not use is refused as input (ServiceError naming the field).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from certprep.core.errors import ServiceError
from certprep.engagements.models import Engagement
from certprep.gaps.access import person_named, ratings_named
from certprep.gaps.models import Rating
from certprep.gaps.services.ratings import member_by_id


def _partial(sent: Mapping[str, Any], *, clearable: Iterable[str], kept: Iterable[str]) -> dict[str, Any]:
    changes = {name: sent[name] for name in clearable if name in sent}
    changes.update({name: sent[name] for name in kept if sent.get(name) is not None})
    return changes


def rating_changes(rating: Rating, sent: Mapping[str, Any]) -> dict[str, Any]:
    """Arguments for services.ratings.rating_update. None clears the level, the target and the assessor
    (owner: a member's user id); attributes are merged by the service ("" clears one)."""
    changes = _partial(sent, clearable=("level", "target"), kept=("attributes", "documentation", "notes"))
    if "owner" in sent:
        changes["owner"] = member_by_id(rating, sent["owner"])
    return changes


def topic_changes(engagement: Engagement, sent: Mapping[str, Any]) -> dict[str, Any]:
    """Arguments for services.topics.topic_update. None clears the owner (a person's id) and the due date;
    `ratings` (ids) replaces the topic's requirements."""
    changes = _partial(sent, clearable=("due_date",), kept=("title", "description", "status"))
    if "owner" in sent:
        changes["owner"] = person_named(engagement, sent["owner"])
    if sent.get("ratings") is not None:
        changes["ratings"] = ratings_named(engagement, list(sent["ratings"]))
    return changes


def document_changes(engagement: Engagement, sent: Mapping[str, Any]) -> dict[str, Any]:
    """Arguments for services.documents.document_update. None clears the owner (a person's id) and the review
    date; `requirements` (references) replaces what the item evidences."""
    changes = _partial(
        sent, clearable=("review_date",), kept=("status", "location", "notes", "name", "clause", "requirements")
    )
    if "owner" in sent:
        changes["owner"] = person_named(engagement, sent["owner"])
    return changes


# The assessment screen's instant save ---------------------------------------------------------------


def _whole_or_none(value: str | None, field: str) -> int | None:
    if value is None or value.strip() == "":
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise ServiceError(_("Enter a whole number."), field=field) from exc


def posted_rating_fields(data: Mapping[str, str]) -> dict[str, Any]:
    """The fields an instant save posts, as rating_changes reads them: level, target and owner as numbers
    ("" clears), one process attribute as `attr` and `value`, documentation and notes as text."""
    sent: dict[str, Any] = {}
    for name in ("level", "target", "owner"):
        if name in data:
            sent[name] = _whole_or_none(data.get(name), name)
    if "attr" in data:
        sent["attributes"] = {data.get("attr", ""): data.get("value", "")}
    for name in ("documentation", "notes"):
        if name in data:
            sent[name] = data.get(name, "")
    return sent


def posted_version(data: Mapping[str, str]) -> int:
    """The version the screen shows, which every instant save carries."""
    version = _whole_or_none(data.get("version"), "version")
    if version is None:
        raise ServiceError(_("The page did not say which version it shows. Reload it."), field="version")
    return version


def already_holds(rating: Rating, sent: Mapping[str, Any]) -> bool:
    """Whether the stored rating already has every value a request asks for (a stale page asking for what
    is stored is not refused)."""
    attributes = rating.attributes or {}
    checks = {
        "level": lambda value: rating.level == value,
        "target": lambda value: rating.target == value,
        "owner": lambda value: rating.owner_id == value,
        "documentation": lambda value: rating.documentation == value,
        "notes": lambda value: rating.notes == value.strip(),
        "attributes": lambda value: all(
            attributes.get(key, "") == (given or "").strip().upper() for key, given in value.items()
        ),
    }
    return bool(sent) and all(checks[name](value) for name, value in sent.items() if name in checks)
