"""Files in an S3-compatible object store (moto's server over HTTP): stored privately, handed out only through
certprep's access checks, and deleted with the rows that name them."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certprep.core.tests.s3 import running_store
from certprep.engagements.models import Engagement
from certprep.gaps.models import Evidence, Rating
from certprep.gaps.services import assessments
from certprep.gaps.tests.world import gap_world
from certprep.planning.exchange import staging
from certprep.reports.models import ReportBuild, ReportFile
from certprep.survey.models import Attachment
from certprep.survey.tests.factories import survey_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def object_store(settings):
    with running_store(settings) as store:
        yield store


PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def bearer(api_token, user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token(user)}"}


def body(response) -> bytes:
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)


@pytest.fixture
def rating(engagement, owner, catalogue):
    import datetime

    assessment = assessments.assessment_create(
        engagement=engagement, actor=owner, name="Baseline", assessed_on=datetime.date(2026, 3, 1)
    )
    found = assessment.ratings.order_by("requirement__order").first()
    assert found is not None
    return found


def test_an_evidence_file_is_a_private_object_handed_out_to_members_only_and_deleted_with_its_row(
    object_store, client, owner, outsider, engagement, rating: Rating, api_token, django_capture_on_commit_callbacks
):
    api = f"/api/v1/engagements/{engagement.pk}/gaps"
    uploaded = client.post(
        f"{api}/ratings/{rating.pk}/evidence/file",
        {"file": SimpleUploadedFile("procedure.pdf", PDF), "title": "Incident procedure"},
        **bearer(api_token, owner),
    )
    assert uploaded.status_code == 201, uploaded.content
    evidence = Evidence.objects.get(pk=uploaded.json()["id"])
    key = object_store.key(evidence.file.name)
    assert object_store.keys(f"evidence/{engagement.pk}") == [key]
    assert object_store.client.get_object(Bucket=object_store.bucket, Key=key)["Body"].read() == PDF
    assert object_store.public_grants(evidence.file.name) == []

    assert body(client.get(f"{api}/evidence/{evidence.pk}/download", **bearer(api_token, owner))) == PDF
    page = reverse("gaps:evidence_download", args=[engagement.pk, evidence.pk])
    client.force_login(owner)
    assert body(client.get(page)) == PDF

    client.force_login(outsider)
    assert client.get(page).status_code == 404
    assert client.get(f"{api}/evidence/{evidence.pk}/download", **bearer(api_token, outsider)).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        deleted = client.delete(f"{api}/evidence/{evidence.pk}", **bearer(api_token, owner))
    assert deleted.status_code == 204
    assert object_store.keys("evidence") == []


def test_a_survey_attachment_and_a_report_file_stream_from_the_bucket_to_members(
    object_store, client, owner, outsider, engagement, catalogue
):
    attachment: Attachment = survey_world(engagement, owner)["attachment"]
    build = ReportBuild.objects.create(engagement=engagement, documents=["plan"], languages=["en"], formats=["pdf"])
    report = ReportFile(build=build, document="plan", language="en", format="pdf", name="plan.pdf", size=len(PDF))
    report.file.save("plan.pdf", ContentFile(PDF), save=True)
    assert object_store.keys(f"survey/{engagement.pk}") == [object_store.key(attachment.file.name)]
    assert object_store.keys(f"reports/{engagement.pk}") == [object_store.key(report.file.name)]
    assert object_store.public_grants(report.file.name) == []

    pages = [
        (reverse("survey:attachment", args=[engagement.pk, attachment.pk]), b"secret-scope-marker"),
        (reverse("reports:file", args=[engagement.pk, report.pk]), PDF),
    ]
    client.force_login(owner)
    for page, content in pages:
        assert body(client.get(page)) == content
    client.force_login(outsider)
    for page, _content in pages:
        assert client.get(page).status_code == 404


def test_a_respondent_removing_an_attachment_removes_its_object_after_the_commit(
    object_store, client, owner, engagement, catalogue, django_capture_on_commit_callbacks
):
    from certprep.survey.services.campaigns import respondent_token

    attachment: Attachment = survey_world(engagement, owner)["attachment"]
    token = respondent_token(attachment.answer.response.respondent)
    assert body(client.get(reverse("survey:respond_file", args=[token, attachment.pk]))) == b"secret-scope-marker"
    with django_capture_on_commit_callbacks(execute=False) as pending:
        removed = client.post(reverse("survey:respond_file_delete", args=[token, attachment.pk]))
    assert removed.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert object_store.keys(f"survey/{engagement.pk}") != []  # not before the commit
    for callback in pending:
        callback()
    assert object_store.keys("survey") == []


def test_a_plan_file_waits_for_its_import_in_the_bucket_and_goes_once_imported(object_store, engagement, owner):
    token = staging.stage(engagement_id=engagement.pk, user_id=owner.pk, data=b"<Project/>", file_name="plan.xml")
    assert object_store.keys(f"plan-imports/{engagement.pk}") == [
        object_store.key(f"plan-imports/{engagement.pk}/{owner.pk}/{token}.xml")
    ]
    assert staging.staged(engagement_id=engagement.pk, user_id=owner.pk, token=token) == b"<Project/>"
    # The next upload replaces the one waiting; the import removes it.
    second = staging.stage(engagement_id=engagement.pk, user_id=owner.pk, data=b"<Project/>", file_name="plan.xml")
    assert len(object_store.keys(f"plan-imports/{engagement.pk}")) == 1
    staging.unstage(engagement_id=engagement.pk, user_id=owner.pk)
    assert object_store.keys("plan-imports") == []
    assert second != token


def test_deleting_the_engagement_deletes_every_object_it_has_and_nothing_of_another(
    object_store, client, owner, outsider, engagement, catalogue, api_token, django_capture_on_commit_callbacks
):
    gap_world(engagement, owner)
    survey_world(engagement, owner)
    staging.stage(engagement_id=engagement.pk, user_id=owner.pk, data=b"<Project/>", file_name="plan.xml")
    build = ReportBuild.objects.create(engagement=engagement, documents=["plan"], languages=["en"], formats=["pdf"])
    ReportFile(build=build, document="plan", language="en", format="pdf", name="plan.pdf").file.save(
        "plan.pdf", ContentFile(PDF), save=True
    )
    default_storage.save(f"reports/{engagement.pk}/999/left-behind.pdf", ContentFile(PDF))  # no row names it
    other = Engagement.objects.get(memberships__user=outsider)
    kept = default_storage.save(f"evidence/{other.pk}/theirs", ContentFile(PDF))
    folders = [f"{kind}/{engagement.pk}" for kind in ("evidence", "survey", "reports", "plan-imports")]
    assert all(object_store.keys(folder) for folder in folders)

    with django_capture_on_commit_callbacks(execute=True):
        deleted = client.delete(
            f"/api/v1/engagements/{engagement.pk}?version={engagement.version}", **bearer(api_token, owner)
        )
    assert deleted.status_code == 204, deleted.content
    assert [object_store.keys(folder) for folder in folders] == [[], [], [], []]
    assert object_store.keys() == [object_store.key(kept)]
    assert not Engagement.objects.filter(pk=engagement.pk).exists()
    assert not Evidence.objects.filter(rating__assessment__engagement_id=engagement.pk).exists()
    assert not ReportBuild.objects.filter(engagement_id=engagement.pk).exists()
