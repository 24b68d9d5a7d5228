from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from certprep.core.actors import SignedInRequest
from certprep.core.background import JobStatus
from certprep.core.downloads import download
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.parts import engagement_parts
from certprep.core.request_limits import ENGAGEMENT_FILE_BYTES, read_upload, upload_limit
from certprep.engagements import imports, selectors, services, transfer
from certprep.engagements.access import can, engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.forms import (
    AcceptInvitationForm,
    EngagementCreateForm,
    EngagementDeleteForm,
    EngagementForm,
    EngagementImportForm,
    InviteForm,
    ProfileForm,
    RoleForm,
)
from certprep.engagements.models import Engagement, Invitation, Membership
from certprep.engagements.tasks import STEP_IMPORT, STEP_READ


@login_required
def engagement_list(request: SignedInRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    engagements = selectors.engagements_for_user(request.user, q=q)
    page = Paginator(engagements, 48).get_page(request.GET.get("page"))
    return render(request, "engagements/list.html", {"page": page, "q": q})


@login_required
def engagement_create(request: SignedInRequest) -> HttpResponse:
    form = EngagementCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            engagement = services.engagement_create(user=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Engagement created. Start with the organization profile."))
            return redirect("engagements:profile", engagement.pk)
    return render(request, "engagements/create.html", {"form": form})


@login_required
def dashboard(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    parts = engagement_parts()
    return render(
        request,
        "engagements/dashboard.html",
        {
            "engagement": engagement,
            "membership": membership,
            "profile": engagement.profile,
            "member_count": engagement.memberships.count(),
            "recent": selectors.audit_trail(engagement)[:8],
            # Each part's step of the flow: its card's template and the state it shows (certprep/core/parts.py).
            "cards": [(part.card.template, part.card.status(engagement)) for part in parts if part.card],
        },
    )


@login_required
def engagement_settings(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.OWNER)
    form = EngagementForm(request.POST or None, instance=engagement)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "expected_version"}
        try:
            services.engagement_update(
                engagement=engagement,
                actor=request.user,
                expected_version=form.cleaned_data["expected_version"],
                data=data,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Engagement saved."))
            return redirect("engagements:dashboard", engagement.pk)
    return _settings_page(request, engagement, membership, form, EngagementDeleteForm(engagement=engagement))


def _settings_page(
    request: HttpRequest,
    engagement: Engagement,
    membership: Membership,
    form: EngagementForm,
    delete_form: EngagementDeleteForm,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "engagements/settings.html",
        {"engagement": engagement, "membership": membership, "form": form, "delete_form": delete_form},
        status=status,
    )


@login_required
@require_POST
def engagement_delete(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    """The settings page's danger zone: owners delete the engagement, its files with it."""
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.OWNER)
    delete_form = EngagementDeleteForm(request.POST, engagement=engagement)
    status = 400
    if delete_form.is_valid():
        name = engagement.name
        try:
            services.engagement_delete(
                engagement=engagement, actor=request.user, version=delete_form.cleaned_data["expected_version"]
            )
        except ConflictError as exc:
            delete_form.add_error(None, exc.message)
            status = 409
        else:
            messages.success(request, _("Engagement %(name)s deleted, with its files.") % {"name": name})
            return redirect("engagements:list")
    return _settings_page(
        request, engagement, membership, EngagementForm(instance=engagement), delete_form, status=status
    )


@login_required
def profile(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    profile = engagement.profile
    editable = can(membership, Role.EDITOR)
    conflict = False
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST":
        if not editable:
            engagement_for(request.user, engagement_id, role=Role.EDITOR)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "expected_version"}
            try:
                services.profile_update(
                    profile=profile,
                    actor=request.user,
                    expected_version=form.cleaned_data["expected_version"],
                    data=data,
                )
            except ConflictError as exc:
                form.add_error(None, exc.message)
                conflict = True
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Organization profile saved."))
                return redirect("engagements:profile", engagement.pk)
    return render(
        request,
        "engagements/profile.html",
        {
            "engagement": engagement,
            "membership": membership,
            "profile": profile,
            "form": form,
            "editable": editable,
            "conflict": conflict,
        },
    )


@login_required
def members(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    is_owner = can(membership, Role.OWNER)
    form = InviteForm(request.POST or None)
    if request.method == "POST":
        engagement_for(request.user, engagement_id, role=Role.OWNER)
        if form.is_valid():
            try:
                result = services.member_invite(
                    engagement=engagement,
                    actor=request.user,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    base_url=request.build_absolute_uri("/").rstrip("/"),
                )
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _invitation_sent(result))
                return redirect("engagements:members", engagement.pk)
    return render(
        request,
        "engagements/members.html",
        {
            "engagement": engagement,
            "membership": membership,
            "is_owner": is_owner,
            "members": selectors.members_of(engagement),
            "invitations": selectors.open_invitations_of(engagement) if is_owner else [],
            "suggestions": selectors.suggested_invitations_of(engagement) if is_owner else [],
            "form": form,
            "roles": Role.choices,
        },
    )


def _invitation_sent(invitation: Invitation) -> str:
    """The same answer whether the address belongs to an account here or not."""
    return _(
        "Invitation to %(email)s made; its e-mail is on its way (the list below shows when it has gone). You can "
        "also pass on this personal link: %(link)s"
    ) % {
        "email": invitation.email,
        "link": invitation.link,  # type: ignore[attr-defined]
    }


def _members_action(request: HttpRequest, engagement_id: int, action: Callable[[Engagement], str]) -> HttpResponse:
    """Run one owner action from the members page and come back to it with its message."""
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.OWNER)
    try:
        messages.success(request, action(engagement))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("engagements:members", engagement.pk)


@login_required
@require_POST
def member_role(request: SignedInRequest, engagement_id: int, membership_id: int) -> HttpResponse:
    def change(engagement: Engagement) -> str:
        form = RoleForm(request.POST)
        if not form.is_valid():
            raise ServiceError(_("Choose a role."))
        target = get_object_or_404(engagement.memberships, pk=membership_id)
        services.member_role_change(membership=target, actor=request.user, role=form.cleaned_data["role"])
        return _("Role changed.")

    return _members_action(request, engagement_id, change)


@login_required
@require_POST
def member_remove(request: SignedInRequest, engagement_id: int, membership_id: int) -> HttpResponse:
    def remove(engagement: Engagement) -> str:
        services.member_remove(
            membership=get_object_or_404(engagement.memberships, pk=membership_id), actor=request.user
        )
        return _("Member removed.")

    return _members_action(request, engagement_id, remove)


@login_required
@require_POST
def invitation_revoke(request: SignedInRequest, engagement_id: int, invitation_id: int) -> HttpResponse:
    def revoke(engagement: Engagement) -> str:
        services.invitation_revoke(
            invitation=get_object_or_404(engagement.invitations, pk=invitation_id), actor=request.user
        )
        return _("Invitation revoked: its link no longer works.")

    return _members_action(request, engagement_id, revoke)


@login_required
@require_POST
def suggestion_invite(request: SignedInRequest, engagement_id: int, suggestion_id: int) -> HttpResponse:
    def invite(engagement: Engagement) -> str:
        suggestion = get_object_or_404(engagement.suggested_invitations, pk=suggestion_id)
        invitation = services.suggestion_invite(
            suggestion=suggestion, actor=request.user, base_url=request.build_absolute_uri("/").rstrip("/")
        )
        return _invitation_sent(invitation)

    return _members_action(request, engagement_id, invite)


@login_required
@require_POST
def suggestion_dismiss(request: SignedInRequest, engagement_id: int, suggestion_id: int) -> HttpResponse:
    def dismiss(engagement: Engagement) -> str:
        services.suggestion_dismiss(
            suggestion=get_object_or_404(engagement.suggested_invitations, pk=suggestion_id), actor=request.user
        )
        return _("Suggestion dismissed.")

    return _members_action(request, engagement_id, dismiss)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """A personal invitation link: no sign-in needed to open it; nothing is revealed for a bad link."""
    found = services.invitation_by_token(token)
    if found is None:
        return render(request, "engagements/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None) if not request.user.is_authenticated else None
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                membership = services.invitation_accept(token=token, user=request.user)
            elif form is not None and form.is_valid():
                membership = services.invitation_accept(
                    token=token, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
                )
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                membership = None
        except ServiceError as exc:
            if form is not None:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.error(request, exc.message)
            membership = None
        if membership is not None:
            messages.success(request, _("Welcome to %(engagement)s.") % {"engagement": membership.engagement.name})
            return redirect("engagements:dashboard", membership.engagement_id)
    return render(request, "engagements/invitation.html", {"invitation": found, "form": form})


@login_required
def audit(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    page = Paginator(selectors.audit_trail(engagement), 50).get_page(request.GET.get("page"))
    return render(request, "engagements/audit.html", {"engagement": engagement, "membership": membership, "page": page})


@login_required
def engagement_export(request: HttpRequest, engagement_id: int) -> HttpResponseBase:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    try:
        document = transfer.engagement_export_json(engagement)
    except ServiceError as exc:  # e.g. the evidence files make the file too large
        messages.error(request, exc.message)
        return redirect("engagements:dashboard", engagement.pk)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return download(
        document,
        filename=f"certprep-engagement-{engagement.pk}-{stamp}.json",
        content_type="application/json; charset=utf-8",
    )


@upload_limit(ENGAGEMENT_FILE_BYTES)
@login_required
def engagement_import(request: SignedInRequest) -> HttpResponse:
    """The file's bounds are checked at once; a background worker imports it, and its status page follows."""
    form = EngagementImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            raw = read_upload(upload, max_bytes=ENGAGEMENT_FILE_BYTES)
            job = imports.import_request(raw=raw, name=upload.name, actor=request.user)
        except ServiceError as exc:
            form.add_error("file", _("Nothing was imported. %(error)s") % {"error": exc.message})
        else:
            return redirect("engagements:import_status", job.pk)
    return render(request, "engagements/import.html", {"form": form})


@login_required
def import_status(request: SignedInRequest, import_id: int) -> HttpResponse:
    """An import's state; while unfinished the page asks again every 2 s (htmx) for its status part."""
    job = imports.import_for(request.user, import_id)
    suggested = len(job.suggested) if job.status == JobStatus.DONE else 0
    context = {
        "job": job,
        "step": {STEP_READ: _("reading the file"), STEP_IMPORT: _("checking and importing the engagement")}.get(
            job.current_step, ""
        ),
        "suggested": (
            ngettext(
                "The file names %(n)s other member. Nobody joins without an invitation: the members page "
                "lists them as a suggested invitation you may send.",
                "The file names %(n)s other members. Nobody joins without an invitation: the members page "
                "lists them as suggested invitations you may send.",
                suggested,
            )
            % {"n": suggested}
            if suggested
            else ""
        ),
    }
    if request.headers.get("HX-Request"):
        return render(request, "engagements/partials/import_status.html", context)
    return render(request, "engagements/import_status.html", context)
