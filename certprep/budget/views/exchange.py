"""The budget in Excel: download the workbook, and upload budget lines (all or nothing)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from certprep.budget import spreadsheet
from certprep.budget.views.common import context
from certprep.core.actors import SignedInRequest
from certprep.core.downloads import download
from certprep.core.errors import ServiceError
from certprep.core.request_limits import SPREADSHEET_BYTES, read_upload, upload_limit
from certprep.engagements.access import engagement_for, engagement_for_import


class LinesImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Budget workbook (.xlsx)"),
        help_text=gettext_lazy(
            "A workbook exported from this budget and edited in Excel, at most 5 MB. Its typed lines replace the "
            "budget's typed lines; nothing changes if the file has an error."
        ),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload the Excel workbook (.xlsx) exported from this budget."))
        return upload


@login_required
@require_GET
def export_xlsx(request: HttpRequest, engagement_id: int) -> HttpResponseBase:
    engagement, _m = engagement_for(request.user, engagement_id)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return download(
        spreadsheet.budget_export(engagement),
        filename=f"certprep-budget-{engagement.pk}-{stamp}.xlsx",
        content_type=spreadsheet.XLSX_CONTENT_TYPE,
    )


@upload_limit(SPREADSHEET_BYTES)
@login_required
@require_http_methods(["GET", "POST"])
def import_xlsx(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for_import(request.user, engagement_id)
    form = LinesImportForm(request.POST, request.FILES) if request.method == "POST" else LinesImportForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = spreadsheet.budget_import(
                engagement=engagement,
                actor=request.user,
                raw=read_upload(upload, max_bytes=SPREADSHEET_BYTES),
                filename=upload.name or "",
            )
        except ServiceError as exc:
            form.add_error("file", _("Nothing was imported. %(error)s") % {"error": exc.message})
        else:
            messages.success(request, _("Budget lines imported: %(n)s typed lines.") % {"n": count})
            return redirect("budget:overview", engagement.pk)
    return render(request, "budget/import.html", context(engagement, membership, "budget", form=form))
