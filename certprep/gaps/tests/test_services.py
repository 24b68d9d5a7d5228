"""The gap-analysis writes, with a real database: assessments (baseline, reassessment, settings, sync), ratings
(compliance steps, capability attributes, stale versions, closed assessments, the audit trail), evidence (links,
checked files, survey answers), suggestions drawn from survey answers, improvement topics and the
documented-information checklist."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from certprep.catalogue.models import Process, Requirement
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.models import AuditEntry
from certprep.engagements.models import Engagement
from certprep.gaps.models import Assessment, Decision, DocumentItem, Evidence, ImprovementTopic, Rating
from certprep.gaps.rules import capability_level
from certprep.gaps.selectors.suggestions import suggestions_for
from certprep.gaps.services import assessments as assessment_services
from certprep.gaps.services import documents as document_services
from certprep.gaps.services import ratings as rating_services
from certprep.gaps.services import topics as topic_services
from certprep.gaps.services.suggestions import suggestion_accept, suggestion_dismiss
from certprep.gaps.suggestion_rules import MATURITY_TO_COMPLIANCE, load_rules
from certprep.gaps.tests.factories import (
    EXE,
    PDF,
    assessment,
    member,
    rate,
    rating,
    survey_answers,
    use_settings,
)
from certprep.survey.tests.factories import person

pytestmark = pytest.mark.django_db

ASSESSABLE_ISO = 56  # assessable requirements of the shipped ISO/IEC 20000-1:2018 catalogue


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def baseline(engagement, owner, catalogue):
    """A compliance-scale baseline over ISO/IEC 20000-1:2018."""
    return assessment(engagement, owner)


@pytest.fixture
def capability(engagement, owner, catalogue):
    """A capability-scale baseline over ISO/IEC 20000-1:2018."""
    return assessment(engagement, owner, scale="capability", name="Capability baseline")


@pytest.fixture
def other_engagement(outsider):
    return Engagement.objects.get(name="Client B preparation")


def audit_of(obj: Any, pk: int | None = None) -> list[AuditEntry]:
    """The audit trail of one object (give `pk` for an object deleted since)."""
    return list(
        AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(pk or obj.pk)).order_by("at", "pk")
    )


def files_in(folder: Any) -> list[Any]:
    return [p for p in folder.rglob("*") if p.is_file()]


# --- assessments -----------------------------------------------------------------------------------------


def test_the_first_assessment_is_the_baseline_and_later_ones_are_reassessments(engagement, owner, catalogue):
    first = assessment(engagement, owner, name="  Baseline   March ")
    second = assessment(engagement, owner, name="Reassessment", assessed_on=datetime.date(2025, 6, 1))
    assert (first.kind, second.kind) == ("baseline", "reassessment")
    assert first.name == "Baseline March"
    assert first.framework == catalogue
    assert first.is_open
    assert first.ratings.count() == ASSESSABLE_ISO
    assert not first.ratings.filter(level__isnull=False).exists()
    assert audit_of(first)[0].action == "create"
    assert audit_of(first)[0].changes["requirements"] == [None, ASSESSABLE_ISO]


def test_an_assessment_needs_a_name(engagement, owner, catalogue):
    with pytest.raises(ServiceError) as error:
        assessment(engagement, owner, name="   ")
    assert error.value.field == "name"
    assert not Assessment.objects.exists()


def test_a_reassessment_based_on_an_earlier_one_copies_its_ratings(engagement, owner, baseline):
    editor = member(engagement, owner, "eddie", "editor")
    rate(owner, baseline, "8.6.1", level=2, target=3, documentation="draft", notes="Seen the tool", owner=editor)
    rate(owner, baseline, "9.2", level=0)
    again = assessment(engagement, owner, name="Reassessment", based_on=baseline, assessed_on=datetime.date(2025, 6, 1))

    assert again.kind == "reassessment"
    assert again.based_on == baseline
    copied = rating(again, "8.6.1")
    assert (copied.level, copied.target, copied.documentation, copied.notes, copied.owner) == (
        2,
        3,
        "draft",
        "Seen the tool",
        editor,
    )
    assert rating(again, "9.2").level == 0
    assert rating(again, "4.1").level is None
    assert again.ratings.count() == ASSESSABLE_ISO
    # copied, not linked: changing the reassessment leaves the baseline as it was
    rate(owner, again, "8.6.1", level=3)
    assert rating(baseline, "8.6.1").level == 2


def test_a_reassessment_cannot_start_from_another_engagements_assessment(
    engagement, owner, outsider, other_engagement, catalogue
):
    theirs = assessment(other_engagement, outsider, name="Theirs")
    with pytest.raises(ServiceError) as error:
        assessment(engagement, owner, based_on=theirs)
    assert error.value.field == "based_on"
    assert not Assessment.objects.filter(engagement=engagement).exists()


def test_the_scale_and_target_come_from_the_settings_when_the_assessment_is_made(engagement, owner, catalogue):
    use_settings(engagement, owner, scale="capability", default_target=4)
    made = assessment(engagement, owner, scale=None)
    assert (made.scale, made.default_target) == ("capability", 4)
    use_settings(engagement, owner, scale="compliance", default_target=2)
    made.refresh_from_db()
    assert made.scale == "capability"  # an existing assessment keeps its scale
    later = assessment(engagement, owner, name="Later", scale=None)
    assert (later.scale, later.default_target) == ("compliance", 2)


@pytest.mark.parametrize(("scale", "target"), [("compliance", 4), ("compliance", 0), ("capability", 6)])
def test_a_target_outside_the_scale_is_refused(engagement, owner, catalogue, scale, target):
    use_settings(engagement, owner, scale=scale)
    with pytest.raises(ServiceError) as error:
        assessment(engagement, owner, default_target=target)
    assert error.value.field == "default_target"
    assert not Assessment.objects.exists()


def test_the_settings_refuse_a_target_beyond_the_scale_and_a_start_in_the_future(engagement, owner):
    with pytest.raises(ServiceError) as error:
        use_settings(engagement, owner, scale="compliance", default_target=5)
    assert error.value.field == "default_target"
    with pytest.raises(ServiceError) as error:
        use_settings(engagement, owner, sms_operating_since=timezone.localdate() + datetime.timedelta(days=30))
    assert error.value.field == "sms_operating_since"
    assert use_settings(engagement, owner, scale="capability", default_target=5).default_target == 5


def test_sync_adds_rows_for_requirements_that_became_assessable(engagement, owner, baseline, catalogue):
    Requirement.objects.filter(framework=catalogue, ref_id="5.2").update(assessable=True)
    Requirement.objects.filter(framework=catalogue, ref_id="4.1").update(is_current=False)
    added = assessment_services.assessment_sync(assessment=baseline, actor=owner)
    assert added == 1
    assert baseline.ratings.filter(requirement__ref_id="5.2").exists()
    assert baseline.ratings.filter(requirement__ref_id="4.1").exists()  # dropped requirements keep their row
    assert baseline.ratings.count() == ASSESSABLE_ISO + 1
    assert audit_of(baseline)[-1].changes == {"requirements": [ASSESSABLE_ISO, ASSESSABLE_ISO + 1]}
    assert assessment_services.assessment_sync(assessment=baseline, actor=owner) == 0


# --- ratings ---------------------------------------------------------------------------------------------


def test_a_compliance_step_is_set_and_cleared_with_the_audit_trail(owner, baseline):
    found = rating(baseline, "8.6.1")
    assert found.version == 1
    saved = rating_services.rating_update(rating=found, actor=owner, expected_version=1, level=2)
    stored = rating(baseline, "8.6.1")
    assert (stored.level, stored.version, stored.rated_by) == (2, 2, owner)
    assert stored.rated_at is not None
    assert saved.version == 2
    rating_services.rating_update(rating=stored, actor=owner, expected_version=2, level=None)
    assert rating(baseline, "8.6.1").level is None
    entries = audit_of(stored)
    assert [e.changes for e in entries] == [{"level": [None, 2]}, {"level": [2, None]}]
    assert all(e.actor == owner and e.action == "update" for e in entries)


def test_target_documentation_notes_and_assessor_are_saved_and_audited_old_and_new(engagement, owner, baseline):
    editor = member(engagement, owner, "eddie", "editor")
    rate(owner, baseline, "4.3", target=2, documentation="draft", notes="  Scope drafted\n", owner=editor)
    stored = rating(baseline, "4.3")
    assert (stored.target, stored.documentation, stored.notes, stored.owner) == (2, "draft", "Scope drafted", editor)
    assert audit_of(stored)[-1].changes == {
        "target": [None, 2],
        "notes": ["", "Scope drafted"],
        "owner": [None, "eddie"],
    }
    # The documentation status is stored once, on the checklist items that evidence the requirement.
    items = list(DocumentItem.objects.filter(engagement=engagement, requirements=stored.requirement))
    assert items
    assert all(audit_of(item)[-1].changes.get("status", [None, None])[1] == "draft" for item in items)
    rate(owner, baseline, "4.3", documentation="approved", target=None)
    assert audit_of(stored)[-1].changes == {"target": [2, None]}
    assert all(audit_of(item)[-1].changes["status"] == ["draft", "approved"] for item in items)


def test_saving_what_is_stored_already_writes_no_audit_entry(owner, baseline):
    rate(owner, baseline, "4.3", level=1)
    before = AuditEntry.objects.count()
    rate(owner, baseline, "4.3", level=1)
    assert AuditEntry.objects.count() == before


def test_capability_attributes_are_merged_and_the_level_is_derived(owner, capability):
    rate(owner, capability, "8.6.1", attributes={"1.1": "F"})
    assert (rating(capability, "8.6.1").attributes, rating(capability, "8.6.1").level) == ({"1.1": "F"}, 1)
    rate(owner, capability, "8.6.1", attributes={"2.1": "l", "2.2": "F"})
    stored = rating(capability, "8.6.1")
    assert stored.attributes == {"1.1": "F", "2.1": "L", "2.2": "F"}
    assert stored.level == 2
    rate(owner, capability, "8.6.1", attributes={"2.1": ""})  # "" clears one attribute
    stored = rating(capability, "8.6.1")
    assert stored.attributes == {"1.1": "F", "2.2": "F"}
    assert stored.level == 1
    assert audit_of(stored)[-1].changes["level"] == [2, 1]


def refusals(action: Any, cases: list[Any]) -> list[str | None]:
    """The field each refused case names; a case that is not refused gives "accepted"."""
    fields: list[str | None] = []
    for case in cases:
        try:
            action(case)
        except ServiceError as error:
            fields.append(error.field)
        else:
            fields.append("accepted")
    return fields


def test_bad_attribute_ratings_are_refused(owner, capability):
    cases = [{"1.1": "X"}, {"9.9": "F"}, {"1.1": "full"}, {"1.1": "F", "2.1": "?"}]
    fields = refusals(lambda attributes: rate(owner, capability, "8.6.1", attributes=attributes), cases)
    assert fields == ["attributes"] * len(cases)
    assert (rating(capability, "8.6.1").version, rating(capability, "8.6.1").attributes) == (1, {})


def test_a_level_cannot_be_typed_on_the_capability_scale(owner, capability):
    with pytest.raises(ServiceError) as error:
        rate(owner, capability, "8.6.1", level=3)
    assert error.value.field == "level"
    assert rating(capability, "8.6.1").level is None


def test_attribute_ratings_are_refused_on_the_compliance_scale(owner, baseline):
    with pytest.raises(ServiceError) as error:
        rate(owner, baseline, "8.6.1", attributes={"1.1": "F"})
    assert error.value.field == "attributes"
    assert rating(baseline, "8.6.1").attributes == {}


def test_values_outside_the_compliance_scale_are_refused(owner, baseline):
    cases = [
        ({"level": 4}, "level"),
        ({"level": -1}, "level"),
        ({"level": True}, "level"),
        ({"level": "2"}, "level"),
        ({"target": 0}, "target"),
        ({"target": 4}, "target"),
        ({"documentation": "lost"}, "documentation"),
        ({"notes": "x" * 20_001}, "notes"),
    ]
    fields = refusals(lambda changes: rate(owner, baseline, "8.6.1", **changes), [changes for changes, _f in cases])
    assert fields == [field for _c, field in cases]
    stored = rating(baseline, "8.6.1")
    assert (stored.level, stored.target, stored.documentation, stored.version) == (None, None, "", 1)


def test_a_stale_version_is_a_conflict_and_nothing_changes(engagement, owner, baseline):
    editor = member(engagement, owner, "eddie", "editor")
    mine = rating(baseline, "8.6.1")  # loaded at version 1
    rate(editor, baseline, "8.6.1", level=3, notes="Theirs")
    entries = AuditEntry.objects.count()
    with pytest.raises(ConflictError):
        rating_services.rating_update(rating=mine, actor=owner, expected_version=1, level=1, notes="Mine")
    stored = rating(baseline, "8.6.1")
    assert (stored.level, stored.notes, stored.version, stored.rated_by) == (3, "Theirs", 2, editor)
    assert AuditEntry.objects.count() == entries


def test_a_closed_assessment_refuses_changes(owner, baseline, media):
    rate(owner, baseline, "8.6.1", level=1)
    link = rating_services.evidence_add_link(
        rating=rating(baseline, "8.6.1"), actor=owner, url="https://wiki.example/x"
    )
    assessment_services.assessment_update(
        assessment=baseline, actor=owner, expected_version=baseline.version, status="closed"
    )
    found = rating(baseline, "8.6.1")
    with pytest.raises(ServiceError, match="closed"):
        rating_services.rating_update(rating=found, actor=owner, expected_version=found.version, level=3)
    with pytest.raises(ServiceError, match="closed"):
        rating_services.evidence_add_link(rating=found, actor=owner, url="https://wiki.example/y")
    with pytest.raises(ServiceError, match="closed"):
        rating_services.evidence_delete(
            evidence=Evidence.objects.select_related("rating__assessment").get(pk=link.pk), actor=owner
        )
    assert rating(baseline, "8.6.1").level == 1
    assert Evidence.objects.count() == 1


def test_the_assessor_must_be_a_member_of_the_engagement(owner, outsider, baseline):
    with pytest.raises(ServiceError) as error:
        rate(owner, baseline, "8.6.1", owner=outsider)
    assert error.value.field == "owner"
    with pytest.raises(ServiceError):
        rating_services.member_by_id(rating(baseline, "8.6.1"), outsider.pk)
    assert rating_services.member_by_id(rating(baseline, "8.6.1"), owner.pk) == owner
    assert rating_services.member_by_id(rating(baseline, "8.6.1"), None) is None
    rate(owner, baseline, "8.6.1", owner=owner)
    assert rating(baseline, "8.6.1").owner == owner


# --- evidence --------------------------------------------------------------------------------------------


def test_web_links_are_evidence_and_nothing_else_is(owner, baseline):
    found = rating(baseline, "8.6.1")
    for address in ("https://intranet.example/policy", "http://wiki.example/page?id=7"):
        evidence = rating_services.evidence_add_link(rating=found, actor=owner, url=f"  {address} ")
        assert (evidence.kind, evidence.url, evidence.title, evidence.added_by) == ("link", address, address, owner)
        assert audit_of(evidence)[0].changes["kind"] == [None, "link"]
    refused = [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(document.cookie)",
        "ftp://files.example/x",
        "data:text/html,hi",
        "",
    ]
    fields = refusals(lambda link: rating_services.evidence_add_link(rating=found, actor=owner, url=link), refused)
    assert fields == ["url"] * len(refused)
    assert Evidence.objects.count() == 2


def test_a_requirement_holds_at_most_50_pieces_of_evidence(owner, baseline):
    found = rating(baseline, "8.6.1")
    Evidence.objects.bulk_create(
        Evidence(rating=found, kind="link", url=f"https://wiki.example/{n}", title=str(n)) for n in range(50)
    )
    with pytest.raises(ServiceError, match="At most 50"):
        rating_services.evidence_add_link(rating=found, actor=owner, url="https://wiki.example/51")
    assert found.evidence.count() == 50


def test_a_real_pdf_is_accepted_and_stored_under_a_random_name(owner, baseline, media):
    evidence = rating_services.evidence_add_file(
        rating=rating(baseline, "8.6.1"), actor=owner, upload=SimpleUploadedFile("Incident procedure.pdf", PDF)
    )
    evidence.refresh_from_db()
    assert (evidence.kind, evidence.original_name, evidence.title) == (
        "file",
        "Incident procedure.pdf",
        "Incident procedure.pdf",
    )
    assert (evidence.content_type, evidence.size) == ("application/pdf", len(PDF))
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest()
    assert "Incident" not in str(evidence.file.name)
    with evidence.file.open("rb") as stored:
        assert stored.read() == PDF


def test_a_program_renamed_to_pdf_is_refused_and_nothing_is_stored(owner, baseline, media):
    with pytest.raises(ServiceError, match="does not match"):
        rating_services.evidence_add_file(
            rating=rating(baseline, "8.6.1"), actor=owner, upload=SimpleUploadedFile("x.pdf", EXE)
        )
    assert not Evidence.objects.exists()
    assert files_in(media) == []


def test_a_program_is_refused_by_its_name(owner, baseline, media):
    with pytest.raises(ServiceError, match="cannot be attached"):
        rating_services.evidence_add_file(
            rating=rating(baseline, "8.6.1"), actor=owner, upload=SimpleUploadedFile("setup.exe", EXE)
        )
    assert not Evidence.objects.exists()


def test_a_file_over_10_mb_is_refused(owner, baseline, media):
    big = PDF + b"0" * (10 * 1024 * 1024 + 1 - len(PDF))
    with pytest.raises(ServiceError, match="10 MB"):
        rating_services.evidence_add_file(
            rating=rating(baseline, "8.6.1"), actor=owner, upload=SimpleUploadedFile("big.pdf", big)
        )
    assert not Evidence.objects.exists()
    assert files_in(media) == []


def test_a_survey_answer_of_the_engagement_is_evidence_once(engagement, owner, baseline):
    answers = survey_answers(engagement, owner, [("process-incident", "maturity", 2)])
    answer = answers[("process-incident", "maturity")]
    found = rating(baseline, "8.6.1")
    evidence = rating_services.evidence_add_answer(rating=found, actor=owner, answer=answer)
    assert (evidence.kind, evidence.answer) == ("answer", answer)
    assert evidence.title.startswith("Alice A: ")
    with pytest.raises(ServiceError) as error:
        rating_services.evidence_add_answer(rating=found, actor=owner, answer=answer)
    assert error.value.field == "answer"
    assert Evidence.objects.count() == 1


def test_a_survey_answer_of_another_engagement_is_refused(owner, outsider, other_engagement, baseline):
    theirs = survey_answers(other_engagement, outsider, [("process-incident", "maturity", 4)], name="Bert B")
    with pytest.raises(ServiceError) as error:
        rating_services.evidence_add_answer(
            rating=rating(baseline, "8.6.1"), actor=owner, answer=theirs[("process-incident", "maturity")]
        )
    assert error.value.field == "answer"
    assert not Evidence.objects.exists()


def test_deleting_file_evidence_removes_the_file_only_after_the_commit(
    owner, baseline, media, django_capture_on_commit_callbacks
):
    evidence = rating_services.evidence_add_file(
        rating=rating(baseline, "8.6.1"), actor=owner, upload=SimpleUploadedFile("proof.pdf", PDF)
    )
    name = str(evidence.file.name)
    storage = evidence.file.storage
    assert storage.exists(name)
    loaded = Evidence.objects.select_related("rating__assessment__engagement", "rating__requirement").get(
        pk=evidence.pk
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rating_services.evidence_delete(evidence=loaded, actor=owner)
        assert storage.exists(name)  # still there while the transaction could roll back
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert storage.exists(name)
    assert len(callbacks) == 1
    callbacks[0]()
    assert not storage.exists(name)
    assert files_in(media) == []
    assert audit_of(evidence)[-1].action == "delete"


# --- suggestions from survey answers ---------------------------------------------------------------------


def rule_reason(key: str) -> str:
    return next(rule.reason for rule in load_rules() if rule.key == key)


def open_suggestions(assessment: Assessment, ref_id: str) -> list[Any]:
    found = rating(assessment, ref_id)
    return suggestions_for(assessment, [found]).get(found.pk, [])


def test_no_approved_procedure_suggests_missing_documentation_for_the_process_requirements(engagement, owner, baseline):
    survey_answers(engagement, owner, [("process-change", "procedure-exists", "no")])
    everything = suggestions_for(baseline)
    by_ref = {r.requirement.ref_id: everything.get(r.pk, []) for r in baseline.ratings.select_related("requirement")}
    change = ("8.5.1.1", "8.5.1.2", "8.5.1.3")  # the clauses change management maps to
    for ref in change:
        (suggestion,) = by_ref[ref]
        assert (suggestion.field, suggestion.value, suggestion.value_label) == ("documentation", "missing", "Missing")
        assert suggestion.key.startswith("change-procedure-missing:")
        assert suggestion.reason == rule_reason("change-procedure-missing")
        assert suggestion.answer_text == "no"
    assert not any(suggestions for ref, suggestions in by_ref.items() if ref not in change)


def test_a_yes_answer_suggests_nothing(engagement, owner, baseline):
    survey_answers(engagement, owner, [("process-change", "procedure-exists", "yes")])
    assert suggestions_for(baseline) == {}


def test_accepting_a_suggestion_applies_it_links_the_answer_and_it_is_not_offered_again(engagement, owner, baseline):
    answers = survey_answers(engagement, owner, [("process-change", "procedure-exists", "no")])
    (suggestion,) = open_suggestions(baseline, "8.5.1.2")
    found = rating(baseline, "8.5.1.2")
    suggestion_accept(rating=found, actor=owner, key=suggestion.key, expected_version=found.version)

    stored = rating(baseline, "8.5.1.2")
    assert stored.documentation == "missing"
    assert stored.version == 2
    (evidence,) = stored.evidence.all()
    assert (evidence.kind, evidence.answer) == ("answer", answers[("process-change", "procedure-exists")])
    assert Decision.objects.get(rating=stored).decision == "accepted"
    assert open_suggestions(baseline, "8.5.1.2") == []
    assert len(open_suggestions(baseline, "8.5.1.1")) == 1  # the other requirements still have theirs
    with pytest.raises(ServiceError, match="no longer open"):
        suggestion_accept(rating=stored, actor=owner, key=suggestion.key, expected_version=stored.version)


def test_accepting_with_a_stale_version_changes_nothing(engagement, owner, baseline):
    survey_answers(engagement, owner, [("process-change", "procedure-exists", "no")])
    (suggestion,) = open_suggestions(baseline, "8.5.1.2")
    found = rating(baseline, "8.5.1.2")
    rate(owner, baseline, "8.5.1.2", notes="Someone else")
    with pytest.raises(ConflictError):
        suggestion_accept(rating=found, actor=owner, key=suggestion.key, expected_version=found.version)
    stored = rating(baseline, "8.5.1.2")
    assert stored.documentation == ""
    assert not stored.evidence.exists()
    assert not Decision.objects.exists()
    assert len(open_suggestions(baseline, "8.5.1.2")) == 1


def test_dismissing_a_suggestion_hides_it_and_leaves_the_rating(engagement, owner, baseline):
    survey_answers(engagement, owner, [("process-change", "procedure-exists", "no")])
    (suggestion,) = open_suggestions(baseline, "8.5.1.3")
    suggestion_dismiss(rating=rating(baseline, "8.5.1.3"), actor=owner, key=suggestion.key)
    stored = rating(baseline, "8.5.1.3")
    assert (stored.documentation, stored.version) == ("", 1)
    assert Decision.objects.get(rating=stored).decision == "dismissed"
    assert open_suggestions(baseline, "8.5.1.3") == []
    assert audit_of(stored)[-1].changes == {"suggestion": ["documentation=Missing", "Dismissed"]}
    with pytest.raises(ServiceError):
        suggestion_dismiss(rating=stored, actor=owner, key=suggestion.key)


def test_a_suggestion_the_rating_already_holds_is_not_offered(engagement, owner, baseline):
    rate(owner, baseline, "8.5.1.1", documentation="missing")
    survey_answers(engagement, owner, [("process-change", "procedure-exists", "no")])
    assert open_suggestions(baseline, "8.5.1.1") == []
    assert len(open_suggestions(baseline, "8.5.1.2")) == 1


# One maturity per process: each process's requirements receive the suggestion of its own answer.
MATURITY_BY_PROCESS = {"configuration": 0, "problem": 1, "release": 2, "change": 3, "incident": 4, "capacity": 5}


def answer_every_maturity(engagement: Engagement, owner: Any) -> None:
    survey_answers(engagement, owner, [(f"process-{code}", "maturity", m) for code, m in MATURITY_BY_PROCESS.items()])


def first_requirement_of(code: str) -> str:
    return Process.objects.get(code=code).requirements.order_by("order").values_list("ref_id", flat=True)[0]


def test_a_maturity_answer_suggests_the_compliance_step_of_the_mapping(engagement, owner, baseline):
    answer_every_maturity(engagement, owner)
    for code, maturity in MATURITY_BY_PROCESS.items():
        process = Process.objects.get(code=code)
        for ref in process.requirements.values_list("ref_id", flat=True):
            (suggestion,) = open_suggestions(baseline, ref)
            assert (suggestion.field, suggestion.value) == ("level", MATURITY_TO_COMPLIANCE[maturity]), (code, ref)
            assert process.tr.name in suggestion.reason
            assert "{process}" not in suggestion.reason
        ref = first_requirement_of(code)
        (suggestion,) = open_suggestions(baseline, ref)
        found = rating(baseline, ref)
        suggestion_accept(rating=found, actor=owner, key=suggestion.key, expected_version=found.version)
        assert rating(baseline, ref).level == MATURITY_TO_COMPLIANCE[maturity], code


def test_a_maturity_answer_suggests_attribute_ratings_giving_exactly_that_capability_level(
    engagement, owner, capability
):
    answer_every_maturity(engagement, owner)
    for code, maturity in MATURITY_BY_PROCESS.items():
        ref = first_requirement_of(code)
        (suggestion,) = open_suggestions(capability, ref)
        assert suggestion.field == "attributes"
        assert capability_level(suggestion.value) == maturity, code
        found = rating(capability, ref)
        suggestion_accept(rating=found, actor=owner, key=suggestion.key, expected_version=found.version)
        assert rating(capability, ref).level == maturity, code


def test_accepting_attribute_ratings_replaces_the_earlier_ones(engagement, owner, capability):
    rate(owner, capability, "8.6.1", attributes={"4.1": "F", "5.2": "F"})
    survey_answers(engagement, owner, [("process-incident", "maturity", 2)])
    (suggestion,) = open_suggestions(capability, "8.6.1")
    found = rating(capability, "8.6.1")
    suggestion_accept(rating=found, actor=owner, key=suggestion.key, expected_version=found.version)
    stored = rating(capability, "8.6.1")
    assert stored.level == 2
    assert capability_level(stored.attributes) == 2
    assert stored.attributes.get("4.1") != "F"
    assert stored.attributes.get("5.2") != "F"


# --- improvement topics ----------------------------------------------------------------------------------


@pytest.fixture
def gapped(owner, baseline):
    """Gaps in incident (8.6.1 rating, 8.6.2 documentation), change (8.5.1.1) and clause 4 (4.2, no process);
    4.1 meets its target and the rest is not rated."""
    rate(owner, baseline, "8.6.1", level=1)
    rate(owner, baseline, "8.6.2", documentation="missing")
    rate(owner, baseline, "8.5.1.1", level=0)
    rate(owner, baseline, "4.2", level=2)
    rate(owner, baseline, "4.1", level=3, documentation="controlled")
    return baseline


def refs_of(topic: ImprovementTopic) -> list[str]:
    return sorted(r.requirement.ref_id for r in topic.ratings.select_related("requirement"))


def test_topics_generated_by_process_group_the_gaps_of_each_process(owner, gapped):
    made = topic_services.topics_generate(assessment=gapped, actor=owner, grouping="process")
    by_key = {t.group_key: t for t in made}
    assert set(by_key) == {"incident", "change", "4"}
    assert refs_of(by_key["incident"]) == ["8.6.1", "8.6.2"]
    assert refs_of(by_key["change"]) == ["8.5.1.1"]
    assert refs_of(by_key["4"]) == ["4.2"]
    incident = Process.objects.get(code="incident").tr.name
    assert by_key["incident"].title == f"{incident}: 8.6.1 Incident management, 8.6.2 Service request management"
    assert by_key["4"].title.startswith("4 ")
    assert all(t.grouping == "process" and t.assessment == gapped and t.created_by == owner for t in made)
    assert "8.6.1" in by_key["incident"].description


def test_topics_generated_by_clause_group_the_gaps_under_their_parent_clause(owner, gapped):
    made = topic_services.topics_generate(assessment=gapped, actor=owner, grouping="clause")
    by_key = {t.group_key: refs_of(t) for t in made}
    assert by_key == {"8.6": ["8.6.1", "8.6.2"], "8.5.1": ["8.5.1.1"], "4": ["4.2"]}
    assert all(t.grouping == "clause" for t in made)


def test_generating_again_skips_the_gaps_already_covered(owner, gapped):
    first = topic_services.topics_generate(assessment=gapped, actor=owner, grouping="process")
    assert topic_services.topics_generate(assessment=gapped, actor=owner, grouping="clause") == []
    rate(owner, gapped, "9.2", level=1)
    (added,) = topic_services.topics_generate(assessment=gapped, actor=owner, grouping="process")
    assert refs_of(added) == ["9.2"]
    assert ImprovementTopic.objects.count() == len(first) + 1


def test_no_gap_means_no_topic(owner, baseline):
    rate(owner, baseline, "4.1", level=3)
    assert topic_services.topics_generate(assessment=baseline, actor=owner, grouping="process") == []
    assert not ImprovementTopic.objects.exists()


def test_topics_are_grouped_by_process_or_clause_only(owner, gapped):
    with pytest.raises(ServiceError) as error:
        topic_services.topics_generate(assessment=gapped, actor=owner, grouping="custom")
    assert error.value.field == "grouping"


def make_topic(
    engagement: Engagement, actor: Any, title: str, ratings: list[Rating], **kwargs: Any
) -> ImprovementTopic:
    return topic_services.topic_create(engagement=engagement, actor=actor, title=title, ratings=ratings, **kwargs)


def test_merging_collects_the_ratings_keeps_the_earliest_due_date_and_deletes_the_others(engagement, owner, gapped):
    a = make_topic(
        engagement,
        owner,
        "Incident",
        [rating(gapped, "8.6.1")],
        description="Fix incidents",
        due_date=datetime.date(2025, 9, 1),
    )
    b = make_topic(
        engagement,
        owner,
        "Requests",
        [rating(gapped, "8.6.2"), rating(gapped, "8.6.1")],
        description="Fix requests",
        due_date=datetime.date(2025, 5, 1),
    )
    c = make_topic(engagement, owner, "Change", [rating(gapped, "8.5.1.1")])
    a_pk, b_pk = a.pk, b.pk
    kept = topic_services.topic_merge(topics=[c, a, b], actor=owner)
    assert kept.pk == a_pk
    kept.refresh_from_db()
    assert refs_of(kept) == ["8.5.1.1", "8.6.1", "8.6.2"]
    assert kept.due_date == datetime.date(2025, 5, 1)
    assert kept.title == "Incident"
    assert kept.description == "Fix incidents\n\nFix requests"
    assert kept.grouping == "custom"
    assert list(ImprovementTopic.objects.values_list("pk", flat=True)) == [a_pk]
    deleted = AuditEntry.objects.get(object_type="gaps.improvementtopic", object_id=str(b_pk), action="delete")
    assert deleted.changes == {"title": ["Requests", None], "merged into": ["Incident", None]}


def test_merging_needs_two_topics_of_the_engagement(engagement, owner, outsider, other_engagement, gapped):
    a = make_topic(engagement, owner, "Incident", [rating(gapped, "8.6.1")])
    with pytest.raises(ServiceError):
        topic_services.topic_merge(topics=[a, a], actor=owner)
    theirs = topic_services.topic_create(engagement=other_engagement, actor=outsider, title="Theirs")
    with pytest.raises(ServiceError):
        topic_services.topic_merge(topics=[a, theirs], actor=owner)
    assert ImprovementTopic.objects.count() == 2


def test_splitting_moves_the_chosen_ratings_to_a_new_topic(engagement, owner, gapped):
    alice = person(engagement, "Alice A", roles=["process_manager"], processes=["incident"])
    topic = make_topic(
        engagement,
        owner,
        "Resolution",
        [rating(gapped, "8.6.1"), rating(gapped, "8.6.2"), rating(gapped, "8.5.1.1")],
        owner=alice,
        due_date=datetime.date(2025, 7, 1),
        status="in_progress",
    )
    seen = topic.version
    new = topic_services.topic_split(
        topic=topic, actor=owner, expected_version=seen, ratings=[rating(gapped, "8.5.1.1")], title="Change"
    )
    assert refs_of(new) == ["8.5.1.1"]
    assert refs_of(topic) == ["8.6.1", "8.6.2"]
    assert (new.owner, new.due_date, new.status, new.title) == (
        alice,
        datetime.date(2025, 7, 1),
        "in_progress",
        "Change",
    )
    assert ImprovementTopic.objects.get(pk=topic.pk).version == seen + 1


def test_splitting_refuses_moving_all_or_none(engagement, owner, gapped):
    both = [rating(gapped, "8.6.1"), rating(gapped, "8.6.2")]
    topic = make_topic(engagement, owner, "Resolution", both)
    seen = topic.version
    # a rating the topic does not hold moves nothing
    for moving in (both, [], [rating(gapped, "4.2")]):
        with pytest.raises(ServiceError) as error:
            topic_services.topic_split(
                topic=ImprovementTopic.objects.get(pk=topic.pk),
                actor=owner,
                expected_version=seen,
                ratings=moving,
                title="X",
            )
        assert error.value.field == "ratings"
        assert not isinstance(error.value, ConflictError)
    assert ImprovementTopic.objects.get(pk=topic.pk).version == seen
    assert ImprovementTopic.objects.count() == 1
    assert refs_of(topic) == ["8.6.1", "8.6.2"]


def test_splitting_from_a_stale_page_is_a_conflict_and_moves_nothing(engagement, owner, gapped):
    three = [rating(gapped, "8.6.1"), rating(gapped, "8.6.2"), rating(gapped, "8.5.1.1")]
    topic = make_topic(engagement, owner, "Resolution", three)
    seen = topic.version
    topic_services.topic_split(topic=topic, actor=owner, expected_version=seen, ratings=three[2:], title="Change")
    stale = ImprovementTopic.objects.get(pk=topic.pk)
    with pytest.raises(ConflictError):
        topic_services.topic_split(topic=stale, actor=owner, expected_version=seen, ratings=three[1:2], title="Req")
    assert sorted(ImprovementTopic.objects.values_list("title", flat=True)) == ["Change", "Resolution"]
    assert refs_of(topic) == ["8.6.1", "8.6.2"]


def test_updating_a_topic_with_a_stale_version_is_a_conflict(engagement, owner, gapped):
    topic = make_topic(engagement, owner, "Incident", [rating(gapped, "8.6.1")])
    stale = ImprovementTopic.objects.get(pk=topic.pk)
    topic_services.topic_update(
        topic=topic, actor=owner, expected_version=1, title="Incident handling", status="in_progress"
    )
    with pytest.raises(ConflictError):
        topic_services.topic_update(topic=stale, actor=owner, expected_version=1, title="Mine", ratings=[])
    stored = ImprovementTopic.objects.get(pk=topic.pk)
    assert (stored.title, stored.status, stored.version) == ("Incident handling", "in_progress", 2)
    assert refs_of(stored) == ["8.6.1"]


def test_a_topic_owner_must_be_one_of_the_engagements_people(engagement, owner, outsider, other_engagement, gapped):
    stranger = person(other_engagement, "Stan S", roles=["process_manager"])
    with pytest.raises(ServiceError) as error:
        make_topic(engagement, owner, "Incident", [], owner=stranger)
    assert error.value.field == "owner"
    topic = make_topic(engagement, owner, "Incident", [])
    with pytest.raises(ServiceError) as error:
        topic_services.topic_update(topic=topic, actor=owner, expected_version=topic.version, owner=stranger)
    assert error.value.field == "owner"
    assert ImprovementTopic.objects.get(pk=topic.pk).owner is None


def test_a_topic_cannot_hold_ratings_of_another_engagement(engagement, owner, outsider, other_engagement, gapped):
    theirs = assessment(other_engagement, outsider, name="Theirs")
    with pytest.raises(ServiceError) as error:
        make_topic(engagement, owner, "Incident", [rating(theirs, "8.6.1")])
    assert error.value.field == "ratings"


def test_deleting_a_topic_keeps_its_ratings(engagement, owner, gapped):
    topic = make_topic(engagement, owner, "Incident", [rating(gapped, "8.6.1")])
    pk = topic.pk
    topic_services.topic_delete(topic=topic, actor=owner)
    assert not ImprovementTopic.objects.exists()
    assert rating(gapped, "8.6.1").level == 1
    assert audit_of(topic, pk)[-1].action == "delete"


# --- documented information ------------------------------------------------------------------------------


def test_the_shipped_checklist_is_copied_once(engagement, owner):
    shipped = document_services.shipped_checklist()
    assert document_services.checklist_load(engagement=engagement, actor=owner) == len(shipped)
    assert document_services.checklist_load(engagement=engagement, actor=owner) == 0
    items = list(DocumentItem.objects.filter(engagement=engagement).order_by("order"))
    assert [i.key for i in items] == [s["key"] for s in shipped]
    scope = next(i for i in items if i.key == "sms-scope")
    assert (scope.clause, scope.stage1, scope.kind, scope.status) == ("4.3", "scope", "document", "")


def test_a_removed_shipped_item_comes_back_on_the_next_load_after_the_others(engagement, owner):
    document_services.checklist_load(engagement=engagement, actor=owner)
    scope = DocumentItem.objects.get(engagement=engagement, key="sms-scope")
    document_services.document_delete(item=scope, actor=owner)
    assert document_services.checklist_load(engagement=engagement, actor=owner) == 1
    again = DocumentItem.objects.get(engagement=engagement, key="sms-scope")
    others = DocumentItem.objects.filter(engagement=engagement).exclude(pk=again.pk).values_list("order", flat=True)
    assert again.order > max(others)  # appended at the end, never clashing with the order of the others


def test_a_checklist_item_is_updated_with_the_version_read(engagement, owner):
    document_services.checklist_load(engagement=engagement, actor=owner)
    item = DocumentItem.objects.get(engagement=engagement, key="sms-scope")
    alice = person(engagement, "Alice A", roles=["sms_manager"])
    stale = DocumentItem.objects.get(pk=item.pk)
    document_services.document_update(
        item=item,
        actor=owner,
        expected_version=1,
        status="approved",
        owner=alice,
        location=" SharePoint / SMS ",
        review_date=datetime.date(2026, 1, 31),
    )
    stored = DocumentItem.objects.get(pk=item.pk)
    assert (stored.status, stored.owner, stored.location, stored.review_date, stored.version) == (
        "approved",
        alice,
        "SharePoint / SMS",
        datetime.date(2026, 1, 31),
        2,
    )
    assert audit_of(stored)[-1].changes == {
        "status": ["", "approved"],
        "owner": [None, "Alice A"],
        "location": ["", "SharePoint / SMS"],
        "review_date": [None, "2026-01-31"],
    }
    with pytest.raises(ConflictError):
        document_services.document_update(item=stale, actor=owner, expected_version=1, status="missing")
    assert DocumentItem.objects.get(pk=item.pk).status == "approved"


def test_a_checklist_item_refuses_an_unknown_status_and_a_stranger_as_owner(
    engagement, owner, outsider, other_engagement
):
    document_services.checklist_load(engagement=engagement, actor=owner)
    item = DocumentItem.objects.get(engagement=engagement, key="sms-scope")
    with pytest.raises(ServiceError) as error:
        document_services.document_update(item=item, actor=owner, expected_version=1, status="lost")
    assert error.value.field == "status"
    stranger = person(other_engagement, "Stan S", roles=["sms_manager"])
    with pytest.raises(ServiceError) as error:
        document_services.document_update(item=item, actor=owner, expected_version=1, owner=stranger)
    assert error.value.field == "owner"
    assert DocumentItem.objects.get(pk=item.pk).version == 1


def test_new_checklist_items_get_unique_keys(engagement, owner):
    first = document_services.document_create(
        engagement=engagement, actor=owner, name="Major incident procedure", kind="document", clause="8.6.1"
    )
    second = document_services.document_create(
        engagement=engagement, actor=owner, name="Major  incident procedure", kind="record"
    )
    third = document_services.document_create(
        engagement=engagement, actor=owner, name="Major incident procedure", kind="document"
    )
    assert [first.key, second.key, third.key] == [
        "major-incident-procedure",
        "major-incident-procedure-2",
        "major-incident-procedure-3",
    ]
    assert first.order < second.order < third.order
    assert (first.clause, second.kind, second.name) == ("8.6.1", "record", "Major incident procedure")


@pytest.mark.parametrize(("name", "kind", "field"), [("", "document", "name"), ("Plan", "memo", "kind")])
def test_a_new_checklist_item_needs_a_name_and_a_kind(engagement, owner, name, kind, field):
    with pytest.raises(ServiceError) as error:
        document_services.document_create(engagement=engagement, actor=owner, name=name, kind=kind)
    assert error.value.field == field
    assert not DocumentItem.objects.exists()


def test_a_checklist_item_is_deleted_with_an_audit_entry(engagement, owner):
    item = document_services.document_create(engagement=engagement, actor=owner, name="Supplier list", kind="record")
    pk = item.pk
    document_services.document_delete(item=item, actor=owner)
    assert not DocumentItem.objects.exists()
    assert audit_of(item, pk)[-1].changes == {"name": ["Supplier list", None]}
