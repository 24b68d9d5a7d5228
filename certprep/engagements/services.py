"""Writes for engagements, members, invitations and the organization profile. Each is one transaction."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from certprep.core.actors import Actor
from certprep.core.audit import audit_record, diff, snapshot
from certprep.core.errors import ServiceError
from certprep.core.mail import header_text, mail_send
from certprep.core.storage import delete_on_commit
from certprep.core.text import single_line
from certprep.core.timezones import validate_time_zone
from certprep.core.tokens import token_hash
from certprep.core.versioning import delete_versioned, save_versioned
from certprep.core.wording import join_names
from certprep.engagements.choices import Role
from certprep.engagements.files import engagement_files, engagement_mail_delete
from certprep.engagements.models import (
    Engagement,
    Invitation,
    Membership,
    OrganizationProfile,
    SuggestedInvitation,
)
from certprep.engagements.selectors import INVITATION_MAIL

User = get_user_model()
# The engagement's own audit trail goes with it, so its deletion is written to the log (kept at the default level).
audit_log = logging.getLogger("certprep.audit")

ENGAGEMENT_FIELDS = [
    "name",
    "organization_name",
    "description",
    "target_stage1_date",
    "survey_preparation_days",
    "time_zone",
    "report_language",
]
PROFILE_FIELDS = [
    "industry",
    "people_in_scope",
    "sites",
    "services_in_scope",
    "scope_who",
    "scope_services",
    "scope_where",
    "itsm_tools",
    "itil_adoption",
    "existing_certifications",
    "notes",
]
# Single-line fields, with the name a message gives them (the engagement's are required).
ENGAGEMENT_LINES = {
    "name": gettext_lazy("The engagement name"),
    "organization_name": gettext_lazy("The organization name"),
}
PROFILE_LINES = ("scope_who", "scope_services", "scope_where")
PROFILE_LISTS = ("sites", "services_in_scope", "itsm_tools")
LIST_ITEM_MAX = 200


@transaction.atomic
def engagement_create(
    *,
    user: Actor,
    name: str,
    organization_name: str,
    description: str = "",
    target_stage1_date: Any = None,
    time_zone: str = "UTC",
    report_language: str = "en",
) -> Engagement:
    name = _engagement_line(name, "name")
    organization_name = _engagement_line(organization_name, "organization_name")
    _require_name(name=name, organization_name=organization_name)
    engagement = Engagement(
        name=name,
        organization_name=organization_name,
        description=description,
        target_stage1_date=target_stage1_date,
        time_zone=time_zone,
        report_language=report_language,
        created_by=user,
    )
    _check_zone_and_language(engagement)
    engagement.save()
    Membership.objects.create(engagement=engagement, user=user, role=Role.OWNER)
    OrganizationProfile.objects.create(engagement=engagement)
    audit_record(
        engagement=engagement,
        actor=user,
        action="create",
        obj=engagement,
        values=snapshot(engagement, ENGAGEMENT_FIELDS),
    )
    return engagement


@transaction.atomic
def engagement_update(
    *, engagement: Engagement, actor: Actor, expected_version: int, data: dict[str, Any]
) -> Engagement:
    # "Before" is what is stored, whatever the caller did to its copy (a bound form changes its instance).
    before = snapshot(Engagement.objects.get(pk=engagement.pk), ENGAGEMENT_FIELDS)
    fields = [f for f in ENGAGEMENT_FIELDS if f in data]
    for name in fields:
        value = data[name]
        setattr(engagement, name, _engagement_line(value, name) if name in ENGAGEMENT_LINES else value)
    engagement.description = engagement.description or ""
    _require_name(name=engagement.name or "", organization_name=engagement.organization_name or "")
    days = engagement.survey_preparation_days
    if not isinstance(days, int) or not 1 <= days <= 60:
        raise ServiceError(
            _("The survey preparation time must be between 1 and 60 working days."), field="survey_preparation_days"
        )
    _check_zone_and_language(engagement)
    save_versioned(engagement, expected_version=expected_version, fields=fields)
    changes = diff(before, snapshot(engagement, ENGAGEMENT_FIELDS))
    if changes:
        audit_record(engagement=engagement, actor=actor, action="update", obj=engagement, changes=changes)
    return engagement


def _check_zone_and_language(engagement: Engagement) -> None:
    try:
        validate_time_zone(engagement.time_zone)
    except ValidationError as exc:
        raise ServiceError(exc.messages[0], field="time_zone") from exc
    if engagement.report_language not in dict(settings.LANGUAGES):
        raise ServiceError(
            _("The report language must be one of: %(codes)s.") % {"codes": join_names(dict(settings.LANGUAGES))},
            field="report_language",
        )


def _engagement_line(value: Any, name: str) -> str:
    """The engagement's name or organization as stored: one line (core.text.single_line) within the column."""
    limit = _column(Engagement, name).max_length
    return single_line(value, field=name, label=str(ENGAGEMENT_LINES[name]), limit=limit)


def _require_name(*, name: str, organization_name: str) -> None:
    if not name.strip() or not organization_name.strip():
        raise ServiceError(
            _("An engagement needs a name and an organization."), field="organization_name" if name.strip() else "name"
        )


def _column(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def _profile_label(name: str) -> str:
    return str(capfirst(_column(OrganizationProfile, name).verbose_name))


def _profile_lines(data: dict[str, Any]) -> dict[str, Any]:
    """The profile's single-line texts and list entries (sites, services, tools) as stored: each one line
    (core.text.single_line); entries left blank are dropped and repeated ones kept once."""
    cleaned = dict(data)
    for name in PROFILE_LINES:
        if name in cleaned:
            limit = _column(OrganizationProfile, name).max_length
            cleaned[name] = single_line(cleaned[name], field=name, label=_profile_label(name), limit=limit)
    for name in PROFILE_LISTS:
        if name in cleaned and isinstance(cleaned[name], list | tuple):
            items = []
            for number, item in enumerate(cleaned[name], start=1):
                label = _("%(field)s, entry %(n)s") % {"field": _profile_label(name), "n": number}
                items.append(single_line(item, field=name, label=label, limit=LIST_ITEM_MAX))
            cleaned[name] = list(dict.fromkeys(item for item in items if item))
    return cleaned


@transaction.atomic
def profile_update(
    *, profile: OrganizationProfile, actor: Actor, expected_version: int, data: dict[str, Any]
) -> OrganizationProfile:
    before = snapshot(OrganizationProfile.objects.get(pk=profile.pk), PROFILE_FIELDS)
    data = _profile_lines(data)
    fields = [f for f in PROFILE_FIELDS if f in data]
    for name in fields:
        setattr(profile, name, data[name])
    try:
        profile.full_clean(exclude=["engagement"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(f"{field}: {' '.join(messages)}", field=field) from exc
    save_versioned(profile, expected_version=expected_version, fields=fields)
    changes = diff(before, snapshot(profile, PROFILE_FIELDS))
    if changes:
        audit_record(engagement=profile.engagement, actor=actor, action="update", obj=profile, changes=changes)
    return profile


def _owner_count(engagement: Engagement) -> int:
    return engagement.memberships.filter(role=Role.OWNER).count()


@transaction.atomic
def member_add(*, engagement: Engagement, actor: Actor, user: Actor, role: str) -> Membership:
    if Membership.objects.filter(engagement=engagement, user=user).exists():
        raise ServiceError(_("%(user)s is already a member of this engagement.") % {"user": user.get_username()})
    membership = Membership.objects.create(engagement=engagement, user=user, role=role)
    audit_record(
        engagement=engagement,
        actor=actor,
        action="create",
        obj=membership,
        values={"user": user.get_username(), "role": role},
    )
    return membership


def _check_invitation_rate(*, engagement: Engagement, actor: Actor) -> None:
    """Refuse an invitation beyond the hourly limits: per inviter (across engagements) and per engagement
    (all its owners together). Revoked invitations count too, so revoking does not make room."""
    since = timezone.now() - timedelta(hours=1)
    per_inviter = settings.CERTPREP_INVITATIONS_PER_HOUR
    if Invitation.objects.filter(invited_by=actor, created_at__gte=since).count() >= per_inviter:
        raise ServiceError(
            ngettext(
                "You have sent %(n)s invitation in the last hour, the most one person may send; try again later.",
                "You have sent %(n)s invitations in the last hour, the most one person may send; try again later.",
                per_inviter,
            )
            % {"n": per_inviter}
        )
    per_engagement = settings.CERTPREP_ENGAGEMENT_INVITATIONS_PER_HOUR
    if Invitation.objects.filter(engagement=engagement, created_at__gte=since).count() >= per_engagement:
        raise ServiceError(
            ngettext(
                "This engagement has sent %(n)s invitation in the last hour, the most allowed; try again later.",
                "This engagement has sent %(n)s invitations in the last hour, the most allowed; try again later.",
                per_engagement,
            )
            % {"n": per_engagement}
        )


@transaction.atomic
def member_invite(
    *, engagement: Engagement, actor: Actor, email: str, role: str, base_url: str | None = None
) -> Invitation:
    """E-mail a personal invitation link; the person joins only by accepting it.

    The answer is the same whether the address belongs to an account here or not, so inviting never
    tells which addresses have accounts. The returned invitation carries its link (`link`) once.
    """
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ServiceError(_("Enter a valid e-mail address."), field="email") from exc
    if role not in Role.values:
        raise ServiceError(_("Unknown role: %(role)s") % {"role": role}, field="role")
    # One invitation at a time per inviter and per engagement, so parallel requests cannot pass the limits.
    User.objects.select_for_update().filter(pk=actor.pk).exists()
    Engagement.objects.select_for_update().get(pk=engagement.pk)
    # Members' addresses are on the members page already: saying so reveals nothing about other accounts.
    if engagement.memberships.filter(user__email__iexact=email).exists():
        raise ServiceError(
            _("%(email)s already belongs to a member of this engagement.") % {"email": email}, field="email"
        )
    if Invitation.objects.open().filter(engagement=engagement, email__iexact=email).exists():
        raise ServiceError(
            _("An open invitation for %(email)s already exists; revoke it to send a new one.") % {"email": email}
        )
    _check_invitation_rate(engagement=engagement, actor=actor)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        engagement=engagement,
        email=email,
        role=role,
        token_hash=token_hash(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.CERTPREP_INVITATION_DAYS),
    )
    invitation.link = (base_url or settings.CERTPREP_BASE_URL) + reverse("engagements:invitation", args=[token])  # type: ignore[attr-defined]
    audit_record(
        engagement=engagement, actor=actor, action="create", obj=invitation, values={"email": email, "role": role}
    )
    # The subject is fixed text: nothing the inviter typed (the engagement name) reaches a header. The body
    # quotes the names as the inviter's words, each on its one indented line: a name stored with a line break
    # before the single-line rule cannot add lines that read as certprep's own.
    mail_send(
        subject=_("Invitation to join an engagement on certprep"),
        body=render_to_string(
            "engagements/email/invitation.txt",
            {
                "inviter": header_text(actor.get_username()),
                "engagement_name": header_text(engagement.name),
                "organization_name": header_text(engagement.organization_name),
                "invitation": invitation,
                "link": invitation.link,  # type: ignore[attr-defined]
            },
        ),
        to=[email],
        engagement_id=engagement.pk,
        topic=INVITATION_MAIL,
        object_id=invitation.pk,
    )
    return invitation


@transaction.atomic
def suggestion_invite(*, suggestion: SuggestedInvitation, actor: Actor, base_url: str | None = None) -> Invitation:
    """Invite a member suggested by an imported file, with the file's e-mail address and role; the suggestion
    is then done (the open invitation shows instead)."""
    if not suggestion.email:
        raise ServiceError(
            _("The file gave no e-mail address for %(name)s: invite them with the form instead.")
            % {"name": suggestion.username}
        )
    invitation = member_invite(
        engagement=suggestion.engagement, actor=actor, email=suggestion.email, role=suggestion.role, base_url=base_url
    )
    suggestion.delete()
    return invitation


@transaction.atomic
def suggestion_dismiss(*, suggestion: SuggestedInvitation, actor: Actor) -> None:
    audit_record(
        engagement=suggestion.engagement,
        actor=actor,
        action="delete",
        obj=suggestion,
        values={"username": suggestion.username, "email": suggestion.email, "role": suggestion.role},
    )
    suggestion.delete()


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: Actor) -> Invitation:
    if invitation.accepted_at is not None:
        raise ServiceError(_("This invitation was already accepted; remove the member instead."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        engagement=invitation.engagement,
        actor=actor,
        action="delete",
        obj=invitation,
        values={"email": invitation.email},
    )
    return invitation


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation for a link, only while it is open: wrong, used, expired and revoked links all give None."""
    invitation = Invitation.objects.select_related("engagement").filter(token_hash=token_hash(token)).first()
    if invitation is None or not invitation.is_open:
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: Actor | None = None, username: str = "", password: str = "") -> Membership:
    """Accept as the signed-in user, or create an account for the invited e-mail address."""
    invitation = invitation_by_token(token)
    if invitation is None:
        raise ServiceError(_("This invitation link is not valid: it may have expired, been used or been revoked."))
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if user is None or not user.is_authenticated:
        username = username.strip()
        if not username:
            raise ServiceError(_("Choose a user name."), field="username")
        if User.objects.filter(username__iexact=username).exists():
            raise ServiceError(_("That user name is taken; choose another or sign in first."), field="username")
        candidate = User(username=username, email=invitation.email)
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise ServiceError(" ".join(exc.messages), field="password") from exc
        candidate.set_password(password)
        try:
            candidate.save()
        except IntegrityError as exc:
            raise ServiceError(
                _("That user name is taken; choose another or sign in first."), field="username"
            ) from exc
        user = candidate
    membership = Membership.objects.filter(engagement=invitation.engagement, user=user).first()
    if membership is None:
        membership = Membership.objects.create(engagement=invitation.engagement, user=user, role=invitation.role)
        audit_record(
            engagement=invitation.engagement,
            actor=user,
            action="create",
            obj=membership,
            values={"user": user.get_username(), "role": invitation.role, "via": "invitation"},
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def member_role_change(*, membership: Membership, actor: Actor, role: str) -> Membership:
    if role not in Role.values:
        raise ServiceError(_("Unknown role: %(role)s") % {"role": role}, field="role")
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Role.OWNER and role != Role.OWNER and _owner_count(membership.engagement) <= 1:
        raise ServiceError(_("An engagement must keep at least one owner: make someone else owner first."))
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    if old != role:
        audit_record(
            engagement=membership.engagement,
            actor=actor,
            action="update",
            obj=membership,
            changes={"role": [old, role]},
        )
    return membership


@transaction.atomic
def member_remove(*, membership: Membership, actor: Actor) -> None:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Role.OWNER and _owner_count(membership.engagement) <= 1:
        raise ServiceError(_("An engagement must keep at least one owner: make someone else owner first."))
    audit_record(
        engagement=membership.engagement,
        actor=actor,
        action="delete",
        obj=membership,
        values={"user": membership.user.get_username(), "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def engagement_delete(*, engagement: Engagement, actor: Actor, version: int) -> int:
    """Delete the engagement with everything in it (its rows cascade) and, once that has committed, every file
    it has in the file store. Refused with ConflictError when someone changed the engagement since `version`
    was read. Returns how many files go."""
    files: list[str] = []

    def record(stored: Engagement) -> None:
        files.extend(engagement_files(stored.pk))
        engagement_mail_delete(stored.pk)
        audit_log.warning(
            "Engagement %s (%r) deleted by %s with %d stored files",
            stored.pk,
            stored.name,
            getattr(actor, "get_username", lambda: str(actor))(),
            len(files),
        )

    delete_versioned(
        engagement,
        expected_version=version,
        conflict=_(
            "Someone else changed this engagement since you opened it (your copy is version %(yours)s). "
            "Nothing was deleted: open the settings again, check the engagement is still the one to delete, "
            "and delete it again."
        )
        % {"yours": version},
        record=record,
    )
    delete_on_commit(files)
    return len(files)
