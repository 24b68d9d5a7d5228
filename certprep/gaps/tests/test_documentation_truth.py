"""Documented information has one source of truth: each checklist item names the requirements it evidences and
holds the one stored status; the assessment screen shows and sets that status, the checklist shows the same,
and the stage 1 list reads it. Older data (per-rating statuses, files and workbooks) comes over without loss."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from certprep.engagements.models import Engagement
from certprep.gaps.choices import Documentation, DocumentStatus
from certprep.gaps.models import DocumentItem, Rating
from certprep.gaps.rules import combined_documentation
from certprep.gaps.selectors.dashboard import dashboard
from certprep.gaps.services import documents as document_services
from certprep.gaps.services import ratings as rating_services
from certprep.gaps.tests.factories import assessment, rate, rating
from certprep.gaps.transfer import GapsPart, gaps_check, gaps_export, gaps_import

pytestmark = pytest.mark.django_db


def stage1(engagement: Engagement) -> dict[str, Any]:
    return {s.item: s for s in dashboard(engagement).stage1}


def item(engagement: Engagement, key: str) -> DocumentItem:
    return DocumentItem.objects.get(engagement=engagement, key=key)


# --- the rule -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "combined"),
    [
        ([], ""),
        (["approved"], "approved"),
        (["approved", "missing"], "missing"),
        (["draft", "missing"], "missing"),
        (["uncontrolled", "in_review"], "in_review"),
        (["approved", ""], ""),
        (["not_needed", "not_needed"], "not_needed"),
        (["not_needed", "approved"], "approved"),
    ],
)
def test_a_requirements_status_combines_the_items_that_evidence_it(statuses, combined):
    assert combined_documentation(statuses) == combined


def test_there_is_one_vocabulary_for_the_screen_and_the_checklist():
    assert Documentation is DocumentStatus
    assert [v for v, _l in DocumentStatus.choices] == [
        "", "missing", "draft", "in_review", "uncontrolled", "approved", "not_needed",
    ]  # fmt: skip


def test_every_shipped_item_names_requirements_of_iso_20000(catalogue):
    from certprep.catalogue.models import Requirement

    refs = set(
        Requirement.objects.filter(framework__urn=document_services.ISO_20000_URN).values_list("ref_id", flat=True)
    )
    for entry in document_services.shipped_checklist():
        assert entry["requirements"], entry["key"]
        assert set(entry["requirements"]) <= refs, entry["key"]


# --- one stored value -------------------------------------------------------------------------------------


def test_marking_5_2_1_and_6_2_missing_on_the_assessment_makes_stage1_policy_no(engagement, owner, catalogue):
    baseline = assessment(engagement, owner)
    assert stage1(engagement)["policy"].state is None
    rate(owner, baseline, "5.2.1", documentation="missing")
    rate(owner, baseline, "6.2", documentation="missing")
    policy = stage1(engagement)["policy"]
    assert policy.state is False
    assert policy.kind == "documents"
    assert "Service management policy (Missing)" in policy.source
    assert "Service management objectives (Missing)" in policy.source
    # the checklist holds the status: the shipped items came in for the requirements
    assert item(engagement, "service-management-policy").status == "missing"
    assert item(engagement, "service-management-objectives").status == "missing"


def test_a_status_set_on_the_screen_is_the_checklist_items_status(engagement, owner, catalogue):
    baseline = assessment(engagement, owner)
    document_services.checklist_load(engagement=engagement, actor=owner)
    rate(owner, baseline, "8.6.1", documentation="draft")
    assert item(engagement, "incident-management-procedure").status == "draft"
    assert item(engagement, "incident-records").status == "draft"
    assert rating(baseline, "8.6.1").documentation == "draft"


def test_a_status_set_on_the_checklist_is_the_requirements_status_on_the_screen(
    engagement, owner, owner_client, catalogue
):
    baseline = assessment(engagement, owner)
    document_services.checklist_load(engagement=engagement, actor=owner)
    scope = item(engagement, "sms-scope")
    document_services.document_update(item=scope, actor=owner, expected_version=scope.version, status="approved")
    assert rating(baseline, "4.3").documentation == "approved"
    page = owner_client.get(reverse("gaps:assessment", args=[engagement.pk, baseline.pk]))
    row = page.content.decode().split(f'id="r{rating(baseline, "4.3").pk}"')[1].split("</tr>")[0]
    assert '<option value="approved" selected>' in row
    assert stage1(engagement)["scope"].state is True


def test_a_requirement_no_item_evidences_gets_an_item_named_after_it(engagement, owner, catalogue):
    baseline = assessment(engagement, owner)
    rate(owner, baseline, "4.1", documentation="uncontrolled")
    (made,) = DocumentItem.objects.filter(engagement=engagement)
    assert made.name.startswith("4.1 ")
    assert made.status == "uncontrolled"
    assert list(made.requirements.values_list("ref_id", flat=True)) == ["4.1"]


def test_the_instant_save_reports_the_rows_that_share_the_item(engagement, owner, owner_client, catalogue):
    baseline = assessment(engagement, owner)
    document_services.checklist_load(engagement=engagement, actor=owner)
    found = rating(baseline, "5.2.1")
    response = owner_client.post(
        reverse("gaps:rating_save", args=[engagement.pk, found.pk]),
        {"version": found.version, "documentation": "missing"},
    )
    assert response.status_code == 200, response.content
    sibling = rating(baseline, "5.2.2")  # the policy evidences both
    assert response.json()["linked_documentation"] == {str(sibling.pk): "missing"}


def test_a_checklist_item_takes_the_requirements_typed_on_the_checklist(engagement, owner, owner_client, catalogue):
    baseline = assessment(engagement, owner)
    response = owner_client.post(
        reverse("gaps:document_create", args=[engagement.pk]),
        {"name": "Major incident procedure", "kind": "document", "clause": "8.6.1", "requirements": "8.6.1, 8.6.3"},
    )
    assert response.status_code == 302
    made = DocumentItem.objects.get(engagement=engagement, name="Major incident procedure")
    assert sorted(made.requirements.values_list("ref_id", flat=True)) == ["8.6.1", "8.6.3"]
    document_services.document_update(item=made, actor=owner, expected_version=made.version, status="missing")
    assert rating(baseline, "8.6.3").documentation == "missing"
    with pytest.raises(Exception, match="99.9"):
        document_services.document_update(
            item=made, actor=owner, expected_version=made.version + 1, requirements=["99.9"]
        )


def test_the_screen_filters_by_the_checklist_status(engagement, owner, owner_client, catalogue):
    baseline = assessment(engagement, owner)
    rate(owner, baseline, "6.3", documentation="missing")
    page = owner_client.get(reverse("gaps:assessment", args=[engagement.pk, baseline.pk]), {"documentation": "missing"})
    html = page.content.decode()
    assert html.count('class="rating-row') == 1
    assert f'id="r{rating(baseline, "6.3").pk}"' in html


# --- older data ---------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_each_ratings_status_to_the_checklist_without_loss(owner, catalogue):
    executor = MigrationExecutor(connection)
    before = [("gaps", "0003_mixed_scales_document_links_weights")]
    after = executor.loader.graph.leaf_nodes("gaps")
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    engagement_model = apps.get_model("engagements", "Engagement")
    framework_model = apps.get_model("catalogue", "Framework")
    requirement_model = apps.get_model("catalogue", "Requirement")
    assessment_model = apps.get_model("gaps", "Assessment")
    rating_model = apps.get_model("gaps", "Rating")
    item_model = apps.get_model("gaps", "DocumentItem")
    engagement = engagement_model.objects.create(name="Old")
    iso = framework_model.objects.get(urn=document_services.ISO_20000_URN)
    req = {r.ref_id: r for r in requirement_model.objects.filter(framework=iso)}
    old = assessment_model.objects.create(
        engagement=engagement, framework=iso, name="Baseline", scale="capability", assessed_on=datetime.date(2025, 1, 1)
    )
    new = assessment_model.objects.create(
        engagement=engagement,
        framework=iso,
        name="Reassessment",
        scale="capability",
        assessed_on=datetime.date(2025, 6, 1),
    )
    for a, values in ((old, {"4.3": "draft", "5.2.1": "missing", "4.1": "not_needed"}), (new, {"4.3": "controlled"})):
        for ref, value in values.items():
            rating_model.objects.create(assessment=a, requirement=req[ref], documentation=value)
    item_model.objects.create(
        engagement=engagement, key="sms-scope", name="Scope of the SMS", clause="4.3", stage1="scope"
    )
    item_model.objects.create(
        engagement=engagement, key="service-management-policy", name="Policy", clause="5.2.1", status="approved"
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    scope = DocumentItem.objects.get(engagement_id=engagement.pk, key="sms-scope")
    assert scope.status == "approved"  # the latest assessment's "controlled", in the one vocabulary
    assert '"Baseline" rated the documentation of 4.3: Draft, not approved.' in scope.notes
    policy = DocumentItem.objects.get(engagement_id=engagement.pk, key="service-management-policy")
    assert policy.status == "approved"
    assert "Baseline" in policy.notes
    assert "Missing" in policy.notes
    assert sorted(policy.requirements.values_list("ref_id", flat=True)) == ["5.2.1", "5.2.2"]
    made = DocumentItem.objects.get(engagement_id=engagement.pk, requirements__ref_id="4.1")
    assert made.status == "not_needed"
    assert made.name.startswith("4.1 ")
    assert set(Rating.objects.filter(assessment_id=old.pk).values_list("scale", flat=True)) == {"capability"}


def _older_file(iso_urn: str) -> dict[str, Any]:
    return {
        "settings": {"scale": "compliance", "default_target": 3, "sms_operating_since": None},
        "assessments": [
            {
                "name": "Baseline",
                "framework": iso_urn,
                "scale": "compliance",
                "assessed_on": "2025-01-01",
                "ratings": [
                    {
                        "requirement": {"urn": f"{iso_urn}:4.3", "ref_id": "4.3"},
                        "level": 2,
                        "documentation": "controlled",
                    },
                    {"requirement": {"urn": f"{iso_urn}:6.2", "ref_id": "6.2"}, "documentation": "missing"},
                ],
            }
        ],
        "documents": [{"key": "sms-scope", "clause": "4.3", "name": "Scope of the SMS", "stage1": "scope"}],
    }


def test_an_older_engagement_file_brings_its_rating_statuses_into_the_checklist(engagement, owner, catalogue):
    part = GapsPart.model_validate(_older_file(document_services.ISO_20000_URN))
    gaps_check(part, survey=None)
    gaps_import(engagement=engagement, part=part, people=[], members=[])
    assert item(engagement, "sms-scope").status == "approved"
    (baseline,) = engagement.assessments.all()
    assert rating(baseline, "6.2").documentation == "missing"
    assert rating(baseline, "4.3").scale == "compliance"


def test_the_engagement_file_keeps_scales_and_links_on_a_round_trip(engagement, owner, outsider, catalogue):
    baseline = assessment(engagement, owner, scale="mixed")
    document_services.checklist_load(engagement=engagement, actor=owner)
    rate(owner, baseline, "5.2.1", documentation="missing")
    rating_services.ratings_scale_set(assessment=baseline, actor=owner, scale="compliance", clause="8.6.1")
    exported = gaps_export(engagement, people=[])
    part = GapsPart.model_validate(exported)
    gaps_check(part, survey=None)
    from certprep.gaps.tests.factories import another_engagement

    copy = another_engagement(outsider, "Copy")
    gaps_import(engagement=copy, part=part, people=[], members=[])
    (again,) = copy.assessments.all()
    assert rating(again, "8.6.1").scale == "compliance"
    assert rating(again, "8.6.2").scale == "capability"
    assert rating(again, "4.1").scale == "compliance"
    assert rating(again, "5.2.2").documentation == "missing"  # through the policy's link
    assert gaps_export(copy, people=[])["documents"] == exported["documents"]
