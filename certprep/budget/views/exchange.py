"""The budget in Excel: download the workbook, and upload budget lines (all or nothing)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from certprep.budget import spreadsheet
from certprep.budget.views.common import context
from certprep.core.actors import SignedInRequest
from certprep.core.request_limits import SPREADSHEET_BYTES, upload_limit
from certprep.core.workbooks import WorkbookImportForm, form_import, workbook_download
from certprep.engagements.access import engagement_for, engagement_for_import


class LinesImportForm(WorkbookImportForm):
    label = gettext_lazy("Budget workbook (.xlsx)")
    help_text = gettext_lazy(
        "A workbook exported from this budget and edited in Excel, at most 5 MB. Its typed lines replace the "
        "budget's typed lines; nothing changes if the file has an error."
    )
    wrong_type = gettext_lazy("Upload the Excel workbook (.xlsx) exported from this budget.")


@login_required
@require_GET
def export_xlsx(request: HttpRequest, engagement_id: int) -> HttpResponseBase:
    engagement, _m = engagement_for(request.user, engagement_id)
    return workbook_download(spreadsheet.budget_export(engagement), name=f"certprep-budget-{engagement.pk}", dated=True)


@upload_limit(SPREADSHEET_BYTES)
@login_required
@require_http_methods(["GET", "POST"])
def import_xlsx(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for_import(request.user, engagement_id)
    form = LinesImportForm(request.POST, request.FILES) if request.method == "POST" else LinesImportForm()
    if request.method == "POST" and form.is_valid():
        count, _conflict = form_import(
            form, partial(spreadsheet.budget_import, engagement=engagement, actor=request.user)
        )
        if count is not None:
            messages.success(request, _("Budget lines imported: %(n)s typed lines.") % {"n": count})
            return redirect("budget:overview", engagement.pk)
    return render(request, "budget/import.html", context(engagement, membership, "budget", form=form))
