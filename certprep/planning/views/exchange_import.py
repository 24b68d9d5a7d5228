"""Importing a file from MS Project (MS Project XML or .mpp) into the plan: upload, see the preview (what will be
replaced, how many tasks, what cannot be represented, which people are not matched), then confirm. Editors
only; the confirmation checks the plan's version read with the preview."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from certprep.core.actors import SignedInRequest
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.request_limits import read_upload, upload_limit
from certprep.engagements.access import engagement_for_import
from certprep.engagements.models import Engagement, Membership
from certprep.planning.exchange import staging
from certprep.planning.exchange.mpp import mpp_available
from certprep.planning.exchange.mspdi_xml import MAX_BYTES
from certprep.planning.services.plan_import import ImportPreview, plan_import_file, plan_import_preview
from certprep.planning.views.common import context


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("MS Project file (.xml or .mpp)"),
        help_text=gettext_lazy(
            "Saved from MS Project (2007 or later) or ProjectLibre as XML, or an .mpp file; at most 20 MB. You see "
            "what will change before anything is imported."
        ),
    )


class ConfirmForm(forms.Form):
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
    file_name = forms.CharField(max_length=255, widget=forms.HiddenInput)
    expected_version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)


def _page(request: SignedInRequest, engagement: Engagement, membership: Membership, **extra: object) -> HttpResponse:
    return render(
        request,
        "planning/exchange_import.html",
        context(engagement, membership, "exchange", mpp_available=mpp_available(), **extra),
    )


def _preview(
    request: SignedInRequest, engagement: Engagement, membership: Membership, form: UploadForm
) -> HttpResponse:
    upload = form.cleaned_data["file"]
    name = upload.name or "plan.xml"
    try:
        data = read_upload(upload, max_bytes=MAX_BYTES)
        preview: ImportPreview = plan_import_preview(engagement=engagement, data=data, file_name=name)
    except ServiceError as exc:
        form.add_error("file", _("Nothing was imported. %(error)s") % {"error": exc.message})
        return _page(request, engagement, membership, form=form)
    token = staging.stage(engagement_id=engagement.pk, user_id=request.user.pk, data=data, file_name=name)
    confirm = ConfirmForm(initial={"token": token, "file_name": name, "expected_version": preview.plan_version})
    return _page(request, engagement, membership, preview=preview, confirm=confirm)


def _confirm(
    request: SignedInRequest, engagement: Engagement, membership: Membership, form: ConfirmForm
) -> HttpResponse:
    data = form.cleaned_data
    ids = {"engagement_id": engagement.pk, "user_id": request.user.pk}
    try:
        raw = staging.staged(token=data["token"], **ids)
        record = plan_import_file(
            engagement=engagement,
            actor=request.user,
            data=raw,
            file_name=data["file_name"],
            expected_version=data["expected_version"],
        )
    except ConflictError as exc:
        messages.error(request, exc.message)
        return redirect("planning:exchange_import", engagement.pk)
    except ServiceError as exc:
        messages.error(request, _("Nothing was imported. %(error)s") % {"error": exc.message})
        return redirect("planning:exchange_import", engagement.pk)
    staging.unstage(**ids)
    messages.success(
        request,
        _("%(file)s imported: %(n)s tasks; %(missing)s things it holds are not represented (listed below).")
        % {"file": record.file_name, "n": record.task_count, "missing": len(record.unrepresented)},
    )
    return redirect("planning:exchange", engagement.pk)


@upload_limit(MAX_BYTES)
@login_required
@require_http_methods(["GET", "POST"])
def exchange_import(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    """GET: the upload form; POST a file: its preview; POST the preview's confirmation: the import."""
    engagement, membership = engagement_for_import(request.user, engagement_id)
    if request.method == "POST" and "token" in request.POST:
        confirm = ConfirmForm(request.POST)
        if confirm.is_valid():
            return _confirm(request, engagement, membership, confirm)
        messages.error(request, _("The uploaded file is no longer waiting to be imported: upload it again."))
        return redirect("planning:exchange_import", engagement.pk)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        return _preview(request, engagement, membership, form)
    return _page(request, engagement, membership, form=form)
