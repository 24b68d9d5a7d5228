"""The gap-analysis pages as people use them: who sees what (members, viewers, outsiders), the instant save of
the assessment screen, the requirement page, evidence, improvement topics, the documented-information checklist
and the readiness dashboard; user text is escaped everywhere."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from certprep.engagements.models import Engagement
from certprep.gaps.models import Assessment, DocumentItem, Evidence, GapSettings, ImprovementTopic
from certprep.gaps.services import documents as document_services
from certprep.gaps.services import ratings as rating_services
from certprep.gaps.services import topics as topic_services
from certprep.gaps.tests.factories import (
    EXE,
    PDF,
    assessment,
    member,
    rate,
    rating,
    survey_answers,
)
from certprep.survey.tests.factories import person

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def world(engagement, owner, catalogue, media) -> dict[str, Any]:
    """A baseline with 8.6.1 rated below target, file evidence on it, a topic and the checklist."""
    baseline = assessment(engagement, owner)
    rated = rate(owner, baseline, "8.6.1", level=1, documentation="missing")
    evidence = rating_services.evidence_add_file(
        rating=rated, actor=owner, upload=SimpleUploadedFile("proof.pdf", PDF), title="Proof"
    )
    topic = topic_services.topic_create(engagement=engagement, actor=owner, title="Improve incidents", ratings=[rated])
    document_services.checklist_load(engagement=engagement, actor=owner)
    item = DocumentItem.objects.get(engagement=engagement, key="sms-scope")
    return {"assessment": baseline, "rating": rated, "evidence": evidence, "topic": topic, "item": item}


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def viewer_client(engagement, owner):
    return signed_in(member(engagement, owner, "vera", "viewer"))


def url(name: str, engagement: Engagement, *args: Any) -> str:
    return reverse(f"gaps:{name}", args=[engagement.pk, *args])


Urls = dict[str, Callable[[Engagement, dict[str, Any]], str]]

READ_PAGES: Urls = {
    "overview": lambda e, w: url("overview", e),
    "settings": lambda e, w: url("settings", e),
    "assessment": lambda e, w: url("assessment", e, w["assessment"].pk),
    "assessment filtered": lambda e, w: url("assessment", e, w["assessment"].pk) + "?clause=8.6&rating=gap&owner=me",
    "rating": lambda e, w: url("rating", e, w["rating"].pk),
    "topics": lambda e, w: url("topics", e),
    "documents": lambda e, w: url("documents", e),
    "dashboard": lambda e, w: url("dashboard", e),
    "download": lambda e, w: url("evidence_download", e, w["evidence"].pk),
}
EDITOR_PAGES: Urls = {
    "assessment_edit": lambda e, w: url("assessment_edit", e, w["assessment"].pk),
    "topic_create": lambda e, w: url("topic_create", e),
    "topic_edit": lambda e, w: url("topic_edit", e, w["topic"].pk),
}
WRITES: dict[str, tuple[Callable[[Engagement, dict[str, Any]], str], Callable[[dict[str, Any]], dict[str, Any]]]] = {
    "assessment_create": (
        lambda e, w: url("assessment_create", e),
        lambda w: {"name": "Again", "assessed_on": "2025-05-01"},
    ),
    "assessment_edit": (
        lambda e, w: url("assessment_edit", e, w["assessment"].pk),
        lambda w: {"expected_version": 1, "name": "Renamed", "assessed_on": "2025-05-01", "default_target": 2},
    ),
    "assessment_status": (lambda e, w: url("assessment_status", e, w["assessment"].pk), lambda w: {"status": "closed"}),
    "assessment_delete": (
        lambda e, w: url("assessment_delete", e, w["assessment"].pk),
        lambda w: {"confirm": "Baseline"},
    ),
    "assessment_sync": (lambda e, w: url("assessment_sync", e, w["assessment"].pk), lambda w: {}),
    "settings": (
        lambda e, w: url("settings", e),
        lambda w: {"expected_version": 1, "scale": "capability", "default_target": 3},
    ),
    "topics_generate": (lambda e, w: url("topics_generate", e, w["assessment"].pk), lambda w: {"grouping": "process"}),
    "rating": (
        lambda e, w: url("rating", e, w["rating"].pk),
        lambda w: {"expected_version": w["rating"].version, "level": 3, "notes": "Changed"},
    ),
    "rating_save": (
        lambda e, w: url("rating_save", e, w["rating"].pk),
        lambda w: {"version": w["rating"].version, "level": "3"},
    ),
    "evidence_add": (
        lambda e, w: url("evidence_add", e, w["rating"].pk, "link"),
        lambda w: {"url": "https://wiki.example/x"},
    ),
    "evidence_delete": (lambda e, w: url("evidence_delete", e, w["evidence"].pk), lambda w: {}),
    "suggestion": (lambda e, w: url("suggestion", e, w["rating"].pk), lambda w: {"key": "x:1", "decision": "dismiss"}),
    "topic_create": (lambda e, w: url("topic_create", e), lambda w: {"title": "New", "status": "open"}),
    "topic_edit": (
        lambda e, w: url("topic_edit", e, w["topic"].pk),
        lambda w: {"expected_version": 1, "title": "Renamed", "status": "open"},
    ),
    "topic_merge": (lambda e, w: url("topic_merge", e), lambda w: {"topics": [w["topic"].pk]}),
    "topic_split": (
        lambda e, w: url("topic_split", e, w["topic"].pk),
        lambda w: {"split-expected_version": 1, "split-title": "Split", "split-ratings": [w["rating"].pk]},
    ),
    "topic_delete": (lambda e, w: url("topic_delete", e, w["topic"].pk), lambda w: {}),
    "documents_load": (lambda e, w: url("documents_load", e), lambda w: {}),
    "document_create": (lambda e, w: url("document_create", e), lambda w: {"name": "New item", "kind": "record"}),
    "document_save": (
        lambda e, w: url("document_save", e, w["item"].pk),
        lambda w: {f"d{w['item'].pk}-expected_version": 1, f"d{w['item'].pk}-status": "approved"},
    ),
    "document_delete": (lambda e, w: url("document_delete", e, w["item"].pk), lambda w: {}),
}


def fingerprint(engagement: Engagement, w: dict[str, Any]) -> tuple[Any, ...]:
    """What a refused write must leave as it was."""
    found = rating(w["assessment"], "8.6.1")
    stored = Assessment.objects.get(pk=w["assessment"].pk)
    return (
        Assessment.objects.filter(engagement=engagement).count(),
        (stored.name, stored.status, stored.version),
        (found.level, found.notes, found.version),
        Evidence.objects.count(),
        list(ImprovementTopic.objects.values_list("pk", "title", "version")),
        list(DocumentItem.objects.filter(engagement=engagement).values_list("pk", "status", "version")),
        engagement.gap_settings.version,
    )


# --- who sees what ------------------------------------------------------------------------------------------


def statuses(client: Client, engagement: Engagement, w: dict[str, Any], pages: Urls) -> dict[str, int]:
    return {page: client.get(address(engagement, w)).status_code for page, address in pages.items()}


def test_every_page_renders_for_a_member_and_is_not_found_for_an_outsider(owner, outsider, engagement, world):
    pages = {**READ_PAGES, **EDITOR_PAGES}
    assert statuses(signed_in(owner), engagement, world, pages) == dict.fromkeys(pages, 200)
    assert statuses(signed_in(outsider), engagement, world, pages) == dict.fromkeys(pages, 404)


def test_a_viewer_reads_every_page_but_not_the_edit_pages(viewer_client, engagement, world):
    assert statuses(viewer_client, engagement, world, READ_PAGES) == dict.fromkeys(READ_PAGES, 200)
    assert statuses(viewer_client, engagement, world, EDITOR_PAGES) == dict.fromkeys(EDITOR_PAGES, 403)


def test_every_write_is_forbidden_to_a_viewer_and_not_found_for_an_outsider(viewer_client, outsider, engagement, world):
    outsider_client = signed_in(outsider)
    before = fingerprint(engagement, world)
    refused = {}
    for write, (address, data) in WRITES.items():
        refused[write] = (
            viewer_client.post(address(engagement, world), data(world)).status_code,
            outsider_client.post(address(engagement, world), data(world)).status_code,
        )
    assert refused == dict.fromkeys(WRITES, (403, 404))
    assert fingerprint(engagement, world) == before


def test_only_an_owner_deletes_an_assessment_and_only_with_its_name(engagement, owner, owner_client, world):
    editor_client = signed_in(member(engagement, owner, "eddie", "editor"))
    address = url("assessment_delete", engagement, world["assessment"].pk)
    assert editor_client.post(address, {"confirm": "Baseline"}).status_code == 403
    owner_client.post(address, {"confirm": "baseline"})
    assert Assessment.objects.filter(pk=world["assessment"].pk).exists()
    response = owner_client.post(address, {"confirm": "Baseline"}, follow=True)
    assert "Assessment deleted." in response.content.decode()
    assert not Assessment.objects.filter(pk=world["assessment"].pk).exists()


def test_a_viewer_sees_the_screen_without_edit_controls(viewer_client, owner_client, engagement, world):
    address = url("assessment", engagement, world["assessment"].pk)
    page = viewer_client.get(address).content.decode()
    assert 'data-field="level"' in page
    assert page.count(" disabled>") >= 56
    assert "Close assessment" not in page
    assert "Import from Excel" not in page
    editable = owner_client.get(address).content.decode()
    assert "Close assessment" in editable
    assert " disabled>" not in editable


# --- the assessment screen ------------------------------------------------------------------------------


def test_the_screen_lists_every_requirement_and_filters_them(owner_client, engagement, world):
    address = url("assessment", engagement, world["assessment"].pk)
    page = owner_client.get(address).content.decode()
    assert page.count('class="rating-row') == 56
    assert "1 of 56 requirements rated" in page
    filtered = owner_client.get(address, {"process": "incident"}).content.decode()
    assert filtered.count('class="rating-row') == 2
    assert f'id="r{world["rating"].pk}"' in filtered


def test_the_clause_filter_offers_the_clauses_in_the_standards_order(owner_client, engagement, world):
    page = owner_client.get(url("assessment", engagement, world["assessment"].pk)).content.decode()
    select = page.split('id="f-clause"')[1].split("</select>")[0]
    offered = [part.split('"')[0] for part in select.split('<option value="')[2:]]
    assert offered == ["4", "5", "6", "7", "8", "9", "10"]


def test_creating_an_assessment_from_the_overview(owner_client, engagement, world):
    response = owner_client.post(
        url("assessment_create", engagement),
        {"name": "Reassessment 1", "assessed_on": "2025-06-01", "based_on": world["assessment"].pk},
    )
    made = Assessment.objects.get(name="Reassessment 1")
    assert response.status_code == 302
    assert response["Location"] == url("assessment", engagement, made.pk)
    assert made.kind == "reassessment"
    assert rating(made, "8.6.1").level == 1


def test_creating_an_assessment_without_a_name_keeps_what_was_typed(owner_client, engagement, world):
    response = owner_client.post(url("assessment_create", engagement), {"name": "", "assessed_on": "2025-06-01"})
    assert response.status_code == 400
    assert 'value="2025-06-01"' in response.content.decode()
    assert Assessment.objects.count() == 1


# --- instant save (JSON) --------------------------------------------------------------------------------


def save(client: Client, engagement: Engagement, rating_pk: int, **data: Any) -> Any:
    return client.post(url("rating_save", engagement, rating_pk), data)


def test_an_instant_save_answers_with_the_new_state(owner_client, engagement, world):
    found = rating(world["assessment"], "8.6.2")
    response = save(owner_client, engagement, found.pk, version=1, level="2")
    assert response.status_code == 200
    assert response.json() == {
        "id": found.pk,
        "version": 2,
        "level": 2,
        "level_label": "2 Defined but inconsistent",
        "attributes": {},
        "target": None,
        "effective_target": 3,
        "gap": 1,
        "points": 1,
        "priority": "low",
        "priority_label": "Low",
        "weight": 1,
        "linked_documentation": {},
        "documentation": "",
        "owner": None,
    }
    assert rating(world["assessment"], "8.6.2").level == 2


def test_an_instant_save_of_documentation_target_and_assessor(owner, owner_client, engagement, world):
    found = rating(world["assessment"], "8.6.2")
    assert save(owner_client, engagement, found.pk, version=1, documentation="draft").json()["documentation"] == "draft"
    assert save(owner_client, engagement, found.pk, version=2, target="2").json()["effective_target"] == 2
    reply = save(owner_client, engagement, found.pk, version=3, owner=str(owner.pk)).json()
    assert (reply["owner"], reply["version"]) == (owner.pk, 4)
    assert save(owner_client, engagement, found.pk, version=4, target="").json()["effective_target"] == 3


def test_an_instant_save_of_an_attribute_derives_the_capability_level(owner, owner_client, engagement, catalogue):
    made = assessment(engagement, owner, scale="capability")
    found = rating(made, "8.6.1")
    response = save(owner_client, engagement, found.pk, version=1, attr="1.1", value="f")
    assert response.status_code == 200
    assert (response.json()["attributes"], response.json()["level"], response.json()["level_label"]) == (
        {"1.1": "F"},
        1,
        "1 Performed",
    )


def test_a_stale_instant_save_is_refused_with_the_other_persons_values(engagement, owner, owner_client, world):
    editor = member(engagement, owner, "eddie", "editor")
    rate(editor, world["assessment"], "8.6.2", level=3, documentation="controlled")
    found = rating(world["assessment"], "8.6.2")
    response = save(owner_client, engagement, found.pk, version=1, level="1")
    assert response.status_code == 409
    body = response.json()
    assert sorted(body) == ["current", "detail", "field"]  # the API's error shape, with the row as stored
    assert body["field"] is None
    assert "eddie" in body["detail"]
    assert "not saved" in body["detail"]
    assert (body["current"]["level"], body["current"]["documentation"], body["current"]["version"]) == (
        3,
        "approved",
        2,
    )
    assert rating(world["assessment"], "8.6.2").level == 3


def test_a_stale_instant_save_of_what_is_stored_already_succeeds(engagement, owner, owner_client, world):
    editor = member(engagement, owner, "eddie", "editor")
    rate(editor, world["assessment"], "8.6.2", level=2)
    found = rating(world["assessment"], "8.6.2")
    response = save(owner_client, engagement, found.pk, version=1, level="2")
    assert response.status_code == 200
    assert (response.json()["level"], response.json()["version"]) == (2, 2)
    assert rating(world["assessment"], "8.6.2").version == 2


def test_an_instant_save_of_a_bad_value_is_a_400(owner_client, engagement, world):
    found = rating(world["assessment"], "8.6.2")
    cases = [
        ({"level": "7"}, "level"),
        ({"level": "two"}, "level"),
        ({"target": "9"}, "target"),
        ({"documentation": "lost"}, "documentation"),
        ({"attr": "1.1", "value": "F"}, "attributes"),  # a compliance assessment has no attributes
        ({"notes": "x" * 20_001}, "notes"),
    ]
    replies = [save(owner_client, engagement, found.pk, version=1, **data) for data, _field in cases]
    assert [(r.status_code, r.json()["field"]) for r in replies] == [(400, field) for _data, field in cases]
    assert all(r.json()["current"]["version"] == 1 and r.json()["detail"] for r in replies)
    assert rating(world["assessment"], "8.6.2").version == 1


def test_an_instant_save_on_a_closed_assessment_is_refused(owner, owner_client, engagement, world):
    made = world["assessment"]
    owner_client.post(url("assessment_status", engagement, made.pk), {"status": "closed"})
    found = rating(made, "8.6.2")
    response = save(owner_client, engagement, found.pk, version=found.version, level="2")
    assert response.status_code == 400
    assert "closed" in response.json()["detail"]
    assert rating(made, "8.6.2").level is None
    page = owner_client.get(url("assessment", engagement, made.pk)).content.decode()
    assert "This assessment is closed" in page
    assert " disabled>" in page


def test_an_instant_save_refuses_an_assessor_who_is_not_a_member(outsider, owner_client, engagement, world):
    found = rating(world["assessment"], "8.6.2")
    response = save(owner_client, engagement, found.pk, version=1, owner=str(outsider.pk))
    assert (response.status_code, response.json()["field"]) == (400, "owner")


def test_an_instant_save_needs_the_version_shown(owner_client, engagement, world):
    found = rating(world["assessment"], "8.6.2")
    response = save(owner_client, engagement, found.pk, level="2")
    assert (response.status_code, response.json()["field"]) == (400, "version")
    assert owner_client.get(url("rating_save", engagement, found.pk)).status_code == 405


def test_a_rating_of_another_engagement_is_not_found(owner, owner_client, outsider, engagement, world):
    theirs = assessment(Engagement.objects.get(name="Client B preparation"), outsider, name="Theirs")
    found = rating(theirs, "8.6.2")
    assert save(owner_client, engagement, found.pk, version=1, level="2").status_code == 404
    assert owner_client.get(url("rating", engagement, found.pk)).status_code == 404
    assert rating(theirs, "8.6.2").level is None


# --- the requirement page -------------------------------------------------------------------------------


def test_the_requirement_page_saves_every_field(engagement, owner, owner_client, world):
    editor = member(engagement, owner, "eddie", "editor")
    found = rating(world["assessment"], "8.6.2")
    response = owner_client.post(
        url("rating", engagement, found.pk),
        {
            "expected_version": 1,
            "level": 2,
            "target": 2,
            "documentation": "draft",
            "owner": editor.pk,
            "notes": "Met Zed",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("rating", engagement, found.pk)
    stored = rating(world["assessment"], "8.6.2")
    assert (stored.level, stored.target, stored.documentation, stored.owner, stored.notes, stored.version) == (
        2,
        2,
        "draft",
        editor,
        "Met Zed",
        2,
    )
    page = owner_client.get(response["Location"]).content.decode()
    assert "Rating of 8.6.2 saved." in page


def test_the_requirement_page_saves_capability_attributes(engagement, owner, owner_client, catalogue):
    made = assessment(engagement, owner, scale="capability")
    found = rating(made, "8.6.1")
    data = {"expected_version": 1, "pa_1.1": "F", "pa_2.1": "L", "pa_2.2": "F", "pa_3.1": "P", "documentation": ""}
    assert owner_client.post(url("rating", engagement, found.pk), data).status_code == 302
    stored = rating(made, "8.6.1")
    assert stored.attributes == {"1.1": "F", "2.1": "L", "2.2": "F", "3.1": "P"}
    assert stored.level == 2


def test_the_requirement_page_shows_a_conflict_and_keeps_what_was_typed(engagement, owner, owner_client, world):
    editor = member(engagement, owner, "eddie", "editor")
    rate(editor, world["assessment"], "8.6.2", level=3, notes="Theirs")
    found = rating(world["assessment"], "8.6.2")
    response = owner_client.post(
        url("rating", engagement, found.pk), {"expected_version": 1, "level": 1, "notes": "Mine, typed carefully"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Open the latest version" in page
    assert "Someone else changed this" in page
    assert "Mine, typed carefully" in page
    stored = rating(world["assessment"], "8.6.2")
    assert (stored.level, stored.notes) == (3, "Theirs")


def test_the_requirement_page_shows_the_suggestions_and_applies_one(engagement, owner, owner_client, world):
    survey_answers(engagement, owner, [("process-change", "procedure-exists", "no")])
    found = rating(world["assessment"], "8.5.1.2")
    page = owner_client.get(url("rating", engagement, found.pk)).content.decode()
    assert "Documented information: Missing" in page
    assert "Alice A" in page
    key = page.split('name="key" value="')[1].split('"')[0]
    response = owner_client.post(
        url("suggestion", engagement, found.pk), {"key": key, "version": 1, "decision": "accept"}, follow=True
    )
    assert "Suggestion applied" in response.content.decode()
    stored = rating(world["assessment"], "8.5.1.2")
    assert stored.documentation == "missing"
    assert stored.evidence.get().kind == "answer"
    assert 'name="key"' not in owner_client.get(url("rating", engagement, found.pk)).content.decode()


def test_dismissing_a_suggestion_from_the_page(engagement, owner, owner_client, world):
    survey_answers(engagement, owner, [("process-change", "procedure-exists", "no")])
    found = rating(world["assessment"], "8.5.1.1")
    page = owner_client.get(url("rating", engagement, found.pk)).content.decode()
    key = page.split('name="key" value="')[1].split('"')[0]
    owner_client.post(url("suggestion", engagement, found.pk), {"key": key, "decision": "dismiss"})
    assert 'name="key"' not in owner_client.get(url("rating", engagement, found.pk)).content.decode()
    assert rating(world["assessment"], "8.5.1.1").documentation == ""


# --- evidence -------------------------------------------------------------------------------------------


def test_adding_a_link_from_the_page(owner_client, engagement, world):
    response = owner_client.post(
        url("evidence_add", engagement, world["rating"].pk, "link"),
        {"url": "https://wiki.example/incident", "title": "Incident wiki"},
        follow=True,
    )
    page = response.content.decode()
    assert "Link added as evidence." in page
    assert '<a href="https://wiki.example/incident" rel="noopener noreferrer" target="_blank">Incident wiki</a>' in page
    assert world["rating"].evidence.filter(kind="link").count() == 1


def test_a_link_that_is_not_a_web_address_is_refused_from_the_page(owner_client, engagement, world):
    for link in ("javascript:alert(1)", "ftp://files.example/x"):
        response = owner_client.post(
            url("evidence_add", engagement, world["rating"].pk, "link"), {"url": link}, follow=True
        )
        assert 'class="message error"' in response.content.decode(), link
    assert not world["rating"].evidence.filter(kind="link").exists()


def test_uploading_a_file_from_the_page(owner_client, engagement, world):
    response = owner_client.post(
        url("evidence_add", engagement, world["rating"].pk, "file"),
        {"file": SimpleUploadedFile("Procedure.pdf", PDF), "title": "Procedure"},
        follow=True,
    )
    assert "File added as evidence." in response.content.decode()
    assert world["rating"].evidence.filter(kind="file", original_name="Procedure.pdf").exists()


def test_a_renamed_program_is_refused_from_the_page(owner_client, engagement, world):
    response = owner_client.post(
        url("evidence_add", engagement, world["rating"].pk, "file"),
        {"file": SimpleUploadedFile("x.pdf", EXE)},
        follow=True,
    )
    assert "does not match its name" in response.content.decode()
    assert world["rating"].evidence.count() == 1


def test_linking_a_survey_answer_from_the_page(engagement, owner, owner_client, world):
    answers = survey_answers(engagement, owner, [("process-incident", "maturity", 2)])
    answer = answers[("process-incident", "maturity")]
    page = owner_client.get(url("rating", engagement, world["rating"].pk)).content.decode()
    assert f'<option value="{answer.pk}">' in page
    response = owner_client.post(
        url("evidence_add", engagement, world["rating"].pk, "answer"), {"answer": answer.pk}, follow=True
    )
    assert "Survey answer linked as evidence." in response.content.decode()
    assert world["rating"].evidence.get(kind="answer").answer == answer


def test_a_survey_answer_of_another_engagement_is_not_found(owner_client, engagement, outsider, world):
    theirs = survey_answers(
        Engagement.objects.get(name="Client B preparation"),
        outsider,
        [("process-incident", "maturity", 2)],
        name="Bert B",
    )
    answer = theirs[("process-incident", "maturity")]
    response = owner_client.post(url("evidence_add", engagement, world["rating"].pk, "answer"), {"answer": answer.pk})
    assert response.status_code == 404
    assert not world["rating"].evidence.filter(kind="answer").exists()


def test_an_unknown_kind_of_evidence_is_not_found(owner_client, engagement, world):
    assert owner_client.post(url("evidence_add", engagement, world["rating"].pk, "video"), {}).status_code == 404


def test_deleting_evidence_from_the_page_removes_the_file(
    owner_client, engagement, world, django_capture_on_commit_callbacks
):
    evidence = world["evidence"]
    storage, name = evidence.file.storage, str(evidence.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(url("evidence_delete", engagement, evidence.pk), follow=True)
    assert "Evidence removed." in response.content.decode()
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert not storage.exists(name)


def test_file_evidence_downloads_as_an_attachment_that_is_never_sniffed(owner_client, engagement, world):
    response = owner_client.get(url("evidence_download", engagement, world["evidence"].pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="proof.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_only_file_evidence_downloads(owner, owner_client, engagement, world):
    link = rating_services.evidence_add_link(rating=world["rating"], actor=owner, url="https://wiki.example/x")
    assert owner_client.get(url("evidence_download", engagement, link.pk)).status_code == 404


# --- improvement topics ---------------------------------------------------------------------------------


def test_generating_topics_from_the_page(owner, owner_client, engagement, world):
    rate(owner, world["assessment"], "8.5.1.1", level=0)
    response = owner_client.post(
        url("topics_generate", engagement, world["assessment"].pk), {"grouping": "process"}, follow=True
    )
    page = response.content.decode()
    assert "1 topics created from the gaps of Baseline." in page  # 8.6.1 is covered by a topic already
    made = ImprovementTopic.objects.exclude(pk=world["topic"].pk).get()
    assert made.grouping == "process"
    assert made.group_key == "change"
    assert made.title in page
    again = owner_client.post(
        url("topics_generate", engagement, world["assessment"].pk), {"grouping": "clause"}, follow=True
    )
    assert "already covered by a topic" in again.content.decode()


def test_creating_and_editing_a_topic_from_the_pages(engagement, owner, owner_client, world):
    alice = person(engagement, "Alice A", roles=["process_owner"], processes=["incident"])
    response = owner_client.post(
        url("topic_create", engagement),
        {
            "title": "Service desk",
            "status": "open",
            "owner": alice.pk,
            "due_date": "2025-09-30",
            "ratings": [world["rating"].pk],
        },
    )
    assert response.status_code == 302
    topic = ImprovementTopic.objects.get(title="Service desk")
    assert (topic.owner, topic.due_date, list(topic.ratings.all())) == (
        alice,
        datetime.date(2025, 9, 30),
        [world["rating"]],
    )
    owner_client.post(
        url("topic_edit", engagement, topic.pk), {"expected_version": 1, "title": "Service desk v2", "status": "done"}
    )
    topic.refresh_from_db()
    assert (topic.title, topic.status, topic.version) == ("Service desk v2", "done", 2)
    stale = owner_client.post(
        url("topic_edit", engagement, topic.pk), {"expected_version": 1, "title": "Mine", "status": "open"}
    )
    assert stale.status_code == 200
    assert "Open the latest version" in stale.content.decode()
    topic.refresh_from_db()
    assert topic.title == "Service desk v2"


def test_merging_topics_from_the_page(engagement, owner, owner_client, world):
    other = topic_services.topic_create(
        engagement=engagement, actor=owner, title="Requests", ratings=[rating(world["assessment"], "8.6.2")]
    )
    response = owner_client.post(url("topic_merge", engagement), {"topics": [world["topic"].pk, other.pk]}, follow=True)
    assert "Topics merged into &quot;Improve incidents&quot;." in response.content.decode()
    (kept,) = ImprovementTopic.objects.all()
    assert kept.pk == world["topic"].pk
    assert kept.ratings.count() == 2


def test_splitting_a_topic_from_the_page(engagement, owner, owner_client, world):
    requests = rating(world["assessment"], "8.6.2")
    world["topic"].ratings.add(requests)
    page = owner_client.get(url("topic_edit", engagement, world["topic"].pk)).content.decode()
    assert "Split this topic" in page
    # the split form has its own field names, so its labels point at its own inputs
    assert 'name="split-title"' in page
    assert 'id="id_split-title"' in page
    assert page.count('id="id_title"') == 1
    version = world["topic"].version
    assert f'name="split-expected_version" value="{version}"' in page
    response = owner_client.post(
        url("topic_split", engagement, world["topic"].pk),
        {"split-expected_version": version, "split-title": "Requests", "split-ratings": [requests.pk]},
    )
    new = ImprovementTopic.objects.get(title="Requests")
    assert response.status_code == 302
    assert response["Location"] == url("topic_edit", engagement, new.pk)
    assert list(new.ratings.all()) == [requests]
    assert list(world["topic"].ratings.all()) == [world["rating"]]
    new_page = owner_client.get(url("topic_edit", engagement, new.pk)).content.decode()
    assert "Split this topic" not in new_page  # one requirement: nothing to split
    stale = owner_client.post(
        url("topic_split", engagement, world["topic"].pk),
        {"split-expected_version": version, "split-title": "Late", "split-ratings": [requests.pk]},
        follow=True,
    )
    assert "Someone else changed this" in stale.content.decode()
    assert not ImprovementTopic.objects.filter(title="Late").exists()
    new.ratings.add(world["rating"])
    refused = owner_client.post(
        url("topic_split", engagement, new.pk),
        {
            "split-expected_version": new.version,
            "split-title": "All",
            "split-ratings": [requests.pk, world["rating"].pk],
        },
        follow=True,
    )
    assert "Leave at least one requirement" in refused.content.decode()


def test_deleting_a_topic_from_the_page(owner_client, engagement, world):
    response = owner_client.post(url("topic_delete", engagement, world["topic"].pk), follow=True)
    assert "Topic deleted." in response.content.decode()
    assert not ImprovementTopic.objects.exists()


def test_topics_show_their_priority(owner_client, engagement, world):
    page = owner_client.get(url("topics", engagement)).content.decode()
    # 8.6.1: weight 2 x (gap 2 + documentation missing 1) = 6 points
    assert 'class="prio prio-high"' in page
    assert '<span class="muted small">6</span>' in page


# --- documented information -----------------------------------------------------------------------------


def test_loading_the_checklist_from_the_page(owner_client, engagement, world):
    DocumentItem.objects.all().delete()
    response = owner_client.post(url("documents_load", engagement), follow=True)
    count = len(document_services.shipped_checklist())
    assert f"{count} items added from the shipped checklist." in response.content.decode()
    assert DocumentItem.objects.filter(engagement=engagement).count() == count
    again = owner_client.post(url("documents_load", engagement), follow=True)
    assert "already holds every shipped item" in again.content.decode()


def test_saving_a_checklist_row(engagement, owner_client, world):
    alice = person(engagement, "Alice A", roles=["sms_manager"])
    item = world["item"]
    prefix = f"d{item.pk}-"
    data = {
        "expected_version": 1,
        "status": "approved",
        "owner": alice.pk,
        "location": "SharePoint",
        "review_date": "2026-01-31",
        "notes": "ok",
    }
    response = owner_client.post(url("document_save", engagement, item.pk), {prefix + k: v for k, v in data.items()})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#doc-{item.pk}")
    item.refresh_from_db()
    assert (item.status, item.owner, item.location, item.review_date, item.notes, item.version) == (
        "approved",
        alice,
        "SharePoint",
        datetime.date(2026, 1, 31),
        "ok",
        2,
    )
    stale = owner_client.post(
        url("document_save", engagement, item.pk), {prefix + "expected_version": 1, prefix + "status": "draft"}
    )
    assert stale.status_code == 409
    assert "Open the latest version" in stale.content.decode()
    item.refresh_from_db()
    assert item.status == "approved"


def test_adding_and_removing_a_checklist_item_from_the_page(owner_client, engagement, world):
    response = owner_client.post(
        url("document_create", engagement),
        {"name": "Major incident procedure", "kind": "document", "clause": "8.6.1"},
        follow=True,
    )
    assert "Item added to the checklist." in response.content.decode()
    item = DocumentItem.objects.get(key="major-incident-procedure")
    assert "Major incident procedure" in response.content.decode()
    response = owner_client.post(url("document_delete", engagement, item.pk), follow=True)
    assert "Item removed from the checklist." in response.content.decode()
    assert not DocumentItem.objects.filter(pk=item.pk).exists()


def test_the_checklist_filters_by_status(owner, owner_client, engagement, world):
    item = world["item"]
    document_services.document_update(item=item, actor=owner, expected_version=1, status="draft")
    drafts = owner_client.get(url("documents", engagement), {"status": "draft"}).content.decode()
    assert drafts.count('class="doc-row"') == 1
    assert f'id="doc-{item.pk}"' in drafts
    unknown = owner_client.get(url("documents", engagement), {"status": "unknown"}).content.decode()
    assert f'id="doc-{item.pk}"' not in unknown


def test_the_checklist_lists_every_item_whatever_its_status(owner, owner_client, engagement, world):
    item = world["item"]
    document_services.document_update(item=item, actor=owner, expected_version=1, status="approved")
    page = owner_client.get(url("documents", engagement)).content.decode()
    assert f'id="doc-{item.pk}"' in page
    assert page.count('class="doc-row"') == DocumentItem.objects.filter(engagement=engagement).count()


# --- user text is escaped -------------------------------------------------------------------------------


def test_user_text_is_escaped_in_every_page(engagement, owner, owner_client, world):
    topic = world["topic"]
    topic_services.topic_update(topic=topic, actor=owner, expected_version=topic.version, title=XSS, description=XSS)
    rate(owner, world["assessment"], "8.6.1", notes=XSS)
    rating_services.evidence_add_link(rating=world["rating"], actor=owner, url="https://wiki.example/x", title=XSS)
    document_services.document_create(engagement=engagement, actor=owner, name=XSS, kind="record")
    Assessment.objects.filter(pk=world["assessment"].pk).update(name=XSS)
    for address in (
        url("topics", engagement),
        url("topic_edit", engagement, topic.pk),
        url("rating", engagement, world["rating"].pk),
        url("documents", engagement),
        url("assessment", engagement, world["assessment"].pk),
        url("overview", engagement),
        url("dashboard", engagement),
    ):
        page = owner_client.get(address).content.decode()
        assert XSS not in page, address
        assert ESCAPED in page, address


# --- the dashboard --------------------------------------------------------------------------------------


def test_the_dashboard_draws_the_charts_once_ratings_exist(owner_client, engagement, world):
    page = owner_client.get(url("dashboard", engagement)).content.decode()
    assert page.count("<svg") >= 4
    assert 'role="img"' in page
    assert "Readiness by clause" in page
    assert "Readiness by process" in page
    assert page.count("data-item=") == 6
    assert 'id="stage1"' in page
    assert "Internal audit done" in page


def test_the_dashboard_without_an_assessment_shows_the_stage1_list_and_no_chart(owner_client, engagement):
    page = owner_client.get(url("dashboard", engagement)).content.decode()
    assert "<svg" not in page
    assert page.count("data-item=") == 6
    assert "state-unknown" in page


def test_the_dashboard_stage1_list_reads_the_checklist(owner, owner_client, engagement, world):
    document_services.document_update(item=world["item"], actor=owner, expected_version=1, status="approved")
    page = owner_client.get(url("dashboard", engagement)).content.decode()
    scope = page.split('data-item="scope"')[1].split("</li>")[0]
    assert "state-yes" in scope
    assert "Scope of the SMS (Approved and controlled)" in scope


# --- settings -------------------------------------------------------------------------------------------


def test_saving_the_settings_from_the_page(owner_client, engagement, world):
    response = owner_client.post(
        url("settings", engagement),
        {
            "expected_version": GapSettings.objects.get(engagement=engagement).version,
            "scale": "capability",
            "default_target": 4,
            "sms_operating_since": "2024-01-01",
        },
    )
    assert response.status_code == 302
    stored = engagement.gap_settings
    stored.refresh_from_db()
    assert (stored.scale, stored.default_target, stored.sms_operating_since) == (
        "capability",
        4,
        datetime.date(2024, 1, 1),
    )


def test_a_viewer_reads_the_settings(viewer_client, engagement, world):
    page = viewer_client.get(url("settings", engagement)).content.decode()
    assert "You have read-only access." in page
    assert '<form method="post" class="card' not in page
