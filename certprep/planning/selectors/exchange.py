"""What the exchange page shows: the plan's recent imports with what each could not represent."""

from __future__ import annotations

from certprep.planning.models import Plan, PlanImport

RECENT_IMPORTS = 10


def recent_imports(plan: Plan | None) -> list[PlanImport]:
    """The plan's last imports, newest first, with who imported them (one query)."""
    if plan is None:
        return []
    return list(PlanImport.objects.filter(plan=plan).select_related("imported_by")[:RECENT_IMPORTS])
