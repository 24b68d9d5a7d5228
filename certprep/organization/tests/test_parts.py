"""The organization's part: the demo (both bodies, two meeting series, decisions, the budget approved and the plan
changed since its approval), the engagement file (a lossless round trip through the real export and import, the
approvals still comparing with the same figures, an inconsistent section refused before anything is written),
the calendar feed read back with the icalendar package, and the dashboard card."""

from __future__ import annotations

import copy
import datetime
import json

import icalendar
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certprep.budget.services.derived import budget_recompute
from certprep.core.errors import ServiceError
from certprep.engagements.models import Engagement
from certprep.engagements.transfer import engagement_export, engagement_import
from certprep.organization.models import Approval, Decision, MeetingSeries, ProjectMember
from certprep.organization.selectors.approvals import APPROVED, CHANGED, approval_states

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)
    user = get_user_model().objects.get(username="demo")
    return user, Engagement.objects.get(memberships__user=user, memberships__role="owner")


def _states(engagement):
    return {s.key: s for s in approval_states(engagement)}


def test_the_demo_has_both_bodies_meetings_decisions_and_a_plan_changed_since_approval(demo):
    _user, engagement = demo
    bodies = set(ProjectMember.objects.filter(engagement=engagement).values_list("body", "role"))
    assert {("steering", "sponsor"), ("steering", "chair"), ("team", "project_manager")} <= bodies
    # Zhou Anna sits in both bodies.
    assert ProjectMember.objects.filter(engagement=engagement, person__name="Zhou Anna").count() == 2
    cadences = dict(MeetingSeries.objects.filter(engagement=engagement).values_list("body", "cadence"))
    assert cadences == {"steering": "fortnightly", "team": "weekly"}
    assert Decision.objects.filter(engagement=engagement).count() >= 3
    states = _states(engagement)
    assert states["budget"].state == APPROVED
    assert states["plan"].state == CHANGED
    assert [d.kind for d in states["plan"].differences] == ["changed"] * len(states["plan"].differences)
    call_command("load_demo", verbosity=0)  # again: kept as it is
    assert MeetingSeries.objects.filter(engagement=engagement).count() == 2


def test_the_organization_travels_in_the_engagement_file_without_loss(demo):
    user, engagement = demo
    exported = engagement_export(engagement)
    section = exported["organization"]
    assert len(section["approvals"]) == 2
    # Rows named by position in their sections, not by this database's ids.
    assert all(
        not f["key"].split(":")[-1].isdigit() or f["key"].startswith(("cell", "derived"))
        for a in section["approvals"]
        for f in a["figures"]
    )
    imported = engagement_import(raw=json.dumps(exported).encode(), actor=user)[0]
    again = engagement_export(imported)
    assert again["organization"] == section
    # The budget's derived lines are recomputed when it is opened (here, by hand on both sides).
    budget_recompute(engagement=engagement)
    budget_recompute(engagement=imported)
    before, after = _states(engagement), _states(imported)
    assert after["plan"].state == CHANGED
    assert [(d.before, d.after) for d in after["plan"].differences] == [
        (d.before, d.after) for d in before["plan"].differences
    ]
    # Every row the approval names by id was found again under its new id: no typed line, task, quote or person
    # shows as removed or added.
    renamed = ("line:", "task:", "milestone:", "audit:", "derived:quote:", "derived:internal:person:")
    assert not [d for d in after["budget"].differences if d.key.startswith(renamed)]


def test_an_inconsistent_section_is_refused_before_anything_is_written(demo):
    user, engagement = demo
    exported = engagement_export(engagement)
    for spoil in (
        lambda s: s["members"].append({**s["members"][0]}),
        lambda s: s["members"].__setitem__(0, {**s["members"][0], "person": 9999}),
        lambda s: s["meetings"].__setitem__(0, {**s["meetings"][0], "until_date": "2000-01-01"}),
        lambda s: s["approvals"].append({**s["approvals"][0]}),
    ):
        document = copy.deepcopy(exported)
        spoil(document["organization"])
        before = Engagement.objects.count()
        with pytest.raises(ServiceError):
            engagement_import(raw=json.dumps(document).encode(), actor=user)
        assert Engagement.objects.count() == before


def test_the_meetings_are_in_the_real_calendar_feed(demo, client):
    user, engagement = demo
    from certprep.planning.services.feed import feed_create

    feed, token = feed_create(engagement=engagement, actor=user)
    response = client.get(reverse("planning:feed", args=[token]))
    calendar = icalendar.Calendar.from_ical(response.content)
    meetings = [e for e in calendar.walk("VEVENT") if str(e.get("uid")).startswith("organization-meeting-")]
    steering = [e for e in meetings if str(e.get("summary")) == "Steering committee"]
    assert steering
    assert len({str(e.get("uid")) for e in meetings}) == len(meetings)
    first = min(steering, key=lambda e: e.decoded("dtstart"))
    starts = first.decoded("dtstart")
    assert isinstance(starts, datetime.datetime)
    assert starts.astimezone(datetime.UTC) == starts  # comparable: timed, with a zone
    local = starts.astimezone(__import__("zoneinfo").ZoneInfo(engagement.time_zone))
    assert (local.weekday(), local.hour, local.minute) == (2, 10, 0)
    assert first.decoded("dtend") - starts == datetime.timedelta(minutes=90)


def test_the_dashboard_card_counts_the_changed_document(demo, client):
    user, engagement = demo
    client.force_login(user)
    page = client.get(reverse("engagements:dashboard", args=[engagement.pk])).content.decode()
    card = page.split('id="card-organization"')[1].split("</li>")[0]
    assert "1 document changed since approval" in card
    assert Approval.objects.filter(engagement=engagement).count() == 2


def test_a_decision_naming_a_task_the_plan_section_lacks_is_refused_before_any_insert(demo):
    user, engagement = demo
    document = engagement_export(engagement)
    document["organization"]["decisions"][0]["task"] = len(document["plan"]["tasks"])  # one past the last
    with CaptureQueriesContext(connection) as queries, pytest.raises(ServiceError, match="plan task"):
        engagement_import(raw=json.dumps(document).encode(), actor=user)
    assert not [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
