"""Reminders: "Send reminders now" asks first, says who gets one, and nobody gets a second reminder within the
stated interval, whether it came from the page or from the daily command; a refused re-send says why."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from certprep.core.tests.mail_queue import mail_drain
from certprep.survey.choices import CampaignStatus, ResponseStatus
from certprep.survey.models import Respondent
from certprep.survey.services.campaigns import REMINDER_INTERVAL, REMINDER_INTERVAL_HOURS, reminders_run, reminders_send
from certprep.survey.tests.interview_world import campaign, management_questionnaire, person, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_campaign(engagement):
    spring = campaign(engagement)
    spring.deadline = timezone.localdate() + datetime.timedelta(days=1)
    spring.status = CampaignStatus.OPEN
    spring.save(update_fields=["deadline", "status"])
    questionnaire = management_questionnaire(engagement)
    spring.questionnaires.set([questionnaire])
    respond(spring, person(engagement, "Ann Lee"), questionnaire, status=ResponseStatus.IN_PROGRESS)
    respond(spring, person(engagement, "Bo Chen"), questionnaire, status=ResponseStatus.SUBMITTED)
    return spring


def _url(name, campaign):
    return reverse(f"survey:{name}", args=[campaign.engagement_id, campaign.pk])


def test_reminders_twice_within_the_interval_send_once(open_campaign, owner):
    assert reminders_send(campaign=open_campaign, actor=owner) == 1
    second = reminders_run(campaign=open_campaign, actor=owner)
    assert second.sent == 0
    assert second.recent == 1
    mail_drain()
    assert len(mail.outbox) == 1
    assert "ann.lee@client-a.example" in mail.outbox[0].to[0]


def test_after_the_interval_the_person_is_reminded_again(open_campaign, owner):
    reminders_send(campaign=open_campaign, actor=owner)
    later = timezone.now() + REMINDER_INTERVAL + datetime.timedelta(minutes=1)
    assert reminders_run(campaign=open_campaign, actor=owner, now=later).sent == 1
    mail_drain()
    assert len(mail.outbox) == 2


def test_the_daily_command_does_not_repeat_a_reminder_sent_from_the_page(open_campaign, owner, client):
    reminders_send(campaign=open_campaign, actor=owner)
    call_command("send_survey_reminders")
    call_command("send_survey_reminders")
    mail_drain()
    assert len(mail.outbox) == 1


def test_send_reminders_now_asks_first_and_sends_nothing_until_confirmed(owner_client, open_campaign):
    page = owner_client.get(_url("campaign", open_campaign)).content.decode()
    assert f'href="{_url("campaign_remind", open_campaign)}"' in page  # a link to the confirmation, not a sending form
    assert f"at most one reminder in {REMINDER_INTERVAL_HOURS} hours" in page
    confirm = owner_client.get(_url("campaign_remind", open_campaign))
    text = confirm.content.decode()
    assert confirm.status_code == 200
    assert "1 person who has not submitted everything will get a reminder" in text
    assert "Send 1 reminder" in text
    mail_drain()
    assert mail.outbox == []
    owner_client.post(_url("campaign_remind", open_campaign))
    mail_drain()
    assert len(mail.outbox) == 1


def test_a_refused_re_send_says_why(owner_client, open_campaign):
    owner_client.post(_url("campaign_remind", open_campaign))
    response = owner_client.post(_url("campaign_remind", open_campaign), follow=True)
    text = response.content.decode()
    assert f"1 person was not reminded again: they had a reminder less than {REMINDER_INTERVAL_HOURS} hours ago" in text
    mail_drain()
    assert len(mail.outbox) == 1
    confirm = owner_client.get(_url("campaign_remind", open_campaign)).content.decode()
    assert "will not get another one now" in confirm
    assert "Send 0" not in confirm


def test_a_closed_campaign_refuses_reminders_and_says_so(owner_client, open_campaign):
    open_campaign.status = CampaignStatus.CLOSED
    open_campaign.save(update_fields=["status"])
    response = owner_client.post(_url("campaign_remind", open_campaign), follow=True)
    assert "Only an open campaign sends reminders." in response.content.decode()
    mail_drain()
    assert mail.outbox == []


def test_the_reminder_subject_writes_the_deadline_in_the_language_format(open_campaign, owner):
    reminders_send(campaign=open_campaign, actor=owner)
    deadline = open_campaign.deadline
    mail_drain()
    assert mail.outbox[0].subject.endswith(f"{deadline.day} {deadline:%b} {deadline.year}")
    assert Respondent.objects.filter(campaign=open_campaign).exclude(reminded_at=None).count() == 1


def test_viewers_cannot_open_the_confirmation(client, open_campaign):
    from certprep.engagements.choices import Role
    from certprep.engagements.models import Membership
    from certprep.engagements.tests.factories import UserFactory

    viewer = UserFactory(username="vera")
    Membership.objects.create(engagement=open_campaign.engagement, user=viewer, role=Role.VIEWER)
    client.force_login(viewer)
    assert client.get(_url("campaign_remind", open_campaign)).status_code == 403
