"""The gap-analysis journeys in Chromium: rate requirements by keyboard with instant saves, attach
evidence, generate improvement topics, read the readiness dashboard; two assessors in conflict."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from certprep.gaps.models import Assessment, Evidence, ImprovementTopic, Rating
from certprep.gaps.services.assessments import assessment_create, settings_for
from tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def iso(engagement):
    call_command("load_catalogue", verbosity=0)
    return engagement


def _rows(assessment: Assessment) -> list[Rating]:
    return list(assessment.ratings.select_related("requirement").order_by("requirement__order"))


def test_owner_rates_ten_requirements_by_keyboard_attaches_evidence_generates_topics_and_reads_the_dashboard(
    new_context, iso, owner, tmp_path
):
    engagement = iso
    page = new_context().new_page()
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/gaps/")
    shot(page, "gaps-overview-empty")
    with page.expect_navigation():
        page.get_by_role("button", name="Create assessment").click()
    assessment = Assessment.objects.get(engagement=engagement)
    expect(page.locator("#rated-count")).to_contain_text("0 of 56")
    rows = _rows(assessment)
    levels = [3, 2, 1, 0, 3, 2, 2, 1, 3, 0]
    page.locator(f"#r{rows[0].pk}").focus()
    for level in levels:
        page.keyboard.press(str(level))
        page.keyboard.press("j")
    for row in rows[:10]:
        expect(page.locator(f"#r{row.pk} .row-status")).to_have_text("Saved")
    expect(page.locator("#rated-count")).to_contain_text("10 of 56")
    # Documentation status of the 4th requirement with the keyboard: D focuses the select.
    page.locator(f"#r{rows[3].pk}").focus()
    page.keyboard.press("d")
    page.locator(f"#r{rows[3].pk} select[data-field=documentation]").select_option("missing")
    expect(page.locator(f"#r{rows[3].pk} .row-status")).to_have_text("Saved")
    shot(page, "gaps-assessment-rated-by-keyboard")
    saved = {r.requirement_id: r for r in assessment.ratings.all()}
    assert [saved[r.requirement_id].level for r in rows[:10]] == levels
    assert saved[rows[3].requirement_id].documentation == "missing"
    assert all(saved[r.requirement_id].level is None for r in rows[10:])

    # Enter opens the requirement; evidence: a link and a file.
    page.locator(f"#r{rows[3].pk}").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(rows[3].requirement.ref_id)
    page.locator("#id_url").fill("https://intranet.example.com/itsm/plan")
    page.locator("form:has(#id_url) #id_title").fill("Draft service management plan")
    with page.expect_navigation():
        page.get_by_role("button", name="Add link").click()
    proof = tmp_path / "interview-notes.pdf"
    proof.write_bytes(PDF)
    page.locator("input[type=file]").set_input_files(str(proof))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload").click()
    expect(page.locator("#evidence")).to_contain_text("Draft service management plan")
    expect(page.locator("#evidence")).to_contain_text("interview-notes.pdf")
    shot(page, "gaps-requirement-with-evidence")
    assert Evidence.objects.filter(rating__assessment=assessment).count() == 2

    page.goto(f"/e/{engagement.pk}/gaps/topics/")
    with page.expect_navigation():
        page.get_by_role("button", name="Generate topics").click()
    expect(page.locator("#topics")).to_be_visible()
    topics = ImprovementTopic.objects.filter(engagement=engagement)
    assert topics.count() >= 1
    linked = {r.pk for t in topics for r in t.ratings.all()}
    assert {r.pk for r in rows[:10] if saved[r.requirement_id].level != 3} <= linked
    expect(page.locator("#topics")).to_contain_text("High")
    shot(page, "gaps-topics-generated")

    # Split the largest topic from its page: the first of its requirements moves to a new topic.
    largest = max(topics, key=lambda t: (t.ratings.count(), -t.pk))
    held = list(largest.ratings.select_related("requirement").order_by("requirement__order"))
    assert len(held) >= 2
    page.goto(f"/e/{engagement.pk}/gaps/topics/{largest.pk}/")
    page.locator("#id_split-title").fill("Interested parties")
    split_form = page.locator("form", has=page.locator("#id_split-title"))  # the edit form lists them too
    split_form.get_by_label(str(held[0].requirement), exact=True).check()
    shot(page, "gaps-topic-split-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Split", exact=True).click()
    expect(page.locator("h1")).to_have_text("Interested parties")
    split_off = ImprovementTopic.objects.get(title="Interested parties")
    assert list(split_off.ratings.all()) == [held[0]]
    assert set(largest.ratings.all()) == set(held[1:])

    page.goto(f"/e/{engagement.pk}/gaps/readiness/")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    expect(page.locator("#stage1")).to_contain_text("Internal audit done")
    assert page.locator("svg[role=img]").count() >= 4
    shot(page, "gaps-readiness-dashboard")


def test_capability_levels_follow_the_attribute_ratings_typed_by_keyboard(new_context, iso, owner):
    engagement = iso
    gap_settings = settings_for(engagement)
    gap_settings.scale = "capability"
    gap_settings.save()
    assessment = assessment_create(
        engagement=engagement, actor=owner, name="Capability baseline", assessed_on=datetime.date(2026, 3, 1)
    )
    first = _rows(assessment)[0]
    page = new_context().new_page()
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/gaps/assessments/{assessment.pk}/")
    page.locator(f"#r{first.pk}").focus()
    for key in ("f", "l", "l"):  # PA 1.1 = F, PA 2.1 = L, PA 2.2 = L -> level 2
        page.keyboard.press(key)
    expect(page.locator(f"#r{first.pk} [data-level]")).to_have_text("2")
    expect(page.locator(f"#r{first.pk} .row-status")).to_have_text("Saved")
    page.keyboard.press("ArrowLeft")  # back to PA 2.1, lower it to P: level drops to 1
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("p")
    expect(page.locator(f"#r{first.pk} [data-level]")).to_have_text("1")
    expect(page.locator(f"#r{first.pk} .row-status")).to_have_text("Saved")
    shot(page, "gaps-capability-attributes")
    first.refresh_from_db()
    assert first.attributes == {"1.1": "F", "2.1": "P", "2.2": "L"}
    assert first.level == 1


def test_two_assessors_rating_the_same_requirement_see_a_conflict_not_an_overwrite(new_context, iso, owner):
    from certprep.engagements import services
    from certprep.engagements.tests.factories import UserFactory

    engagement = iso
    new_context.expected_statuses.add(409)  # the conflict this journey checks
    UserFactory(username="bob")
    services.member_add(
        engagement=engagement, actor=owner, user=UserFactory._meta.model.objects.get(username="bob"), role="editor"
    )
    assessment = assessment_create(
        engagement=engagement, actor=owner, name="Baseline", assessed_on=datetime.date(2026, 3, 1)
    )
    first = _rows(assessment)[0]
    olivia, bob = new_context().new_page(), new_context().new_page()
    sign_in(olivia, "olivia")
    sign_in(bob, "bob")
    for page in (olivia, bob):
        page.goto(f"/e/{engagement.pk}/gaps/assessments/{assessment.pk}/")
    olivia.locator(f"#r{first.pk} select[data-field=level]").select_option("2")
    expect(olivia.locator(f"#r{first.pk} .row-status")).to_have_text("Saved")
    bob.locator(f"#r{first.pk} select[data-field=level]").select_option("1")
    status = bob.locator(f"#r{first.pk} .row-status")
    expect(status).to_contain_text("olivia changed this requirement")
    expect(bob.locator(f"#r{first.pk} select[data-field=level]")).to_have_value("2")
    shot(bob, "gaps-conflict-second-assessor")
    first.refresh_from_db()
    assert first.level == 2
    # Bob's next change starts from Olivia's version and is saved.
    bob.locator(f"#r{first.pk} select[data-field=level]").select_option("3")
    expect(status).to_have_text("Saved")
    first.refresh_from_db()
    assert first.level == 3


def test_a_save_refused_because_the_database_was_busy_is_sent_again_with_the_same_value(new_context, iso, owner):
    """The server answers the first two saves of a row 503 (as it does when the write lock stayed taken):
    the screen says so, waits, sends the same value again, and the rating is stored."""
    engagement = iso
    assessment = assessment_create(
        engagement=engagement, actor=owner, name="Baseline", assessed_on=datetime.date(2026, 11, 2)
    )
    rows = _rows(assessment)
    new_context.expected_statuses.add(503)  # provoked on purpose below
    page = new_context().new_page()
    refused = {"count": 0}

    def busy_twice(route):
        if refused["count"] < 2:
            refused["count"] += 1
            route.fulfill(
                status=503,
                headers={"Retry-After": "1", "Content-Type": "application/json"},
                body='{"detail": "The database is busy with other changes, so this one was not saved.", '
                '"field": null, "retry": true}',
            )
        else:
            route.continue_()

    page.route("**/ratings/*/save/", busy_twice)
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/gaps/assessments/{assessment.pk}/")
    page.locator(f"#r{rows[0].pk}").focus()
    page.keyboard.press("2")
    expect(page.locator(f"#r{rows[0].pk} .row-status")).to_have_text("Saved", timeout=15_000)
    assert refused["count"] == 2
    assert assessment.ratings.get(pk=rows[0].pk).level == 2
