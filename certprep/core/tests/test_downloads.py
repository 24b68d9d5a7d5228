"""Every file handed out goes through core.downloads: attachment under a safe name, never sniffed, sandboxed."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certprep.core.downloads import download, safe_filename
from certprep.gaps.services import ratings as rating_services
from certprep.gaps.tests.factories import PDF, assessment, rate
from certprep.survey.models import Answer, Attachment, Question, Response
from certprep.survey.services import answers as answer_services
from certprep.survey.tests.factories import person, sent_campaign

SANDBOX = "default-src 'none'; sandbox"


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("proof.pdf", "proof.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("report\r\nSet-Cookie: x=1.pdf", "reportSet-Cookie_ x=1.pdf"),
        ("../../etc/passwd", "_.._etc_passwd"),
        ('a"b\\c.txt', "a_b_c.txt"),
        ("...", "download"),
        ("李娜的证据.pdf", "李娜的证据.pdf"),
        ("x" * 300 + ".docx", "x" * 145 + ".docx"),
    ],
)
def test_a_file_name_is_made_safe_to_save(name, safe):
    assert safe_filename(name) == safe


def test_a_download_is_an_attachment_that_is_never_sniffed_and_runs_nothing():
    response = download(b"<svg onload=alert(1)>", filename="map\u202egvs.html", content_type="image/svg+xml")
    assert response["Content-Disposition"] == 'attachment; filename="mapgvs.html"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX
    assert response["Cache-Control"] == "private, no-store"
    chinese = download(b"x", filename="证据.pdf", content_type="application/pdf")
    assert chinese["Content-Disposition"] == "attachment; filename*=utf-8''%E8%AF%81%E6%8D%AE.pdf"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_evidence_downloads_carry_the_sandbox_policy_that_survey_attachments_get(
    owner_client, engagement, owner, catalogue, media
):
    rated = rate(owner, assessment(engagement, owner), "8.6.1", level=1)
    evidence = rating_services.evidence_add_file(
        rating=rated, actor=owner, upload=SimpleUploadedFile("proof\u202efdp.pdf", PDF)
    )
    person(engagement, "Li Na", roles=["process_manager"], processes=["incident"])
    _campaign, tokens = sent_campaign(engagement, owner, keys=("process-incident",))
    response = Response.objects.get()
    question = Question.objects.get(questionnaire=response.questionnaire, key="procedure-file")
    answer_services.attachment_add(
        respondent=response.respondent, response=response, question=question,
        upload=SimpleUploadedFile("procedure.pdf", PDF),
    )  # fmt: skip
    attachment = Attachment.objects.get(answer__in=Answer.objects.filter(response=response))
    urls = [
        reverse("gaps:evidence_download", args=[engagement.pk, evidence.pk]),
        reverse("survey:attachment", args=[engagement.pk, attachment.pk]),
        reverse("survey:respond_file", args=[tokens["Li Na"], attachment.pk]),
    ]
    for url in urls:
        got = owner_client.get(url)
        assert got.status_code == 200, url
        assert got["Content-Security-Policy"] == SANDBOX, url
        assert got["X-Content-Type-Options"] == "nosniff", url
        assert got["Content-Disposition"].startswith("attachment;"), url
        assert b"".join(got.streaming_content) == PDF
    assert owner_client.get(urls[0])["Content-Disposition"] == 'attachment; filename="prooffdp.pdf"'


@pytest.mark.django_db
def test_generated_exports_go_through_the_same_helper(owner_client, engagement, owner, catalogue):
    baseline = assessment(engagement, owner)
    for url in (
        reverse("survey:people_export", args=[engagement.pk]),
        reverse("survey:people_template", args=[engagement.pk]),
        reverse("responsibilities:export", args=[engagement.pk]),
        reverse("gaps:export", args=[engagement.pk, baseline.pk]),
        reverse("survey:relation_map", args=[engagement.pk]),
    ):
        got = owner_client.get(url)
        assert got.status_code == 200, url
        assert got["Content-Security-Policy"] == SANDBOX, url
        assert got["X-Content-Type-Options"] == "nosniff", url


@pytest.mark.django_db
def test_a_stored_file_missing_from_the_storage_is_not_found_not_a_server_error(
    owner_client, engagement, owner, catalogue, media
):
    rated = rate(owner, assessment(engagement, owner), "8.6.1", level=1)
    evidence = rating_services.evidence_add_file(rating=rated, actor=owner, upload=SimpleUploadedFile("proof.pdf", PDF))
    evidence.file.storage.delete(evidence.file.name)
    assert owner_client.get(reverse("gaps:evidence_download", args=[engagement.pk, evidence.pk])).status_code == 404
