"""The team pages: both bodies side by side with their meetings, and adding, changing and removing a member or a
meeting series."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certprep.core.actors import SignedInRequest
from certprep.core.feedback import attempt_with_version, submit_form
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.organization.access import member_for, series_for
from certprep.organization.forms import MeetingForm, MemberForm
from certprep.organization.selectors.team import bodies_of, meetings_of
from certprep.organization.services.team import (
    MEETING_FIELDS,
    MEMBER_FIELDS,
    meeting_create,
    meeting_delete,
    meeting_update,
    member_add,
    member_remove,
    member_update,
)
from certprep.organization.views.common import context, write_role


@login_required
def overview(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    bodies = bodies_of(engagement)
    meetings = meetings_of(engagement, today=timezone.localdate())
    return render(
        request,
        "organization/overview.html",
        context(
            engagement,
            membership,
            "team",
            bodies=bodies,
            meetings=meetings,
            people_count=engagement.people.count(),
        ),
    )


@login_required
def member_add_page(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    form = MemberForm(request.POST or None, engagement=engagement)
    saved, _conflict = submit_form(
        request, form, partial(member_add, engagement=engagement, actor=request.user), _("Member added.")
    )
    if saved is not None:
        return redirect("organization:overview", engagement_id)
    return render(request, "organization/member_form.html", context(engagement, membership, "team", form=form))


@login_required
def member_edit(request: SignedInRequest, engagement_id: int, project_member_id: int) -> HttpResponse:
    member, membership = member_for(
        request.user, engagement_id, project_member_id, role=write_role(request.method or "")
    )
    initial = {name: getattr(member, name) for name in MEMBER_FIELDS} | {"expected_version": member.version}
    form = MemberForm(request.POST or None, engagement=member.engagement, editing=True, initial=initial)
    saved, conflict = submit_form(request, form, partial(member_update, member=member, actor=request.user), _("Saved."))
    if saved is not None:
        return redirect("organization:overview", engagement_id)
    return render(
        request,
        "organization/member_form.html",
        context(member.engagement, membership, "team", form=form, member=member, conflict=conflict),
    )


@login_required
@require_POST
def member_remove_page(request: SignedInRequest, engagement_id: int, project_member_id: int) -> HttpResponse:
    member, _m = member_for(request.user, engagement_id, project_member_id, role=Role.EDITOR)
    attempt_with_version(
        request,
        lambda version: member_remove(member=member, actor=request.user, expected_version=version),
        _("%(name)s removed from the project organization.") % {"name": member.person.name},
    )
    return redirect("organization:overview", engagement_id)


@login_required
def meeting_add(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    form = MeetingForm(request.POST or None, initial={"from_date": timezone.localdate()})
    saved, _conflict = submit_form(
        request, form, partial(meeting_create, engagement=engagement, actor=request.user), _("Meeting added.")
    )
    if saved is not None:
        return redirect("organization:overview", engagement_id)
    return render(request, "organization/meeting_form.html", context(engagement, membership, "team", form=form))


@login_required
def meeting_edit(request: SignedInRequest, engagement_id: int, series_id: int) -> HttpResponse:
    series, membership = series_for(request.user, engagement_id, series_id, role=write_role(request.method or ""))
    initial = {name: getattr(series, name) for name in ("title", *MEETING_FIELDS)} | {
        "expected_version": series.version
    }
    form = MeetingForm(request.POST or None, editing=True, initial=initial)
    saved, conflict = submit_form(
        request, form, partial(meeting_update, series=series, actor=request.user), _("Saved.")
    )
    if saved is not None:
        return redirect("organization:overview", engagement_id)
    return render(
        request,
        "organization/meeting_form.html",
        context(series.engagement, membership, "team", form=form, series=series, conflict=conflict),
    )


@login_required
@require_POST
def meeting_remove(request: SignedInRequest, engagement_id: int, series_id: int) -> HttpResponse:
    series, _m = series_for(request.user, engagement_id, series_id, role=Role.EDITOR)
    attempt_with_version(
        request,
        lambda version: meeting_delete(series=series, actor=request.user, expected_version=version),
        _("Meeting removed."),
    )
    return redirect("organization:overview", engagement_id)
