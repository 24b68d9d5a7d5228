"""How large a request body may be, decided before anything reads it.

Every route accepts at most `CERTPREP_MAX_REQUEST_BYTES` (10 MB plus the multipart envelope, the size of
one evidence file); an upload route declares its own bound with `upload_limit` (pages) or
`api_upload_limit` (API operations). The check reads the request's Content-Length and runs before the
CSRF check, the form or the API's parameter parsing touch the body, so an 800 MB upload is answered
413 at once instead of being streamed to disk and read into memory. A view then reads the file with
`read_upload`, which checks the size the upload really has before reading it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from certprep.core.errors import ServiceError

MB = 1024 * 1024
# Room for the multipart envelope (boundaries, headers, the CSRF token and small fields) around a file.
ENVELOPE_BYTES = 256 * 1024

# The uploads certprep accepts, by kind. A route names the kind it takes.
ENGAGEMENT_FILE_BYTES = 50 * MB
SPREADSHEET_BYTES = 5 * MB
ATTACHMENT_BYTES = 10 * MB

View = TypeVar("View", bound=Callable[..., Any])


def framework_file_bytes() -> int:
    return int(settings.CERTPREP_MAX_FRAMEWORK_FILE_BYTES)


def default_body_bytes() -> int:
    return int(getattr(settings, "CERTPREP_MAX_REQUEST_BYTES", ATTACHMENT_BYTES + ENVELOPE_BYTES))


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f}".removesuffix(".0")


def declared_length(request: HttpRequest) -> int:
    """The body size the client announced; a missing or garbled header counts as none (Django then reads
    no body at all)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def too_large(request: HttpRequest, max_file_bytes: int, *, any_route: bool = False) -> HttpResponse:
    """413 in the form the route speaks: JSON under /api/, a page elsewhere."""
    sizes = {"size": _megabytes(declared_length(request)), "max": _megabytes(max_file_bytes)}
    if any_route:
        message = _("The upload is %(size)s MB; no upload to the API may be larger than %(max)s MB.") % sizes
    else:
        message = _("The upload is %(size)s MB; this accepts files of at most %(max)s MB.") % sizes
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "field": None}, status=413)
    return render(request, "413.html", {"message": message}, status=413)


def refused_body(request: HttpRequest, max_file_bytes: int, *, any_route: bool = False) -> HttpResponse | None:
    """The 413 answer when the announced body is larger than a file of `max_file_bytes` can make."""
    if declared_length(request) > max_file_bytes + ENVELOPE_BYTES:
        return too_large(request, max_file_bytes, any_route=any_route)
    return None


def upload_limit(max_file_bytes: int | Callable[[], int]) -> Callable[[View], View]:
    """Declare the largest file a page view accepts (read by RequestBodyLimitMiddleware): a number, or a
    function that reads it from the settings at request time."""

    def mark(view: View) -> View:
        view.upload_limit = max_file_bytes  # type: ignore[attr-defined]
        return view

    return mark


def api_upload_limit(max_file_bytes: int | Callable[[], int]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """For `ninja.decorators.decorate_view`: refuse the body before the operation parses its parameters.
    The bound is a number, or a function that reads it from the settings at request time."""

    def decorate(run: Callable[..., Any]) -> Callable[..., Any]:
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            bound = max_file_bytes() if callable(max_file_bytes) else max_file_bytes
            return refused_body(request, bound) or run(request, *args, **kwargs)

        return limited

    return decorate


class RequestBodyLimitMiddleware:
    """Answers 413 to a body larger than its route accepts, before CSRF or a view reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if getattr(view, "body_unchecked", False):  # the health probes: no body, nothing to refuse
            return None
        declared = getattr(view, "upload_limit", None)
        if declared is not None:
            return refused_body(request, declared() if callable(declared) else declared)
        # An API operation checks its own bound before it parses its parameters (api_upload_limit); here
        # only the largest any of them takes. Every other route gets the default.
        if getattr(view, "csrf_exempt", False) and request.path.startswith("/api/"):
            # One MB above the largest, so that the operation's own, more precise answer comes first.
            return refused_body(request, max(default_body_bytes(), ENGAGEMENT_FILE_BYTES) + MB, any_route=True)
        return refused_body(request, default_body_bytes())


def read_upload(upload: UploadedFile[bytes], *, max_bytes: int) -> bytes:
    """The bytes of an uploaded file, after checking the size it really has (no Content-Length trusted)."""
    if upload.size is None or upload.size > max_bytes:
        raise ServiceError(_("The file is larger than %(max)s MB.") % {"max": _megabytes(max_bytes)})
    data: bytes = upload.read()  # the stubs' File.read() returns Any; an upload is read as bytes
    return data
