"""A form's errors are shown at the top of the page (core templates: base.html and includes/form_errors.html),
so an import's error is seen without scrolling past the explanation and the form; and dates read the same
on every page (one format per language)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certprep.survey.models import FollowUp
from certprep.survey.tests.interview_world import campaign, interview

pytestmark = pytest.mark.django_db


def test_an_import_error_is_shown_above_the_form(owner_client):
    response = owner_client.post(
        reverse("engagements:import"), {"file": SimpleUploadedFile("engagement.json", b"{not json", "application/json")}
    )
    page = response.content.decode()
    assert response.status_code == 200
    summary = page.index('id="form-errors"')
    assert summary < page.index('enctype="multipart/form-data"')
    assert summary < page.index('class="lead"')  # above the page's explanation too
    assert 'role="alert"' in page[summary - 200 : summary + 200]


@pytest.mark.parametrize(("language", "joined"), [("en", ": "), ("zh-hans", "：")])
def test_each_error_in_the_summary_is_a_link_to_its_field_written_in_the_pages_language(owner_client, language, joined):
    owner_client.post(reverse("set_language"), {"language": language})
    page = owner_client.post(reverse("engagements:create"), {"name": ""}).content.decode()
    summary = page[page.index('id="form-errors"') : page.index("</div>", page.index('id="form-errors"'))]
    link = summary[summary.index('<a href="#id_name">') :]
    assert link.index(joined) < link.index("</a>")  # the field's name and its error, one link to the field


def test_a_form_without_errors_has_no_summary(owner_client):
    assert 'id="form-errors"' not in owner_client.get(reverse("engagements:import")).content.decode()


def test_a_non_field_error_is_shown_once(owner_client, engagement):
    from certprep.survey.models import Interview

    talk = interview(engagement, process_code="")
    stale = {"title": "Talk", "process_code": "", "starts_at": "2031-03-10T10:00", "duration_minutes": "60",
             "status": "planned", "expected_version": str(talk.version)}  # fmt: skip
    Interview.objects.filter(pk=talk.pk).update(version=talk.version + 1)  # someone saved meanwhile
    page = owner_client.post(reverse("survey:interview", args=[engagement.pk, talk.pk]), stale).content.decode()
    assert page.count('id="form-errors"') == 1
    assert page.count('<div class="form-errors" role="alert">') == 0  # not repeated inside the form


def test_the_sign_in_page_keeps_its_own_single_message(client):
    page = client.post(reverse("accounts:login"), {"username": "nobody", "password": "wrong"}).content.decode()
    assert page.count("form-errors") == 1


def test_dates_read_the_same_on_two_pages(owner_client, engagement, catalogue):
    spring = campaign(engagement)
    spring.deadline = datetime.date(2031, 3, 10)
    spring.save(update_fields=["deadline"])
    talk = interview(engagement, process_code="")
    FollowUp.objects.create(interview=talk, text="Send the escalation matrix", due_date=datetime.date(2031, 3, 10))
    campaign_page = owner_client.get(reverse("survey:campaign", args=[engagement.pk, spring.pk])).content.decode()
    interview_page = owner_client.get(reverse("survey:interview", args=[engagement.pk, talk.pk])).content.decode()
    assert "10 Mar 2031" in campaign_page  # the campaign's deadline (a long date format)
    assert "10 Mar 2031" in interview_page  # the follow-up's due date (a short date format)
    chinese = {"accept-language": "zh-hans"}
    assert (
        "2031年3月10日"
        in owner_client.get(
            reverse("survey:campaign", args=[engagement.pk, spring.pk]), headers=chinese
        ).content.decode()
    )
    assert (
        "2031年3月10日"
        in owner_client.get(
            reverse("survey:interview", args=[engagement.pk, talk.pk]), headers=chinese
        ).content.decode()
    )
