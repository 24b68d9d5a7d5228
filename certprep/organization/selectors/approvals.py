"""Each approvable document's approval state: never approved, approved (by whom, when, which approval), or
changed since approval with the figures that differ. Other parts' pages may show it through `approval_states`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from certprep.core.parts import ApprovalFigure, approvables
from certprep.engagements.models import Engagement
from certprep.organization.compare import Difference, differences, digest
from certprep.organization.models import Approval

NEVER = "never"
APPROVED = "approved"
CHANGED = "changed"


@dataclass(frozen=True)
class ApprovalState:
    key: str
    label: str
    url_name: str
    state: str  # NEVER, APPROVED or CHANGED
    approval: Approval | None  # the approval in force (the latest not revoked)
    figures: Sequence[ApprovalFigure]  # as they stand now
    digest: str  # of the figures now: what an approval form carries
    differences: list[Difference] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.state == CHANGED


def approvals_in_force(engagement: Engagement) -> dict[str, Approval]:
    """The latest approval not revoked of each document (one query)."""
    found: dict[str, Approval] = {}
    for approval in Approval.objects.filter(engagement=engagement, revoked_at=None).order_by("document", "-number"):
        found.setdefault(approval.document, approval)
    return found


def state_of(
    key: str, label: str, url_name: str, figures: Sequence[ApprovalFigure], approval: Approval | None
) -> ApprovalState:
    now = digest(figures)
    if approval is None:
        return ApprovalState(key, label, url_name, NEVER, None, figures, now)
    if approval.digest == now:
        return ApprovalState(key, label, url_name, APPROVED, approval, figures, now)
    return ApprovalState(key, label, url_name, CHANGED, approval, figures, now, differences(approval.figures, figures))


def approval_states(engagement: Engagement) -> list[ApprovalState]:
    """Every approvable document's state, in the parts' order (one query plus each document's own figures)."""
    in_force = approvals_in_force(engagement)
    return [
        state_of(a.key, str(a.label), a.url_name, a.figures(engagement), in_force.get(a.key)) for a in approvables()
    ]


def approval_state(engagement: Engagement, key: str) -> ApprovalState | None:
    for approvable in approvables():
        if approvable.key == key:
            approval = approvals_in_force(engagement).get(key)
            return state_of(key, str(approvable.label), approvable.url_name, approvable.figures(engagement), approval)
    return None


def approval_history(engagement: Engagement) -> list[Approval]:
    """Every approval of the engagement, revoked ones included, newest first (one query)."""
    return list(Approval.objects.filter(engagement=engagement).order_by("-approved_at", "-pk"))
