"""An uploaded file keeps a clean name (core.uploads.upload_name): no path, no control or bidirectional character,
whichever way the file arrives (a page, the API, an engagement file)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certprep.core.uploads import checked_upload, upload_name
from certprep.gaps.services import ratings as rating_services
from certprep.gaps.tests.factories import PDF, assessment, rate
from certprep.survey.models import Attachment, Question, Response
from certprep.survey.services import answers as answer_services
from certprep.survey.tests.factories import person, sent_campaign


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("evil\u202egpj.pdf", "evilgpj.pdf"),
        ("\u2067report\u2069 \u200fdraft.docx", "report draft.docx"),
        ("C:\\Users\\ann\\scan\x07\x85.pdf", "scan.pdf"),
        ("../../notes\r\n.txt", "notes.txt"),
        ("  minutes.md ", "minutes.md"),
        ("\u202e\u202c", "file"),
        ("", "file"),
        ("李娜的证据.pdf", "李娜的证据.pdf"),
    ],
)
def test_an_upload_is_named_without_path_control_or_bidirectional_characters(sent, kept):
    assert upload_name(sent) == kept


def test_the_upload_check_answers_with_the_clean_name():
    content_type, _sha256, original = checked_upload(SimpleUploadedFile("evil\u202egpj.pdf", PDF))
    assert (content_type, original) == ("application/pdf", "evilgpj.pdf")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_evidence_and_survey_attachments_are_stored_with_the_bidi_control_removed(engagement, owner, catalogue, media):
    rated = rate(owner, assessment(engagement, owner), "8.6.1", level=1)
    evidence = rating_services.evidence_add_file(
        rating=rated, actor=owner, upload=SimpleUploadedFile("evil\u202egpj.pdf", PDF)
    )
    assert (evidence.original_name, evidence.title) == ("evilgpj.pdf", "evilgpj.pdf")

    person(engagement, "Li Na", roles=["process_manager"], processes=["incident"])
    sent_campaign(engagement, owner, keys=("process-incident",))
    response = Response.objects.get()
    question = Question.objects.get(questionnaire=response.questionnaire, key="procedure-file")
    answer_services.attachment_add(
        respondent=response.respondent, response=response, question=question,
        upload=SimpleUploadedFile("evil\u202egpj.pdf", PDF),
    )  # fmt: skip
    assert Attachment.objects.get().original_name == "evilgpj.pdf"
