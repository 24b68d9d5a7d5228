"""The Excel round trip of an assessment: download the workbook, and upload it again after rating offline."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from certprep.core.actors import SignedInRequest
from certprep.core.request_limits import SPREADSHEET_BYTES, upload_limit
from certprep.core.workbooks import WorkbookImportForm, form_import, workbook_download
from certprep.engagements.access import engagement_for_import
from certprep.gaps import spreadsheet
from certprep.gaps.access import assessment_for, assessment_in
from certprep.gaps.views.common import context


class AssessmentImportForm(WorkbookImportForm):
    label = gettext_lazy("Assessment workbook (.xlsx)")
    help_text = gettext_lazy(
        "A workbook exported from this assessment and edited in Excel, at most 5 MB. Nothing changes if the "
        "file has an error or a conflict."
    )
    wrong_type = gettext_lazy("Upload the Excel workbook (.xlsx) exported from this assessment.")


@login_required
@require_GET
def export_xlsx(request: HttpRequest, engagement_id: int, assessment_id: int) -> HttpResponseBase:
    assessment, _m = assessment_for(request.user, engagement_id, assessment_id)
    name = slugify(assessment.name) or f"assessment-{assessment.pk}"
    return workbook_download(spreadsheet.assessment_export(assessment), name=f"certprep-gaps-{name}", dated=True)


@upload_limit(SPREADSHEET_BYTES)
@login_required
@require_http_methods(["GET", "POST"])
def import_xlsx(request: SignedInRequest, engagement_id: int, assessment_id: int) -> HttpResponse:
    engagement, membership = engagement_for_import(request.user, engagement_id)
    assessment = assessment_in(engagement, assessment_id)
    form = AssessmentImportForm(request.POST, request.FILES) if request.method == "POST" else AssessmentImportForm()
    conflict = False
    if request.method == "POST" and form.is_valid():
        counts, conflict = form_import(
            form, partial(spreadsheet.assessment_import, assessment=assessment, actor=request.user)
        )
        if counts is not None:
            if any(counts.values()):
                messages.success(
                    request,
                    _(
                        "Workbook imported: %(ratings)s ratings changed, %(links_added)s links added, "
                        "%(links_changed)s links changed, %(links_removed)s links removed."
                    )
                    % counts,
                )
            else:
                messages.info(request, _("Workbook imported: it holds no changes, so nothing was changed."))
            return redirect("gaps:assessment", engagement.pk, assessment.pk)
    return render(
        request,
        "gaps/import.html",
        context(
            engagement,
            membership,
            "assessments",
            assessment=assessment,
            form=form,
            conflict=conflict,
            can_import=assessment.is_open,
        ),
    )


P = "e/<int:engagement_id>/gaps/assessments/<int:assessment_id>/"

urlpatterns = [
    path(P + "export.xlsx", export_xlsx, name="export"),
    path(P + "import/", import_xlsx, name="import"),
]
