"""Run a service from a page and tell the person how it went, as a one-off message on the next page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest

from certprep.core.errors import ServiceError


def attempt[T](request: HttpRequest, action: Callable[[], T], success: str | Callable[[T], str]) -> T | None:
    """Call `action`; on success add the success message (text, or made from the result), on a
    ServiceError add its message as an error. Returns the result, or None when refused."""
    try:
        result = action()
    except ServiceError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result
