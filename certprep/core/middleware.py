"""Small request-level safety nets."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found

from certprep.core.api_errors import is_api_request, json_error

# Headers of an error answer that still hold once it is JSON (which methods a path takes, when to retry).
_KEPT_HEADERS = ("Allow", "Retry-After")


class OutOfRangeIdMiddleware:
    """An id in a URL larger than the database can store names no object: answer 404, not 500.

    SQLite raises OverflowError for such a number before the query runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OverflowError):
            if is_api_request(request):
                return json_error(404, _("Not found."))
            return page_not_found(request, Http404())
        return None


def _detail(request: HttpRequest, status: int) -> str:
    if getattr(request, "axes_locked_out", False):
        return _("Too many failed sign-ins. Try again later.")
    messages = {
        400: _("The request could not be read."),
        403: _("This is not allowed."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        413: _("The request is too large."),
        429: _("Too many requests. Try again later."),
    }
    if status in messages:
        return messages[status]
    if status >= 500:
        return _("Something went wrong on our side. Try again later.")
    return _("The request was refused.")


class ApiJsonErrorsMiddleware:
    """Every answer under /api/ is JSON in the API's error shape, whoever made it: Django's 404 for a path no
    route matches, a 405, a refused request body, a server error, or the sign-in lock-out (django-axes
    answers with a page; the API answers 429 with its error). Must wrap the axes middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not is_api_request(request) or response.status_code < 400:
            return response
        locked_out = bool(getattr(request, "axes_locked_out", False))
        if not locked_out and response.get("Content-Type", "").startswith("application/json"):
            return response
        status = 429 if locked_out else response.status_code
        answer = json_error(status, _detail(request, status))
        for header in _KEPT_HEADERS:
            if header in response:
                answer[header] = response[header]
        return answer
