"""The plan in Excel: the workbook to download, and a workbook to import after a preview.

The preview reads and checks the whole file without storing anything; the file waits in the person's session
(at most the 5 MB an upload may have) until they confirm or upload another. Confirming sends the plan's
version the preview was made on and the file's digest, so a plan changed meanwhile, or another file, is
refused instead of replaced."""

from __future__ import annotations

import base64
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from certprep.core.actors import SignedInRequest
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.request_limits import SPREADSHEET_BYTES, read_upload, upload_limit
from certprep.core.uploads import upload_name
from certprep.core.workbooks import workbook_download
from certprep.engagements.access import engagement_for_import
from certprep.planning.access import plan_for, plan_in
from certprep.planning.selectors.excel import plan_workbook
from certprep.planning.services.excel_import import excel_import, excel_preview
from certprep.planning.views.common import context

PENDING = "planning-excel-import-%s"  # session key, per engagement


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@login_required
@require_GET
def excel_export(request: SignedInRequest, engagement_id: int) -> HttpResponseBase:
    plan, _membership = plan_for(request.user, engagement_id)
    return workbook_download(plan_workbook(plan), name=f"plan-{engagement_id}")


@upload_limit(SPREADSHEET_BYTES)
@login_required
@require_POST
def excel_upload(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    """Read the uploaded workbook and show what importing it would do."""
    engagement, membership = engagement_for_import(request.user, engagement_id)
    plan = plan_in(engagement)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ServiceError(_("Choose an Excel workbook (.xlsx) to import."))
        raw = read_upload(upload, max_bytes=SPREADSHEET_BYTES)
        preview = excel_preview(plan=plan, raw=raw, filename=upload.name or "")
    except ServiceError as exc:
        messages.error(request, _("Nothing was imported. %(error)s") % {"error": exc.message})
        return redirect("planning:exchange", engagement.pk)
    request.session[PENDING % engagement.pk] = {
        "name": preview.file_name,
        "data": base64.b64encode(raw).decode(),
    }
    return render(
        request,
        "planning/excel_preview.html",
        context(engagement, membership, "exchange", plan=plan, preview=preview, digest=_digest(raw)),
    )


@login_required
@require_POST
def excel_confirm(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    """Replace the plan's tasks by the previewed workbook's."""
    engagement, _membership = engagement_for_import(request.user, engagement_id)
    plan = plan_in(engagement)
    pending = request.session.get(PENDING % engagement.pk) or {}
    raw = base64.b64decode(pending.get("data", ""))
    try:
        if not raw or request.POST.get("digest") != _digest(raw):
            raise ServiceError(_("This preview has expired: upload the workbook again."))
        version = int(request.POST.get("expected_version", "0") or 0)
        imported, _preview = excel_import(
            plan=plan, actor=request.user, raw=raw, filename=upload_name(pending.get("name")), expected_version=version
        )
    except ConflictError as exc:
        messages.error(request, exc.message)
        return redirect("planning:exchange", engagement.pk)
    except (ServiceError, ValueError) as exc:
        message = (
            exc.message if isinstance(exc, ServiceError) else _("This preview has expired: upload the workbook again.")
        )
        messages.error(request, _("Nothing was imported. %(error)s") % {"error": message})
        return redirect("planning:exchange", engagement.pk)
    request.session.pop(PENDING % engagement.pk, None)
    messages.success(
        request, _("%(file)s imported: %(n)s tasks.") % {"file": imported.file_name, "n": imported.task_count}
    )
    return redirect("planning:plan", engagement.pk)
