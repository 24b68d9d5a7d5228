"""Pages for the people of the organization: the list with search and filters, add, edit, delete, the roles
per process in one form, and the Excel/CSV import and Excel export. They sit in the survey's menu (see urls)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from certprep.catalogue.selectors import lens_processes
from certprep.core.actors import SignedInRequest
from certprep.core.errors import ServiceError
from certprep.core.feedback import run_form
from certprep.core.request_limits import SPREADSHEET_BYTES, upload_limit
from certprep.core.wording import labelled
from certprep.core.workbooks import form_import, workbook_download
from certprep.engagements.access import can, engagement_for, engagement_for_import, page_role
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement, Membership
from certprep.people import selectors, services, workbook
from certprep.people.access import person_for
from certprep.people.choices import SmsRole
from certprep.people.forms import HoldersForm, PeopleImportForm, PersonForm
from certprep.people.models import Person
from certprep.people.rules import pair_warnings
from certprep.people.uses import person_uses

PAGE_SIZE = 100


def _context(engagement: Engagement, membership: Membership, **extra: Any) -> dict[str, Any]:
    return {"engagement": engagement, "membership": membership, "active": "survey", "subnav": "people", **extra}


def _warn(request: HttpRequest, person: Person) -> None:
    for warning in pair_warnings(selectors.pairs_of(person)):
        messages.warning(request, labelled(person.name, warning))


@login_required
@require_GET
def people_list(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    options = lens_processes()
    filters = selectors.PeopleFilter.from_query(request.GET, codes=[option.code for option in options])
    people = selectors.people_of(engagement, **filters.arguments())
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    context = _context(
        engagement,
        membership,
        page=page,
        rows=selectors.people_rows(page.object_list, options),
        filters=filters.shown(),
        filtered=filters.any(),
        query=filters.query(),
        counts=selectors.people_counts(engagement),
        roles=SmsRole.choices,
        processes=[(option.code, option.label) for option in options],
        editable=can(membership, Role.EDITOR),
    )
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return render(request, "people/partials/people_table.html", context)
    return render(request, "people/people.html", context)


@login_required
def person_new(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    form = PersonForm(request.POST or None, options=lens_processes())
    if request.method == "POST" and form.is_valid():
        person, _conflict = run_form(
            form, lambda: services.person_create(engagement=engagement, actor=request.user, **form.service_data())
        )
        if person is not None:
            messages.success(request, _("%(name)s added.") % {"name": person.name})
            _warn(request, person)
            if "add_another" in request.POST:
                return redirect("survey:person_new", engagement.pk)
            return redirect("survey:people", engagement.pk)
    return render(
        request, "people/people_form.html", _context(engagement, membership, form=form, person=None, editable=True)
    )


@login_required
def person_edit(request: SignedInRequest, engagement_id: int, person_id: int) -> HttpResponse:
    person, membership = person_for(request.user, engagement_id, person_id, role=page_role(request))
    engagement = membership.engagement
    options = lens_processes()
    held = selectors.pairs_of(person)
    form = PersonForm(request.POST or None, options=options, person=person, held=held)
    conflict = False
    if request.method == "POST" and form.is_valid():
        saved, conflict = run_form(
            form,
            lambda: services.person_update(
                person=person,
                actor=request.user,
                expected_version=form.cleaned_data["expected_version"],
                data=form.service_data(),
            ),
        )
        if saved is not None:
            messages.success(request, _("%(name)s saved.") % {"name": person.name})
            _warn(request, person)
            return redirect("survey:people", engagement.pk)
        if conflict:
            person.refresh_from_db()
    return render(
        request,
        "people/people_form.html",
        _context(
            engagement,
            membership,
            form=form,
            person=person,
            editable=can(membership, Role.EDITOR),
            conflict=conflict,
            role_labels=selectors.roles_shown(held, options),
            warnings=pair_warnings(held),
        ),
    )


@login_required
@require_POST
def person_delete(request: SignedInRequest, engagement_id: int, person_id: int) -> HttpResponse:
    """First POST shows what the deletion means; the POST with confirm=yes deletes."""
    person, membership = person_for(request.user, engagement_id, person_id, role=Role.EDITOR)
    engagement = membership.engagement
    if request.POST.get("confirm") != "yes":
        uses = person_uses(person)
        return render(
            request,
            "people/people_confirm_delete.html",
            _context(engagement, membership, person=person, refusal=uses.refusal, consequences=uses.consequences),
        )
    try:
        services.person_delete(person=person, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("survey:person_edit", engagement.pk, person.pk)
    messages.success(request, _("%(name)s deleted.") % {"name": person.name})
    return redirect("survey:people", engagement.pk)


def _imported(request: HttpRequest, result: workbook.ImportResult) -> None:
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


@upload_limit(SPREADSHEET_BYTES)
@login_required
def people_import(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for_import(request.user, engagement_id)
    form = PeopleImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result, _conflict = form_import(
            form, partial(workbook.people_import, engagement=engagement, actor=request.user)
        )
        if result is not None:
            _imported(request, result)
            return redirect("survey:people", engagement.pk)
    return render(request, "people/people_import.html", _context(engagement, membership, form=form))


@login_required
def role_holders(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    """Who holds which role, for each process and for the SMS as a whole, set in one form; each process shows
    whether it has exactly one owner."""
    engagement, membership = engagement_for(request.user, engagement_id, role=page_role(request))
    options = lens_processes()
    people = selectors.people_by_name(engagement)
    holders = selectors.holders_by_pair(engagement)
    form = HoldersForm(request.POST or None, people=people, options=options, holders=holders)
    if request.method == "POST" and form.is_valid():
        cells, seen = form.cells_and_seen()
        changed, conflict = run_form(
            form,
            lambda: services.role_holders_set(engagement=engagement, actor=request.user, cells=cells, seen=seen),
        )
        if changed is not None:
            messages.success(
                request,
                ngettext("Roles saved: %(n)s person changed.", "Roles saved: %(n)s people changed.", changed)
                % {"n": changed},
            )
            return redirect("survey:role_holders", engagement.pk)
        if conflict:  # the message goes above the page; the form shows the holders saved meanwhile
            messages.error(request, str(form.non_field_errors()[0]))
            holders = selectors.holders_by_pair(engagement)
            form = HoldersForm(None, people=people, options=options, holders=holders)
    return render(
        request,
        "people/people_roles.html",
        _context(
            engagement,
            membership,
            form=form,
            system=form.system_rows(holders),
            processes=form.process_rows(holders),
            people=people,
            editable=can(membership, Role.EDITOR) and bool(people),
        ),
    )


@login_required
@require_GET
def people_export(request: HttpRequest, engagement_id: int) -> HttpResponseBase:
    engagement, _membership = engagement_for(request.user, engagement_id)
    return workbook_download(
        workbook.people_export(engagement=engagement), name=f"certprep-people-{engagement.pk}", dated=True
    )


@login_required
@require_GET
def people_template(request: HttpRequest, engagement_id: int) -> HttpResponseBase:
    engagement_for(request.user, engagement_id)
    return workbook_download(workbook.people_template(), name="certprep-people-template")
