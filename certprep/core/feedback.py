"""Run a service from a page and tell the person how it went, as a one-off message on the next page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from certprep.core.errors import ConflictError, ServiceError


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


def run_form[T](form: Any, action: Callable[[], T]) -> tuple[T | None, bool]:
    """Call a service for a valid form. A conflict becomes a form-wide error and returns conflict=True (the page
    then offers to reload); any other ServiceError is put on its field, or on the form. Returns (result, conflict)."""
    try:
        return action(), False
    except ConflictError as exc:
        form.add_error(None, exc.message)
        return None, True
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None, False
