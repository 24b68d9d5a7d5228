"""The vendors' part: the demo (two bodies whose quotes differ in inclusions, a consultancy, scored and decided),
the section of the engagement file (a lossless round trip through the real export and import, an inconsistent
section refused before anything is written), and the dashboard card."""

from __future__ import annotations

import copy
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from certprep.core.errors import ServiceError
from certprep.engagements.models import Engagement
from certprep.engagements.transfer import engagement_export, engagement_import
from certprep.planning.models import Plan
from certprep.vendors.choices import VendorKind
from certprep.vendors.models import Decision, Quote, Vendor
from certprep.vendors.selectors.comparison import comparison
from certprep.vendors.tests.world import vendors_world

pytestmark = pytest.mark.django_db


def _demo():
    call_command("load_demo", verbosity=0)
    demo = get_user_model().objects.get(username="demo")
    return demo, Engagement.objects.get(memberships__user=demo, memberships__role="owner")


def _import(document, actor):
    return engagement_import(raw=json.dumps(document).encode(), actor=actor)[0]


def test_the_demo_has_two_bodies_with_opposite_inclusions_a_consultancy_and_a_decision():
    _user, engagement = _demo()
    bodies = Quote.objects.filter(engagement=engagement, vendor__kind=VendorKind.CERTIFICATION_BODY)
    inclusions = {(q.includes_travel, q.includes_certificate_fee) for q in bodies}
    assert inclusions == {("yes", "no"), ("no", "yes")}
    assert Vendor.objects.filter(engagement=engagement, kind=VendorKind.CONSULTANCY).count() == 1
    decision = Decision.objects.get(engagement=engagement)
    assert Plan.objects.get(engagement=engagement).certification_body == decision.vendor.name
    found = comparison(engagement, kind=VendorKind.CERTIFICATION_BODY, on=decision.decided_at.date())
    assert found.ranking.recommended == decision.vendor_id
    call_command("load_demo", verbosity=0)  # again: kept as it is
    assert Vendor.objects.filter(engagement=engagement).count() == 3


def test_the_vendors_travel_in_the_engagement_file_without_loss(engagement, owner):
    vendors_world(engagement, owner)
    Decision.objects.create(
        engagement=engagement,
        kind=VendorKind.CERTIFICATION_BODY,
        vendor=Vendor.objects.get(name="Body A"),
        quote=Quote.objects.get(vendor__name="Body A"),
        decided_by=owner,
        decided_by_label="Olivia",
        decided_at="2026-12-01T09:30:00Z",
        rationale="Competence",
    )
    exported = engagement_export(engagement)
    section = exported["vendors"]
    assert section["vendors"][1]["quotes"][0]["day_rate"] == "5850.750"  # decimals as text, never floats
    copy_ = _import(exported, owner)
    again = engagement_export(copy_)
    assert again["vendors"] == section
    decision = Decision.objects.get(engagement=copy_)
    assert decision.decided_by == owner  # the importer is a member: matched by user name
    assert decision.quote.vendor == decision.vendor


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda s: s["scores"].append({**s["scores"][0]}), "two scores for the same vendor"),
        (lambda s: s["vendors"][0]["quotes"][0].update(currency="XYZ"), "unknown currency"),
        (lambda s: s["decisions"].append({**s["decisions"][0], "vendor": 2}), "of another kind"),
        (lambda s: s["vendors"][1].update(name=s["vendors"][0]["name"]), "used twice"),
        (lambda s: s["criteria"][0].update(code="speed"), "default criterion that does not exist"),
    ],
)
def test_an_inconsistent_section_is_refused_before_anything_is_written(engagement, owner, spoil, message):
    world = vendors_world(engagement, owner)
    Decision.objects.create(
        engagement=engagement,
        kind=VendorKind.CERTIFICATION_BODY,
        vendor=world["a"],
        decided_at="2026-12-01T09:30:00Z",
        rationale="Competence",
    )
    document = copy.deepcopy(engagement_export(engagement))
    spoil(document["vendors"])
    engagements = Engagement.objects.count()
    with pytest.raises(ServiceError) as refused:
        _import(document, owner)
    assert message in refused.value.message
    assert Engagement.objects.count() == engagements
    assert Vendor.objects.count() == 3


@pytest.mark.parametrize("extra", [0, 6])
def test_the_dashboard_card_reads_the_same_queries_at_two_sizes(
    owner_client, engagement, owner, extra, django_assert_max_num_queries
):
    vendors_world(engagement, owner)
    for n in range(extra):
        Vendor.objects.create(engagement=engagement, kind=VendorKind.CERTIFICATION_BODY, name=f"Body {n}")
    with django_assert_max_num_queries(40):
        page = owner_client.get(reverse("engagements:dashboard", args=[engagement.pk])).content.decode()
    assert 'id="card-vendors"' in page
    assert f"Certification bodies: {2 + extra}, consultancies: 1; none chosen yet." in page
