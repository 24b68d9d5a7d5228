"""The respondents' autosave runs at every pause in typing, by everyone at once: it does a fixed, small amount
of work whatever the survey's size, checks the link on every save, and reports progress that stays right."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client
from django.test.client import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certprep.survey.models import Answer, Campaign, Question, Respondent, Response
from certprep.survey.services import campaigns as campaign_services
from certprep.survey.tests.factories import person, sent_campaign

# One save of a text answer: the link with its response, the question, the stored answer, the update (which
# checks the version read and that the response is still open), the progress count. The first save of a
# question inserts its row instead of updating it, and marks the response started.
AUTOSAVE_QUERIES = 5
_TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def _statements(captured: CaptureQueriesContext) -> list[str]:
    """The SQL statements run, without the transaction's own BEGIN, COMMIT and savepoints."""
    return [
        q["sql"] for q in captured.captured_queries if not q["sql"].lstrip().upper().startswith(_TRANSACTION_CONTROL)
    ]


def _survey(engagement, owner, people: int, name: str = "Respondent") -> dict[str, str]:
    for n in range(people):
        person(engagement, f"{name} {n:02d}", roles=["process_manager"], processes=["incident"])
    _campaign, tokens = sent_campaign(engagement, owner, keys=("process-incident",))
    return tokens


def _text_questions(response: Response) -> list[Question]:
    return list(response.questionnaire.questions.filter(kind__in=("short_text", "long_text")).order_by("order", "id"))


def _save(browser: Client, token: str, response: Response, question: Question, value: str, version: int):
    url = reverse("survey:respond_autosave", args=[token, response.pk, question.pk])
    return browser.post(url, {f"q{question.pk}": value, "version": version}, HTTP_ACCEPT="application/json")


def _fill(token: str, response: Response, questions: list[Question]) -> None:
    browser = Client()
    for question in questions:
        assert _save(browser, token, response, question, f"answer to {question.key}", 0).status_code == 200


def _queries_of_one_save(token: str, response: Response, question: Question) -> list[str]:
    browser = Client()
    version = Answer.objects.get(response=response, question=question).version
    with CaptureQueriesContext(connection) as captured:
        reply = _save(browser, token, response, question, "changed again", version)
    assert reply.status_code == 200, reply.content
    assert not reply.cookies  # no session is made or written, no cookie set again
    return _statements(captured)


@pytest.mark.django_db
def test_an_autosave_runs_five_queries_whatever_the_number_of_respondents_and_answers(engagement, owner, catalogue):
    tokens = _survey(engagement, owner, people=1)
    small = Response.objects.get()
    questions = _text_questions(small)
    _fill(tokens["Respondent 00"], small, questions[:1])
    few = _queries_of_one_save(tokens["Respondent 00"], small, questions[0])

    Campaign.objects.all().delete()
    tokens = _survey(engagement, owner, people=12, name="Colleague")
    for name, token in tokens.items():
        response = Response.objects.get(respondent__person__name=name)
        _fill(token, response, _text_questions(response))
    large = Response.objects.get(respondent__person__name="Colleague 11")
    many = _queries_of_one_save(tokens["Colleague 11"], large, _text_questions(large)[-1])

    assert len(few) == len(many) == AUTOSAVE_QUERIES, "\n".join(many)


@pytest.mark.django_db
def test_the_first_save_of_a_question_adds_only_its_row(engagement, owner, catalogue):
    tokens = _survey(engagement, owner, people=1)
    response = Response.objects.get()
    question = _text_questions(response)[0]
    with CaptureQueriesContext(connection) as captured:
        assert _save(Client(), tokens["Respondent 00"], response, question, "first words", 0).status_code == 200
    statements = _statements(captured)
    # The first save also marks the response started.
    assert len(statements) == AUTOSAVE_QUERIES + 1, "\n".join(statements)
    assert sum(s.lstrip().upper().startswith("INSERT") for s in statements) == 1


@pytest.mark.django_db
def test_progress_counts_this_respondents_answers_up_and_down(engagement, owner, catalogue):
    tokens = _survey(engagement, owner, people=2)
    mine = Response.objects.get(respondent__person__name="Respondent 00")
    theirs = Response.objects.get(respondent__person__name="Respondent 01")
    first, second = _text_questions(mine)[:2]
    _fill(tokens["Respondent 01"], theirs, _text_questions(theirs))  # never counted as mine
    browser = Client()
    total = mine.questionnaire.questions.count()

    one = _save(browser, tokens["Respondent 00"], mine, first, "We log every call.", 0).json()
    two = _save(browser, tokens["Respondent 00"], mine, second, "The service desk.", 0).json()
    cleared = _save(browser, tokens["Respondent 00"], mine, first, "   ", one["version"]).json()

    assert (one["answered"], two["answered"], cleared["answered"]) == (1, 2, 1)
    assert one["total"] == two["total"] == cleared["total"] == total
    # The page keeps the latest count even when an older reply arrives last.
    assert one["progress_at"] < two["progress_at"] < cleared["progress_at"]
    assert Answer.objects.get(response=mine, question=first).value is None


@pytest.mark.django_db
def test_every_save_checks_the_link_again(engagement, owner, catalogue):
    tokens = _survey(engagement, owner, people=2)
    response = Response.objects.get(respondent__person__name="Respondent 00")
    question = _text_questions(response)[0]
    token = tokens["Respondent 00"]
    browser = Client()
    assert _save(browser, token, response, question, "before", 0).status_code == 200

    respondent = Respondent.objects.get(pk=response.respondent_id)
    campaign_services.link_revoke(respondent=respondent, actor=owner)
    revoked = _save(browser, token, response, question, "after the link was revoked", 1)
    assert revoked.status_code == 404
    assert "no longer works" in revoked.json()["detail"]

    Respondent.objects.filter(pk=respondent.pk).update(revoked_at=None)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Campaign.objects.update(deadline=yesterday - datetime.timedelta(days=30), grace_days=0)
    assert _save(browser, token, response, question, "after the links expired", 1).status_code == 404

    Campaign.objects.update(deadline=timezone.localdate() + datetime.timedelta(days=10))
    campaign_services.campaign_close(campaign=Campaign.objects.get(), actor=owner)
    assert _save(browser, token, response, question, "after the campaign closed", 1).status_code == 404

    assert Answer.objects.get(response=response, question=question).value == "before"


@pytest.mark.django_db
def test_a_working_link_cannot_save_into_another_respondents_questionnaire(engagement, owner, catalogue):
    tokens = _survey(engagement, owner, people=2)
    other = Response.objects.get(respondent__person__name="Respondent 01")
    question = _text_questions(other)[0]
    reply = _save(Client(), tokens["Respondent 00"], other, question, "not mine", 0)
    assert reply.status_code == 404
    assert "no longer works" not in reply.content.decode()  # the link works; this questionnaire is not theirs
    assert not Answer.objects.filter(response=other).exists()


@pytest.mark.django_db
def test_a_question_of_another_questionnaire_is_answered_as_removed(engagement, owner, catalogue):
    tokens = _survey(engagement, owner, people=1)
    response = Response.objects.get()
    elsewhere = Question.objects.exclude(questionnaire=response.questionnaire).filter(
        questionnaire__engagement=engagement
    )[0]
    url = reverse("survey:respond_autosave", args=[tokens["Respondent 00"], response.pk, elsewhere.pk])
    reply = Client().post(url, {f"q{elsewhere.pk}": "x", "version": 0}, HTTP_ACCEPT="application/json")
    assert reply.status_code == 410
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_a_submitted_questionnaire_takes_no_more_autosaves(engagement, owner, catalogue):
    tokens = _survey(engagement, owner, people=1)
    response = Response.objects.get()
    question = _text_questions(response)[0]
    Response.objects.filter(pk=response.pk).update(status="submitted", submitted_at=timezone.now())
    reply = _save(Client(), tokens["Respondent 00"], response, question, "too late", 0)
    assert reply.status_code == 400
    assert "submitted" in reply.json()["detail"]
    assert not Answer.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_served_requests_keep_their_database_connection():
    """Opening a database connection costs more than a whole autosave: the server keeps one per thread
    between requests (CONN_MAX_AGE) instead of opening one for every request."""
    handler = WSGIHandler()

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: object = None
    ) -> Callable[[bytes], object]:
        return lambda data: None

    def serve() -> None:
        environ = RequestFactory().get("/healthz").environ
        environ["wsgi.input"] = io.BytesIO(b"")
        body = handler(environ, start_response)
        b"".join(body)
        body.close()  # the end of the request, where Django closes connections that are not to be kept

    serve()
    kept = connection.connection
    serve()
    assert kept is not None
    assert connection.connection is kept


def _interrupted_save(monkeypatch, engagement, owner, meanwhile: Callable[[Response, Question], None]):
    """A save whose read of the stored answer is followed, before its write, by `meanwhile`."""
    from certprep.survey.services import answers

    tokens = _survey(engagement, owner, people=1)
    response = Response.objects.get()
    question = _text_questions(response)[0]
    _fill(tokens["Respondent 00"], response, [question])
    read = answers._answer_state
    calls = []

    def read_then_interrupt(response_arg, question_arg):
        state = read(response_arg, question_arg)
        if not calls:
            meanwhile(response_arg, question_arg)
        calls.append(1)
        return state

    monkeypatch.setattr(answers, "_answer_state", read_then_interrupt)
    reply = _save(Client(), tokens["Respondent 00"], response, question, "typed meanwhile", 1)
    return reply, Answer.objects.get(response=response, question=question)


@pytest.mark.django_db
def test_a_submit_between_the_read_and_the_write_keeps_the_submitted_answer(monkeypatch, engagement, owner, catalogue):
    def submit(response, _question):
        Response.objects.filter(pk=response.pk).update(status="submitted")

    reply, stored = _interrupted_save(monkeypatch, engagement, owner, submit)
    assert reply.status_code == 400
    assert "submitted" in reply.json()["detail"]
    assert stored.value == f"answer to {stored.question.key}"
    assert stored.version == 1


@pytest.mark.django_db
def test_another_window_saving_between_the_read_and_the_write_is_a_conflict(monkeypatch, engagement, owner, catalogue):
    def other_window(response, question):
        Answer.objects.filter(response=response, question=question).update(value="from the other window", version=2)

    reply, stored = _interrupted_save(monkeypatch, engagement, owner, other_window)
    assert reply.status_code == 409
    assert reply.json()["value"] == "from the other window"
    assert reply.json()["version"] == 2
    assert stored.value == "from the other window"
