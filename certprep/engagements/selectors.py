"""Reads for engagements: lists, dashboard figures and the audit trail."""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from certprep.core.actors import Actor
from certprep.core.models import AuditEntry
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


def open_invitations_of(engagement: Engagement) -> list[Invitation]:
    return list(
        Invitation.objects.open().filter(engagement=engagement).select_related("invited_by").order_by("-created_at")
    )


def suggested_invitations_of(engagement: Engagement) -> list[SuggestedInvitation]:
    return list(SuggestedInvitation.objects.filter(engagement=engagement).order_by("username", "id"))


def audit_trail(engagement: Engagement) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(engagement=engagement).select_related("actor").order_by("-at", "-id")
