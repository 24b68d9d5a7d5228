"""The reports page: the documents on offer, the form to build them (editors), the builds newest first with their
progress (a small partial the page polls while a build runs) and files; deleting a build; downloading a file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from certprep.core.actors import SignedInRequest
from certprep.core.background import shown_recover
from certprep.core.downloads import download
from certprep.core.feedback import attempt_with_version, run_form
from certprep.engagements.access import can, engagement_for_page
from certprep.engagements.choices import Role
from certprep.reports.access import build_for, file_for
from certprep.reports.choices import CONTENT_TYPES, FileFormat
from certprep.reports.forms import BuildForm
from certprep.reports.jobs import BUILD
from certprep.reports.selectors.builds import build_view, builds_of, offers
from certprep.reports.services.builds import build_delete, build_request

ACTIVE = "reports"


@login_required
def overview(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for_page(request, engagement_id)
    form = BuildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        built, _conflict = run_form(
            form, lambda: build_request(engagement=engagement, actor=request.user, **form.service_kwargs())
        )
        if built is not None:
            messages.success(request, _("Build queued: the reports are written in the background."))
            return redirect("reports:overview", engagement_id)
    builds = builds_of(engagement)
    if shown_recover(BUILD, [view.build for view in builds]):  # a build whose worker stopped never shows "running"
        builds = builds_of(engagement)
    return render(
        request,
        "reports/overview.html",
        {
            "engagement": engagement,
            "membership": membership,
            "active": ACTIVE,
            "editable": can(membership, Role.EDITOR),
            "offers": offers(),
            "form": form,
            "builds": builds,
        },
    )


@login_required
@require_GET
def build_card(request: SignedInRequest, engagement_id: int, build_id: int) -> HttpResponse:
    """One build's card: what the page polls every 2 s while the build runs (it stops once the build is done)."""
    build, membership = build_for(request.user, engagement_id, build_id)
    if shown_recover(BUILD, [build]):
        build.refresh_from_db()
    return render(
        request,
        "reports/partials/build.html",
        {
            "engagement": build.engagement,
            "view": build_view(build),
            "editable": can(membership, Role.EDITOR),
        },
    )


@login_required
@require_POST
def build_remove(request: SignedInRequest, engagement_id: int, build_id: int) -> HttpResponse:
    build, _m = build_for(request.user, engagement_id, build_id, role=Role.EDITOR)
    attempt_with_version(
        request,
        lambda version: build_delete(build=build, actor=request.user, expected_version=version),
        _("Build deleted with its files."),
    )
    return redirect("reports:overview", engagement_id)


@login_required
@require_GET
def file_download(request: SignedInRequest, engagement_id: int, report_file_id: int) -> HttpResponseBase:
    """A report file, streamed as an attachment; membership is checked on every download."""
    report, _m = file_for(request.user, engagement_id, report_file_id)
    return download(report.file, filename=report.name, content_type=CONTENT_TYPES[FileFormat(report.format)])
