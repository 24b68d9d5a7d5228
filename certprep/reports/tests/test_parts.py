"""The reports' part: the engagement file carries the finished builds' records (lossless round trip, queued and
running builds left out, an inconsistent section refused before anything is written), the demo builds its pack
once, and the dashboard card shows the last build in a fixed number of queries."""

from __future__ import annotations

import copy
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certprep.core.errors import ServiceError
from certprep.engagements.models import Engagement
from certprep.engagements.transfer import engagement_export, engagement_import
from certprep.reports.gather import documents_by_key
from certprep.reports.models import ReportBuild, ReportFile
from certprep.reports.tests.world import finished_build

pytestmark = pytest.mark.django_db


def _import(document, actor):
    return engagement_import(raw=json.dumps(document).encode(), actor=actor)[0]


def test_the_finished_builds_travel_in_the_engagement_file_without_loss(engagement, owner, media):
    done = finished_build(engagement)
    ReportBuild.objects.filter(pk=done.pk).update(
        requested_by=owner,
        requested_by_label="Olivia <b>",
        started_at="2026-12-01T09:30:00Z",
        finished_at="2026-12-01T09:31:05Z",
        created_at="2026-12-01T09:29:59Z",
    )
    failed = finished_build(engagement, files=0)
    ReportBuild.objects.filter(pk=failed.pk).update(
        status="failed", message="OSError: disk full", current_step="feasibility:zh-hans:pdf"
    )
    ReportBuild.objects.create(engagement=engagement, documents=["feasibility"], languages=["en"], formats=["pdf"])
    exported = engagement_export(engagement)
    section = exported["reports"]
    assert [b["status"] for b in section["builds"]] == ["done", "failed"]  # the queued one is left out
    assert section["builds"][0]["created_at"] == "2026-12-01T09:29:59Z"
    assert section["builds"][0]["requested_by"] == "olivia"
    copy_ = _import(exported, owner)
    assert engagement_export(copy_)["reports"] == section
    imported = ReportBuild.objects.filter(engagement=copy_).order_by("created_at")
    assert imported[0].requested_by == owner
    assert not ReportFile.objects.filter(build__engagement=copy_).exists()  # records only, no files


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda b: b.update(status="running"), "only finished builds"),
        (lambda b: b.update(languages=["en", "en"]), "each once"),
        (lambda b: b.update(steps_done=b["steps_total"] + 1), "more steps done"),
    ],
)
def test_an_inconsistent_section_is_refused_before_anything_is_written(engagement, owner, media, spoil, message):
    finished_build(engagement)
    document = copy.deepcopy(engagement_export(engagement))
    spoil(document["reports"]["builds"][0])
    engagements = Engagement.objects.count()
    with pytest.raises(ServiceError) as refused:
        _import(document, owner)
    assert message in refused.value.message
    assert Engagement.objects.count() == engagements


def test_the_demo_builds_its_pack_once_in_both_languages_after_its_transaction(
    sample_parts, media, django_capture_on_commit_callbacks, monkeypatch
):
    # The build itself is proven end to end in test_build_task; here, what the demo asks for and when (building
    # the real pack of every part takes minutes on a busy machine).
    from certprep.reports import demo

    built: list[int] = []
    monkeypatch.setattr(demo, "build_run", lambda build_id: built.append(build_id))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call_command("load_demo", verbosity=0)
    demo_user = get_user_model().objects.get(username="demo")
    engagement = Engagement.objects.get(memberships__user=demo_user, memberships__role="owner")
    build = ReportBuild.objects.get(engagement=engagement)
    assert built == []  # not before the demo's transaction has committed
    for callback in callbacks:
        callback()
    assert built == [build.pk]
    assert build.documents == list(documents_by_key())
    assert "sample" in build.documents
    assert "feasibility" in build.documents
    assert build.languages == ["en", "zh-hans"]
    assert build.task_result_id == ""  # built by the demo command itself, not queued for a worker
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", verbosity=0)  # again: the pack is not built twice
    assert ReportBuild.objects.filter(engagement=engagement).count() == 1
    assert built == [build.pk]


@pytest.mark.parametrize("size", [0, 1, 5])
def test_the_dashboard_card_shows_the_last_build_in_one_query(owner_client, engagement, media, size):
    for _n in range(size):
        finished_build(engagement)
    if size:
        ReportBuild.objects.filter(pk=ReportBuild.objects.order_by("-pk").first().pk).update(status="failed")
    url = reverse("engagements:dashboard", args=[engagement.pk])
    with CaptureQueriesContext(connection) as queries:
        page = owner_client.get(url).content.decode()
    card = page.split('id="card-reports"')[1].split("</li>")[0]
    assert ("Last build: Failed," in card) if size else ("No report built yet." in card)
    assert sum("reports_reportbuild" in q["sql"] for q in queries) == 1
