"""The campaign page shows each respondent's e-mail as the outbox has it: waiting to be sent, sent with its time,
failed with the reason, restarted after a stopped worker, or no address; in English and Chinese, with the same
queries whatever the number of respondents. Sending the campaign says the invitations are being e-mailed."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certprep.core.models import OutboxMessage
from certprep.core.tests.mail_queue import REFUSING, mail_drain
from certprep.core.timezones import zone
from certprep.survey.models import Respondent
from certprep.survey.services.campaigns import campaign_create
from certprep.survey.services.questionnaires import questionnaire_copy_templates
from certprep.survey.tests.factories import person, sent_campaign

pytestmark = pytest.mark.django_db


def _people(engagement) -> None:
    person(engagement, "Li Na", roles=["process_manager"], processes=["incident"], email="li.na@client-a.example")
    person(engagement, "Chen Wei", roles=["process_manager"], processes=["incident"], email="chen.wei@client-a.example")
    person(engagement, "Zhao Lei", roles=["process_manager"], processes=["incident"], email="")


def _row(html: str, name: str) -> str:
    """The respondents table's row of `name` (its first cell holds the name and the e-mail's state)."""
    table = html.split('id="respondents"', 1)[1]
    row = next(r for r in table.split("<tr>") if f"<bdi>{name}</bdi>" in r)
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


def _page(client, campaign, language: str = "en") -> str:
    url = reverse("survey:campaign", args=[campaign.engagement_id, campaign.pk])
    response = client.get(url, headers={"accept-language": language})
    assert response.status_code == 200
    return response.content.decode()


def _message(campaign, name: str) -> OutboxMessage:
    respondent = Respondent.objects.get(campaign=campaign, person__name=name)
    return OutboxMessage.objects.filter(topic="survey.respondent", object_id=respondent.pk).latest("pk")


def test_each_respondents_e_mail_state_shows_in_english_and_chinese(
    owner_client, engagement, owner, catalogue, settings
):
    _people(engagement)
    campaign, _tokens = sent_campaign(engagement, owner, keys=("process-incident",))

    page = _page(owner_client, campaign)
    assert "e-mail waiting to be sent" in _row(page, "Li Na")
    assert "no e-mail address" in _row(page, "Zhao Lei")

    # Li Na's goes; Chen Wei's was given up after the mail server refused it (as a third refusal leaves it).
    chen = _message(campaign, "Chen Wei")
    OutboxMessage.objects.filter(pk=chen.pk).update(status="failed", message="SMTPRecipientsRefused: 550", body="")
    mail_drain()
    sent_at = _message(campaign, "Li Na").sent_at
    page = _page(owner_client, campaign)
    local = timezone.localtime(sent_at, zone(engagement.time_zone))
    assert f"e-mail sent {local.day} {local:%b} {local.year}, {local:%H:%M}" in _row(page, "Li Na")
    assert "e-mail failed SMTPRecipientsRefused: 550" in _row(page, "Chen Wei")

    zh = _page(owner_client, campaign, "zh-hans")
    assert "邮件已于" in _row(zh, "Li Na")
    assert "邮件发送失败 SMTPRecipientsRefused: 550" in _row(zh, "Chen Wei")
    assert "无电子邮箱" in _row(zh, "Zhao Lei")


def test_a_refused_e_mail_shows_waiting_with_the_retry_and_a_stopped_worker_shows_restarted(
    owner_client, engagement, owner, catalogue, settings
):
    _people(engagement)
    campaign, _tokens = sent_campaign(engagement, owner, keys=("process-incident",))
    settings.MAILERS = REFUSING
    mail_drain()
    row = _row(_page(owner_client, campaign), "Li Na")
    assert "e-mail waiting to be sent" in row
    assert "The mail server refused or did not answer: SMTPRecipientsRefused" in row
    assert "trying again at" in row

    # A worker took Chen Wei's and was killed while sending: the page recovers it before showing it.
    chen = _message(campaign, "Chen Wei")
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    OutboxMessage.objects.filter(pk=chen.pk).update(status="running", attempts=1, heartbeat_at=long_ago)
    assert "e-mail waiting to be sent restarted after the worker stopped" in _row(
        _page(owner_client, campaign), "Chen Wei"
    )
    assert "邮件等待发送 后台进程停止后已重新开始" in _row(_page(owner_client, campaign, "zh-hans"), "Chen Wei")


def test_the_campaign_page_reads_the_e_mail_states_with_the_same_queries_for_few_and_many(
    owner_client, engagement, owner, catalogue
):
    campaign = None
    counts = []
    for size in (2, 12):
        for n in range(size):
            person(engagement, f"Size {size} {n}", roles=["process_manager"], processes=["incident"])
        campaign, _tokens = sent_campaign(engagement, owner, keys=("process-incident",))
        mail_drain()
        with CaptureQueriesContext(connection) as queries:
            page = _page(owner_client, campaign)
        assert page.count("e-mail sent ") >= size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_sending_the_campaign_says_the_invitations_are_being_e_mailed(owner_client, engagement, owner, catalogue):
    _people(engagement)
    questionnaire_copy_templates(engagement=engagement, actor=owner)
    campaign = campaign_create(
        engagement=engagement,
        actor=owner,
        name="Spring survey",
        deadline=timezone.localdate() + datetime.timedelta(days=21),
        questionnaire_ids=list(engagement.questionnaires.filter(key="process-incident").values_list("pk", flat=True)),
    )
    url = reverse("survey:campaign_send", args=[engagement.pk, campaign.pk])
    page = owner_client.post(url, follow=True).content.decode()
    assert "Campaign sent: 2 invitations are being e-mailed; the table shows when each has gone." in page
    assert OutboxMessage.objects.filter(engagement_id=engagement.pk, status="queued").count() == 2


def test_the_api_lists_each_respondents_e_mail_state(client, engagement, owner, catalogue, api_token, settings):
    _people(engagement)
    campaign, _tokens = sent_campaign(engagement, owner, keys=("process-incident",))
    chen = _message(campaign, "Chen Wei")
    OutboxMessage.objects.filter(pk=chen.pk).update(status="failed", message="SMTPRecipientsRefused: 550", body="")
    mail_drain()
    url = f"/api/v1/engagements/{engagement.pk}/campaigns/{campaign.pk}/respondents"
    items = client.get(url, HTTP_AUTHORIZATION=f"Bearer {api_token(owner)}").json()["items"]
    by_name = {item["person"]["name"]: item for item in items}
    assert by_name["Li Na"]["mail_state"] == "done"
    assert by_name["Li Na"]["mail_sent_at"] is not None
    assert by_name["Li Na"]["mail_message"] == ""
    assert (by_name["Chen Wei"]["mail_state"], by_name["Chen Wei"]["mail_message"]) == (
        "failed",
        "SMTPRecipientsRefused: 550",
    )
    assert (by_name["Zhao Lei"]["mail_state"], by_name["Zhao Lei"]["mail_sent_at"]) == (None, None)
