"""A database too busy to take a write answers 503 "try again", never a server error.

SQLite takes one writer at a time: with WAL, immediate transactions and a 20 s busy timeout, writers
queue, and only a write that waited the whole timeout (or a lock SQLite refuses at once) fails. Such a
request changed nothing (its transaction rolled back), so the honest answer is "not saved, send it
again": the pages' own scripts resend instant saves after the Retry-After delay with the value still in
the page, and a form page tells the person that going back keeps what they typed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 2
_BUSY_WORDS = ("database is locked", "database table is locked", "could not obtain lock", "deadlock detected")


def is_busy(exc: BaseException) -> bool:
    """Whether the error is the database refusing a lock now (worth a retry), not a broken query."""
    return isinstance(exc, OperationalError) and any(word in str(exc).lower() for word in _BUSY_WORDS)


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


class DatabaseBusyMiddleware:
    """Turns a lock time-out into 503 with Retry-After: JSON for scripts and the API, a page for forms."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_busy(exception):
            return None
        message = _(
            "The database is busy with other changes, so this one was not saved. It can be sent again in a moment."
        )
        response: HttpResponse
        if wants_json(request):
            response = JsonResponse({"detail": message, "field": None, "retry": True}, status=503)
        else:
            response = render(request, "503.html", {"message": message}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
