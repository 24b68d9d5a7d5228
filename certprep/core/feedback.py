"""Run a service from a page and tell the person how it went, as a one-off message on the next page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from certprep.core.errors import ConflictError, ServiceError
from certprep.core.forms import VersionForm


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


def attempt_with_version[T](
    request: HttpRequest, action: Callable[[int], T], success: str | Callable[[T], str]
) -> T | None:
    """The remove-button flow: read the version the page showed from the POST (a VersionForm) and `attempt` the
    action with it. A missing or broken version adds "out of date" as an error and calls nothing. Returns the
    result, or None when nothing was done."""
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This form is out of date: open the page again."))
        return None
    version: int = form.cleaned_data["expected_version"]
    return attempt(request, lambda: action(version), success)


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


def submit_form[T](request: HttpRequest, form: Any, action: Callable[..., T], success: str) -> tuple[T | None, bool]:
    """The edit-page flow: for a POSTed, valid form call `action` through `run_form` with the form's cleaned
    fields as keyword arguments (an edit form's fields, expected_version included, are what its service takes;
    bind the rest with functools.partial), and on success add the success message. Returns (result, conflict);
    (None, False) when nothing was saved."""
    if request.method != "POST" or not form.is_valid():
        return None, False
    saved, conflict = run_form(form, lambda: action(**form.cleaned_data))
    if saved is not None:
        messages.success(request, success)
    return saved, conflict
