"""Names and titles are single lines: CR/LF and other control characters are refused in forms, services and
the people import; bidirectional controls are dropped; names typed before the rule still never break an
e-mail; names are shown isolated (<bdi>) so a right-to-left name cannot reorder the page around it."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from certprep.core.errors import ServiceError
from certprep.core.tests.mail_queue import mail_drain
from certprep.people.forms import PersonForm
from certprep.people.models import Person
from certprep.people.services import person_create, person_update
from certprep.people.workbook import people_import
from certprep.survey.forms.campaigns import CampaignForm
from certprep.survey.models import Campaign, Respondent
from certprep.survey.services import campaigns as campaign_services
from certprep.survey.services import interviews as interview_services
from certprep.survey.services.answers import response_submit
from certprep.survey.services.questionnaires import questionnaire_copy_templates
from certprep.survey.tests.factories import person, sent_campaign

pytestmark = pytest.mark.django_db
ONE_LINE = "must be one line of text"


def _deadline() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=21)


def test_a_campaign_name_with_a_line_break_is_refused_by_the_form(engagement):
    form = CampaignForm(
        {"name": "Spring\r\nBcc: all@client-a.example", "questionnaires": [], "deadline": _deadline().isoformat(),
         "grace_days": 7, "reminder_days": 2},
    )  # fmt: skip
    assert not form.is_valid()
    assert "line breaks" in form.errors["name"][0]


def test_a_campaign_name_with_a_line_break_is_refused_by_the_service(engagement, owner, catalogue):
    person(engagement, "Li Na", roles=["process_manager"], processes=["incident"])
    questionnaire_copy_templates(engagement=engagement, actor=owner)
    ids = list(engagement.questionnaires.values_list("pk", flat=True))
    with pytest.raises(ServiceError) as caught:
        campaign_services.campaign_create(
            engagement=engagement, actor=owner, name="Spring\r\nsurvey", deadline=_deadline(), questionnaire_ids=ids
        )
    assert caught.value.field == "name"
    assert ONE_LINE in caught.value.message
    assert not Campaign.objects.exists()
    campaign = campaign_services.campaign_create(
        engagement=engagement, actor=owner, name="\u202eSpring survey", deadline=_deadline(), questionnaire_ids=ids
    )
    assert campaign.name == "Spring survey"
    with pytest.raises(ServiceError, match=ONE_LINE):
        campaign_services.campaign_update(campaign=campaign, actor=owner, expected_version=1, data={"name": "A\nB"})
    campaign.refresh_from_db()
    assert campaign.name == "Spring survey"


def test_a_person_name_with_a_line_break_is_refused_by_the_form_and_the_service(engagement, owner):
    form = PersonForm({"name": "Ann\r\nLee"}, options=[])
    assert not form.is_valid()
    assert "line breaks" in form.errors["name"][0]
    with pytest.raises(ServiceError) as caught:
        person_create(engagement=engagement, actor=owner, name="Ann\nLee")
    assert caught.value.field == "name"
    assert caught.value.message.startswith("The name must be one line of text")
    ann = person_create(engagement=engagement, actor=owner, name="Ann Lee")
    with pytest.raises(ServiceError) as caught:
        person_update(person=ann, actor=owner, expected_version=ann.version, data={"department": "IT\tOps"})
    assert caught.value.field == "department"


def test_a_person_name_with_a_line_break_in_a_csv_import_is_refused_naming_row_and_column(engagement, owner):
    raw = b'E-mail,Name\r\nbob@client-a.example,Bob Chen\r\nann@client-a.example,"Ann\nLee"\r\n'
    with pytest.raises(ServiceError) as caught:
        people_import(engagement=engagement, actor=owner, raw=raw, filename="people.csv")
    assert caught.value.message.startswith("Row 3, column B (Name): The name must be one line of text")
    assert not Person.objects.exists()


def test_bidirectional_controls_are_dropped_from_a_person(engagement, owner):
    stored = person_create(
        engagement=engagement, actor=owner, name="Ann \u202eeeL\u202c", job_title="\u2067Manager\u2069"
    )
    assert (stored.name, stored.job_title) == ("Ann eeL", "Manager")


def test_an_interview_title_or_place_with_a_line_break_is_refused(engagement, owner):
    data = {"title": "Incident\r\ninterview", "starts_at": timezone.now() + datetime.timedelta(days=2)}
    with pytest.raises(ServiceError) as caught:
        interview_services.interview_create(engagement=engagement, actor=owner, data=data)
    assert caught.value.field == "title"
    with pytest.raises(ServiceError) as caught:
        interview_services.interview_create(
            engagement=engagement, actor=owner, data={**data, "title": "Ok", "location": "Room\n2"}
        )
    assert caught.value.field == "location"


@pytest.fixture
def poisoned_names(engagement, owner, catalogue):
    """A campaign and a person whose names hold CR/LF, stored before the single-line rule existed."""
    li = person(engagement, "Li Na", roles=["process_manager"], processes=["incident"])
    questionnaire_copy_templates(engagement=engagement, actor=owner)
    ids = list(engagement.questionnaires.filter(process_code="incident").values_list("pk", flat=True))
    campaign = campaign_services.campaign_create(
        engagement=engagement, actor=owner, name="Spring", deadline=_deadline(), questionnaire_ids=ids
    )
    Campaign.objects.filter(pk=campaign.pk).update(name="Spring\r\nBcc: everyone@client-a.example")
    Person.objects.filter(pk=li.pk).update(name="Li\r\nNa")
    campaign.refresh_from_db()
    return campaign


def _one_line_headers(message) -> str:
    headers = message.message().as_string().split("\n\n", 1)[0]
    assert "\nBcc:" not in headers
    return headers


def test_the_invitation_is_sent_with_sanitized_headers_for_names_stored_before_the_rule(owner, poisoned_names):
    result = campaign_services.campaign_send(campaign=poisoned_names, actor=owner, base_url="http://testserver")
    assert result["sent"] == 1
    mail_drain()
    (message,) = mail.outbox
    assert message.subject == "Survey for the ISO/IEC 20000 preparation: Spring Bcc: everyone@client-a.example"
    assert message.to == ["Li Na <li.na@client-a.example>"]
    _one_line_headers(message)


def test_reminders_and_thanks_are_sent_with_sanitized_headers_for_names_stored_before_the_rule(owner, poisoned_names):
    campaign_services.campaign_send(campaign=poisoned_names, actor=owner, base_url="http://testserver")
    mail_drain()
    mail.outbox.clear()
    assert campaign_services.reminders_send(campaign=poisoned_names, actor=owner) == 1
    mail_drain()
    (reminder,) = mail.outbox
    assert reminder.to == ["Li Na <li.na@client-a.example>"]
    _one_line_headers(reminder)
    respondent = Respondent.objects.select_related("person", "campaign__engagement").get()
    for response in respondent.responses.all():
        response.questionnaire.questions.update(required=False)
        assert response_submit(respondent=respondent, response=response) == []
    mail_drain()
    thanks = mail.outbox[-1]
    assert thanks.subject == "Thank you for your answers: Spring Bcc: everyone@client-a.example"
    _one_line_headers(thanks)


def test_names_are_shown_isolated_from_the_text_around_them(owner_client, engagement, owner, catalogue):
    person(engagement, "Li Na", roles=["process_manager"], processes=["incident"])
    campaign, _tokens = sent_campaign(engagement, owner, keys=("process-incident",))
    people = owner_client.get(reverse("survey:people", args=[engagement.pk])).content.decode()
    assert "<bdi>Li Na</bdi>" in people
    assert '"><bdi>Client A preparation</bdi></a>' in people  # the engagement in the page header
    tracking = owner_client.get(reverse("survey:campaign", args=[engagement.pk, campaign.pk])).content.decode()
    assert "<bdi>Li Na</bdi>" in tracking
    assert "<h1><bdi>Spring survey</bdi></h1>" in tracking
