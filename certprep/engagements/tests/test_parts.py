"""The engagement app goes through the declared parts (certprep/core/parts.py): the engagement file, the
dashboard, the demo. A part declared in settings takes part; one left out is not there."""

from __future__ import annotations

import copy
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from certprep.core.errors import ServiceError
from certprep.core.parts import engagement_parts
from certprep.engagements.models import Engagement
from certprep.engagements.tests import notes_part
from certprep.engagements.transfer import engagement_export, engagement_import

pytestmark = pytest.mark.django_db

SHIPPED = ["certprep.people.parts", "certprep.survey.parts", "certprep.responsibilities.parts", "certprep.gaps.parts"]
WITH_NOTES = [*SHIPPED, "certprep.engagements.tests.notes_part"]


def _comparable(document):
    document = copy.deepcopy(document)
    document.pop("exported_at")
    document["audit"] = []  # the history plus one entry for the import
    document["members"] = []  # the importer alone
    return document


def test_the_shipped_parts_are_in_the_order_of_the_preparation():
    keys = ["people", "survey", "matrix", "gaps", "plan", "vendors", "budget", "organization", "feasibility", "reports"]
    assert [part.key for part in engagement_parts()] == keys


def test_the_demo_engagement_file_keeps_its_sections_and_survives_a_round_trip():
    call_command("load_demo", verbosity=0)
    demo = get_user_model().objects.get(username="demo")
    engagement = Engagement.objects.get(memberships__user=demo)
    exported = engagement_export(engagement)
    # The sections of certprep.engagement/1 files, as written before the parts existed, and those of the plan, the
    # vendors, the budget, the project organization, the feasibility scheme and the reports.
    assert sorted(exported) == [
        "audit", "budget", "engagement", "exported_at", "feasibility", "format", "gaps", "matrix", "members",
        "organization", "plan", "profile", "reports", "survey", "vendors",
    ]  # fmt: skip
    assert len(exported["survey"]["people"]) == 18
    assert len(exported["matrix"]["activities"]) == 88
    assert len(exported["gaps"]["assessments"]) == 2
    imported, _suggested = engagement_import(raw=json.dumps(exported).encode(), actor=demo)
    again = engagement_export(imported)
    # Only the importer is matched as a user: the ratings another member assessed come back without assessor.
    expected = _comparable(exported)
    others = 0
    for assessment in expected["gaps"]["assessments"]:
        for rating in assessment["ratings"]:
            if rating["owner"] not in (None, "demo"):
                rating["owner"] = None
                others += 1
    assert others > 0
    assert _comparable(again) == expected


def test_a_part_declared_in_settings_exports_checks_imports_and_loads_its_demo(engagement, owner):
    notes_part.WRITTEN.clear()
    with override_settings(CERTPREP_ENGAGEMENT_PARTS=WITH_NOTES):
        exported = engagement_export(engagement)
        assert exported["plan"] == {"note": "plan for Client A preparation"}
        imported, _suggested = engagement_import(raw=json.dumps(exported).encode(), actor=owner)
        # Its check ran before its load and handed over what the load took.
        assert notes_part.WRITTEN == [
            ("Client A preparation", "plan for Client A preparation", "PLAN FOR CLIENT A PREPARATION")
        ]
        assert engagement_export(imported)["plan"] == exported["plan"]

        exported["plan"]["note"] = "a forbidden plan"
        before = Engagement.objects.count()
        with pytest.raises(ServiceError, match="The plan's note is refused"):
            engagement_import(raw=json.dumps(exported).encode(), actor=owner)
        assert Engagement.objects.count() == before  # refused before anything was written

        exported["plan"] = {"note": "x", "extra": 1}
        with pytest.raises(ServiceError, match=r"field plan\.extra"):
            engagement_import(raw=json.dumps(exported).encode(), actor=owner)

        notes_part.DEMOS.clear()
        call_command("load_demo", verbosity=0)
        assert notes_part.DEMOS == ["Harbourline IT - ISO/IEC 20000-1 certification"]


def test_a_section_of_a_part_not_declared_is_refused_and_a_missing_one_imports_as_empty(engagement, owner):
    with override_settings(CERTPREP_ENGAGEMENT_PARTS=WITH_NOTES):
        with_plan = engagement_export(engagement)
    with pytest.raises(ServiceError, match="field plan"):
        engagement_import(raw=json.dumps(with_plan).encode(), actor=owner)
    with override_settings(CERTPREP_ENGAGEMENT_PARTS=SHIPPED[:2]):
        survey_only = engagement_export(engagement)
        assert "matrix" not in survey_only
        assert "gaps" not in survey_only
    imported, _suggested = engagement_import(raw=json.dumps(survey_only).encode(), actor=owner)
    assert engagement_export(imported)["gaps"] == {"settings": None, "assessments": [], "topics": [], "documents": []}


def test_the_dashboard_and_the_menu_show_a_step_per_declared_part(owner_client, engagement):
    url = reverse("engagements:dashboard", args=[engagement.pk])
    with override_settings(CERTPREP_ENGAGEMENT_PARTS=SHIPPED[:4]):  # the parts before the plan's
        body = owner_client.get(url).content.decode()
        for text in ("No campaign yet.", "0 activities and 0 roles", "No assessment yet."):
            assert text in body
        assert "The implementation plan" not in body
    with override_settings(CERTPREP_ENGAGEMENT_PARTS=[*SHIPPED[:3], "certprep.engagements.tests.notes_part"]):
        body = owner_client.get(url).content.decode()
        assert "No campaign yet." in body
        assert "0 activities and 0 roles" in body
        assert "No assessment yet." not in body  # the gap analysis is not declared
        assert "Notes of the plan" in body  # the declared part's menu step
    body = owner_client.get(url).content.decode()
    for label in ("Plan", "Budget", "Project organization", "Feasibility scheme", "Reports"):
        assert f">{label}</a>" in body, label


def test_a_module_without_a_part_or_a_key_taken_twice_is_a_configuration_error():
    no_part = override_settings(CERTPREP_ENGAGEMENT_PARTS=["certprep.engagements.transfer"])
    with no_part, pytest.raises(ImproperlyConfigured, match="certprep.engagements.transfer declares no `part`"):
        engagement_parts()
    twice = override_settings(CERTPREP_ENGAGEMENT_PARTS=[*SHIPPED, "certprep.gaps.parts"])
    with twice, pytest.raises(ImproperlyConfigured, match="Two engagement parts have the key 'gaps'"):
        engagement_parts()
