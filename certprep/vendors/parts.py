"""The vendors' part of an engagement (certprep.core.parts): its step in the menu and on the dashboard, its
section of the engagement file, its demo and its API."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from certprep.core.parts import DashboardCard, EngagementPart, MenuEntry
from certprep.engagements.models import Engagement
from certprep.vendors.choices import VendorKind
from certprep.vendors.models import Decision, Vendor


def _status(engagement: Engagement) -> Mapping[str, object]:
    """How many vendors of each kind, and the certification body chosen last; two queries."""
    counts = Vendor.objects.filter(engagement=engagement).aggregate(
        bodies=Count("pk", filter=Q(kind=VendorKind.CERTIFICATION_BODY)),
        consultancies=Count("pk", filter=Q(kind=VendorKind.CONSULTANCY)),
    )
    chosen = (
        Decision.objects.filter(engagement=engagement, kind=VendorKind.CERTIFICATION_BODY)
        .select_related("vendor")
        .first()
    )
    return {**counts, "chosen": chosen.vendor.name if chosen else ""}


part = EngagementPart[Engagement](
    key="vendors",
    card=DashboardCard(template="vendors/partials/dashboard_card.html", status=_status),
    menu=MenuEntry(label=gettext_lazy("Vendors"), url_name="vendors:register", active="vendors"),
)
