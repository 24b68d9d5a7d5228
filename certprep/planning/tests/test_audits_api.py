"""The audit bookings' REST API: booking, changing and cancelling against the version read (409 when stale), the
warnings in words, viewers read only, and one engagement's bookings are not found through another's paths."""

from __future__ import annotations

import json

import pytest

from certprep.gaps.tests.factories import another_engagement, member
from certprep.planning.models import AuditBooking, Task
from certprep.planning.services.audits import booking_create
from certprep.planning.services.generation import plan_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(client, owner, api_token):
    def call(method, path, body=None, *, user=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(user or owner)}"}
        if method in ("get", "delete"):
            return getattr(client, method)(f"/api/v1/engagements{path}", **headers)
        data = json.dumps(body) if body is not None else None
        return getattr(client, method)(f"/api/v1/engagements{path}", data, content_type="application/json", **headers)

    return call


@pytest.fixture
def plan(catalogue, engagement, owner):
    return plan_generate(engagement=engagement, actor=owner)


def test_a_booking_is_made_changed_and_cancelled_with_its_milestone(call, engagement, plan):
    base = f"/{engagement.pk}/plan/bookings"
    made = call("post", base, {"kind": "stage2", "batch": 2, "date": "2028-03-06", "scope": "Hangzhou site"})
    assert made.status_code == 201, made.content
    booking = made.json()
    assert booking["name"] == "Stage 2 audit, batch 2"
    assert booking["book_by"] == "2028-01-06"
    assert Task.objects.get(pk=booking["task_id"]).constraint_date.isoformat() == "2028-03-06"
    path = f"{base}/{booking['id']}"
    changed = call("patch", path, {"version": booking["version"], "date": "2028-03-13", "reserved_on": "2026-12-01"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["reserved_on"] == "2026-12-01"
    assert Task.objects.get(pk=booking["task_id"]).constraint_date.isoformat() == "2028-03-13"
    stale = call("patch", path, {"version": booking["version"], "scope": "late"})
    assert stale.status_code == 409
    assert call("delete", f"{path}?version={booking['version']}").status_code == 409
    assert call("delete", f"{path}?version={changed.json()['version']}").status_code == 204
    assert not AuditBooking.objects.filter(pk=booking["id"]).exists()
    assert not Task.objects.filter(pk=booking["task_id"]).exists()


def test_a_second_booking_of_the_same_audit_is_refused_naming_the_batch(call, engagement, plan):
    base = f"/{engagement.pk}/plan/bookings"
    assert call("post", base, {"kind": "stage1", "date": "2028-01-10"}).status_code == 201
    again = call("post", base, {"kind": "stage1", "date": "2028-01-17"})
    assert again.status_code == 400
    assert again.json()["field"] == "batch"
    assert call("post", base, {"kind": "stage3", "date": "2028-01-17"}).status_code == 422
    for far in ("0001-01-01", "9999-12-31"):
        refused = call("post", base, {"kind": "stage2", "date": far})
        assert refused.status_code == 400
        assert refused.json()["field"] == "date"
    assert not AuditBooking.objects.filter(kind="stage2").exists()


def test_the_warnings_name_the_audit_and_dates_and_tell_problems_from_reminders(call, engagement, plan, owner):
    booking_create(plan=plan, actor=owner, kind="stage1", date=plan.start_date)
    warnings = call("get", f"/{engagement.pk}/plan/bookings/warnings").json()
    problems = [w for w in warnings if w["problem"]]
    assert problems
    assert all(w["text"].startswith("Stage 1 audit on ") for w in problems)
    assert any("must operate for 3 months first" in w["text"] for w in problems)
    listed = call("get", f"/{engagement.pk}/plan/bookings").json()
    assert [b["kind"] for b in listed] == ["stage1"]
    assert problems[0]["booking_id"] == listed[0]["id"]


def test_a_viewer_reads_the_bookings_but_cannot_write(call, engagement, owner, plan):
    booking = booking_create(plan=plan, actor=owner, kind="stage1", date=plan.start_date)
    viewer = member(engagement, owner, "victor", "viewer")
    base = f"/{engagement.pk}/plan/bookings"
    assert call("get", base, user=viewer).status_code == 200
    assert call("post", base, {"kind": "stage2", "date": "2028-01-10"}, user=viewer).status_code == 403
    assert call("patch", f"{base}/{booking.pk}", {"version": 1}, user=viewer).status_code == 403
    assert call("delete", f"{base}/{booking.pk}", user=viewer).status_code == 403


def test_another_engagements_booking_is_not_found_through_this_one(call, engagement, owner, plan):
    other = another_engagement(owner, "Second")
    foreign = booking_create(
        plan=plan_generate(engagement=other, actor=owner), actor=owner, kind="stage1", date=plan.start_date
    )
    base = f"/{engagement.pk}/plan/bookings/{foreign.pk}"
    assert call("get", base).status_code == 404
    assert call("patch", base, {"version": 1, "scope": "x"}).status_code == 404
    assert call("delete", base).status_code == 404
    assert AuditBooking.objects.get(pk=foreign.pk).scope == ""
