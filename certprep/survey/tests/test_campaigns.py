from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from certprep.core.errors import ServiceError
from certprep.core.tests.mail_queue import mail_drain
from certprep.survey.choices import CampaignStatus
from certprep.survey.models import Questionnaire, Respondent, Response
from certprep.survey.services import campaigns as services
from certprep.survey.services.answers import respondent_by_token
from certprep.survey.services.questionnaires import questionnaire_copy_templates
from certprep.survey.tests.factories import person, sent_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(engagement):
    return {
        "ceo": person(engagement, "Chen Wei", roles=["top_management"]),
        "inc": person(engagement, "Li Na", roles=["process_manager"], processes=["incident", "problem"]),
        "chg": person(engagement, "Wang Fang", roles=["process_executor"], processes=["change"]),
        "nomail": person(engagement, "Zhao Lei", roles=["process_coordinator"], processes=["incident"], email=""),
    }


def test_copying_templates_gives_the_management_and_13_process_questionnaires_once(engagement, owner, catalogue):
    created = questionnaire_copy_templates(engagement=engagement, actor=owner)
    assert len(created) == 14
    assert questionnaire_copy_templates(engagement=engagement, actor=owner) == []
    first = engagement.questionnaires.order_by("order").first()
    assert first.kind == "management"
    assert first.questions.count() >= 25
    incident = engagement.questionnaires.get(process_code="incident")
    keys = set(incident.questions.values_list("key", flat=True))
    assert {"definition", "inputs", "outputs", "procedure-exists", "relations", "procedure-file"} <= keys


def test_people_receive_the_questionnaires_of_their_roles_and_processes(engagement, owner, people, catalogue):
    questionnaire_copy_templates(engagement=engagement, actor=owner)
    selection = services.campaign_preview(
        engagement=engagement, questionnaire_ids=engagement.questionnaires.values_list("pk", flat=True)
    )
    got = {p.name: sorted(q.key for q in qs) for p, qs in selection.assignments}
    assert got == {
        "Chen Wei": ["management-system"],
        "Li Na": ["process-incident", "process-problem"],
        "Wang Fang": ["process-change"],
        "Zhao Lei": ["process-incident"],
    }
    assert [p.name for p in selection.people_without_email] == ["Zhao Lei"]


def test_a_process_questionnaire_goes_to_the_roles_held_for_that_process_only(engagement, owner, catalogue):
    # Owner of change and executor of capacity: before, roles and processes were crossed and she also got
    # the capacity questionnaire as its owner and the change one as its executor; now each role has its process.
    person(engagement, "Wang Fang", pairs=[("process_owner", "change"), ("process_executor", "capacity")])
    person(engagement, "Chen Wei", pairs=[("sms_manager", ""), ("process_owner", "")])
    questionnaire_copy_templates(engagement=engagement, actor=owner)
    selection = services.campaign_preview(
        engagement=engagement, questionnaire_ids=engagement.questionnaires.values_list("pk", flat=True)
    )
    got = {p.name: sorted(q.key for q in qs) for p, qs in selection.assignments}
    audiences = {
        q.key: q.audience for q in engagement.questionnaires.filter(key__in=["process-change", "process-capacity"])
    }
    expected = sorted(
        key
        for key, pair in (("process-change", "process_owner"), ("process-capacity", "process_executor"))
        if pair in audiences[key]
    )
    assert got["Wang Fang"] == expected
    assert "process-change" in expected
    assert got["Chen Wei"] == ["management-system"], "a process role without a process routes no process questionnaire"


def test_a_short_deadline_is_flagged_against_the_engagements_minimum(engagement):
    monday = datetime.date(2026, 11, 23)
    assert services.working_days_between(monday, monday + datetime.timedelta(days=7)) == 5
    assert (
        services.deadline_warning(engagement=engagement, deadline=monday + datetime.timedelta(days=7), today=monday)
        == ""
    )
    warning = services.deadline_warning(
        engagement=engagement, deadline=monday + datetime.timedelta(days=4), today=monday
    )
    assert "4 working days" in warning
    assert "at least 5" in warning


def test_sending_mails_each_respondent_with_an_address_their_working_link(engagement, owner, people, catalogue):
    campaign, tokens = sent_campaign(engagement, owner)
    assert campaign.respondents.count() == 3  # Wang Fang has no chosen questionnaire
    mail_drain()
    assert len(mail.outbox) == 2  # Zhao Lei has no e-mail address
    chen = next(m for m in mail.outbox if m.to == ["Chen Wei <chen.wei@client-a.example>"])
    assert f"http://testserver/r/{tokens['Chen Wei']}/" in chen.body
    assert respondent_by_token(tokens["Chen Wei"]).person.name == "Chen Wei"
    with pytest.raises(ServiceError):
        services.campaign_send(campaign=campaign, actor=owner)


def test_links_are_unguessable_and_only_their_hash_is_stored(engagement, owner, people, catalogue):
    _campaign, tokens = sent_campaign(engagement, owner)
    token = tokens["Li Na"]
    assert len(token) >= 43  # 256 bits
    stored = Respondent.objects.get(person__name="Li Na")
    assert token not in (stored.token_hash, stored.token_nonce)
    assert respondent_by_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert respondent_by_token("") is None


def test_revoked_reissued_expired_and_closed_links_stop_working(engagement, owner, people, catalogue):
    campaign, tokens = sent_campaign(engagement, owner)
    li = Respondent.objects.get(person__name="Li Na")
    services.link_revoke(respondent=li, actor=owner)
    assert respondent_by_token(tokens["Li Na"]) is None
    link = services.link_reissue(respondent=li, actor=owner, base_url="http://testserver")
    new_token = link.rstrip("/").rsplit("/", 1)[-1]
    assert respondent_by_token(new_token) is not None
    assert new_token != tokens["Li Na"]
    campaign.deadline = timezone.localdate() - datetime.timedelta(days=campaign.grace_days + 1)
    campaign.save(update_fields=["deadline"])
    assert respondent_by_token(tokens["Chen Wei"]) is None
    campaign.deadline = timezone.localdate()
    campaign.save(update_fields=["deadline"])
    assert respondent_by_token(tokens["Chen Wei"]) is not None
    services.campaign_close(campaign=campaign, actor=owner)
    assert respondent_by_token(tokens["Chen Wei"]) is None


def test_reminders_go_to_those_who_have_not_submitted_with_the_same_link(engagement, owner, people, catalogue):
    campaign, tokens = sent_campaign(engagement, owner)
    mail_drain()
    mail.outbox.clear()
    for response in Response.objects.filter(respondent__person__name="Chen Wei"):
        Response.objects.filter(pk=response.pk).update(status="submitted")
    assert services.reminders_send(campaign=campaign, actor=owner, base_url="http://testserver") == 1
    mail_drain()
    assert mail.outbox[0].to == ["Li Na <li.na@client-a.example>"]
    assert tokens["Li Na"] in mail.outbox[0].body
    assert respondent_by_token(tokens["Li Na"]) is not None
    # The scheduled run reminds only inside the reminder window, once a day.
    assert services.reminders_send(campaign=campaign, actor=None, only_due=True) == 0


def test_a_campaign_needs_somebody_to_ask(engagement, owner, catalogue):
    questionnaire_copy_templates(engagement=engagement, actor=owner)
    with pytest.raises(ServiceError, match="Nobody matches"):
        services.campaign_create(
            engagement=engagement, actor=owner, name="Empty",
            deadline=timezone.localdate() + datetime.timedelta(days=10),
            questionnaire_ids=Questionnaire.objects.values_list("pk", flat=True),
        )  # fmt: skip


def test_reopening_lets_the_respondent_change_a_submitted_questionnaire(engagement, owner, people, catalogue):
    campaign, _tokens = sent_campaign(engagement, owner)
    response = Response.objects.filter(respondent__campaign=campaign).first()
    with pytest.raises(ServiceError):
        services.response_reopen(response=response, actor=owner)
    Response.objects.filter(pk=response.pk).update(status="submitted")
    response.refresh_from_db()
    services.response_reopen(response=response, actor=owner)
    response.refresh_from_db()
    assert response.status == "in_progress"
    assert response.reopened_at is not None
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN


def test_the_daily_command_reminds_inside_the_window_once_a_day(engagement, owner, people, catalogue):
    import io

    from django.core.management import call_command

    campaign, _tokens = sent_campaign(engagement, owner, days=2)  # reminder window: 2 days before the deadline
    mail_drain()
    mail.outbox.clear()
    out = io.StringIO()
    call_command("send_survey_reminders", stdout=out)
    assert "2 reminders sent" in out.getvalue()
    mail_drain()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "Chen Wei <chen.wei@client-a.example>",
        "Li Na <li.na@client-a.example>",
    ]
    call_command("send_survey_reminders", stdout=io.StringIO())
    mail_drain()
    assert len(mail.outbox) == 2  # not twice on the same day
