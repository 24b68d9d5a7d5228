from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("engagements:list")
    return redirect("accounts:login")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database status for monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception as exc:  # noqa: BLE001 - any database failure is reported, not raised
        return JsonResponse({"status": "error", "database": "unavailable", "detail": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": database, "vendor": connection.vendor})
