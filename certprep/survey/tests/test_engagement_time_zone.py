"""Times in the engagement's zone: an interview at 10:00 in Shanghai is 10:00 Asia/Shanghai on the page, in
the guide, in the calendar invitation and in the mails; links end at midnight there; no zone leaks between
requests."""

from __future__ import annotations

import datetime
import io
import zoneinfo

import docx
import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from certprep.engagements.models import Engagement, Membership
from certprep.survey.models import Interview
from certprep.survey.selectors.interviews import interview_guide
from certprep.survey.services.interviews import interview_create
from certprep.survey.tests.interview_world import interview

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def shanghai(engagement):
    Engagement.objects.filter(pk=engagement.pk).update(time_zone="Asia/Shanghai")
    engagement.refresh_from_db()
    return engagement


def _next_year() -> int:
    return timezone.now().year + 1


def test_an_interview_typed_at_10_00_is_10_00_in_shanghai(owner_client, shanghai, catalogue):
    year = _next_year()
    response = owner_client.post(
        reverse("survey:interview_new", args=[shanghai.pk]),
        {"title": "Change talk", "process_code": "", "starts_at": f"{year}-03-10T10:00", "duration_minutes": "60"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Interview.objects.get(engagement=shanghai)
    assert created.starts_at == datetime.datetime(year, 3, 10, 2, 0, tzinfo=datetime.UTC)

    page = owner_client.get(reverse("survey:interview", args=[shanghai.pk, created.pk])).content.decode()
    assert "10:00" in page
    assert "Asia/Shanghai" in page
    assert f'value="{year}-03-10T10:00"' in page  # the edit form shows the time as typed


def test_the_form_states_the_engagement_zone(owner_client, shanghai, catalogue):
    page = owner_client.get(reverse("survey:interview_new", args=[shanghai.pk])).content.decode()
    assert "Date and time in Asia/Shanghai" in page


def test_the_invitation_gives_10_00_in_asia_shanghai_which_is_02_00_utc(owner_client, shanghai, catalogue):
    year = _next_year()
    created = interview_create(
        engagement=shanghai,
        actor=None,
        data={
            "title": "Change talk",
            "process_code": "",
            # naive on purpose: the service reads a time without a zone on the engagement's clock
            "starts_at": datetime.datetime.combine(datetime.date(year, 3, 10), datetime.time(10, 0)),
            "duration_minutes": 60,
        },
    )
    body = owner_client.get(reverse("survey:interview_ics", args=[shanghai.pk, created.pk])).content
    text = body.decode()
    assert f"DTSTART;TZID=Asia/Shanghai:{year}0310T100000" in text
    assert f"DTEND;TZID=Asia/Shanghai:{year}0310T110000" in text
    assert "BEGIN:VTIMEZONE" in text
    assert "TZID:Asia/Shanghai" in text
    event = next(c for c in Calendar.from_ical(body).walk("VEVENT"))
    assert event.decoded("dtstart").astimezone(datetime.UTC) == datetime.datetime(
        year, 3, 10, 2, 0, tzinfo=datetime.UTC
    )
    assert "10:00 – 11:00 (Asia/Shanghai)" in str(event.get("description")).replace("\\n", "\n")


def test_the_guide_gives_the_time_in_the_engagement_zone(shanghai, catalogue):
    year = _next_year()
    created = interview(
        shanghai, process_code="", starts_at=datetime.datetime(year, 3, 10, 10, 0, tzinfo=SHANGHAI), duration_minutes=60
    )
    from certprep.survey.documents import guide_docx

    document = docx.Document(io.BytesIO(guide_docx(interview_guide(created))))
    cells = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert cells["Time"] == "10:00 – 11:00 (Asia/Shanghai)"


def test_an_interview_given_with_an_offset_keeps_its_moment(shanghai, catalogue):
    moment = datetime.datetime(_next_year(), 3, 10, 10, 0, tzinfo=datetime.UTC)
    created = interview_create(
        engagement=shanghai,
        actor=None,
        data={"title": "T", "process_code": "", "starts_at": moment, "duration_minutes": 60},
    )
    assert created.starts_at == moment


def test_the_zone_of_one_engagement_does_not_carry_over_to_the_next_request(owner_client, owner, shanghai, catalogue):
    utc_engagement = Engagement.objects.create(name="Elsewhere", organization_name="Other Co")
    Membership.objects.create(engagement=utc_engagement, user=owner, role="owner")
    year = _next_year()
    at = datetime.datetime(year, 3, 10, 2, 0, tzinfo=datetime.UTC)
    in_shanghai = interview(shanghai, process_code="", starts_at=at)
    in_utc = interview(utc_engagement, process_code="", starts_at=at)
    first = owner_client.get(reverse("survey:interview", args=[shanghai.pk, in_shanghai.pk])).content.decode()
    second = owner_client.get(reverse("survey:interview", args=[utc_engagement.pk, in_utc.pk])).content.decode()
    assert "10:00" in first
    assert "02:00" in second
    assert "(UTC)" in second
    assert timezone.get_current_timezone_name() == "UTC"


def test_links_end_at_midnight_on_the_organization_clock(shanghai):
    from certprep.survey.models import Campaign

    campaign = Campaign.objects.create(
        engagement=shanghai, name="Spring", deadline=datetime.date(2030, 3, 10), grace_days=0
    )
    assert campaign.links_expire_at == datetime.datetime(2030, 3, 11, 0, 0, tzinfo=SHANGHAI)
    assert campaign.links_expire_at == datetime.datetime(2030, 3, 10, 16, 0, tzinfo=datetime.UTC)


def test_the_dashboard_and_the_audit_trail_give_times_on_the_organization_clock(owner_client, owner, shanghai):
    from certprep.core.audit import audit_record
    from certprep.core.models import AuditEntry

    entry = audit_record(engagement=shanghai, actor=owner, action="update", obj=shanghai, values={"version": 2})
    AuditEntry.objects.filter(pk=entry.pk).update(at=datetime.datetime(2030, 3, 10, 2, 0, tzinfo=datetime.UTC))
    dashboard = owner_client.get(reverse("engagements:dashboard", args=[shanghai.pk])).content.decode()
    trail = owner_client.get(reverse("engagements:audit", args=[shanghai.pk])).content.decode()
    assert "10 Mar 2030, 10:00" in dashboard
    assert "10 Mar 2030, 10:00" in trail
