"""The respondent's side, through the real pages: personal links, autosave, conflicts, files, submit."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from certprep.core.tests.mail_queue import mail_drain
from certprep.survey.models import Answer, Attachment, Question, Response
from certprep.survey.tests.factories import person, sent_campaign

pytestmark = pytest.mark.django_db
SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def survey(engagement, owner, catalogue):
    person(engagement, "Chen Wei", roles=["top_management"])
    person(engagement, "Li Na", roles=["process_manager"], processes=["incident"])
    campaign, tokens = sent_campaign(engagement, owner)
    return campaign, tokens


def _signed_in(user):
    browser = Client()
    browser.force_login(user)
    return browser


def _response(name, key):
    return Response.objects.get(respondent__person__name=name, questionnaire__key=key)


def _autosave(client, token, response, question, data, version=0):
    url = reverse("survey:respond_autosave", args=[token, response.pk, question.pk])
    return client.post(url, {**data, "version": version}, HTTP_ACCEPT="application/json")


def test_the_link_opens_only_that_persons_questionnaires_without_signing_in(client, survey):
    _campaign, tokens = survey
    page = client.get(reverse("survey:respond", args=[tokens["Li Na"]]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Welcome, Li Na" in body
    assert "Incident management" in body
    assert "Management system" not in body
    assert page["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("token", ["forged-token", "x" * 43, "A" * 200])
def test_a_wrong_link_gets_a_clear_page_that_reveals_nothing(client, survey, token):
    page = client.get(reverse("survey:respond", args=[token]))
    assert page.status_code == 404
    body = page.content.decode()
    assert "This link does not work" in body
    assert "Li Na" not in body
    assert "Client A" not in body


def test_autosave_stores_the_answer_and_reports_progress(client, survey):
    _c, tokens = survey
    response = _response("Li Na", "process-incident")
    question = Question.objects.get(questionnaire=response.questionnaire, key="definition")
    result = _autosave(
        client, tokens["Li Na"], response, question, {f"q{question.pk}": "We log every call in the tool."}
    )
    assert result.status_code == 200, result.content
    data = result.json()
    assert data["version"] == 1
    assert data["answered"] == 1
    assert data["total"] == response.questionnaire.questions.count()
    assert Answer.objects.get(response=response, question=question).value == "We log every call in the tool."
    response.refresh_from_db()
    assert response.status == "in_progress"


def test_a_second_tab_with_an_old_version_gets_a_conflict_not_an_overwrite(client, survey):
    _c, tokens = survey
    response = _response("Li Na", "process-incident")
    question = Question.objects.get(questionnaire=response.questionnaire, key="definition")
    assert (
        _autosave(client, tokens["Li Na"], response, question, {f"q{question.pk}": "first tab"}, version=0).status_code
        == 200
    )
    stale = _autosave(client, tokens["Li Na"], response, question, {f"q{question.pk}": "second tab"}, version=0)
    assert stale.status_code == 409
    # The API's error shape, with the stored answer to offer beside the one typed.
    assert (
        stale.json()["detail"]
        == "This answer was changed in another window since you opened it. Choose which one to keep."
    )
    assert stale.json()["field"] is None
    assert stale.json()["conflict"] is True
    assert stale.json()["value"] == "first tab"
    assert stale.json()["text"] == "first tab"
    assert stale.json()["version"] == 1
    assert Answer.objects.get(response=response, question=question).value == "first tab"
    kept = _autosave(client, tokens["Li Na"], response, question, {f"q{question.pk}": "second tab"}, version=1)
    assert kept.status_code == 200
    assert Answer.objects.get(response=response, question=question).value == "second tab"


def test_a_link_cannot_reach_another_respondents_answers(client, survey):
    _c, tokens = survey
    other = _response("Chen Wei", "management-system")
    question = other.questionnaire.questions.first()
    result = _autosave(client, tokens["Li Na"], other, question, {f"q{question.pk}": "not mine"})
    assert result.status_code == 404
    assert not Answer.objects.filter(response=other).exists()
    assert client.get(reverse("survey:respond_questionnaire", args=[tokens["Li Na"], other.pk])).status_code == 404


def test_every_question_type_is_checked_and_stored(client, survey):
    _c, tokens = survey
    response = _response("Li Na", "process-incident")
    questions = {q.key: q for q in response.questionnaire.questions.all()}
    inputs, relations, exists, maturity, volume, review = (
        questions["inputs"], questions["relations"], questions["procedure-exists"],
        questions["maturity"], questions["volume"], questions["last-review"],
    )  # fmt: skip
    token = tokens["Li Na"]
    assert (
        _autosave(
            client,
            token,
            response,
            inputs,
            {f"q{inputs.pk}-r0-item": "Calls", f"q{inputs.pk}-r0-source": "Users", f"q{inputs.pk}-r1-item": ""},
        ).status_code
        == 200
    )
    assert _autosave(client, token, response, relations, {f"q{relations.pk}": ["problem", "change"]}).status_code == 200
    assert _autosave(client, token, response, exists, {f"q{exists.pk}": "no"}).status_code == 200
    assert _autosave(client, token, response, maturity, {f"q{maturity.pk}": "3"}).status_code == 200
    assert _autosave(client, token, response, volume, {f"q{volume.pk}": "1,250"}).status_code == 200
    assert _autosave(client, token, response, review, {f"q{review.pk}": "2026-03-01"}).status_code == 200
    values = {a.question.key: a.value for a in Answer.objects.filter(response=response).select_related("question")}
    assert values == {
        "inputs": [{"item": "Calls", "source": "Users"}],
        "relations": ["problem", "change"],
        "procedure-exists": "no",
        "maturity": 3,
        "volume": 1250,
        "last-review": "2026-03-01",
    }
    for question, bad in [
        (maturity, "9"),
        (volume, "lots"),
        (review, "next week"),
        (exists, "maybe"),
        (relations, ["incident-x"]),
    ]:
        result = _autosave(client, token, response, question, {f"q{question.pk}": bad}, version=1)
        assert result.status_code == 400, (question.key, result.content)
        assert result.json()["detail"]


def test_script_in_answers_is_shown_escaped_to_respondent_and_owner(client, owner, survey, engagement):
    _c, tokens = survey
    response = _response("Li Na", "process-incident")
    question = Question.objects.get(questionnaire=response.questionnaire, key="definition")
    _autosave(
        client,
        tokens["Li Na"],
        response,
        question,
        {
            f"q{question.pk}": SCRIPT,
            f"q{question.pk}-flag-sent": "1",
            f"q{question.pk}-flag": "on",
            f"q{question.pk}-flag-note": SCRIPT,
        },
    )
    for page in (
        client.get(reverse("survey:respond_questionnaire", args=[tokens["Li Na"], response.pk])),
        _signed_in(owner).get(reverse("survey:response", args=[engagement.pk, response.pk])),
    ):
        body = page.content.decode()
        assert SCRIPT not in body
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body


def test_submit_refuses_missing_required_answers_then_submits_and_thanks(client, survey):
    _c, tokens = survey
    response = _response("Li Na", "process-incident")
    url = reverse("survey:respond_submit", args=[tokens["Li Na"], response.pk])
    refused = client.post(url, {})
    assert refused.status_code == 400
    assert "Required: answer this question" in refused.content.decode()
    required = list(response.questionnaire.questions.filter(required=True))
    data = {}
    for q in required:
        data[f"q{q.pk}-present"] = "1"
        if q.kind == "table":
            data[f"q{q.pk}-r0-{q.columns[0]['key']}"] = "x"
        elif q.kind == "yes_no":
            data[f"q{q.pk}"] = "yes"
        elif q.kind in ("single_choice", "multiple_choice"):
            data[f"q{q.pk}"] = q.options[0]["value"]
        elif q.kind == "process_ref":
            data[f"q{q.pk}"] = "problem"
        elif q.kind == "scale":
            data[f"q{q.pk}"] = "2"
        elif q.kind == "number":
            data[f"q{q.pk}"] = "5"
        elif q.kind == "date":
            data[f"q{q.pk}"] = "2026-01-01"
        else:
            data[f"q{q.pk}"] = "answer"
    mail_drain()
    mail.outbox.clear()
    done = client.post(url, data)
    assert done.status_code == 302
    response.refresh_from_db()
    assert response.status == "submitted"
    mail_drain()
    assert [m.to for m in mail.outbox] == [["Li Na <li.na@client-a.example>"]]
    assert "Thank you" in mail.outbox[0].subject
    q = required[0]
    late = _autosave(client, tokens["Li Na"], response, q, {f"q{q.pk}": "late change"}, version=1)
    assert late.status_code == 400
    assert "submitted" in late.json()["detail"]


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _upload(client, token, response, question, name, content):
    url = reverse("survey:respond_upload", args=[token, response.pk, question.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content)}, HTTP_ACCEPT="application/json")


def test_evidence_files_are_checked_by_content_and_served_only_to_the_right_people(
    client, owner, outsider, survey, engagement
):
    _c, tokens = survey
    response = _response("Li Na", "process-incident")
    question = Question.objects.get(questionnaire=response.questionnaire, key="procedure-file")
    token = tokens["Li Na"]
    assert (
        _upload(client, token, response, question, "procedure.pdf", b"MZ\x90\x00 this is a program").status_code == 400
    )
    assert _upload(client, token, response, question, "tool.exe", b"MZ\x90\x00").status_code == 400
    assert _upload(client, token, response, question, "notes.txt", b"\x00\x01binary").status_code == 400
    big = io.BytesIO(b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))
    assert _upload(client, token, response, question, "big.pdf", big.getvalue()).status_code == 400
    ok = _upload(client, token, response, question, "flow chart.png", PNG)
    assert ok.status_code == 200, ok.content
    attachment = Attachment.objects.get()
    assert attachment.original_name == "flow chart.png"
    assert "flow" not in attachment.file.name
    assert Answer.objects.get(response=response, question=question).value == ["flow chart.png"]
    own = client.get(reverse("survey:respond_file", args=[token, attachment.pk]))
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == PNG
    assert own["Content-Disposition"].startswith("attachment")
    assert client.get(reverse("survey:respond_file", args=[tokens["Chen Wei"], attachment.pk])).status_code == 404
    member, stranger = Client(), Client()
    member.force_login(owner)
    stranger.force_login(outsider)
    assert member.get(reverse("survey:attachment", args=[engagement.pk, attachment.pk])).status_code == 200
    assert stranger.get(reverse("survey:attachment", args=[engagement.pk, attachment.pk])).status_code == 404


def test_a_plain_zip_or_a_spreadsheet_named_like_a_word_document_is_refused(client, survey):
    import zipfile

    from openpyxl import Workbook

    _c, tokens = survey
    response = _response("Li Na", "process-incident")
    question = Question.objects.get(questionnaire=response.questionnaire, key="procedure-file")
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as package:
        package.writestr("payload.exe", b"MZ")
    workbook = io.BytesIO()
    Workbook().save(workbook)
    assert _upload(client, tokens["Li Na"], response, question, "procedure.docx", plain.getvalue()).status_code == 400
    assert (
        _upload(client, tokens["Li Na"], response, question, "procedure.docx", workbook.getvalue()).status_code == 400
    )
    assert (
        _upload(client, tokens["Li Na"], response, question, "procedure.xlsx", workbook.getvalue()).status_code == 200
    )


@pytest.mark.parametrize(
    ("typed", "stored"), [("3,5", 3.5), ("1,250", 1250), ("1.250,5", 1250.5), ("1,250.5", 1250.5), ("0", 0)]
)
def test_numbers_are_read_as_people_write_them(client, survey, typed, stored):
    _c, tokens = survey
    response = _response("Li Na", "process-incident")
    volume = Question.objects.get(questionnaire=response.questionnaire, key="volume")
    assert _autosave(client, tokens["Li Na"], response, volume, {f"q{volume.pk}": typed}).status_code == 200
    assert Answer.objects.get(response=response, question=volume).value == stored
