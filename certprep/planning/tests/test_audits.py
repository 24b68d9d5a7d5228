"""Audit bookings as people use them: booking an audit puts a milestone on the plan that follows the booking and
goes with it; the proposal dates the cycle from the schedule and saves nothing until confirmed; the audits page
and the plan page show the warnings; stale forms get the conflict message; viewers read; outsiders get 404."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certprep.core.errors import ConflictError, ServiceError
from certprep.core.models import AuditEntry
from certprep.gaps.tests.factories import member
from certprep.planning.models import AuditBooking, Task
from certprep.planning.selectors.audits import audits_page, proposal
from certprep.planning.selectors.page import plan_page
from certprep.planning.services.audits import booking_create, booking_delete, booking_update, bookings_confirm
from certprep.planning.services.generation import plan_generate
from certprep.planning.services.tasks import task_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(catalogue, engagement, owner):
    return plan_generate(engagement=engagement, actor=owner)


def _row(plan, key):
    return next(row for row in plan_page(plan).rows if row.task.origin_key == key)


def test_a_booking_owns_a_milestone_under_the_certification_stage_that_follows_it(plan, owner):
    day = datetime.date(2028, 3, 6)
    booking = booking_create(plan=plan, actor=owner, kind="stage2", batch=2, date=day, scope="Data centre")
    task = booking.task
    assert task.milestone
    assert task.name == "Stage 2 audit, batch 2"
    assert task.translations["zh-hans"]["name"] == "第二阶段审核，第 2 批"
    assert (task.constraint_type, task.constraint_date) == ("MSO", day)
    assert task.parent.origin_key == "stage:certification"
    scheduled = next(row for row in plan_page(plan).rows if row.task.pk == task.pk)
    assert scheduled.start == day
    booking_update(booking=booking, actor=owner, expected_version=booking.version, date=day.replace(day=13))
    task.refresh_from_db()
    assert task.constraint_date == datetime.date(2028, 3, 13)
    assert task.version == 2
    with pytest.raises(ConflictError):
        booking_update(booking=booking, actor=owner, expected_version=1, scope="late")
    booking_delete(booking=booking, actor=owner, expected_version=booking.version)
    assert not Task.objects.filter(pk=task.pk).exists()
    actions = list(
        AuditEntry.objects.filter(object_type="planning.auditbooking").values_list("action", flat=True).order_by("pk")
    )
    assert actions == ["create", "update", "delete"]


def test_a_milestone_moved_on_the_plan_is_warned_until_the_booking_follows(plan, owner):
    booking = booking_create(plan=plan, actor=owner, kind="stage1", date=datetime.date(2028, 1, 10))
    task = booking.task
    task_update(task=task, actor=owner, expected_version=task.version, constraint_date=datetime.date(2028, 1, 17))
    [line] = [w for w in audits_page(plan).warnings if "milestone" in w.text]
    assert line.text == (
        "Stage 1 audit is booked for 10 Jan 2028, but its milestone on the plan was moved to 17 Jan 2028: change the "
        "booking, or move the milestone back."
    )
    assert line.problem
    booking_update(booking=booking, actor=owner, expected_version=booking.version, date=datetime.date(2028, 1, 17))
    assert not [w for w in audits_page(plan).warnings if "milestone" in w.text]


def test_a_milestone_someone_removed_is_made_again_when_the_booking_changes(plan, owner):
    booking = booking_create(plan=plan, actor=owner, kind="stage1", date=datetime.date(2028, 1, 10))
    Task.objects.filter(pk=booking.task_id).delete()
    booking.refresh_from_db()
    assert booking.task is None
    booking_update(booking=booking, actor=owner, expected_version=booking.version, audit_days=2)
    assert AuditBooking.objects.get(pk=booking.pk).task.constraint_date == datetime.date(2028, 1, 10)


def test_the_services_refuse_a_second_booking_of_an_audit_and_batches_outside_stage2(plan, owner):
    booking_create(plan=plan, actor=owner, kind="stage1", date=datetime.date(2028, 1, 10))
    with pytest.raises(ServiceError) as twice:
        booking_create(plan=plan, actor=owner, kind="stage1", date=datetime.date(2028, 2, 10))
    assert twice.value.field == "batch"
    with pytest.raises(ServiceError) as batch:
        booking_create(plan=plan, actor=owner, kind="surveillance1", batch=2, date=datetime.date(2029, 2, 10))
    assert batch.value.field == "batch"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ServiceError) as future:
        booking_create(plan=plan, actor=owner, kind="stage2", date=datetime.date(2028, 3, 1), reserved_on=tomorrow)
    assert future.value.field == "reserved_on"
    assert AuditBooking.objects.filter(plan=plan).count() == 1


def test_the_proposal_follows_the_trial_operation_and_confirmed_gives_no_cycle_warning(plan, owner):
    trial = _row(plan, "task:trial-operation")
    proposed = proposal(plan)
    assert [b.kind for b in proposed] == ["stage1", "stage2", "surveillance1", "surveillance2", "recertification"]
    assert proposed[0].date > trial.finish
    assert (proposed[1].date - proposed[0].date).days >= plan.findings_window_days
    assert not AuditBooking.objects.filter(plan=plan).exists()  # nothing saved by proposing
    bookings_confirm(plan=plan, actor=owner, proposals=proposed)
    page = audits_page(plan)
    assert [row.name for row in page.rows][:2] == ["Stage 1 audit", "Stage 2 audit, batch 1"]
    cycle = [w.text for w in page.warnings if "reserved" not in w.text and "reserve it" not in w.text]
    assert cycle == []
    assert proposal(plan) == []


def test_moving_stage1_before_the_trial_operation_ends_is_warned_on_both_pages(owner_client, engagement, plan, owner):
    bookings_confirm(plan=plan, actor=owner, proposals=proposal(plan))
    stage1 = AuditBooking.objects.get(plan=plan, kind="stage1")
    trial = _row(plan, "task:trial-operation")
    early = trial.start + datetime.timedelta(days=14)
    url = reverse("planning:booking_edit", args=[engagement.pk, stage1.pk])
    form = {
        "expected_version": stage1.version,
        "kind": "stage1",
        "batch": 1,
        "date": early.isoformat(),
        "audit_days": 1,
        "reservation_lead_days": 60,
    }
    assert owner_client.post(url, form).status_code == 302
    audits = owner_client.get(reverse("planning:audits", args=[engagement.pk])).content.decode()
    assert 'role="alert" id="audit-warnings"' in audits
    assert "Stage 1 audit on " in audits
    assert "must operate for 3 months first" in audits
    assert "the internal audit is not finished until" in audits
    body = owner_client.get(reverse("planning:plan", args=[engagement.pk])).content.decode()
    assert 'id="audit-warnings"' in body
    assert "must operate for 3 months first" in body
    stale = owner_client.post(url, {**form, "date": "2030-01-07"}).content.decode()
    assert "Someone else changed this" in stale


def test_the_propose_page_books_only_the_ticked_audits_on_the_dates_typed(owner_client, engagement, plan):
    url = reverse("planning:booking_propose", args=[engagement.pk])
    body = owner_client.get(url).content.decode()
    assert 'name="book_stage1-1"' in body
    assert not AuditBooking.objects.exists()
    proposed = {f"{b.kind}-{b.batch}": b.date for b in proposal(plan)}
    data = {f"date_{key}": day.isoformat() for key, day in proposed.items()}
    data.update({"book_stage1-1": "on", "book_stage2-1": "on", "date_stage2-1": "2031-02-03"})
    assert owner_client.post(url, data).status_code == 302
    booked = dict(AuditBooking.objects.values_list("kind", "date"))
    assert booked == {"stage1": proposed["stage1-1"], "stage2": datetime.date(2031, 2, 3)}


def test_the_audits_page_lists_the_cycle_flags_book_now_and_saves_the_certification_body(
    owner_client, engagement, plan, owner
):
    today = timezone.localdate()
    booking_create(plan=plan, actor=owner, kind="stage1", date=today + datetime.timedelta(days=40))
    booking_create(
        plan=plan, actor=owner, kind="surveillance1", date=today + datetime.timedelta(days=500), reserved_on=today
    )
    url = reverse("planning:audits", args=[engagement.pk])
    body = owner_client.get(url).content.decode()
    assert "book now" in body
    assert body.index("Stage 1 audit") < body.index("Surveillance audit, year 1")
    assert "is not reserved and its book-by date" in body
    plan.refresh_from_db()
    saved = owner_client.post(
        url, {"expected_version": plan.version, "certification_body": "<b>CQC</b>", "findings_window_days": 45}
    )
    assert saved.status_code == 302
    plan.refresh_from_db()
    assert (plan.certification_body, plan.findings_window_days) == ("<b>CQC</b>", 45)
    assert "&lt;b&gt;CQC&lt;/b&gt;" in owner_client.get(url).content.decode()


def test_the_audits_page_of_an_engagement_without_a_plan_leads_to_generating_it(owner_client, engagement, catalogue):
    response = owner_client.get(reverse("planning:audits", args=[engagement.pk]))
    assert response.status_code == 302
    assert response.url == reverse("planning:plan", args=[engagement.pk])


def test_a_viewer_reads_the_audits_but_cannot_book(client, engagement, owner, plan):
    booking = booking_create(plan=plan, actor=owner, kind="stage1", date=datetime.date(2028, 1, 10))
    client.force_login(member(engagement, owner, "victor", "viewer"))
    body = client.get(reverse("planning:audits", args=[engagement.pk])).content.decode()
    assert f'id="booking-{booking.pk}"' in body
    assert 'id="booking-add"' not in body
    assert client.post(reverse("planning:booking_add", args=[engagement.pk]), {}).status_code == 403
    assert client.get(reverse("planning:booking_edit", args=[engagement.pk, booking.pk])).status_code == 403


def test_an_outsider_gets_404_on_every_audits_page(outsider_client, engagement, plan, owner):
    booking = booking_create(plan=plan, actor=owner, kind="stage1", date=datetime.date(2028, 1, 10))
    for url in (
        reverse("planning:audits", args=[engagement.pk]),
        reverse("planning:booking_add", args=[engagement.pk]),
        reverse("planning:booking_propose", args=[engagement.pk]),
        reverse("planning:booking_edit", args=[engagement.pk, booking.pk]),
        reverse("planning:booking_remove", args=[engagement.pk, booking.pk]),
    ):
        assert outsider_client.post(url, {"expected_version": 1}).status_code == 404
    assert AuditBooking.objects.filter(pk=booking.pk).exists()


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_plan_and_audits_pages_read_in_the_same_number_of_queries_at_two_sizes(
    owner_client, engagement, plan, owner
):
    booking_create(plan=plan, actor=owner, kind="stage1", date=datetime.date(2028, 1, 10))
    plan_url = reverse("planning:plan", args=[engagement.pk])
    audits_url = reverse("planning:audits", args=[engagement.pk])
    small = (_queries(owner_client, plan_url), _queries(owner_client, audits_url))
    parent = Task.objects.get(plan=plan, origin_key="stage:preparation")
    for n in range(30):
        Task.objects.create(plan=plan, parent=parent, order=5000 + n, outline_level=2, name=f"Extra {n}")
    for n in range(1, 5):
        booking_create(plan=plan, actor=owner, kind="stage2", batch=n, date=datetime.date(2028, 3, 6 + n))
    large = (_queries(owner_client, plan_url), _queries(owner_client, audits_url))
    assert large == small
