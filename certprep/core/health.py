"""Health answers for a load balancer or an orchestrator, in JSON, with no sign-in and no session.

- `/healthz`: the process is alive and answers requests. It asks nothing else, so a database outage does not
  make every app server look dead and get restarted.
- `/readyz`: this server can do its work: the database answers a trivial query and the file store answers a
  cheap question (does a fixed key exist?). 503 when either does not, naming which, in words that carry no
  address, key or password.

Neither view reads a body, a cookie or the session; their answers are never cached.
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from certprep.core.storage import storage_status


def database_status() -> str:
    """ "ok" when the database answers `SELECT 1`, else the kind of error (its message may name the server)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure to answer is the answer
        return type(exc).__name__
    return "ok"


def _unchecked(view):  # type: ignore[no-untyped-def]
    # A probe sends no body: the request-limit middleware has nothing to check (request_limits.body_unchecked).
    view.body_unchecked = True
    return view


@_unchecked
@csrf_exempt
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive."""
    return JsonResponse({"status": "ok"})


@_unchecked
@csrf_exempt
@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """The database and the file store answer: 200, else 503 with what does not."""
    database = database_status()
    storage = storage_status()
    ready = database == "ok" and storage == "ok"
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "database": database, "storage": storage},
        status=200 if ready else 503,
    )
