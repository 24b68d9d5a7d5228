"""The API's errors: one shape, JSON on every route (see middleware.ApiJsonErrorsMiddleware).

Every error answer is `{"detail": <for people>, "field": <the input it is about, or null>}`; a 422 adds the
list of every problem found (`errors`). Operations name the statuses that depend on what they do (400 for a
domain rule, 403 for a role, 409 for a stale version) with the maps below; api_docs.DocumentedAPI adds the
ones that follow from an operation's shape.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Field, Schema


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, in words for people.")
    field: str | None = Field(None, description="The input the error is about (its name as sent), if one.")


class ValidationErrorOut(ErrorOut):
    errors: list[dict[str, Any]] = Field(description="Every problem found in the input, with its location.")


READ: dict[int, Any] = {404: ErrorOut}
WRITE: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
VERSIONED: dict[int, Any] = {**WRITE, 409: ErrorOut}


def json_error(status: int, detail: str, field: str | None = None, **extra: Any) -> JsonResponse:
    """The error answer of the API, for handlers and middleware alike."""
    return JsonResponse({"detail": str(detail), "field": field, **extra}, status=status)


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")
