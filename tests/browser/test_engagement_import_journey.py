"""Importing an engagement file in Chromium: the upload is queued and its status page says so, the background
worker (django-tasks-db's worker beside the live server) imports it, and the page, which asks again every 2 s,
shows it done with the link to the new engagement; a file the worker refuses shows why and where, nothing
imported. The status page on a 390 px phone in en and zh."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from certprep.core.tests.workers import worker_thread
from certprep.engagements import services
from certprep.engagements.models import Engagement, EngagementImport
from certprep.engagements.tests.factories import UserFactory
from certprep.engagements.transfer import engagement_export
from tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def export_file(engagement, owner, tmp_path) -> Path:
    services.member_add(
        engagement=engagement, actor=owner, user=UserFactory(username="qm", email="qm@a.example"), role="editor"
    )
    path = tmp_path / "client-a.json"
    path.write_text(json.dumps(engagement_export(engagement)), encoding="utf-8")
    return path


def _upload(page: Page, path: Path, button: str = "Import") -> None:
    page.goto("/engagements/import/")
    page.locator("input[type=file]").set_input_files(str(path))
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def test_an_upload_is_queued_then_imported_by_the_worker_and_the_page_links_the_engagement(
    new_context, export_file, media
):
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, "olivia")
    _upload(page, export_file)
    job = EngagementImport.objects.get()
    assert page.url.endswith(f"/engagements/imports/{job.pk}/")
    status = page.locator("#import-status")
    expect(status).to_have_attribute("data-status", "queued")
    expect(status).to_contain_text("Waiting for the background worker to start it.")
    shot(page, "engagement-import-queued-phone-en")

    worker = worker_thread()
    expect(status).to_have_attribute("data-status", "done", timeout=60_000)  # the page asked again by itself
    worker.join(timeout=60)
    expect(status).to_contain_text("Engagement imported. You are its owner.")
    expect(status).to_contain_text("The file names 1 other member.")
    shot(page, "engagement-import-done-phone-en")
    copy = EngagementImport.objects.get().engagement
    assert copy is not None
    assert not list(media.rglob("*.json"))  # the waiting file removed

    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")
    expect(status).to_contain_text("认证项目已导入，您是其负责人。")
    shot(page, "engagement-import-done-phone-zh")
    with page.expect_navigation():
        status.locator("#imported-engagement").click()
    assert page.url.endswith(f"/e/{copy.pk}/")


def test_a_file_the_worker_refuses_shows_why_and_where_in_chinese(new_context, export_file, media):
    document = json.loads(export_file.read_text(encoding="utf-8"))
    document["profile"]["existing_certifications"] = ["iso99999"]
    export_file.write_text(json.dumps(document), encoding="utf-8")
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, "olivia")
    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")
    _upload(page, export_file, button="导入")
    status = page.locator("#import-status")
    expect(status).to_have_attribute("data-status", "queued")
    shot(page, "engagement-import-queued-phone-zh")
    worker = worker_thread()
    expect(status).to_have_attribute("data-status", "failed", timeout=60_000)
    worker.join(timeout=60)
    expect(status.get_by_role("alert")).to_contain_text("未导入任何内容。文件不是 certprep 认证项目导出文件")
    expect(status.get_by_role("alert")).to_contain_text("profile.existing_certifications")
    shot(page, "engagement-import-failed-phone-zh")
    assert Engagement.objects.filter(name="Client A preparation").count() == 1
