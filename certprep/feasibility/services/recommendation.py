"""The decision on the rule's proposal: a person confirms it, or overrides it with a rationale. The proposal and
the inputs it rested on are computed again at the moment of the decision and kept with it; the write carries the
version read (0 while there is no decision yet) and is recorded in the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certprep.core.actors import AuditActor
from certprep.core.audit import audit_record, snapshot
from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry
from certprep.engagements.models import Engagement
from certprep.feasibility.changes import RECOMMENDATION_FIELDS
from certprep.feasibility.choices import Outcome
from certprep.feasibility.models import Recommendation
from certprep.feasibility.selectors.scheme import inputs_record, proposal_of
from certprep.feasibility.services.ratings import TEXT_LIMIT, _stale


def _checked(outcome: str, conditions: str, rationale: str, proposed: str) -> None:
    if outcome not in Outcome.values:
        raise ServiceError(_("Choose go, go with conditions or no-go."), field="outcome")
    for name, text in (("conditions", conditions), ("rationale", rationale)):
        if len(text) > TEXT_LIMIT:
            raise ServiceError(_("At most %(n)s characters.") % {"n": TEXT_LIMIT}, field=name)
    if outcome != proposed and not rationale.strip():
        raise ServiceError(_("Say why you override the proposal: an override needs a rationale."), field="rationale")
    if outcome == Outcome.CONDITIONAL and not conditions.strip():
        raise ServiceError(_("Name the conditions of a go with conditions, one per line."), field="conditions")


@transaction.atomic
def recommendation_decide(
    *,
    engagement: Engagement,
    actor: AuditActor,
    expected_version: int,
    outcome: str,
    conditions: str = "",
    rationale: str = "",
) -> Recommendation:
    """Record the decision on the proposal as it stands now (confirming when `outcome` equals it)."""
    view = proposal_of(engagement)
    proposed = view.proposal.outcome
    conditions, rationale = conditions.strip(), rationale.strip()
    _checked(outcome, conditions, rationale, proposed)
    values: dict[str, Any] = {
        "proposed": proposed,
        "outcome": outcome,
        "conditions": conditions,
        "rationale": rationale,
        "inputs": inputs_record(view.inputs, view.economics.currency),
        "decided_by": actor if getattr(actor, "pk", None) else None,
        "decided_at": timezone.now(),
    }
    stored = Recommendation.objects.select_for_update().filter(engagement=engagement).first()
    if stored is None:
        if expected_version != 0:
            raise _stale(expected_version, 0)
        try:
            with transaction.atomic():
                stored = Recommendation.objects.create(engagement=engagement, **values)
        except IntegrityError:
            raise _stale(expected_version, 1) from None
        audit_record(
            engagement=engagement,
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=stored,
            values=snapshot(stored, RECOMMENDATION_FIELDS),
        )
        return stored
    if stored.version != expected_version:
        raise _stale(expected_version, stored.version)
    before = snapshot(stored, RECOMMENDATION_FIELDS)
    for name, value in values.items():
        setattr(stored, name, value)
    stored.version += 1
    stored.save()
    after = snapshot(stored, RECOMMENDATION_FIELDS)
    changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    audit_record(engagement=engagement, actor=actor, action=AuditEntry.Action.UPDATE, obj=stored, changes=changes)
    return stored
