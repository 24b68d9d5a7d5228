"""Pages for the people of the organization (survey E2): the list with search and filters, add, edit,
delete, and the Excel/CSV import and Excel export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from certprep.core.downloads import download
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.imports import engagement_for_import
from certprep.core.request_limits import SPREADSHEET_BYTES, read_upload, upload_limit
from certprep.core.wording import labelled
from certprep.engagements.access import can, engagement_for
from certprep.engagements.choices import Role
from certprep.people import selectors as role_selectors
from certprep.people import services as role_services
from certprep.people.choices import SmsRole
from certprep.people.models import Person
from certprep.people.rules import Pair, describe_pairs
from certprep.survey.forms.people import HoldersForm, PeopleImportForm, PersonForm
from certprep.survey.selectors import people as selectors
from certprep.survey.services import people as services

PAGE_SIZE = 100


def _context(engagement: Any, membership: Any, **extra: Any) -> dict[str, Any]:
    return {"engagement": engagement, "membership": membership, "active": "survey", "subnav": "people", **extra}


def _warn(request: HttpRequest, person: Person) -> None:
    for warning in services.person_warnings(role_selectors.pairs_of(person)):
        messages.warning(request, labelled(person.name, warning))


def _roles_shown(pairs: list[Pair], names: dict[str, str], codes: list[str]) -> list[str]:
    return describe_pairs(pairs, names=names, codes=codes)


@login_required
@require_GET
def people_list(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    options = services.process_options()
    q = request.GET.get("q", "").strip()[: selectors.MAX_QUERY]
    role = request.GET.get("role", "")
    role = role if role in SmsRole.values else ""
    process = request.GET.get("process", "")
    process = process if process in {option.code for option in options} else ""
    missing = request.GET.get("missing") == "1"
    people = selectors.people_of(engagement, q=q, role=role, process=process, missing_processes=missing)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    names = {option.code: option.label for option in options}
    codes = [option.code for option in options]
    rows = []
    for person in page.object_list:
        pairs = [(row.role, row.process_code) for row in person.role_assignments.all()]
        rows.append(
            {"person": person, "roles": _roles_shown(pairs, names, codes), "warnings": services.person_warnings(pairs)}
        )
    filters = {"q": q, "role": role, "process": process, "missing": "1" if missing else ""}
    context = _context(
        engagement,
        membership,
        page=page,
        rows=rows,
        filters=filters,
        filtered=bool(q or role or process or missing),
        query={k: v for k, v in filters.items() if v},
        counts=selectors.people_counts(engagement),
        roles=SmsRole.choices,
        processes=[(option.code, option.label) for option in options],
        editable=can(membership, Role.EDITOR),
    )
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return render(request, "survey/partials/people_table.html", context)
    return render(request, "survey/people.html", context)


@login_required
def person_new(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    form = PersonForm(request.POST or None, options=services.process_options())
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(engagement=engagement, actor=request.user, **form.service_data())
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("%(name)s added.") % {"name": person.name})
            _warn(request, person)
            if "add_another" in request.POST:
                return redirect("survey:person_new", engagement.pk)
            return redirect("survey:people", engagement.pk)
    return render(
        request, "survey/people_form.html", _context(engagement, membership, form=form, person=None, editable=True)
    )


@login_required
def person_edit(request: HttpRequest, engagement_id: int, person_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    person = get_object_or_404(Person, pk=person_id, engagement=engagement)
    editable = can(membership, Role.EDITOR)
    if request.method == "POST" and not editable:
        engagement_for(request.user, engagement_id, role=Role.EDITOR)
    options = services.process_options()
    held = role_selectors.pairs_of(person)
    form = PersonForm(request.POST or None, options=options, person=person, held=held)
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                person=person,
                actor=request.user,
                expected_version=form.cleaned_data["expected_version"],
                data=form.service_data(),
            )
        except ConflictError as exc:
            form.add_error(None, exc.message)
            conflict = True
            person.refresh_from_db()
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": person.name})
            _warn(request, person)
            return redirect("survey:people", engagement.pk)
    names = {option.code: option.label for option in options}
    return render(
        request,
        "survey/people_form.html",
        _context(
            engagement,
            membership,
            form=form,
            person=person,
            editable=editable,
            conflict=conflict,
            role_labels=_roles_shown(held, names, [option.code for option in options]),
            warnings=services.person_warnings(held),
        ),
    )


@login_required
@require_POST
def person_delete(request: HttpRequest, engagement_id: int, person_id: int) -> HttpResponse:
    """First POST shows what the deletion means; the POST with confirm=yes deletes."""
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    person = get_object_or_404(Person, pk=person_id, engagement=engagement)
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "survey/people_confirm_delete.html",
            _context(
                engagement,
                membership,
                person=person,
                refusal=services.person_delete_refusal(person),
                links=selectors.person_links(person),
            ),
        )
    try:
        services.person_delete(person=person, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("survey:person_edit", engagement.pk, person.pk)
    messages.success(request, _("%(name)s deleted.") % {"name": person.name})
    return redirect("survey:people", engagement.pk)


@upload_limit(SPREADSHEET_BYTES)
@login_required
def people_import(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for_import(request.user, engagement_id)
    form = PeopleImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.people_import(
                engagement=engagement,
                actor=request.user,
                raw=read_upload(upload, max_bytes=SPREADSHEET_BYTES),
                filename=upload.name or "",
            )
        except ServiceError as exc:
            form.add_error("file", _("Nothing was imported. %(error)s") % {"error": exc.message})
        else:
            messages.success(
                request,
                _("People list imported: %(created)s added, %(updated)s updated, %(unchanged)s unchanged.")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
            )
            if result.warnings:
                messages.warning(
                    request,
                    _(
                        "%(n)s of the imported people hold a process role without a process; choose the processes "
                        "so they receive the process questionnaires and appear in the matrix."
                    )
                    % {"n": result.warnings},
                )
            return redirect("survey:people", engagement.pk)
    return render(request, "survey/people_import.html", _context(engagement, membership, form=form))


@login_required
def role_holders(request: HttpRequest, engagement_id: int) -> HttpResponse:
    """Who holds which role, for each process and for the SMS as a whole, set in one form; each process shows
    whether it has exactly one owner."""
    engagement, membership = engagement_for(request.user, engagement_id)
    editable = can(membership, Role.EDITOR)
    if request.method == "POST" and not editable:
        engagement_for(request.user, engagement_id, role=Role.EDITOR)
    options = services.process_options()
    people = list(Person.objects.filter(engagement=engagement).order_by("name", "pk"))
    holders = role_selectors.holders_by_pair(engagement)
    form = HoldersForm(request.POST or None, people=people, options=options, holders=holders)
    conflict = False
    if request.method == "POST" and form.is_valid():
        cells, seen = form.cells_and_seen()
        try:
            changed = role_services.role_holders_set(engagement=engagement, actor=request.user, cells=cells, seen=seen)
        except ConflictError as exc:
            messages.error(request, exc.message)
            conflict = True
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                ngettext("Roles saved: %(n)s person changed.", "Roles saved: %(n)s people changed.", changed)
                % {"n": changed},
            )
            return redirect("survey:role_holders", engagement.pk)
        if conflict:
            holders = role_selectors.holders_by_pair(engagement)
            form = HoldersForm(None, people=people, options=options, holders=holders)
    fields = {name: form[name] for _pair, name in form.cells}
    system = [
        {
            "role": SmsRole(pair[0]).label,
            "field": fields[name],
            "seen": form["seen_" + name[len("cell_") :]],
            "holders": holders.get(pair, []),
        }
        for pair, name in form.cells
        if not pair[1]
    ]
    processes = []
    for option in options:
        row_cells = [
            {
                "role": SmsRole(pair[0]).label,
                "field": fields[name],
                "seen": form["seen_" + name[len("cell_") :]],
                "holders": holders.get(pair, []),
            }
            for pair, name in form.cells
            if pair[1] == option.code
        ]
        owners = holders.get((SmsRole.PROCESS_OWNER.value, option.code), [])
        processes.append({"process": option, "cells": row_cells, "owners": owners})
    return render(
        request,
        "survey/people_roles.html",
        _context(
            engagement,
            membership,
            form=form,
            system=system,
            processes=processes,
            people=people,
            editable=editable and bool(people),
        ),
    )


def _xlsx(content: bytes, filename: str) -> HttpResponseBase:
    return download(content, filename=filename, content_type=services.XLSX_CONTENT_TYPE)


@login_required
@require_GET
def people_export(request: HttpRequest, engagement_id: int) -> HttpResponseBase:
    engagement, _membership = engagement_for(request.user, engagement_id)
    stamp = timezone.now().strftime("%Y%m%d")
    return _xlsx(services.people_export(engagement=engagement), f"certprep-people-{engagement.pk}-{stamp}.xlsx")


@login_required
@require_GET
def people_template(request: HttpRequest, engagement_id: int) -> HttpResponseBase:
    engagement_for(request.user, engagement_id)
    return _xlsx(services.people_template(), "certprep-people-template.xlsx")


urlpatterns = [
    path("e/<int:engagement_id>/survey/people/", people_list, name="people"),
    path("e/<int:engagement_id>/survey/people/new/", person_new, name="person_new"),
    path("e/<int:engagement_id>/survey/people/roles/", role_holders, name="role_holders"),
    path("e/<int:engagement_id>/survey/people/import/", people_import, name="people_import"),
    path("e/<int:engagement_id>/survey/people/export.xlsx", people_export, name="people_export"),
    path("e/<int:engagement_id>/survey/people/template.xlsx", people_template, name="people_template"),
    path("e/<int:engagement_id>/survey/people/<int:person_id>/", person_edit, name="person_edit"),
    path("e/<int:engagement_id>/survey/people/<int:person_id>/delete/", person_delete, name="person_delete"),
]
