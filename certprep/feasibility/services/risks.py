"""Writing the project risk register: add, change, remove and reorder a risk, and start from the usual risks
of a certification project. Keyword-only, atomic, version-checked, recorded in the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.audit import audit_records
from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry
from certprep.engagements.models import Engagement
from certprep.feasibility.benefits_usual import USUAL_RISKS
from certprep.feasibility.models import Risk
from certprep.feasibility.services.benefits import cleaned, created, deleted, known, moved, next_position, updated
from certprep.people.models import Person

RISK_FIELDS = ("title", "description", "likelihood", "impact", "owner", "countermeasure", "due", "status")
CLEARABLE = ("owner", "due")


def _owner(engagement: Engagement, owner: Person | None) -> Person | None:
    if owner is not None and owner.engagement_id != engagement.pk:
        raise ServiceError(_("Choose the owner among the engagement's people."), field="owner")
    return owner


@transaction.atomic
def risk_create(*, engagement: Engagement, actor: Actor, title: str, **fields: Any) -> Risk:
    """Add a risk at the end of the register (RISK_FIELDS besides the title)."""
    known(fields, RISK_FIELDS, "risk_create")
    fields = cleaned(fields)
    _owner(engagement, fields.get("owner"))
    risk = Risk(
        engagement=engagement,
        title=title.strip(),
        position=next_position(Risk.objects.filter(engagement=engagement)),
        **{name: value for name, value in fields.items() if value is not None},
    )
    return created(engagement, actor, risk, RISK_FIELDS)


@transaction.atomic
def risk_update(*, risk: Risk, actor: Actor, expected_version: int, **changes: Any) -> Risk:
    """Change a risk: every field given is set (owner and due date None clear them; None leaves another field)."""
    known(changes, RISK_FIELDS, "risk_update")
    changes = {k: v for k, v in cleaned(changes).items() if v is not None or k in CLEARABLE}
    if "owner" in changes:
        _owner(risk.engagement, changes["owner"])
    return updated(risk.engagement, actor, risk, expected_version=expected_version, changes=changes)


@transaction.atomic
def risk_delete(*, risk: Risk, actor: Actor, expected_version: int | None = None) -> bool:
    return deleted(
        risk.engagement,
        actor,
        risk,
        expected_version=expected_version,
        conflict=_("Someone else changed this risk since you opened it; it was not removed."),
        facts=("code", "title", "likelihood", "impact"),
    )


@transaction.atomic
def risk_move(*, risk: Risk, actor: Actor, expected_version: int, step: int) -> Risk:
    siblings = Risk.objects.filter(engagement=risk.engagement)
    return moved(risk.engagement, actor, risk, siblings, expected_version=expected_version, step=step)


@transaction.atomic
def risks_seed(*, engagement: Engagement, actor: Actor) -> list[Risk]:
    """Add the usual risks the register does not have yet (by their code), in the active language, after the ones
    it has; returns the ones added."""
    have = set(Risk.objects.filter(engagement=engagement).exclude(code="").values_list("code", flat=True))
    start = next_position(Risk.objects.filter(engagement=engagement))
    made = [
        Risk(
            engagement=engagement,
            code=usual.code,
            title=str(usual.title),
            description=str(usual.description),
            countermeasure=str(usual.countermeasure),
            likelihood=usual.likelihood,
            impact=usual.impact,
            position=start + number,
        )
        for number, usual in enumerate(u for u in USUAL_RISKS if u.code not in have)
    ]
    if not made:
        return []
    Risk.objects.bulk_create(made)
    audit_records(
        engagement=engagement,
        actor=actor,
        action=AuditEntry.Action.CREATE,
        entries=[(r, {"code": r.code, "title": r.title}) for r in made],
    )
    return made
