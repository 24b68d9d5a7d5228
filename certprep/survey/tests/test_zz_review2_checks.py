"""Review 2: behaviours checked and found right (kept for the record, not failures)."""
from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from certprep.survey.models import Answer, Question, Response
from certprep.survey.services import answers as answer_services
from certprep.survey.services import campaigns as campaign_services
from certprep.survey.tests.factories import person, sent_campaign

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def survey(engagement, owner, catalogue):
    person(engagement, "Li Na", roles=["process_manager"], processes=["incident"])
    return sent_campaign(engagement, owner, keys=("process-incident",))


def _all_required(response):
    for q in response.questionnaire.questions.filter(required=True):
        raw = [{q.columns[0]["key"]: "x"}] if q.kind == "table" else {"yes_no": "no", "scale": "0"}.get(q.kind, "answer")
        answer_services.answer_save(respondent=response.respondent, response=response, question=q, raw=raw, expected_version=None)


def test_attachment_progress_and_required_checks(client, survey):
    _c, tokens = survey
    token = tokens["Li Na"]
    response = Response.objects.get()
    q = Question.objects.get(questionnaire=response.questionnaire, key="procedure-file")
    q.required = True
    q.save()
    _all_required(response)
    assert answer_services.progress(response)[0] == len(list(response.questionnaire.questions.filter(required=True))) - 1
    assert answer_services.response_submit(respondent=response.respondent, response=response) == [q]
    url = reverse("survey:respond_upload", args=[token, response.pk, q.pk])
    assert client.post(url, {"file": SimpleUploadedFile("a.png", PNG)}, HTTP_ACCEPT="application/json").status_code == 200
    answered, _total = answer_services.progress(response)
    page = client.get(reverse("survey:respond_questionnaire", args=[token, response.pk])).content.decode()
    assert f"{answered} of 16 answered" in page
    home = client.get(reverse("survey:respond", args=[token])).content.decode()
    assert f"{answered} of 16 answered" in home
    # flag only, on the attachment question, keeps the file list
    a = Answer.objects.get(response=response, question=q)
    answer_services.answer_save(respondent=response.respondent, response=response, question=q, raw=None, expected_version=a.version, flagged=True, flag_note="x")
    assert Answer.objects.get(pk=a.pk).value == ["a.png"]


def test_submit_reopen_submit_thanks_once(client, owner, survey):
    _c, tokens = survey
    token = tokens["Li Na"]
    response = Response.objects.get()
    _all_required(response)
    mail.outbox.clear()
    url = reverse("survey:respond_submit", args=[token, response.pk])
    assert client.post(url, {}).status_code == 302
    response.refresh_from_db()
    campaign_services.response_reopen(response=response, actor=owner)
    assert client.post(url, {}).status_code == 302
    assert len([m for m in mail.outbox if "Thank you" in m.subject]) == 1


def test_reminder_window_and_once_a_day(owner, survey):
    campaign, _t = survey
    Response.objects.update(status="in_progress")
    today = timezone.localdate()
    for days, expected in [(3, 0), (2, 1), (0, 1), (-1, 0)]:
        type(campaign).objects.filter(pk=campaign.pk).update(deadline=today + datetime.timedelta(days=days))
        campaign.refresh_from_db()
        campaign.respondents.update(reminded_at=None)
        assert campaign_services.reminders_send(campaign=campaign, actor=None, only_due=True) == expected, days
    type(campaign).objects.filter(pk=campaign.pk).update(deadline=today)
    campaign.refresh_from_db()
    assert campaign_services.reminders_send(campaign=campaign, actor=None, only_due=True) == 1
    assert campaign_services.reminders_send(campaign=campaign, actor=None, only_due=True) == 0


def test_links_work_until_midnight_after_deadline_plus_grace(survey, settings):
    campaign, tokens = survey
    settings.TIME_ZONE = "Asia/Shanghai"
    timezone.deactivate()
    type(campaign).objects.filter(pk=campaign.pk).update(deadline=datetime.date(2026, 3, 10), grace_days=2)
    campaign.refresh_from_db()
    assert timezone.localtime(campaign.links_expire_at) == datetime.datetime(2026, 3, 13, 0, 0, tzinfo=timezone.get_current_timezone())
    assert campaign.links_expire_at == datetime.datetime(2026, 3, 12, 16, 0, tzinfo=datetime.UTC)


def test_working_days():
    wd = campaign_services.working_days_between
    fri = datetime.date(2026, 3, 6)
    assert wd(fri, fri + datetime.timedelta(days=3)) == 1  # Mon
    assert wd(fri, fri + datetime.timedelta(days=14)) == 10
    assert wd(fri, fri) == 0
