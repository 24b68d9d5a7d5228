"""The report pack in Chromium: an owner asks for the whole pack in both languages, watches the progress move while
the background worker (django-tasks-db's db_worker, running beside the live server) writes it, and downloads a
PDF, which pdftotext reads back; the page in Chinese; the page on a 390 px phone in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from certprep.core.tests.workers import worker_thread
from certprep.reports.models import ReportBuild
from certprep.reports.tests.readers import pdf_text
from certprep.reports.tests.world import finished_build
from tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_owner_builds_the_pack_watches_the_progress_and_downloads_a_pdf(new_context, engagement, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = new_context().new_page()
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/")
    with page.expect_navigation():
        page.locator(".sidebar").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
    expect(page.locator("#document-feasibility")).to_contain_text("Word")
    expect(page.locator("#document-budget")).to_contain_text("Excel")
    expect(page.locator("#no-builds")).to_be_visible()
    # The whole pack (every report is ticked) in English and Chinese (the default).
    with page.expect_navigation():
        page.get_by_role("button", name="Build", exact=True).click()
    expect(page.locator(".message.success")).to_contain_text("Build queued")
    build = ReportBuild.objects.get(engagement=engagement)
    total = build.steps_total
    card = page.locator(f"#build-{build.pk}")
    expect(card.locator(".build-status")).to_have_text("Queued")
    expect(card).to_contain_text(f"0 of {total} files")

    worker = worker_thread()
    # The card is polled every 2 s: the progress moves (some files written, the step being written named) ...
    expect(card.locator(".progress-text")).to_have_text(re.compile(rf"^[1-9]\d* of {total} files · writing .+, "))
    expect(card.locator(".build-status")).to_have_text("Running")
    shot(page, "reports-progress-en")
    # ... and stops once the build is done, with its files listed.
    expect(card.locator(".build-status")).to_have_text("Done", timeout=180_000)
    worker.join(timeout=60)
    expect(card.locator(".report-download")).to_have_count(total)
    expect(card.locator("progress")).to_have_count(0)
    shot(page, "reports-done-en")

    pdf = card.locator('.report-download[data-format="pdf"][data-language="en"]').last
    with page.expect_download() as download:
        pdf.click()
    assert download.value.suggested_filename == "certification-feasibility-scheme-en.pdf"
    text = pdf_text(Path(download.value.path()).read_bytes())
    assert "Certification feasibility scheme" in text
    assert "Client A Ltd" in text

    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")
    expect(page.get_by_role("heading", name="报告", exact=True)).to_be_visible()
    expect(card.locator(".build-status")).to_have_text("已完成")
    expect(page.locator("#build-form")).to_contain_text("英文和中文")
    shot(page, "reports-zh")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_reports_page_fits_a_390_px_phone(new_context, engagement, settings, tmp_path, language):
    settings.MEDIA_ROOT = tmp_path / "media"
    finished_build(engagement, files=3)
    running = finished_build(engagement, files=1)
    ReportBuild.objects.filter(pk=running.pk).update(
        status="failed", message="OSError: No space left on device", current_step="feasibility:zh-hans:pdf"
    )
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in(page, "olivia")
    if language != "en":
        with page.expect_navigation():
            page.locator("#language-select").select_option(language)
    page.goto(f"/e/{engagement.pk}/reports/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen"
    shot(page, f"reports-mobile-{language}")
