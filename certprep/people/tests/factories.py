"""People for tests: a person of an engagement holding roles, written straight to the database."""

from __future__ import annotations

from typing import Any

from certprep.people.models import Person
from certprep.people.rules import cross
from certprep.people.services import roles_replace


def person(
    engagement: Any,
    name: str,
    *,
    roles: list[str] = (),  # type: ignore[assignment]
    processes: list[str] = (),  # type: ignore[assignment]
    pairs: list[tuple[str, str]] = (),  # type: ignore[assignment]
    email: str | None = None,
    department: str = "IT Operations",
) -> Person:
    """A person holding `pairs` ((role, process code)) and each of `roles` for each of `processes` (SMS-wide
    roles once, without a process)."""
    created = Person.objects.create(
        engagement=engagement,
        name=name,
        department=department,
        email=email if email is not None else f"{name.lower().replace(' ', '.')}@client-a.example",
    )
    roles_replace(person=created, pairs=list(dict.fromkeys([*pairs, *cross(roles, processes)])))
    return created
