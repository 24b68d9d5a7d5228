"""The decision for top management in one go, in Chromium: an owner rates the scheme, gets the rule's proposal and
overrides it with a rationale, approves the feasibility scheme as shown, changes a rating and sees the approval
marked changed since with the rating then and now, then builds the feasibility scheme, watches the progress while
the background worker writes it, and downloads the PDF, which pdftotext reads back with the decision in it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from certprep.core.tests.workers import worker_thread
from certprep.engagements import services
from certprep.organization.models import Approval
from certprep.reports.models import ReportBuild
from certprep.reports.tests.readers import pdf_text
from tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rate(page, engagement, key, score, rationale):
    page.goto(f"/e/{engagement.pk}/feasibility/ratings/{key}/")
    page.get_by_label(score, exact=True).check()
    page.get_by_label("rationale").fill(rationale)
    with page.expect_navigation():
        page.get_by_role("button", name="Save rating").click()
    expect(page.locator(".message.success")).to_contain_text("Rating saved")


def test_scheme_proposal_override_approval_change_and_the_pack(new_context, engagement, owner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    services.profile_update(
        profile=engagement.profile,
        actor=owner,
        expected_version=engagement.profile.version,
        data={"people_in_scope": 80},
    )
    page = new_context().new_page()
    sign_in(page, "olivia")

    # The scheme: two ratings, the proposal, an override with its rationale.
    _rate(page, engagement, "itil_foundation", "4 - strong", "Incident and change follow ITIL")
    _rate(page, engagement, "technical", "2 - weak", "The tool cannot record changes")
    page.goto(f"/e/{engagement.pk}/feasibility/")
    expect(page.locator("#score-value")).to_have_text("3.33")  # (4 x 2 + 2 x 1) / 3
    expect(page.locator("#proposed-outcome")).to_have_text("go with conditions")
    with page.expect_navigation():
        page.locator("#decide").click()
    page.get_by_label("no-go").check()
    page.get_by_label("rationale").fill("Wait for the new service desk tool next year.")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#decided-outcome")).to_have_text("no-go")

    # Top management approves the scheme as shown.
    page.goto(f"/e/{engagement.pk}/organization/approvals/")
    scheme = page.locator("#approval-feasibility")
    expect(scheme).to_contain_text("never approved")
    scheme.get_by_label("Approved as").fill("CEO")
    with page.expect_navigation():
        scheme.get_by_role("button", name="Approve as shown").click()
    expect(page.locator("#approval-feasibility")).to_contain_text("Approved by CEO (olivia)")
    assert Approval.objects.get(document="feasibility").approver_title == "CEO"

    # A rating changes afterwards: the approval shows it, then and now.
    _rate(page, engagement, "technical", "3 - adequate", "The tool vendor fixed change records")
    page.goto(f"/e/{engagement.pk}/organization/approvals/")
    scheme = page.locator("#approval-feasibility")
    expect(scheme.locator(".badge.critical")).to_have_text("changed since approval")
    row = scheme.locator("tr[data-key='rating:technical']")
    expect(row.locator("td").nth(0)).to_have_text("2")
    expect(row.locator("td").nth(1)).to_have_text("3")
    expect(scheme.locator("tr[data-key='score']")).to_contain_text("3.33")
    figures = scheme.locator("table.figures")
    expect(figures).to_contain_text("no-go")  # the recommendation in words, not its code
    expect(figures).not_to_contain_text("no_go")
    shot(page, "top-management-approval-changed-en")

    # The scheme as a document: built by the worker while the page shows the progress, then downloaded.
    page.goto(f"/e/{engagement.pk}/reports/")
    form = page.locator("#build-form")
    for box in form.locator("input[name='documents']").all():
        if box.get_attribute("value") != "feasibility":
            box.uncheck()
    form.get_by_label("English", exact=True).check()
    with page.expect_navigation():
        form.get_by_role("button", name="Build", exact=True).click()
    build = ReportBuild.objects.get(engagement=engagement)
    assert (build.documents, build.languages) == (["feasibility"], ["en"])
    card = page.locator(f"#build-{build.pk}")
    expect(card).to_contain_text(f"0 of {build.steps_total} files")
    worker = worker_thread()
    expect(card.locator(".build-status")).to_have_text(re.compile("Running|Done"))
    expect(card.locator(".build-status")).to_have_text("Done", timeout=180_000)
    worker.join(timeout=60)
    shot(page, "top-management-pack-en")
    with page.expect_download() as download:
        card.locator('.report-download[data-format="pdf"]').click()
    text = re.sub(r"\s+", " ", pdf_text(Path(download.value.path()).read_bytes()))
    assert "Decision brief" in text
    assert "Wait for the new service desk tool next year." in text
    assert "no-go" in text
