"""The respondent's autosave always carries the version the page last saw, and its reply tells when the
answer was saved."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certprep.survey.models import Answer, Question, Response
from certprep.survey.tests.factories import person, sent_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(engagement, owner, catalogue):
    person(engagement, "Li Na", roles=["process_manager"], processes=["incident"])
    _campaign, tokens = sent_campaign(engagement, owner, keys=("process-incident",))
    response = Response.objects.get()
    question = Question.objects.get(questionnaire=response.questionnaire, key="definition")
    url = reverse("survey:respond_autosave", args=[tokens["Li Na"], response.pk, question.pk])
    return url, question


def _post(url, data):
    return Client().post(url, data, HTTP_ACCEPT="application/json")


@pytest.mark.parametrize("version", [None, "", "latest", "-1"])
def test_an_autosave_without_a_version_is_refused_and_overwrites_nothing(page, version):
    url, question = page
    assert _post(url, {f"q{question.pk}": "first", "version": 0}).status_code == 200
    data = {f"q{question.pk}": "sent without a version"}
    if version is not None:
        data["version"] = version
    refused = _post(url, data)
    assert refused.status_code == 400
    assert refused.json() == {
        "detail": "The answer was sent without the version the page last saw. Reload the page.",
        "field": "version",
    }
    assert Answer.objects.get(question=question).value == "first"


def test_the_reply_to_an_update_shows_when_this_save_happened(page):
    url, question = page
    assert _post(url, {f"q{question.pk}": "first", "version": 0}).status_code == 200
    long_ago = datetime.datetime(2001, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)
    Answer.objects.filter(question=question).update(updated_at=long_ago)
    updated = _post(url, {f"q{question.pk}": "second", "version": 1})
    assert updated.status_code == 200
    stored = Answer.objects.get(question=question)
    assert stored.updated_at > long_ago
    assert updated.json()["saved_at"] == timezone.localtime(stored.updated_at).strftime("%H:%M:%S")
    assert updated.json()["version"] == 2
