"""Writing the selection: the weighted criteria (a default set from the domain notes, editable), each vendor's
scores with their rationale, and the decision, which names the chosen certification body on the plan."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.audit import audit_record
from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry
from certprep.engagements.models import Engagement
from certprep.planning.models import Plan
from certprep.vendors.choices import VendorKind
from certprep.vendors.criteria import DEFAULT_CRITERIA
from certprep.vendors.models import Criterion, Decision, Quote, Score, Vendor
from certprep.vendors.services.common import created, deleted, updated

CRITERION_FIELDS = ("name", "weight", "order", "is_price")


@transaction.atomic
def criteria_defaults(*, engagement: Engagement, actor: Actor) -> list[Criterion]:
    """Add the default criteria to an engagement that has none yet: named in the creator's language, and keeping
    their code so that every reader sees them in theirs until they are renamed."""
    if Criterion.objects.filter(engagement=engagement).exists():
        raise ServiceError(_("The engagement has criteria already; edit them instead."))
    return [
        created(
            engagement,
            actor,
            Criterion(
                engagement=engagement,
                name=_(default.name),
                code=default.code,
                weight=default.weight,
                order=order,
                is_price=default.is_price,
            ),
            (*CRITERION_FIELDS, "code"),
        )
        for order, default in enumerate(DEFAULT_CRITERIA, start=1)
    ]


def _price_free(criterion: Criterion) -> None:
    others = Criterion.objects.filter(engagement=criterion.engagement, is_price=True).exclude(pk=criterion.pk)
    if criterion.is_price and others.exists():
        raise ServiceError(_("Only one criterion is the price."), field="is_price")


@transaction.atomic
def criterion_create(
    *, engagement: Engagement, actor: Actor, name: str, weight: int, is_price: bool = False
) -> Criterion:
    last = Criterion.objects.filter(engagement=engagement).aggregate(last=Max("order"))["last"] or 0
    criterion = Criterion(engagement=engagement, name=name.strip(), weight=weight, order=last + 1, is_price=is_price)
    _price_free(criterion)
    return created(engagement, actor, criterion, CRITERION_FIELDS)


@transaction.atomic
def criterion_update(
    *,
    criterion: Criterion,
    actor: Actor,
    expected_version: int,
    name: str | None = None,
    weight: int | None = None,
    is_price: bool | None = None,
) -> Criterion:
    if is_price is not None:
        criterion.is_price = is_price
        _price_free(criterion)
    changes = {"name": name.strip() if name is not None else None, "weight": weight, "is_price": is_price}
    return updated(criterion.engagement, actor, criterion, expected_version=expected_version, changes=changes)


@transaction.atomic
def criterion_delete(*, criterion: Criterion, actor: Actor, expected_version: int | None = None) -> None:
    deleted(
        criterion.engagement,
        actor,
        criterion,
        expected_version=expected_version,
        conflict=_("Someone else changed this criterion since you opened it; it was not removed."),
        facts=("name", "weight"),
    )


@transaction.atomic
def score_set(
    *,
    vendor: Vendor,
    criterion: Criterion,
    actor: Actor,
    score: int,
    rationale: str = "",
    expected_version: int | None = None,
) -> Score:
    """Score a vendor on a criterion (1-5, with why); changing a score carries the version read."""
    if criterion.engagement_id != vendor.engagement_id:
        raise ServiceError(_("Choose a criterion of this engagement."), field="criterion")
    if criterion.is_price:
        raise ServiceError(_("The price criterion is scored from the quotes' 3-year totals."), field="criterion")
    existing = Score.objects.filter(vendor=vendor, criterion=criterion).first()
    if existing is None:
        fresh = Score(vendor=vendor, criterion=criterion, score=score, rationale=rationale.strip())
        return created(vendor.engagement, actor, fresh, ("score", "rationale"))
    if expected_version is None:
        raise ServiceError(_("Send the version of the score you read to change it."), field="expected_version")
    changes = {"score": score, "rationale": rationale.strip()}
    return updated(vendor.engagement, actor, existing, expected_version=expected_version, changes=changes)


def _name_on_plan(engagement: Engagement, actor: Actor, name: str) -> None:
    """Write the chosen certification body's name to the plan's `certification_body` (when a plan exists): the
    plan's own field, changed here as one version-bumping UPDATE so a plan form open on the old name is told."""
    plan = Plan.objects.filter(engagement=engagement).first()
    if plan is None or plan.certification_body == name:
        return
    Plan.objects.filter(pk=plan.pk).update(certification_body=name, version=F("version") + 1, updated_at=timezone.now())
    audit_record(
        engagement=engagement,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=plan,
        changes={"certification_body": [plan.certification_body, name]},
    )


@transaction.atomic
def decision_record(*, vendor: Vendor, actor: Actor, rationale: str, quote: Quote | None = None) -> Decision:
    """Record the choice of a vendor (its latest quote unless one is named), who made it and why. Choosing a
    certification body names it on the plan."""
    if not rationale.strip():
        raise ServiceError(_("Say why this vendor is chosen."), field="rationale")
    if quote is not None and quote.vendor_id != vendor.pk:
        raise ServiceError(_("Choose a quote of this vendor."), field="quote")
    chosen = quote or Quote.objects.filter(vendor=vendor).order_by("-received_on", "-pk").first()
    decision = Decision(
        engagement=vendor.engagement,
        kind=vendor.kind,
        vendor=vendor,
        quote=chosen,
        decided_by=actor,
        decided_by_label=actor.get_full_name() or actor.get_username(),
        decided_at=timezone.now(),
        rationale=rationale.strip(),
    )
    created(vendor.engagement, actor, decision, ("kind", "vendor_id", "quote_id", "rationale"))
    if vendor.kind == VendorKind.CERTIFICATION_BODY:
        _name_on_plan(vendor.engagement, actor, vendor.name)
    return decision
