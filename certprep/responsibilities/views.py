"""Pages of the responsibility matrix: the matrix itself (one click per cell), roles and their holders,
activities per process, settings, and the Excel export and import."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certprep.catalogue.selectors import lens_process_codes
from certprep.core.actors import SignedInRequest
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.feedback import run_form, submit_form
from certprep.core.forms import VersionForm
from certprep.core.request_limits import SPREADSHEET_BYTES, upload_limit
from certprep.core.workbooks import form_import, workbook_download
from certprep.engagements.access import can, engagement_for, engagement_for_import, engagement_for_page
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement
from certprep.people.choices import PROCESS_ROLES
from certprep.people.selectors import holders_by_pair
from certprep.responsibilities import selectors, services, spreadsheet
from certprep.responsibilities.access import activity_for, cell_for, person_in, role_for
from certprep.responsibilities.choices import LEGEND_LABELS, PROCESS_CODES, Letter, letters_in_use, next_letter
from certprep.responsibilities.forms import (
    ActivityCreateForm,
    ActivityRenameForm,
    HolderForm,
    ImportForm,
    MatrixSettingsForm,
    RoleCreateForm,
    RoleRenameForm,
)
from certprep.responsibilities.models import Activity, MatrixRole

ACTIVE = "responsibilities"


def _context(engagement: Engagement, membership: Any, subnav: str, **extra: Any) -> dict[str, Any]:
    return {"engagement": engagement, "membership": membership, "active": ACTIVE, "subnav": subnav, **extra}


def _process_param(value: str | None) -> str:
    return value if value in PROCESS_CODES else ""


def _matrix_url(engagement: Engagement, process: str = "", anchor: str = "") -> str:
    url = reverse("responsibilities:matrix", args=[engagement.pk])
    if process:
        url += f"?process={process}"
    return url + (f"#{anchor}" if anchor else "")


def _panel(engagement: Engagement, view: selectors.MatrixView, process: str) -> list[dict[str, Any]]:
    """The violations with a link to what each points at."""
    roles_url = reverse("responsibilities:roles", args=[engagement.pk])
    people_url = reverse("survey:role_holders", args=[engagement.pk])
    items = []
    for violation in view.violations:
        if violation.activity_id is not None:
            code = violation.process_code or ""
            shown = not process or process == code
            href = (
                f"#activity-{violation.activity_id}"
                if shown
                else _matrix_url(engagement, code, f"activity-{violation.activity_id}")
            )
        elif violation.process_code is not None:
            href = f"{people_url}#process-{violation.process_code}"
        elif violation.person_id is not None:
            href = f"{roles_url}#person-{violation.person_id}"
        else:
            href = f"{roles_url}#role-{violation.role_id}"
        items.append({"violation": violation, "href": href})
    return items


def _matrix_page_context(engagement: Engagement, membership: Any, process: str) -> dict[str, Any]:
    view = selectors.matrix_view(engagement)
    if process:
        block = view.block(process)
        blocks = [block or selectors.ProcessBlock(process, dict(view.process_choices).get(process, process), [])]
    else:
        blocks = view.processes
    with_activities = {block.code for block in view.processes}
    return _context(
        engagement,
        membership,
        "matrix",
        view=view,
        blocks=blocks,
        process=process,
        editable=can(membership, Role.EDITOR),
        letters=[
            (value, LEGEND_LABELS.get(value, label))
            for value, label in Letter.choices
            if value in letters_in_use(view.matrix.rasci)
        ],
        panel=_panel(engagement, view, process),
        without_activities=[(code, name) for code, name in view.process_choices if code not in with_activities],
    )


@login_required
def matrix(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    process = _process_param(request.GET.get("process"))
    return render(request, "responsibilities/matrix.html", _matrix_page_context(engagement, membership, process))


@login_required
@require_POST
def cell(request: SignedInRequest, engagement_id: int, activity_id: int, role_id: int) -> HttpResponse:
    """Save one cell: the next letter of the cycle, or the `letter` sent, if the cell still holds `expected`.

    htmx gets the cell, the row's check marker and the violations panel back; a changed cell gives 409 with
    the stored letter. Without JavaScript the form posts here and comes back to the matrix."""
    activity, role, membership = cell_for(request.user, engagement_id, activity_id, role_id)
    engagement = activity.engagement
    process = _process_param(request.POST.get("process"))
    expected = request.POST.get("expected", "").strip().upper()[:1]
    letter = request.POST.get("letter")
    if letter is None:
        letter = next_letter(expected, rasci=selectors.matrix_settings(engagement).rasci)
    status, message = 200, ""
    try:
        services.cell_set(activity=activity, role=role, letter=letter[:1], expected=expected, actor=request.user)
    except ConflictError as exc:
        status, message = 409, exc.message
    except ServiceError as exc:
        status, message = 400, exc.message
    if not request.htmx:  # type: ignore[attr-defined]
        if message:
            messages.error(request, message)
        return redirect(_matrix_url(engagement, process, f"activity-{activity.pk}"))
    context = _matrix_page_context(engagement, membership, process)
    row = context["view"].row(activity.pk)
    context.update(
        row=row,
        cell=next(c for c in row.cells if c.role.pk == role.pk),
        message=message,
        message_kind="error" if message else "success",
    )
    return render(request, "responsibilities/partials/cell_response.html", context, status=status)


@login_required
@require_POST
def template_copy(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    had_rasci = selectors.matrix_settings(engagement).rasci
    try:
        added = services.matrix_from_template(engagement=engagement, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        if any(added.values()):
            messages.success(
                request,
                _("Copied from the shipped template: %(roles)s roles, %(activities)s activities, %(letters)s letters.")
                % added,
            )
            if not had_rasci and selectors.matrix_settings(engagement).rasci:
                messages.info(
                    request,
                    _(
                        "RASCI was turned on because the template uses S (Supportive). You can turn it off in the "
                        "settings once no cell holds S."
                    ),
                )
        else:
            messages.info(request, _("The matrix already holds everything of the shipped template; nothing was added."))
    return redirect("responsibilities:matrix", engagement.pk)


# Roles -------------------------------------------------------------------------------------------------


@login_required
def roles(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for_page(request, engagement_id)
    editable = can(membership, Role.EDITOR)
    form = RoleCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        role, _c = run_form(
            form, lambda: services.role_create(engagement=engagement, actor=request.user, **form.cleaned_data)
        )
        if role is not None:
            messages.success(request, _('Role "%(name)s" added.') % {"name": role.name})
            return redirect(reverse("responsibilities:roles", args=[engagement.pk]) + f"#role-{role.pk}")
    role_list = list(selectors.roles_with_holders(engagement))
    people = list(selectors.people_of(engagement))
    settings = selectors.matrix_settings(engagement)
    names = dict(selectors.processes())
    codes = list(lens_process_codes())
    holders = selectors.Holders(by_pair=holders_by_pair(engagement))
    for role in role_list:
        holder_ids = {h.person_id for h in role.holders.all()}
        role.available = [p for p in people if p.pk not in holder_ids]  # type: ignore[attr-defined]
        if role.sms_role in PROCESS_ROLES:
            role.per_process = [  # type: ignore[attr-defined]
                (names.get(code, code), holders.of(role, code)) for code in codes if holders.of(role, code)
            ]
        elif role.sms_role:
            role.linked_holders = holders.of(role, "")  # type: ignore[attr-defined]
    load = selectors.role_load(role_list, holders, names, codes)
    rows = [
        {"person": p, "roles": load.get(p.pk, []), "too_many": len(load.get(p.pk, [])) > settings.max_roles_per_person}
        for p in people
    ]
    return render(
        request,
        "responsibilities/roles.html",
        _context(
            engagement,
            membership,
            "roles",
            roles=role_list,
            people=people,
            load=rows,
            form=form,
            editable=editable,
            settings=settings,
        ),
    )


def _roles_url(engagement: Engagement, role: MatrixRole | None = None) -> str:
    return reverse("responsibilities:roles", args=[engagement.pk]) + (f"#role-{role.pk}" if role else "")


def _rename(
    request: HttpRequest,
    membership: Any,
    form: Any,
    update: Callable[..., object],
    *,
    subnav: str,
    success: str,
    title: str,
    back: str,
) -> HttpResponse:
    """The rename page of a role or an activity: `update` saves the form, then back to where the row is listed."""
    saved, conflict = submit_form(request, form, update, success)
    if saved is not None:
        return redirect(back)
    return render(
        request,
        "responsibilities/edit.html",
        _context(form.instance.engagement, membership, subnav, form=form, conflict=conflict, title=title, back=back),
    )


@login_required
def role_edit(request: SignedInRequest, engagement_id: int, role_id: int) -> HttpResponse:
    role, membership = role_for(request.user, engagement_id, role_id, role=Role.EDITOR)
    return _rename(
        request,
        membership,
        RoleRenameForm(request.POST or None, instance=role),
        partial(services.role_update, role=role, actor=request.user),
        subnav="roles",
        success=_("Role renamed."),
        title=_("Rename a role"),
        back=_roles_url(role.engagement, role),
    )


@login_required
@require_POST
def role_move(request: SignedInRequest, engagement_id: int, role_id: int) -> HttpResponse:
    role, _m = role_for(request.user, engagement_id, role_id, role=Role.EDITOR)
    engagement = role.engagement
    try:
        services.role_move(role=role, actor=request.user, direction=request.POST.get("direction", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(_roles_url(engagement, role))


@login_required
def role_delete(request: SignedInRequest, engagement_id: int, role_id: int) -> HttpResponse:
    role, membership = role_for(request.user, engagement_id, role_id, role=Role.EDITOR)
    engagement = role.engagement
    form = VersionForm(request.POST or None, initial={"expected_version": role.version})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.role_delete(
                    role=role, actor=request.user, expected_version=form.cleaned_data["expected_version"]
                )
            except ServiceError as exc:
                messages.error(request, exc.message)
                return redirect(_roles_url(engagement, role))
            messages.success(request, _('Role "%(name)s" deleted with its letters.') % {"name": role.name})
            return redirect("responsibilities:roles", engagement.pk)
        messages.error(request, _("The deletion was not confirmed; try again."))
    return render(
        request,
        "responsibilities/confirm_delete.html",
        _context(
            engagement,
            membership,
            "roles",
            form=form,
            object=role,
            back=_roles_url(engagement, role),
            letters=role.assignments.count(),
            holders=list(role.holders.select_related("person")),
            title=_('Delete the role "%(name)s"?') % {"name": role.tr.name},
        ),
    )


@login_required
@require_POST
def role_holder_add(request: SignedInRequest, engagement_id: int, role_id: int) -> HttpResponse:
    role, _m = role_for(request.user, engagement_id, role_id, role=Role.EDITOR)
    engagement = role.engagement
    form = HolderForm(request.POST, people=selectors.people_of(engagement))
    if not form.is_valid():
        messages.error(request, _("Choose a person from the list."))
    else:
        try:
            services.role_holder_add(role=role, actor=request.user, person=form.cleaned_data["person"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(person)s now holds the role %(role)s.")
                % {"person": form.cleaned_data["person"].name, "role": role.tr.name},
            )
    return redirect(_roles_url(engagement, role))


@login_required
@require_POST
def role_holder_remove(request: SignedInRequest, engagement_id: int, role_id: int, person_id: int) -> HttpResponse:
    role, _m = role_for(request.user, engagement_id, role_id, role=Role.EDITOR)
    engagement = role.engagement
    person = person_in(engagement, person_id)
    try:
        services.role_holder_remove(role=role, actor=request.user, person=person)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(person)s no longer holds the role %(role)s.") % {"person": person.name, "role": role.tr.name}
        )
    return redirect(_roles_url(engagement, role))


# Activities --------------------------------------------------------------------------------------------


def _activities_url(engagement: Engagement, process: str, activity: Activity | None = None) -> str:
    url = reverse("responsibilities:activities", args=[engagement.pk]) + f"?process={process}"
    return url + (f"#activity-{activity.pk}" if activity else "")


@login_required
def activities(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for_page(request, engagement_id)
    choices = selectors.processes()
    process = _process_param(request.GET.get("process") or request.POST.get("process_code")) or choices[0][0]
    form = ActivityCreateForm(request.POST or None, processes=choices, initial={"process_code": process})
    if request.method == "POST" and form.is_valid():
        activity, _c = run_form(
            form, lambda: services.activity_create(engagement=engagement, actor=request.user, **form.cleaned_data)
        )
        if activity is not None:
            messages.success(request, _('Activity "%(name)s" added.') % {"name": activity.name})
            return redirect(_activities_url(engagement, activity.process_code, activity))
    counts = selectors.activity_counts(engagement)
    return render(
        request,
        "responsibilities/activities.html",
        _context(
            engagement,
            membership,
            "activities",
            process=process,
            process_name=dict(choices).get(process, process),
            processes=[(code, name, counts.get(code, 0)) for code, name in choices],
            activities=list(selectors.activities_of(engagement, process)),
            form=form,
            editable=can(membership, Role.EDITOR),
        ),
    )


@login_required
def activity_edit(request: SignedInRequest, engagement_id: int, activity_id: int) -> HttpResponse:
    activity, membership = activity_for(request.user, engagement_id, activity_id, role=Role.EDITOR)
    return _rename(
        request,
        membership,
        ActivityRenameForm(request.POST or None, instance=activity),
        partial(services.activity_update, activity=activity, actor=request.user),
        subnav="activities",
        success=_("Activity renamed."),
        title=_("Rename an activity"),
        back=_activities_url(activity.engagement, activity.process_code, activity),
    )


@login_required
@require_POST
def activity_move(request: SignedInRequest, engagement_id: int, activity_id: int) -> HttpResponse:
    activity, _m = activity_for(request.user, engagement_id, activity_id, role=Role.EDITOR)
    engagement = activity.engagement
    try:
        services.activity_move(activity=activity, actor=request.user, direction=request.POST.get("direction", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(_activities_url(engagement, activity.process_code, activity))


@login_required
def activity_delete(request: SignedInRequest, engagement_id: int, activity_id: int) -> HttpResponse:
    activity, membership = activity_for(request.user, engagement_id, activity_id, role=Role.EDITOR)
    engagement = activity.engagement
    back = _activities_url(engagement, activity.process_code, activity)
    form = VersionForm(request.POST or None, initial={"expected_version": activity.version})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.activity_delete(
                    activity=activity, actor=request.user, expected_version=form.cleaned_data["expected_version"]
                )
            except ServiceError as exc:
                messages.error(request, exc.message)
                return redirect(back)
            messages.success(request, _('Activity "%(name)s" deleted with its letters.') % {"name": activity.name})
            return redirect(_activities_url(engagement, activity.process_code))
        messages.error(request, _("The deletion was not confirmed; try again."))
    return render(
        request,
        "responsibilities/confirm_delete.html",
        _context(
            engagement,
            membership,
            "activities",
            form=form,
            object=activity,
            back=back,
            letters=activity.assignments.count(),
            holders=[],
            title=_('Delete the activity "%(name)s"?') % {"name": activity.tr.name},
        ),
    )


# Settings, export, import ------------------------------------------------------------------------------


@login_required
def matrix_settings(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for_page(request, engagement_id)
    editable = can(membership, Role.EDITOR)
    current = selectors.matrix_settings(engagement)
    form = MatrixSettingsForm(request.POST or None, instance=current)
    if current.pk is None and not form.is_bound:
        form.initial["expected_version"] = current.version
    conflict = False
    if request.method == "POST" and form.is_valid():
        saved, conflict = run_form(
            form,
            lambda: services.matrix_update(
                engagement=engagement,
                actor=request.user,
                expected_version=form.cleaned_data["expected_version"],
                rasci=form.cleaned_data["rasci"],
                max_roles_per_person=form.cleaned_data["max_roles_per_person"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Matrix settings saved."))
            return redirect("responsibilities:matrix", engagement.pk)
    return render(
        request,
        "responsibilities/settings.html",
        _context(engagement, membership, "settings", form=form, conflict=conflict, editable=editable, settings=current),
    )


@login_required
def export_xlsx(request: HttpRequest, engagement_id: int) -> HttpResponseBase:
    engagement, _m = engagement_for(request.user, engagement_id)
    return workbook_download(spreadsheet.matrix_export(engagement), name=f"certprep-raci-{engagement.pk}", dated=True)


@upload_limit(SPREADSHEET_BYTES)
@login_required
def import_xlsx(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for_import(request.user, engagement_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        counts, _conflict = form_import(
            form, partial(spreadsheet.matrix_import, engagement=engagement, actor=request.user)
        )
        if counts is not None:
            messages.success(
                request,
                _(
                    "Matrix imported: %(roles)s roles, %(holders)s role holders, %(activities)s activities, "
                    "%(letters)s letters."
                )
                % counts,
            )
            return redirect("responsibilities:matrix", engagement.pk)
    return render(request, "responsibilities/import.html", _context(engagement, membership, "import", form=form))
