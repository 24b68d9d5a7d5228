"""An analyst's discussion mark from a page opened before the respondent wrote a note is refused, not
applied over the respondent's note."""

import pytest
from django.test import Client
from django.urls import reverse

from certprep.survey.choices import ResponseStatus
from certprep.survey.models import Answer, Response
from certprep.survey.tests.factories import person, sent_campaign

pytestmark = pytest.mark.django_db


def test_analyst_flag_with_a_stale_page_does_not_overwrite_the_respondents_note(
    engagement, owner, owner_client, catalogue
):
    person(engagement, "Li Na", roles=["process_manager"], processes=["incident"])
    campaign, tokens = sent_campaign(engagement, owner, keys=("process-incident",))
    response = Response.objects.get(respondent__campaign=campaign)
    q = response.questionnaire.questions.filter(kind="long_text").first()
    url = reverse("survey:respond_autosave", args=[tokens["Li Na"], response.pk, q.pk])
    respondent = Client()
    first = respondent.post(url, {f"q{q.pk}": "first", "version": 0}, HTTP_ACCEPT="application/json")
    answer = Answer.objects.get(response=response, question=q)
    # the analyst opens the response page now: no mark, no note
    owner_client.get(reverse("survey:response", args=[engagement.pk, response.pk]))
    respondent.post(
        url,
        {
            f"q{q.pk}": "first",
            "version": first.json()["version"],
            f"q{q.pk}-flag-sent": "1",
            f"q{q.pk}-flag": "on",
            f"q{q.pk}-flag-note": "RESPONDENT NOTE",
        },
        HTTP_ACCEPT="application/json",
    )
    owner_client.post(
        reverse("survey:answer_flag", args=[engagement.pk, answer.pk]),
        {"flagged": "1", "flag_note": "analyst note", "seen_flagged": "0", "seen_note": ""},
    )
    answer.refresh_from_db()
    assert answer.flag_note == "RESPONDENT NOTE", f"respondent's note silently replaced by {answer.flag_note!r}"


def test_submit_never_silently_discards_the_respondents_latest_text(engagement, owner, owner_client, catalogue):
    person(engagement, "Li Na", roles=["process_manager"], processes=["incident"])
    campaign, tokens = sent_campaign(engagement, owner, keys=("process-incident",))
    response = Response.objects.get(respondent__campaign=campaign)
    response.questionnaire.questions.update(required=False)
    q = response.questionnaire.questions.filter(kind="long_text").first()
    respondent = Client()
    token = tokens["Li Na"]
    saved = respondent.post(
        reverse("survey:respond_autosave", args=[token, response.pk, q.pk]),
        {f"q{q.pk}": "draft", "version": 0},
        HTTP_ACCEPT="application/json",
    )
    seen_version = saved.json()["version"]
    answer = Answer.objects.get(response=response, question=q)
    # meanwhile the analyst marks the answer for the interview (bumps its version)
    owner_client.post(
        reverse("survey:answer_flag", args=[engagement.pk, answer.pk]),
        {"flagged": "1", "flag_note": "explain", "version": answer.version},
    )
    # the respondent finishes the text and submits the form she has open
    form = {f"q{qq.pk}-present": "1" for qq in response.questionnaire.questions.all()}
    form[f"q{q.pk}"] = "FINAL TEXT"
    form[f"q{q.pk}-version"] = str(seen_version)
    respondent.post(reverse("survey:respond_submit", args=[token, response.pk]), form)
    response.refresh_from_db()
    answer.refresh_from_db()
    lost = response.status == ResponseStatus.SUBMITTED and answer.value != "FINAL TEXT"
    assert not lost, f"submitted with {answer.value!r}; the respondent's 'FINAL TEXT' was silently dropped"
    assert answer.flagged
    assert answer.flag_note == "explain"
