"""The export and import pages of the assessment workbook: who may do what, the messages, and the limits."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from certprep.engagements import services as engagement_services
from certprep.engagements.tests.factories import EngagementFactory, UserFactory
from certprep.gaps.models import Assessment, Rating
from certprep.gaps.services import assessments as assessment_services
from certprep.gaps.tests.test_spreadsheet import create, rate, row_of, save, workbook
from certprep.gaps.views.spreadsheet import urlpatterns

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(data, name="gaps.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


def urls(assessment):
    args = [assessment.engagement_id, assessment.pk]
    return reverse("gaps:export", args=args), reverse("gaps:import", args=args)


@pytest.fixture
def assessment(engagement, owner, catalogue):
    return create(engagement, owner, "compliance", name="Baseline March")


@pytest.fixture
def viewer_client(client, engagement, owner):
    viewer = UserFactory(username="vera")
    engagement_services.member_add(engagement=engagement, actor=owner, user=viewer, role="viewer")
    client.force_login(viewer)
    return client


def test_the_urls_are_named_and_shaped_as_agreed(assessment):
    assert [p.name for p in urlpatterns] == ["export", "import"]
    export, imported = urls(assessment)
    base = f"/e/{assessment.engagement_id}/gaps/assessments/{assessment.pk}/"
    assert export.endswith(base + "export.xlsx")
    assert imported.endswith(base + "import/")


def test_a_member_downloads_the_workbook_named_after_the_assessment(owner_client, assessment):
    response = owner_client.get(urls(assessment)[0])
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    stamp = timezone.localdate().strftime("%Y%m%d")
    assert response["Content-Disposition"] == f'attachment; filename="certprep-gaps-baseline-march-{stamp}.xlsx"'
    book = workbook(response.content)
    assert book.sheetnames[:3] == ["Ratings", "Evidence", "Assessment"]


def test_the_import_page_explains_the_rules_and_offers_the_form(owner_client, assessment):
    response = owner_client.get(urls(assessment)[1])
    assert response.status_code == 200
    assert response.context["active"] == "gaps"
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'name="file"' in page
    assert "Files and survey answers are listed for information" in page
    assert urls(assessment)[0] in page  # where to get the workbook


def test_an_import_applies_the_changes_and_reports_the_counts(owner_client, assessment):
    book = workbook(owner_client.get(urls(assessment)[0]).content)
    sheet = book["Ratings"]
    sheet[f"G{row_of(sheet, '4.1')}"] = 2
    book["Evidence"].append([None, "4.1", None, "Policy", "https://policy.client-a.example/"])
    response = owner_client.post(urls(assessment)[1], {"file": upload(save(book))})
    assert response.status_code == 302
    assert response["Location"] == reverse("gaps:assessment", args=[assessment.engagement_id, assessment.pk])
    page = owner_client.get(response["Location"]).content.decode()
    assert "Workbook imported: 1 ratings changed, 1 links added, 0 links changed, 0 links removed." in page
    assert Rating.objects.get(assessment=assessment, requirement__ref_id="4.1").level == 2


def test_an_unchanged_workbook_says_nothing_changed(owner_client, assessment):
    data = owner_client.get(urls(assessment)[0]).content
    response = owner_client.post(urls(assessment)[1], {"file": upload(data)}, follow=True)
    assert "it holds no changes, so nothing was changed" in response.content.decode()


def test_an_invalid_workbook_shows_the_first_error_and_changes_nothing(owner_client, assessment):
    book = workbook(owner_client.get(urls(assessment)[0]).content)
    sheet = book["Ratings"]
    row = row_of(sheet, "8.6.1")
    sheet[f"G{row_of(sheet, '4.1')}"] = 2
    sheet[f"H{row}"] = 7
    response = owner_client.post(urls(assessment)[1], {"file": upload(save(book))})
    assert response.status_code == 200
    assert (
        f"Nothing was imported. Sheet &quot;Ratings&quot;, row {row}, column H (Target): "
        "the target must be between 1 and 3." in response.content.decode()
    )
    assert Rating.objects.get(assessment=assessment, requirement__ref_id="4.1").level is None


def test_a_conflict_is_shown_with_a_link_to_a_fresh_export(owner_client, owner, assessment):
    book = workbook(owner_client.get(urls(assessment)[0]).content)
    sheet = book["Ratings"]
    row = row_of(sheet, "8.6.1")
    sheet[f"G{row}"] = 3
    rate(owner, assessment, "8.6.1", level=1)
    page = owner_client.post(urls(assessment)[1], {"file": upload(save(book))}).content.decode()
    assert (
        f"Sheet &quot;Ratings&quot;, row {row} (8.6.1): this requirement was changed in certprep since the export"
        in page
    )
    assert "Export the latest version" in page


def test_files_too_large_or_of_another_type_are_refused(owner_client, assessment):
    export, imported = urls(assessment)
    big = owner_client.post(imported, {"file": upload(b"x" * (5 * 1024 * 1024 + 1))}).content.decode()
    assert "The file is larger than 5 MB." in big
    csv = owner_client.post(imported, {"file": upload(b"a,b\n", name="gaps.csv")}).content.decode()
    assert "Upload the Excel workbook (.xlsx) exported from this assessment." in csv
    broken = owner_client.post(imported, {"file": upload(b"not a zip")}).content.decode()
    assert "Nothing was imported. The file is not a readable Excel workbook (.xlsx)." in broken
    missing = owner_client.post(imported, {}).content.decode()
    assert "This field is required." in missing


def test_a_workbook_of_another_assessment_is_refused_on_the_page(owner_client, engagement, owner, assessment):
    data = owner_client.get(urls(assessment)[0]).content
    other = assessment_services.assessment_create(
        engagement=engagement, actor=owner, name="Reassessment", assessed_on=datetime.date(2026, 6, 1)
    )
    page = owner_client.post(urls(other)[1], {"file": upload(data)}).content.decode()
    assert "this workbook was exported from another assessment" in page


def test_a_closed_assessment_shows_no_form_and_refuses_imports(owner_client, assessment):
    data = owner_client.get(urls(assessment)[0]).content
    Assessment.objects.filter(pk=assessment.pk).update(status="closed")
    page = owner_client.get(urls(assessment)[1]).content.decode()
    assert "This assessment is closed. Reopen it to import ratings." in page
    assert 'name="file"' not in page
    refused = owner_client.post(urls(assessment)[1], {"file": upload(data)})
    assert refused.status_code == 200
    assert "This assessment is closed." in refused.content.decode()


def test_a_viewer_may_export_but_not_open_the_import_page(viewer_client, assessment):
    export, imported = urls(assessment)
    assert viewer_client.get(export).status_code == 200
    assert viewer_client.get(imported).status_code == 403  # the rule of every import page (core.imports)
    data = viewer_client.get(export).content
    assert viewer_client.post(imported, {"file": upload(data)}).status_code == 403


def test_an_outsider_gets_404_on_both_pages(outsider_client, assessment):
    export, imported = urls(assessment)
    assert outsider_client.get(export).status_code == 404
    assert outsider_client.get(imported).status_code == 404
    assert outsider_client.post(imported, {"file": upload(b"x")}).status_code == 404


def test_another_engagements_assessment_is_404_through_yours(owner_client, owner, engagement, catalogue):
    theirs = EngagementFactory(owner=UserFactory(username="tess"), name="Client C")
    foreign = create(theirs, theirs.memberships.get().user, "compliance")
    args = [engagement.pk, foreign.pk]
    assert owner_client.get(reverse("gaps:export", args=args)).status_code == 404
    assert owner_client.get(reverse("gaps:import", args=args)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, assessment):
    response = client.get(urls(assessment)[0])
    assert response.status_code == 302
    assert "signin" in response["Location"]
