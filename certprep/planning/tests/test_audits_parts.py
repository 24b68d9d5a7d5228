"""The audit bookings in the plan's part: the demo plan's certification body and booked cycle (two stage 2
batches, one audit reserved), the bookings' lossless trip through the engagement file with their milestones,
and a section whose bookings point nowhere refused before anything is written."""

from __future__ import annotations

import copy
import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certprep.core.errors import ServiceError
from certprep.engagements.models import Engagement
from certprep.engagements.transfer import engagement_export, engagement_import
from certprep.planning.models import AuditBooking
from certprep.planning.selectors.audits import audits_page
from certprep.planning.services.audits import booking_create
from certprep.planning.services.generation import plan_generate

pytestmark = pytest.mark.django_db


def _demo():
    call_command("load_demo", verbosity=0)
    demo = get_user_model().objects.get(username="demo")
    return demo, Engagement.objects.get(memberships__user=demo, memberships__role="owner")


def _import(document, actor):
    return engagement_import(raw=json.dumps(document).encode(), actor=actor)[0]


def _cycle(plan):
    return [
        (b.kind, b.batch, b.date, b.audit_days, b.reserved_on, b.scope, b.task.name, b.task.constraint_date)
        for b in AuditBooking.objects.filter(plan=plan).select_related("task").order_by("kind", "batch")
    ]


def test_the_demo_plan_books_the_whole_cycle_with_two_stage2_batches_one_reserved():
    _user, engagement = _demo()
    plan = engagement.plan
    assert plan.certification_body
    page = audits_page(plan)
    assert [(row.booking.kind, row.booking.batch) for row in page.rows] == [
        ("stage1", 1),
        ("stage2", 1),
        ("stage2", 2),
        ("surveillance1", 1),
        ("surveillance2", 1),
        ("recertification", 1),
    ]
    assert [row.booking.reserved_on is not None for row in page.rows].count(True) == 1
    assert all(row.booking.task.milestone for row in page.rows)
    assert not [line.text for line in page.warnings if line.problem and "reserved" not in line.text]


def test_the_bookings_travel_in_the_engagement_file_with_their_milestones():
    user, engagement = _demo()
    exported = engagement_export(engagement)
    section = exported["plan"]
    assert section["plan"]["certification_body"] == engagement.plan.certification_body
    assert len(section["bookings"]) == 6
    assert all(b["task"] is not None for b in section["bookings"])
    copied = _import(exported, user)
    assert engagement_export(copied)["plan"] == section
    assert _cycle(copied.plan) == _cycle(engagement.plan)
    assert copied.plan.findings_window_days == engagement.plan.findings_window_days


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda s: s["bookings"].append(dict(s["bookings"][0], task=None)), "a second time"),
        (lambda s: s["bookings"][0].update(task=99999), "milestone the section does not have"),
        (lambda s: s["bookings"][1].update(task=s["bookings"][0]["task"]), "another booking's"),
        (lambda s: s["bookings"][0].update(batch=3), "batch to an audit that has none"),
        (lambda s: s.update(plan=None, tasks=[], dependencies=[]), "bookings without a plan"),
    ],
)
def test_bookings_pointing_nowhere_are_refused_before_anything_is_written(catalogue, engagement, owner, damage, named):
    plan = plan_generate(engagement=engagement, actor=owner)
    booking_create(plan=plan, actor=owner, kind="stage1", date=plan.start_date)
    booking_create(plan=plan, actor=owner, kind="surveillance1", date=plan.start_date + datetime.timedelta(days=700))
    damaged = copy.deepcopy(engagement_export(engagement))
    damage(damaged["plan"])
    count = Engagement.objects.count()
    with CaptureQueriesContext(connection) as queries, pytest.raises(ServiceError, match=named):
        _import(damaged, owner)
    assert Engagement.objects.count() == count
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("INSERT")]
