"""The plan's imports travel in the engagement file: a lossless round trip through the real export and import
(file name, format, time, importer among the new engagement's members, task count, what was not represented);
imports in a section without a plan are refused before anything is written."""

from __future__ import annotations

import copy
import json

import pytest

from certprep.core.errors import ServiceError
from certprep.engagements.models import Engagement
from certprep.engagements.transfer import engagement_export, engagement_import
from certprep.planning.models import PlanImport
from certprep.planning.services.plan_import import plan_import_file
from certprep.planning.tests.world import plan_world

pytestmark = pytest.mark.django_db

SAMPLE = b"""<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project"><StartDate>2026-03-02T08:00:00
</StartDate><Tasks><Task><UID>1</UID><Name>Kick-off</Name><OutlineLevel>1</OutlineLevel><Manual>1</Manual>
<Duration>PT8H0M0S</Duration></Task></Tasks></Project>"""


def _import(document, actor):
    return engagement_import(raw=json.dumps(document).encode(), actor=actor)[0]


def test_imports_travel_in_the_engagement_file(catalogue, engagement, owner):
    plan = plan_world(engagement)["plan"]
    plan_import_file(
        engagement=engagement, actor=owner, data=SAMPLE, file_name="kick-off.xml", expected_version=plan.version
    )
    exported = engagement_export(engagement)
    section = exported["plan"]
    assert [(i["file_name"], i["format"], i["task_count"], i["imported_by"]) for i in section["imports"]] == [
        ("kick-off.xml", "mspdi", 1, "olivia")
    ]
    assert section["imports"][0]["unrepresented"] == [
        "Kick-off: manually scheduled; imported as scheduled automatically."
    ]
    copied = _import(exported, owner)
    assert engagement_export(copied)["plan"] == section
    item = PlanImport.objects.get(plan__engagement=copied)
    assert item.imported_by == owner
    assert item.imported_at == PlanImport.objects.get(plan__engagement=engagement).imported_at


def test_imports_without_a_plan_are_refused_and_nothing_is_kept(catalogue, engagement, owner):
    plan = plan_world(engagement)["plan"]
    plan_import_file(engagement=engagement, actor=owner, data=SAMPLE, file_name="k.xml", expected_version=plan.version)
    damaged = copy.deepcopy(engagement_export(engagement))
    damaged["plan"].update(plan=None, tasks=[], dependencies=[], baselines=[], bookings=[], risk_runs=[])
    count = Engagement.objects.count()
    with pytest.raises(ServiceError, match="imported files without a plan"):
        _import(damaged, owner)
    assert Engagement.objects.count() == count
