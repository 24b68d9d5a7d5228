"""The gap analysis's section of the whole-engagement export file (certprep/gaps/transfer/)."""

from __future__ import annotations

import base64
import copy
import datetime
import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certprep.core.errors import ServiceError
from certprep.engagements import transfer
from certprep.engagements.models import Engagement
from certprep.engagements.tests.factories import UserFactory
from certprep.engagements.transfer import engagement_export, engagement_import
from certprep.gaps.models import Assessment, Decision, DocumentItem, Evidence, GapSettings, ImprovementTopic, Rating
from certprep.gaps.selectors.suggestions import suggestions_for
from certprep.gaps.services import assessments, documents, ratings, suggestions, topics
from certprep.gaps.transfer import gaps_export
from certprep.survey.models import Answer, Person, Response
from certprep.survey.services import answers as answer_services
from certprep.survey.tests.factories import survey_world

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 64
    + b"This program cannot be run in DOS mode"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _first_ratings(assessment, n):
    return list(
        assessment.ratings.select_related("requirement", "assessment__engagement").order_by("requirement__order")[:n]
    )


def _rate(rating, actor, **changes):
    rating = Rating.objects.select_related("assessment__engagement", "requirement").get(pk=rating.pk)
    return ratings.rating_update(rating=rating, actor=actor, expected_version=rating.version, **changes)


@pytest.fixture
def world(catalogue, engagement, owner):
    """Settings, a compliance baseline, a reassessment based on it, a capability assessment, evidence of the
    three kinds, decided suggestions, topics with owners and requirements, and the checklist with an owner."""
    survey = survey_world(engagement, owner)
    response = Response.objects.get(pk=survey["response"].pk)
    maturity = response.questionnaire.questions.get(key="maturity")
    answer_services.answer_save(
        respondent=response.respondent, response=response, question=maturity, raw=2, expected_version=None
    )
    person = survey["person"]

    current = assessments.settings_for(engagement)
    assessments.settings_update(engagement=engagement, actor=owner, expected_version=current.version,
                                scale="compliance", default_target=3, sms_operating_since=None)  # fmt: skip
    baseline = assessments.assessment_create(
        engagement=engagement, actor=owner, name="Baseline 中文", assessed_on=datetime.date(2026, 1, 10)
    )
    first, second, third = _first_ratings(baseline, 3)
    _rate(
        first,
        owner,
        level=1,
        target=2,
        documentation="draft",
        notes='Notes with "quotes", 中文 and <b>tags</b>',
        owner=owner,
    )
    _rate(second, owner, level=3, documentation="controlled")
    ratings.evidence_add_link(rating=first, actor=owner, url="https://intranet.client-a.example/sms?id=1", title="Wiki")
    ratings.evidence_add_file(rating=first, actor=owner, upload=SimpleUploadedFile("proof.pdf", PDF), title="Proof")
    ratings.evidence_add_answer(rating=first, actor=owner, answer=Answer.objects.get(pk=survey["answer"].pk))
    open_suggestions = [s for rows in suggestions_for(baseline).values() for s in rows]
    assert len(open_suggestions) >= 2, "the maturity answer should suggest ratings"
    dismissed, accepted = open_suggestions[0], open_suggestions[-1]
    target = Rating.objects.select_related("assessment__engagement", "requirement").get(pk=dismissed.rating_id)
    suggestions.suggestion_dismiss(rating=target, actor=owner, key=dismissed.key)
    target = Rating.objects.select_related("assessment__engagement", "requirement").get(pk=accepted.rating_id)
    suggestions.suggestion_accept(rating=target, actor=owner, key=accepted.key, expected_version=target.version)

    reassessment = assessments.assessment_create(engagement=engagement, actor=owner, name="Reassessment",
                                                 assessed_on=datetime.date(2026, 4, 1), based_on=baseline)  # fmt: skip
    _rate(_first_ratings(reassessment, 1)[0], owner, level=2, notes="Better now")

    current = assessments.settings_for(engagement)
    assessments.settings_update(engagement=engagement, actor=owner, expected_version=current.version,
                                scale="capability", default_target=4,
                                sms_operating_since=datetime.date(2026, 1, 5))  # fmt: skip
    capability = assessments.assessment_create(
        engagement=engagement, actor=owner, name="Capability view", assessed_on=datetime.date(2026, 4, 2)
    )
    c_first, c_second = _first_ratings(capability, 2)
    _rate(c_first, owner, attributes={"1.1": "F", "2.1": "L", "2.2": "F"}, target=4, owner=owner)
    _rate(c_second, owner, attributes={"1.1": "P"})
    ratings.evidence_add_link(rating=c_first, actor=owner, url="http://wiki.client-a.example/capability")

    manual = topics.topic_create(
        engagement=engagement, actor=owner, title="Write the SMS plan", description="Draft, review, approve.",
        ratings=[first, _first_ratings(reassessment, 1)[0]], owner=person, due_date=datetime.date(2026, 9, 30),
        status="in_progress",
    )  # fmt: skip
    generated = topics.topics_generate(assessment=reassessment, actor=owner, grouping="process")
    documents.checklist_load(engagement=engagement, actor=owner)
    item = DocumentItem.objects.filter(engagement=engagement).order_by("order")[0]
    documents.document_update(item=item, actor=owner, expected_version=item.version, status="approved", owner=person,
                              location="SharePoint / SMS", review_date=datetime.date(2026, 12, 1),
                              notes="Signed")  # fmt: skip
    baseline = Assessment.objects.get(pk=baseline.pk)
    assessments.assessment_update(assessment=baseline, actor=owner, expected_version=baseline.version, status="closed")
    return {
        "survey": survey, "baseline": baseline, "reassessment": reassessment, "capability": capability,
        "first": first, "topic": manual, "generated": generated, "item": item,
    }  # fmt: skip


def _import(document, actor):
    return engagement_import(raw=json.dumps(document).encode(), actor=actor)


def _comparable(document):
    document = copy.deepcopy(document)
    document.pop("exported_at")
    document["audit"] = []  # the history plus one entry for the import (see the engagement's own tests)
    document["members"] = []  # plus the importer, who owns the copy
    return document


def _rating_with(document, assessment, predicate):
    for index, rating in enumerate(document["gaps"]["assessments"][assessment]["ratings"]):
        if predicate(rating):
            return index, rating
    raise AssertionError("no such rating in the export")


def _evidence(document, kind):
    index, rating = _rating_with(document, 0, lambda r: any(e["kind"] == kind for e in r["evidence"]))
    e_index = next(i for i, e in enumerate(rating["evidence"]) if e["kind"] == kind)
    return f"gaps.assessments.0.ratings.{index}.evidence.{e_index}", rating["evidence"][e_index]


def test_the_gap_analysis_survives_a_round_trip(world, engagement, owner):
    exported = engagement_export(engagement)
    gaps = exported["gaps"]
    assert gaps["settings"] == {"scale": "capability", "default_target": 4, "sms_operating_since": "2026-01-05"}
    assert [a["scale"] for a in gaps["assessments"]] == ["compliance", "compliance", "capability"]
    assert gaps["assessments"][1]["based_on"] == 0
    assert gaps["assessments"][0]["status"] == "closed"
    assert {e["kind"] for a in gaps["assessments"] for r in a["ratings"] for e in r["evidence"]} == {
        "link", "file", "answer",
    }  # fmt: skip
    assert any(r["decisions"] for r in gaps["assessments"][0]["ratings"])
    assert gaps["topics"]
    assert gaps["topics"][0]["owner"] == 0
    assert gaps["topics"][0]["ratings"]
    assert gaps["documents"][0]["owner"] == 0
    assert gaps["documents"][0]["status"] == "approved"

    # Imported by the author: an import matches only the importer's account, so the authors' names come back.
    copy_, suggested = _import(exported, owner)
    assert suggested == []
    again = engagement_export(copy_)
    assert again["gaps"] == gaps
    assert _comparable(again) == _comparable(exported)

    # Same content, new rows: the evidence file is a new stored file with the same bytes.
    original = Evidence.objects.get(rating__assessment__engagement=engagement, kind="file")
    imported = Evidence.objects.get(rating__assessment__engagement=copy_, kind="file")
    assert imported.file.name != original.file.name
    with original.file.open("rb") as a, imported.file.open("rb") as b:
        assert a.read() == b.read() == PDF
    # Links to survey answers and decisions follow the answers to their new ids.
    linked = Evidence.objects.filter(rating__assessment__engagement=copy_, kind="answer")
    assert linked
    assert all(e.answer and e.answer.response.respondent.campaign.engagement == copy_ for e in linked)
    new_answers = set(
        Answer.objects.filter(response__respondent__campaign__engagement=copy_).values_list("pk", flat=True)
    )
    keys = Decision.objects.filter(rating__assessment__engagement=copy_).values_list("key", flat=True)
    assert keys
    assert all(int(key.rsplit(":", 1)[1]) in new_answers for key in keys)
    for name in ("baseline", "reassessment"):
        before = Assessment.objects.get(pk=world[name].pk)
        after = Assessment.objects.get(engagement=copy_, name=before.name)
        opened = sorted((s.key.rsplit(":", 1)[0], s.value) for rows in suggestions_for(before).values() for s in rows)
        reopened = sorted((s.key.rsplit(":", 1)[0], s.value) for rows in suggestions_for(after).values() for s in rows)
        assert opened == reopened  # what was decided stays decided
    based_on = Assessment.objects.get(engagement=copy_, name="Reassessment").based_on
    assert based_on is not None
    assert based_on.engagement == copy_
    owner_ = ImprovementTopic.objects.get(engagement=copy_, title="Write the SMS plan").owner
    assert owner_ is not None
    assert owner_.engagement == copy_
    assert owner_.name == "Alice A"


def test_the_demo_gap_analysis_survives_a_round_trip(catalogue, engagement, owner):
    from certprep.gaps.demo import load_gaps_demo
    from certprep.survey.demo import load_survey_demo

    load_survey_demo(engagement=engagement, actor=owner)
    load_gaps_demo(engagement=engagement, actor=owner)
    exported = engagement_export(engagement)
    assert len(exported["gaps"]["assessments"]) >= 2
    assert exported["gaps"]["topics"]
    copy_, _suggested = _import(exported, owner)  # the author: only the importer's account is matched
    assert engagement_export(copy_)["gaps"] == exported["gaps"]


def test_an_old_file_without_the_gap_analysis_still_imports(world, engagement, owner):
    exported = engagement_export(engagement)
    del exported["gaps"]
    copy_, _missing = _import(exported, owner)
    assert not Assessment.objects.filter(engagement=copy_).exists()
    assert not GapSettings.objects.filter(engagement=copy_).exists()
    assert engagement_export(copy_)["gaps"] == {"settings": None, "assessments": [], "topics": [], "documents": []}


def test_an_assessor_without_an_account_or_membership_here_is_left_empty(world, engagement, owner):
    stranger = UserFactory(username="stranger")  # has an account here, but is not a member of the engagement
    exported = engagement_export(engagement)
    index, _rating = _rating_with(exported, 0, lambda r: r["owner"] == "olivia")
    exported["gaps"]["assessments"][0]["ratings"][index]["owner"] = "ghost"
    c_index, _rating = _rating_with(exported, 2, lambda r: r["owner"] == "olivia")
    exported["gaps"]["assessments"][2]["ratings"][c_index]["owner"] = stranger.username
    copy_, _missing = _import(exported, UserFactory(username="importer"))
    gaps = engagement_export(copy_)["gaps"]
    assert gaps["assessments"][0]["ratings"][index]["owner"] is None
    assert gaps["assessments"][2]["ratings"][c_index]["owner"] is None
    assert not Rating.objects.filter(assessment__engagement=copy_, owner__username="stranger").exists()


def _mutations():
    """(name, change(document) -> the field the refusal must name)."""

    def unknown_framework(d):
        d["gaps"]["assessments"][0]["framework"] = "urn:example:framework:nope"
        return "gaps.assessments.0.framework"

    def bad_level(d):
        d["gaps"]["assessments"][0]["ratings"][0]["level"] = 4  # compliance stops at 3
        return "gaps.assessments.0.ratings.0.level"

    def level_as_text(d):
        d["gaps"]["assessments"][0]["ratings"][0]["level"] = "2"
        return "gaps.assessments.0.ratings.0.level"

    def forged_capability_level(d):
        index, _rating = _rating_with(d, 2, lambda r: r["attributes"])
        d["gaps"]["assessments"][2]["ratings"][index]["level"] = 5
        return f"gaps.assessments.2.ratings.{index}.level"

    def unknown_attribute(d):
        index, rating = _rating_with(d, 2, lambda r: r["attributes"])
        rating["attributes"]["9.9"] = "F"
        return f"gaps.assessments.2.ratings.{index}.attributes"

    def attributes_on_compliance(d):
        d["gaps"]["assessments"][0]["ratings"][0]["attributes"] = {"1.1": "F"}
        return "gaps.assessments.0.ratings.0.attributes"

    def javascript_url(d):
        field, evidence = _evidence(d, "link")
        evidence["url"] = "javascript:alert(document.domain)"
        return f"{field}.url"

    def exe_as_pdf(d):
        field, evidence = _evidence(d, "file")
        evidence["file"].update(
            size=len(EXE), sha256=hashlib.sha256(EXE).hexdigest(), content=base64.b64encode(EXE).decode()
        )
        return f"{field}.file.content"

    def exe_by_name(d):
        field, evidence = _evidence(d, "file")
        evidence["file"].update(original_name="tool.exe", content_type="application/x-msdownload",
                                size=len(EXE), sha256=hashlib.sha256(EXE).hexdigest(),
                                content=base64.b64encode(EXE).decode())  # fmt: skip
        return f"{field}.file.content"

    def file_content_not_matching(d):
        field, evidence = _evidence(d, "file")
        evidence["file"]["content"] = base64.b64encode(b"%PDF-1.4 something else").decode()
        return f"{field}.file.content"

    def file_name_with_a_path(d):
        field, evidence = _evidence(d, "file")
        evidence["file"]["original_name"] = "../../etc/proof.pdf"
        return f"{field}.file.original_name"

    def unknown_requirement(d):
        d["gaps"]["assessments"][0]["ratings"][0]["requirement"] = {"urn": "urn:nope", "ref_id": "99.9"}
        return "gaps.assessments.0.ratings.0.requirement"

    def requirement_twice(d):
        ratings_ = d["gaps"]["assessments"][1]["ratings"]
        ratings_[1]["requirement"] = dict(ratings_[0]["requirement"])
        return "gaps.assessments.1.ratings.1.requirement"

    def based_on_missing(d):
        d["gaps"]["assessments"][1]["based_on"] = 7
        return "gaps.assessments.1.based_on"

    def based_on_itself(d):
        d["gaps"]["assessments"][1]["based_on"] = 1
        return "gaps.assessments.1.based_on"

    def topic_owner_missing(d):
        d["gaps"]["topics"][0]["owner"] = 42
        return "gaps.topics.0.owner"

    def topic_assessment_missing(d):
        d["gaps"]["topics"][0]["assessment"] = 42
        return "gaps.topics.0.assessment"

    def topic_rating_missing(d):
        d["gaps"]["topics"][0]["ratings"][0]["assessment"] = 2  # the capability assessment rates other rows
        d["gaps"]["topics"][0]["ratings"][0]["requirement"] = "urn:nope"
        return "gaps.topics.0.ratings.0.requirement"

    def document_owner_missing(d):
        d["gaps"]["documents"][0]["owner"] = 42
        return "gaps.documents.0.owner"

    def document_key_twice(d):
        d["gaps"]["documents"][1]["key"] = d["gaps"]["documents"][0]["key"]
        return "gaps.documents.1.key"

    def answer_missing(d):
        field, evidence = _evidence(d, "answer")
        evidence["answer"]["question"] = "nope"
        return f"{field}.answer"

    def decision_answer_missing(d):
        index, rating = _rating_with(d, 0, lambda r: r["decisions"])
        rating["decisions"][0]["answer"]["campaign"] = 3
        return f"gaps.assessments.0.ratings.{index}.decisions.0.answer"

    def target_too_high(d):
        d["gaps"]["settings"]["scale"] = "compliance"  # the default target 4 is beyond conforming
        return "gaps.settings.default_target"

    def unknown_field(d):
        d["gaps"]["topics"][0]["priority"] = "high"
        return "gaps.topics.0.priority"

    def control_characters(d):
        d["gaps"]["topics"][0]["title"] = "Bad\x00title"
        return "gaps.topics.0.title"

    def topic_title_with_a_line_break(d):
        d["gaps"]["topics"][0]["title"] = "Incident\r\nBcc: all@client-a.example"
        return "gaps.topics.0.title"

    def assessment_name_with_a_line_break(d):
        d["gaps"]["assessments"][0]["name"] = "Baseline\n2026"
        return "gaps.assessments.0.name"

    def evidence_title_with_a_line_separator(d):
        field, evidence = _evidence(d, "link")
        evidence["title"] = "Procedure\u2028draft"
        return f"{field}.title"

    def file_name_with_a_line_break(d):
        field, evidence = _evidence(d, "file")
        evidence["file"]["original_name"] = "proof\r\n.pdf"
        return f"{field}.file.original_name"

    def document_name_with_a_tab(d):
        d["gaps"]["documents"][0]["name"] = "Service\tcatalogue"
        return "gaps.documents.0.name"

    def document_location_with_a_line_break(d):
        d["gaps"]["documents"][0]["location"] = "SharePoint\n/sites/sms"
        return "gaps.documents.0.location"

    def no_survey(d):
        del d["survey"], d["matrix"]
        return "gaps.assessments.0.ratings"  # the answer evidence and decisions have nothing to refer to

    return [
        unknown_framework, bad_level, level_as_text, forged_capability_level, unknown_attribute,
        attributes_on_compliance, javascript_url, exe_as_pdf, exe_by_name, file_content_not_matching,
        file_name_with_a_path, unknown_requirement, requirement_twice, based_on_missing, based_on_itself,
        topic_owner_missing, topic_assessment_missing, topic_rating_missing, document_owner_missing,
        document_key_twice, answer_missing, decision_answer_missing, target_too_high, unknown_field,
        control_characters, topic_title_with_a_line_break, assessment_name_with_a_line_break,
        evidence_title_with_a_line_separator, file_name_with_a_line_break, document_name_with_a_tab,
        document_location_with_a_line_break, no_survey,
    ]  # fmt: skip


def _stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize("change", _mutations(), ids=lambda f: f.__name__)
def test_a_broken_gaps_section_is_refused_with_the_field_and_nothing_is_written(
    world, engagement, owner, settings, change
):
    exported = engagement_export(engagement)
    where = change(exported)
    counts = (
        Engagement.objects.count(),
        Person.objects.count(),
        Assessment.objects.count(),
        Rating.objects.count(),
        Evidence.objects.count(),
        ImprovementTopic.objects.count(),
        DocumentItem.objects.count(),
        GapSettings.objects.count(),
    )
    files = _stored_files(settings)
    with pytest.raises(ServiceError) as excinfo:
        _import(exported, owner)
    assert where in excinfo.value.message
    assert excinfo.value.field is not None
    assert excinfo.value.field.startswith(where.split(".", 2)[0])
    assert (
        Engagement.objects.count(),
        Person.objects.count(),
        Assessment.objects.count(),
        Rating.objects.count(),
        Evidence.objects.count(),
        ImprovementTopic.objects.count(),
        DocumentItem.objects.count(),
        GapSettings.objects.count(),
    ) == counts
    assert _stored_files(settings) == files


def test_bidirectional_controls_are_dropped_from_names_and_titles_on_the_way_in(world, engagement, owner):
    exported = engagement_export(engagement)
    exported["gaps"]["assessments"][0]["name"] = "\u202eBaseline"
    exported["gaps"]["topics"][0]["title"] = "Incident \u2066handling\u2069"
    _link_field, link = _evidence(exported, "link")
    link["title"] = "Procedure\u200f"
    _file_field, file = _evidence(exported, "file")
    file["file"]["original_name"] = "evil\u202efdp.pdf"
    document = exported["gaps"]["documents"][0]
    document["name"], document["location"] = "\u202aService catalogue\u202c", "\u2067SharePoint"
    copy, _suggested = _import(exported, owner)
    assert Assessment.objects.filter(engagement=copy, name="Baseline").exists()
    assert ImprovementTopic.objects.filter(engagement=copy, title="Incident handling").exists()
    assert Evidence.objects.filter(rating__assessment__engagement=copy, kind="link", title="Procedure").exists()
    stored = Evidence.objects.get(rating__assessment__engagement=copy, kind="file")
    assert stored.original_name == "evilfdp.pdf"
    item = DocumentItem.objects.get(engagement=copy, key=document["key"])
    assert (item.name, item.location) == ("Service catalogue", "SharePoint")


def test_a_failure_after_the_files_were_written_leaves_no_file_behind(world, engagement, owner, settings, monkeypatch):
    from certprep.core.models import AuditEntry

    exported = engagement_export(engagement)
    assert exported["survey"]["campaigns"]
    assert any(e["file"] for a in exported["gaps"]["assessments"] for r in a["ratings"] for e in r["evidence"])
    files, engagements = _stored_files(settings), Engagement.objects.count()
    real_bulk_create = AuditEntry.objects.bulk_create

    def failing_bulk_create(*args, **kwargs):  # the audit history goes in after every section and its files
        raise RuntimeError("the database went away")

    monkeypatch.setattr(AuditEntry.objects, "bulk_create", failing_bulk_create)
    with pytest.raises(RuntimeError):
        _import(exported, owner)
    assert _stored_files(settings) == files
    assert Engagement.objects.count() == engagements
    monkeypatch.setattr(AuditEntry.objects, "bulk_create", real_bulk_create)
    _import(exported, owner)  # the same file imports once the fault is gone, with its files stored
    assert len(_stored_files(settings)) > len(files)


def test_the_refusal_names_the_framework_that_is_missing(world, engagement, owner):
    exported = engagement_export(engagement)
    exported["gaps"]["assessments"][0]["framework"] = "urn:example:framework:nope"
    with pytest.raises(ServiceError) as excinfo:
        _import(exported, owner)
    assert "urn:example:framework:nope" in excinfo.value.message
    assert excinfo.value.field == "gaps.assessments.0.framework"


def test_a_requirement_unknown_by_urn_is_found_by_its_reference(world, engagement, owner):
    exported = engagement_export(engagement)
    rating = exported["gaps"]["assessments"][2]["ratings"][0]
    urn = rating["requirement"]["urn"]
    rating["requirement"]["urn"] = "urn:example:renamed"
    for topic in exported["gaps"]["topics"]:
        for ref in topic["ratings"]:
            if ref == {"assessment": 2, "requirement": urn}:
                ref["requirement"] = "urn:example:renamed"
    copy_, _missing = _import(exported, owner)
    again = engagement_export(copy_)
    assert again["gaps"]["assessments"][2]["ratings"][0]["requirement"]["urn"] == urn


def test_an_export_too_large_for_one_file_is_refused(world, engagement, monkeypatch):
    from certprep.survey.models import Attachment

    Attachment.objects.all().delete()  # only the gap analysis's own files count here
    monkeypatch.setattr(transfer, "MAX_BYTES", 10)
    with pytest.raises(ServiceError) as excinfo:
        engagement_export(engagement)
    assert "evidence files" in excinfo.value.message
    assert "0.0 MB on survey answers" in excinfo.value.message


def test_the_file_budget_counts_survey_and_gap_files_together(world, engagement, monkeypatch):
    from certprep.survey.models import Attachment

    survey = sum(Attachment.objects.values_list("size", flat=True))
    gaps = sum(Evidence.objects.filter(kind="file").values_list("size", flat=True))
    assert survey > 0
    assert gaps > 0
    # Each section alone fits in the file; both together do not (base64 makes them a third larger).
    monkeypatch.setattr(transfer, "MAX_BYTES", (survey + gaps) * 4 // 3 - 1)
    assert max(survey, gaps) * 4 // 3 <= transfer.MAX_BYTES
    with pytest.raises(ServiceError) as excinfo:
        engagement_export(engagement)
    assert "The evidence files total" in excinfo.value.message
    monkeypatch.setattr(transfer, "MAX_BYTES", (survey + gaps) * 4 // 3)
    assert len(engagement_export(engagement)["gaps"]["assessments"]) >= 1


def test_the_export_queries_do_not_grow_with_the_gap_analysis(world, engagement, owner):
    people = list(Person.objects.filter(engagement=engagement).order_by("id").values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as small:
        gaps_export(engagement, people=people)
    reassessment = Assessment.objects.get(pk=world["reassessment"].pk)
    more = assessments.assessment_create(engagement=engagement, actor=owner, name="Third",
                                         assessed_on=datetime.date(2026, 5, 1), based_on=reassessment)  # fmt: skip
    rating = _first_ratings(more, 1)[0]
    ratings.evidence_add_link(rating=rating, actor=owner, url="https://a.example/1")
    ratings.evidence_add_file(rating=rating, actor=owner, upload=SimpleUploadedFile("more.pdf", PDF))
    topics.topic_create(engagement=engagement, actor=owner, title="Another", ratings=[rating],
                        owner=Person.objects.get(pk=people[0]))  # fmt: skip
    documents.document_create(engagement=engagement, actor=owner, name="Extra record", kind="record")
    with CaptureQueriesContext(connection) as large:
        gaps_export(engagement, people=people)
    assert len(large.captured_queries) == len(small.captured_queries)
