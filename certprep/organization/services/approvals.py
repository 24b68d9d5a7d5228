"""Approving a document inside certprep, and revoking an approval.

The approver saw the document's figures with their digest; the approval is stored only if the figures still have
that digest, so nobody approves a state they did not see (a stale digest is a conflict, as a stale version is).
Owners and editors approve; only owners revoke. Both are recorded in the audit trail and show in the decision
log."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.audit import audit_record
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.models import AuditEntry
from certprep.core.parts import Approvable, approvables
from certprep.engagements.models import Engagement
from certprep.organization.compare import digest, stored
from certprep.organization.models import Approval


def approvable_of(key: str) -> Approvable[Engagement]:
    for approvable in approvables():
        if approvable.key == key:
            return approvable
    raise ServiceError(_("No such document to approve."), field="document")


@transaction.atomic
def document_approve(
    *, engagement: Engagement, actor: Actor, document: str, seen_digest: str, approver_title: str, note: str = ""
) -> Approval:
    """Approve `document` as its figures stand, if they are still the figures the approver saw."""
    approvable = approvable_of(document)
    title = approver_title.strip()
    if not title:
        raise ServiceError(_("Write your name or title as the approval should show it."), field="approver_title")
    # Lock the engagement's row so two approvals of the same document get distinct numbers.
    Engagement.objects.select_for_update().filter(pk=engagement.pk).first()
    figures = approvable.figures(engagement)
    now_digest = digest(figures)
    if now_digest != seen_digest:
        raise ConflictError(
            _(
                "The document changed since you opened it: nothing was approved. Look at its figures as they stand "
                "now, then approve again."
            )
        )
    last = Approval.objects.filter(engagement=engagement, document=document).aggregate(n=Max("number"))["n"]
    approval = Approval.objects.create(
        engagement=engagement,
        document=document,
        number=(last or 0) + 1,
        approved_by=actor,
        approved_by_name=actor.get_username(),
        approver_title=title[:150],
        approved_at=timezone.now(),
        note=note.strip(),
        figures=stored(figures),
        digest=now_digest,
    )
    audit_record(
        engagement=engagement,
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=approval,
        values={"document": document, "number": approval.number, "approver_title": approval.approver_title},
    )
    return approval


@transaction.atomic
def approval_revoke(*, approval: Approval, actor: Actor) -> Approval:
    """Revoke an approval (owners; the view checks the role). It is kept, marked revoked."""
    if approval.revoked_at is not None:
        raise ServiceError(_("This approval was revoked already."))
    approval.revoked_at = timezone.now()
    approval.revoked_by_name = actor.get_username()
    approval.save(update_fields=["revoked_at", "revoked_by_name"])
    audit_record(
        engagement=approval.engagement,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=approval,
        changes={"revoked_at": [None, str(approval.revoked_at)]},
    )
    return approval
