"""Objects an API request body names by id.

An id in the path names the resource the request is about: when it is not found the answer is 404. An id in
the body is input like any other: when it names nothing the caller may use, the request is refused with 400
naming the field, the way a form names the field it refuses. Both use the caller's own querysets, so an
object of another engagement is as unknown as one that never existed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import wraps
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404

from certprep.core.errors import ServiceError

# The widest id a database stores; a larger number names nothing (and SQLite could not even look it up).
MAX_ID = 2**63 - 1


def path_ref[M: Model](queryset: QuerySet[M], pk: int) -> M:
    """The object of `queryset` with the id a path names, or 404 (also for an id no database can hold)."""
    found = queryset.filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if found is None:
        raise Http404
    return found


def engagement_ref[M: Model](source: type[M] | QuerySet[M], engagement: Model, pk: int) -> M:
    """The engagement's object with the id a path names, or 404: of a model with an `engagement` foreign key, or of
    a queryset of one (with its select_related, say). It is given the engagement already read, so reading it
    again costs no query."""
    queryset = source if isinstance(source, QuerySet) else source._default_manager.all()
    found = path_ref(queryset.filter(engagement=engagement), pk)
    setattr(found, "engagement", engagement)  # noqa: B010 - M is any engagement-owned model
    return found


def body_ref[M: Model](queryset: QuerySet[M], pk: int, *, field: str, message: str) -> M:
    """The object of `queryset` with this id, or ServiceError(message) for `field`."""
    found = queryset.filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if found is None:
        raise ServiceError(message, field=field)
    return found


def body_refs[M: Model](queryset: QuerySet[M], ids: Iterable[int], *, field: str, message: str) -> list[M]:
    """The objects of `queryset` with these ids (each once, in the queryset's order), or ServiceError for
    `field`; `message` may name the unknown ids with %(ids)s."""
    wanted = list(dict.fromkeys(ids))
    usable = [pk for pk in wanted if 0 < pk <= MAX_ID]
    found = list(queryset.filter(pk__in=usable)) if usable else []
    known = {obj.pk for obj in found}
    unknown = [pk for pk in wanted if pk not in known]
    if unknown:
        raise ServiceError(message % {"ids": ", ".join(str(pk) for pk in unknown)}, field=field)
    return found


def fields_as_sent(names: Mapping[str, str]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A decorator for every operation of a router (`router.add_decorator`): a refused field is named as
    the body names it. Services name the fields of their forms (`owner`); the body says `owner_id`."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def renamed(*args: Any, **kwargs: Any) -> Any:
            try:
                return view(*args, **kwargs)
            except ServiceError as exc:
                if exc.field is not None and exc.field in names:
                    exc.field = names[exc.field]
                raise

        return renamed

    return decorator
