"""REST API v1: one NinjaAPI assembling each app's router, with bearer-token auth and JSON errors.

The engagement and catalogue routers are named here; every app above them brings its routers through its
engagement part (certprep/core/parts.py), so adding an app does not edit this module."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from ninja import Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from certprep.accounts.services import token_issue, token_revoke, token_user
from certprep.catalogue.api import router as catalogue_router
from certprep.core.api_docs import DocumentedAPI
from certprep.core.api_errors import ErrorOut, json_error
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.parts import engagement_parts
from certprep.core.schemas import InputSchema
from certprep.engagements.api import router as engagements_router


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(token)
        if user is not None:
            request.user = user
            request.api_token = token  # type: ignore[attr-defined]
        return user


def _not_a_number(constant: str) -> None:
    raise ValueError(f"{constant} is not a JSON number")


def _number(text: str) -> int | float:
    exact = Decimal(text)
    # Only as wide as a stored integer can be: 1e999999999 must not become a billion-digit int.
    if exact.is_finite() and exact.adjusted() < 19 and exact == exact.to_integral_value():
        return int(exact)
    return float(text)


class JsonParser(Parser):
    """Standard JSON, read as JSON Schema reads it: a number without a fraction is an integer however it is
    written (2.0, 2e0), and NaN or Infinity is no number at all."""

    def parse_body(self, request: HttpRequest) -> Any:
        return json.loads(request.body, parse_float=_number, parse_constant=_not_a_number)


api = DocumentedAPI(
    title="certprep API",
    version="1",
    description="Engagements, members, organization profile and the standards catalogue of certprep. "
    "Get a token with POST /api/v1/auth/token, then send `Authorization: Bearer <token>`. "
    "Every error answers JSON: `detail` says what went wrong, `field` names the input it is about.",
    urls_namespace="api-v1",
    auth=BearerToken(),
    parser=JsonParser(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


class TokenIn(InputSchema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_at: Any


@api.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 429: ErrorOut},
    summary="Exchange a user name and password for a bearer token",
    tags=["auth"],
)
def auth_token(request: HttpRequest, payload: TokenIn) -> Any:
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        return Status(429, {"detail": _("Too many failed sign-ins. Try again later.")})
    if user is None or not user.is_active:
        return Status(401, {"detail": _("Wrong user name or password.")})
    token, record = token_issue(user=user)
    return Status(200, {"token": token, "expires_at": record.expires_at})


@api.delete("/auth/token", response={204: None}, summary="Revoke the token this request is made with", tags=["auth"])
def auth_token_revoke(request: HttpRequest) -> Any:
    token_revoke(token=request.api_token)  # type: ignore[attr-defined]
    return Status(204, None)


def _error(request: HttpRequest, status: int, detail: str, field: str | None = None) -> HttpResponse:
    return json_error(status, detail, field)


def _too_large() -> HttpResponse:
    limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return json_error(413, _("The request body is larger than %(limit)s.") % {"limit": limit})


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, _("Not found."))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, str(exc) or _("Your role does not allow this."))


@api.exception_handler(ConflictError)
def _conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
    return _error(request, 409, exc.message)


@api.exception_handler(ServiceError)
def _service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return _error(request, 400, exc.message, exc.field)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 401, _("Missing, wrong or expired token. Get one with POST /api/v1/auth/token."))


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    loc = ".".join(str(p) for p in first.get("loc", []) if p not in ("body", "payload", "query", "path"))
    message = first.get("msg", _("Invalid input."))
    return json_error(422, f"{loc}: {message}" if loc else message, loc or None, errors=exc.errors)


@api.exception_handler(RequestDataTooBig)
def _request_too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _too_large()


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja turns any failure to read a body into a 400; say which one it was.
    if isinstance(exc.__cause__, RequestDataTooBig):
        return _too_large()
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        return _error(request, 400, _("The request body is not valid JSON."))
    return _error(request, exc.status_code, str(exc))


api.add_router("/engagements", engagements_router)
# Each engagement part's routers, in the parts' order (certprep/core/parts.py): an app brings its own.
for part in engagement_parts():
    for router in part.routers:
        api.add_router("/engagements", router)
api.add_router("/catalogue", catalogue_router)

__all__ = ["api"]
