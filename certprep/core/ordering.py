"""Moving an item of an ordered list (questions, roles, activities) one place up or down."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.audit import audit_record
from certprep.core.errors import ServiceError


def move_in_list(items: list[Any], item: Any, direction: str) -> list[tuple[Any, int, int]]:
    """Swap `item` with its neighbour in `items` (ordered by their `order`), then number the items 1..n.

    Writes only the rows whose order changed, bumping their version so an editor holding an older copy
    sees a conflict. Returns (item, old order, new order) for each of them."""
    if direction not in ("up", "down"):
        raise ServiceError(_("Move up or down."))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    changed = []
    for position, other in enumerate(items, start=1):
        if other.order != position:
            changed.append((other, other.order, position))
            other.order = position
    for other, _old, new in changed:
        type(other).objects.filter(pk=other.pk).update(order=new, version=F("version") + 1)
    return changed


def move_and_record(items: list[Any], item: Any, direction: str, *, engagement: Any, actor: Actor) -> None:
    """`move_in_list`, then the audit trail entry of the item the person moved (its neighbours' renumbering is
    a consequence, not recorded)."""
    for moved, old, new in move_in_list(items, item, direction):
        if moved.pk == item.pk:
            audit_record(engagement=engagement, actor=actor, action="update", obj=moved, changes={"order": [old, new]})
