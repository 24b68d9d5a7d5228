"""The private calendar feed, read back with the icalendar package's parser: created by an editor and shown
once, read without signing in, holding the plan's milestones, the audits (with the day to book them by) and the
survey's interviews in the engagement's time zone with stable UIDs; revoked, expired and unknown addresses are
404; the feed reveals only its own engagement; only the token's hash is stored."""

from __future__ import annotations

import datetime
import json
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from certprep.core.tokens import token_hash
from certprep.gaps.tests.factories import another_engagement, member
from certprep.planning.choices import AuditKind
from certprep.planning.models import AuditBooking, CalendarFeed, Plan, Task
from certprep.planning.services.feed import feed_create, feed_revoke
from certprep.survey.models import Interview

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MONDAY = datetime.date(2027, 1, 4)


@pytest.fixture
def world(engagement, owner):
    engagement.time_zone = "Asia/Shanghai"
    engagement.save(update_fields=["time_zone"])
    plan = Plan.objects.create(engagement=engagement, start_date=MONDAY, certification_body="Example Cert")
    design = Task.objects.create(plan=plan, name="Design", order=1, duration_days=5)
    ready = Task.objects.create(plan=plan, name="SMS ready", order=2, milestone=True)
    ready.predecessor_links.create(plan=plan, predecessor=design)
    Task.objects.create(plan=plan, name="Kick-off", order=0, milestone=True)
    AuditBooking.objects.create(
        plan=plan, kind=AuditKind.STAGE1, date=datetime.date(2027, 6, 14), audit_days=2, reservation_lead_days=60
    )
    AuditBooking.objects.create(
        plan=plan,
        kind=AuditKind.STAGE2,
        date=datetime.date(2027, 8, 2),
        audit_days=3,
        reserved_on=datetime.date(2027, 1, 10),
    )
    interview = Interview.objects.create(
        engagement=engagement,
        title="Change management interview",
        starts_at=datetime.datetime(2027, 3, 10, 10, 0, tzinfo=SHANGHAI),
        duration_minutes=90,
        location="Room 4",
    )
    return {"plan": plan, "interview": interview}


def _read(client, url) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _events(calendar: Calendar) -> dict[str, object]:
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def _feed_url(token: str) -> str:
    return reverse("planning:feed", args=[token])


def test_an_editor_creates_a_feed_shown_once_and_a_calendar_reads_it_without_signing_in(
    owner_client, client, engagement, world
):
    response = owner_client.post(reverse("planning:feed_new", args=[engagement.pk]))
    body = response.content.decode()
    url = body.split('id="feed-url" readonly value="')[1].split('"')[0]
    assert url.startswith("http://testserver/feeds/plan/")
    assert url.endswith(".ics")
    assert f"/{engagement.pk}/" not in url.removeprefix("http://testserver")
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 43  # 32 random bytes
    feed = CalendarFeed.objects.get(engagement=engagement)
    assert feed.token_hash == token_hash(token)
    assert feed.expires_at.date() == (timezone.now() + datetime.timedelta(days=365)).date()
    owner_client.logout()
    events = _events(_read(client, url.removeprefix("http://testserver")))
    assert set(events) == {
        "Kick-off",
        "SMS ready",
        "Stage 1 audit (Example Cert)",
        "Book by today: Stage 1 audit on 14 Jun 2027",
        "Stage 2 audit (Example Cert)",
        "Change management interview",
    }
    stage1 = events["Stage 1 audit (Example Cert)"]
    assert stage1["dtstart"].dt == datetime.date(2027, 6, 14)
    assert stage1["dtend"].dt == datetime.date(2027, 6, 16)  # two audit days
    assert events["Book by today: Stage 1 audit on 14 Jun 2027"]["dtstart"].dt == datetime.date(2027, 4, 15)
    assert events["SMS ready"]["dtstart"].dt == datetime.date(2027, 1, 8)
    interview = events["Change management interview"]
    assert interview["dtstart"].params["TZID"] == "Asia/Shanghai"
    assert interview["dtstart"].dt == datetime.datetime(2027, 3, 10, 10, 0, tzinfo=SHANGHAI)
    assert interview["dtend"].dt == datetime.datetime(2027, 3, 10, 11, 30, tzinfo=SHANGHAI)
    assert str(interview["uid"]) == f"{world['interview'].uid}@certprep"
    assert str(interview["location"]) == "Room 4"
    feed.refresh_from_db()
    assert feed.last_read_at is not None


def test_uids_stay_the_same_from_one_read_to_the_next(client, engagement, owner, world):
    _feed, token = feed_create(engagement=engagement, actor=owner)
    first = {str(e["uid"]) for e in _read(client, _feed_url(token)).walk("VEVENT")}
    Task.objects.filter(plan=world["plan"], name="Design").update(duration_days=8)
    second = _read(client, _feed_url(token))
    assert {str(e["uid"]) for e in second.walk("VEVENT")} == first
    assert _events(second)["SMS ready"]["dtstart"].dt == datetime.date(2027, 1, 13)


def test_revoked_expired_and_unknown_addresses_are_404(client, engagement, owner, world):
    feed, token = feed_create(engagement=engagement, actor=owner)
    assert client.get(_feed_url(token)).status_code == 200
    feed_revoke(feed=feed, actor=owner)
    assert client.get(_feed_url(token)).status_code == 404
    expired, old = feed_create(engagement=engagement, actor=owner)
    CalendarFeed.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(_feed_url(old)).status_code == 404
    assert client.get(_feed_url("x" * 43)).status_code == 404


def test_a_feed_reveals_only_its_own_engagement(client, engagement, owner, world):
    other = another_engagement(owner, "Other client")
    Interview.objects.create(
        engagement=other, title="Other client's secret interview", starts_at=timezone.now(), duration_minutes=30
    )
    other_feed, other_token = feed_create(engagement=other, actor=owner)
    _feed, token = feed_create(engagement=engagement, actor=owner)
    ours = client.get(_feed_url(token)).content.decode()
    assert "secret" not in ours
    theirs = _events(_read(client, _feed_url(other_token)))
    assert list(theirs) == ["Other client's secret interview"]
    # Another engagement's feed cannot be revoked through this engagement's address.
    client.force_login(owner)
    revoke = reverse("planning:feed_revoke", args=[engagement.pk, other_feed.pk])
    assert client.post(revoke).status_code == 404
    other_feed.refresh_from_db()
    assert other_feed.revoked_at is None


def test_the_exchange_page_lists_feeds_with_their_last_read_and_revokes_one(owner_client, client, engagement, world):
    owner_client.post(reverse("planning:feed_new", args=[engagement.pk]))
    feed = CalendarFeed.objects.get(engagement=engagement)
    page = owner_client.get(reverse("planning:exchange", args=[engagement.pk])).content.decode()
    assert f'id="feed-{feed.pk}"' in page
    assert "never read" in page
    assert "feeds/plan/" not in page  # the address is never shown again
    response = owner_client.post(reverse("planning:feed_revoke", args=[engagement.pk, feed.pk]), follow=True)
    assert "Calendar feed revoked" in response.content.decode()
    assert "revoked" in response.content.decode().split(f'id="feed-{feed.pk}"')[1].split("</li>")[0]


def test_viewers_see_feeds_but_cannot_create_them_and_outsiders_get_404(client, owner, engagement, world, outsider):
    client.force_login(member(engagement, owner, "vera"))
    assert client.post(reverse("planning:feed_new", args=[engagement.pk])).status_code == 403
    assert (
        "Create a calendar feed" not in client.get(reverse("planning:exchange", args=[engagement.pk])).content.decode()
    )
    client.force_login(outsider)
    assert client.post(reverse("planning:feed_new", args=[engagement.pk])).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_the_api_lists_creates_and_revokes_feeds(client, owner, api_token, engagement, world):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(owner)}"}
    base = f"/api/v1/engagements/{engagement.pk}/plan/feeds"
    created = client.post(base, **headers)
    assert created.status_code == 201
    data = json.loads(created.content)
    assert data["active"] is True
    url = data["url"].removeprefix("http://testserver")
    assert client.get(url).status_code == 200
    listed = json.loads(client.get(base, **headers).content)
    assert [feed["id"] for feed in listed] == [data["id"]]
    assert "url" not in listed[0]
    assert listed[0]["last_read_at"] is not None
    revoked = client.delete(f"{base}/{data['id']}", **headers)
    assert revoked.status_code == 200
    assert json.loads(revoked.content)["active"] is False
    assert client.get(url).status_code == 404


def test_reading_the_feed_takes_the_same_queries_at_two_plan_sizes(client, engagement, owner, world):
    _feed, token = feed_create(engagement=engagement, actor=owner)
    counts = []
    for extra in (2, 40):
        start = Task.objects.filter(plan=world["plan"]).count()
        Task.objects.bulk_create(
            Task(plan=world["plan"], name=f"Milestone {n}", order=10 + n, milestone=True)
            for n in range(start, start + extra)
        )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_feed_url(token)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
