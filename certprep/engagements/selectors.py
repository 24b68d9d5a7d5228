"""Reads for engagements: lists, dashboard figures and the audit trail."""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from certprep.core.actors import Actor
from certprep.core.models import AuditEntry
from certprep.core.outbox import mail_states
from certprep.engagements.models import Engagement, Invitation, Membership, SuggestedInvitation


def engagements_for_user(user: Actor, *, q: str = "") -> QuerySet[Engagement]:
    """The engagements the user belongs to, each with the user's role and the member count;
    `q` narrows them to names or organizations containing it."""
    engagements = Engagement.objects.filter(memberships__user=user)
    if q:
        engagements = engagements.filter(Q(name__icontains=q) | Q(organization_name__icontains=q))
    return (
        engagements.annotate(
            my_role=F("memberships__role"),
            member_count=Subquery(
                Membership.objects.filter(engagement=OuterRef("pk"))
                .order_by()
                .values("engagement")
                .annotate(n=Count("id"))
                .values("n")
            ),
        )
        .select_related("profile")
        .order_by("name", "id")
    )


def members_of(engagement: Engagement) -> QuerySet[Membership]:
    return engagement.memberships.select_related("user").order_by("user__username")


# The outbox topic of an invitation's e-mail (its object id: the invitation's).
INVITATION_MAIL = "engagements.invitation"


def open_invitations_of(engagement: Engagement) -> list[Invitation]:
    """The open invitations, newest first, each with its e-mail (`mail`: the OutboxMessage, or None) read in one
    query for all of them."""
    invitations = list(
        Invitation.objects.open().filter(engagement=engagement).select_related("invited_by").order_by("-created_at")
    )
    states = mail_states(INVITATION_MAIL, (i.pk for i in invitations))
    for invitation in invitations:
        invitation.mail = states.get(invitation.pk)  # type: ignore[attr-defined]
    return invitations


def suggested_invitations_of(engagement: Engagement) -> list[SuggestedInvitation]:
    return list(SuggestedInvitation.objects.filter(engagement=engagement).order_by("username", "id"))


def audit_trail(engagement: Engagement) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(engagement=engagement).select_related("actor").order_by("-at", "-id")
