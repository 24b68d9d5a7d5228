"""The reports page: the documents on offer with their formats, building (editors only), the builds newest first
with progress and files, the polled partial, deleting with the version read, downloads checked every time; the
same queries whatever the number of builds and files; outsiders get 404 for the page, a build and a file."""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from certprep.engagements import services
from certprep.engagements.tests.factories import UserFactory
from certprep.reports.models import ReportBuild
from certprep.reports.tests.world import finished_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer_client(client, engagement, owner):
    viewer = UserFactory(username="vera")
    services.member_add(engagement=engagement, actor=owner, user=viewer, role="viewer")
    client.force_login(viewer)
    return client


def _page(client, engagement, **headers):
    return client.get(reverse("reports:overview", args=[engagement.pk]), **headers)


def test_an_editor_sees_the_documents_and_builds_the_whole_pack_in_both_languages(
    owner_client, engagement, sample_parts, django_capture_on_commit_callbacks
):
    page = _page(owner_client, engagement).content.decode()
    offered = page.split('id="report-documents"')[1].split("</ul>")[0]
    sample = offered.split('id="document-sample"')[1].split("</li>")[0]
    assert [label in sample for label in ("Word", "PDF", "Excel")] == [True, True, True]  # tabular
    brief = offered.split('id="document-sample_brief"')[1].split("</li>")[0]
    assert "Word" in brief
    assert "Excel" not in brief
    assert 'id="build-form"' in page
    assert 'id="no-builds"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("reports:overview", args=[engagement.pk]),
            {"documents": ["sample", "sample_brief"], "language": "both"},
        )
    assert response.status_code == 302
    build = ReportBuild.objects.get(engagement=engagement)
    assert (build.documents, build.languages, build.status, build.steps_total) == (
        ["sample", "sample_brief"],
        ["en", "zh-hans"],
        "queued",
        10,
    )
    assert DBTaskResult.objects.filter(id=build.task_result_id, status="READY").exists()
    page = _page(owner_client, engagement).content.decode()
    card = page.split(f'id="build-{build.pk}"')[1].split("</li>")[0]
    assert "Queued" in card
    assert "0 of 10 files" in card
    assert f'hx-get="{reverse("reports:build", args=[engagement.pk, build.pk])}"' in page
    assert 'hx-trigger="every 2s"' in page


def test_a_build_of_chosen_documents_in_chinese_only(owner_client, engagement, sample_parts):
    owner_client.post(
        reverse("reports:overview", args=[engagement.pk]), {"documents": ["sample_brief"], "language": "zh-hans"}
    )
    build = ReportBuild.objects.get(engagement=engagement)
    assert (build.documents, build.languages, build.steps_total) == (["sample_brief"], ["zh-hans"], 2)


def test_a_form_without_a_document_builds_nothing(owner_client, engagement, sample_parts):
    response = owner_client.post(reverse("reports:overview", args=[engagement.pk]), {"language": "en"})
    assert response.status_code == 200
    assert "Choose a report." in response.content.decode()
    assert not ReportBuild.objects.exists()


def test_a_viewer_sees_and_downloads_but_cannot_build_or_delete(viewer_client, engagement, sample_parts, media):
    build = finished_build(engagement)
    page = _page(viewer_client, engagement).content.decode()
    assert 'id="report-documents"' in page
    assert 'id="build-form"' not in page
    assert "Delete this build" not in page
    report = build.files.get()
    assert viewer_client.get(reverse("reports:file", args=[engagement.pk, report.pk])).status_code == 200
    refused = viewer_client.post(
        reverse("reports:overview", args=[engagement.pk]), {"documents": ["sample"], "language": "en"}
    )
    assert refused.status_code == 403
    gone = viewer_client.post(
        reverse("reports:build_delete", args=[engagement.pk, build.pk]), {"expected_version": build.version}
    )
    assert gone.status_code == 403
    assert ReportBuild.objects.count() == 1


def test_a_download_streams_the_stored_file_as_an_attachment(owner_client, engagement, media):
    build = finished_build(engagement, data=b"%PDF-1.7 the pack")
    report = build.files.get()
    response = owner_client.get(reverse("reports:file", args=[engagement.pk, report.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 the pack"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="doc0-en.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_outsider_gets_404_for_the_page_a_build_and_a_file(outsider_client, engagement, media):
    build = finished_build(engagement)
    report = build.files.get()
    for url in (
        reverse("reports:overview", args=[engagement.pk]),
        reverse("reports:build", args=[engagement.pk, build.pk]),
        reverse("reports:file", args=[engagement.pk, report.pk]),
    ):
        assert outsider_client.get(url).status_code == 404, url
    delete = outsider_client.post(
        reverse("reports:build_delete", args=[engagement.pk, build.pk]), {"expected_version": 1}
    )
    assert delete.status_code == 404
    assert ReportBuild.objects.filter(pk=build.pk).exists()


def test_a_file_of_another_engagement_is_404_even_through_ones_own_engagement(client, engagement, outsider, media):
    build = finished_build(engagement)
    own = outsider.memberships.get().engagement
    client.force_login(outsider)
    response = client.get(reverse("reports:file", args=[own.pk, build.files.get().pk]))
    assert response.status_code == 404
    response = client.get(reverse("reports:build", args=[own.pk, build.pk]))
    assert response.status_code == 404


def test_deleting_a_build_removes_its_files_and_a_stale_version_is_refused(
    owner_client, engagement, media, django_capture_on_commit_callbacks
):
    build = finished_build(engagement)
    stored = build.files.get().file.path
    url = reverse("reports:build_delete", args=[engagement.pk, build.pk])
    stale = owner_client.post(url, {"expected_version": build.version + 1}, follow=True)
    assert "Someone else changed this build" in stale.content.decode()
    assert ReportBuild.objects.filter(pk=build.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = owner_client.post(url, {"expected_version": build.version}, follow=True)
    assert "Build deleted with its files." in done.content.decode()
    assert not ReportBuild.objects.filter(pk=build.pk).exists()
    assert not os.path.exists(stored)


def test_the_polled_partial_stops_polling_once_the_build_is_finished(owner_client, engagement, media):
    build = finished_build(engagement)
    ReportBuild.objects.filter(pk=build.pk).update(
        status="running",
        steps_done=1,
        steps_total=4,
        current_step="sample_brief:zh-hans:pdf",
        heartbeat_at=timezone.now(),  # its worker alive (test_recovery*.py: one that stopped)
    )
    url = reverse("reports:build", args=[engagement.pk, build.pk])
    running = owner_client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in running
    assert '<progress max="4" value="1"' in running
    assert "1 of 4 files" in running
    assert "writing sample_brief, Simplified Chinese, PDF" in running  # no part declares it in this test
    ReportBuild.objects.filter(pk=build.pk).update(status="done", steps_done=4, current_step="")
    done = owner_client.get(url).content.decode()
    assert "hx-trigger" not in done
    assert "doc0-en.pdf" not in done  # files are listed by report, language and format, linked
    assert reverse("reports:file", args=[engagement.pk, build.files.get().pk]) in done


def test_the_page_in_chinese(owner_client, engagement, sample_parts, media):
    build = finished_build(engagement)
    ReportBuild.objects.filter(pk=build.pk).update(
        status="failed", message="OSError: disk", current_step="sample:zh-hans:pdf"
    )
    page = _page(owner_client, engagement, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "生成报告" in page
    assert "英文和中文" in page
    assert "失败" in page
    assert "生成在写入 预算，简体中文，PDF 时中止。" in page


@pytest.mark.parametrize("size", [1, 6])
def test_the_page_reads_the_same_queries_at_two_sizes(owner_client, engagement, sample_parts, media, size):
    for _n in range(size):
        finished_build(engagement, files=size)
    with CaptureQueriesContext(connection) as queries:
        page = _page(owner_client, engagement).content.decode()
    assert page.count('class="report-download"') == size * size
    # session, user, membership, builds, files (the page's documents are declared in code, not read)
    assert len(queries) == 5, [q["sql"] for q in queries]
