"""The catalogue's pages: the frameworks (staff import more), a framework's requirements with search and the
process filter, and a process lens's mapping to the clauses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certprep.catalogue import selectors, services
from certprep.catalogue.access import framework_for, lens_for
from certprep.catalogue.forms import ImportForm
from certprep.catalogue.models import ProcessLens
from certprep.catalogue.outline import tree_page
from certprep.core.actors import SignedInRequest
from certprep.core.errors import ServiceError
from certprep.core.request_limits import framework_file_bytes, read_upload, upload_limit


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalogue/list.html",
        {"frameworks": selectors.frameworks_with_counts(), "form": ImportForm() if request.user.is_staff else None},
    )


@upload_limit(framework_file_bytes)
@staff_member_required
@require_POST
def framework_import(request: SignedInRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            data = read_upload(form.cleaned_data["file"], max_bytes=framework_file_bytes())
            result = services.catalogue_file_import(data=data, actor=request.user)
            if isinstance(result, ProcessLens):
                messages.success(request, _("Process lens %(name)s loaded.") % {"name": result.name})
            else:
                messages.success(
                    request,
                    _(
                        "%(name)s imported: %(added)s added, %(updated)s updated, %(moved)s moved, %(retired)s "
                        "retired, %(unchanged)s unchanged."
                    )
                    % {
                        "name": result.framework.name,
                        "added": result.added,
                        "updated": result.updated,
                        "moved": result.moved,
                        "retired": result.retired,
                        "unchanged": result.unchanged,
                    },
                )
        except ServiceError as exc:
            messages.error(request, _("Nothing was imported. %(error)s") % {"error": exc.message})
    else:
        messages.error(request, _("Choose a file to import."))
    return redirect("catalogue:list")


def _number(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 10 else None


@login_required
def framework_detail(request: HttpRequest, framework_id: int) -> HttpResponse:
    framework = framework_for(framework_id)
    q = request.GET.get("q", "").strip()[:200]
    process_code = request.GET.get("process", "")
    lenses = list(selectors.lenses_for(framework))
    process = selectors.lens_process(framework, process_code) if process_code else None
    shown = tree_page(
        framework,
        q=q,
        process=process,
        section=_number(request.GET.get("section", "")),
        page=_number(request.GET.get("page", "")) or 1,
    )
    return render(
        request,
        "catalogue/detail.html",
        {
            "framework": framework,
            "tree": shown,
            "nodes": shown.nodes,
            "q": q,
            "process": process,
            "lenses": lenses,
            "match_count": shown.match_count,
        },
    )


@login_required
def lens_detail(request: HttpRequest, lens_id: int) -> HttpResponse:
    lens = lens_for(lens_id)
    return render(request, "catalogue/lens.html", {"lens": lens, "framework": lens.framework})
