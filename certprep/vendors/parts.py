"""The vendors' part of an engagement (certprep.core.parts): its step in the menu and on the dashboard, its
section of the engagement file, its demo and its API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from certprep.core.parts import DashboardCard, EngagementPart, FileSection, Handovers, MenuEntry
from certprep.engagements.models import Engagement
from certprep.vendors.api import router
from certprep.vendors.booking_links import booking_links
from certprep.vendors.choices import VendorKind
from certprep.vendors.demo import load_vendors_demo
from certprep.vendors.models import Decision, Vendor
from certprep.vendors.report import DOCUMENT, SECTIONS
from certprep.vendors.transfer import VendorsPart, vendors_check, vendors_export, vendors_import


def _export(engagement: Engagement) -> dict[str, Any]:
    return vendors_export(engagement)


def _check(section: VendorsPart, handovers: Handovers) -> None:
    vendors_check(section)


def _load(engagement: Engagement, section: VendorsPart, handovers: Handovers) -> None:
    vendors_import(engagement=engagement, part=section, members=handovers.members)


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
    section=FileSection(schema=VendorsPart, export=_export, check=_check, load=_load),
    demo=load_vendors_demo,
    card=DashboardCard(template="vendors/partials/dashboard_card.html", status=_status),
    routers=(router,),
    menu=MenuEntry(label=gettext_lazy("Vendors"), url_name="vendors:register", active="vendors"),
    links=booking_links,
    report_sections=SECTIONS,
    report_documents=(DOCUMENT,),
)
