"""The chosen certification body's availability on the plan's audits page, through the links hook: each booking
names the body, the window that holds the audit or a warning with the nearest windows; nothing before a decision,
nothing of another engagement; the page reads the same number of queries at two sizes."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from certprep.core.parts import part_links
from certprep.planning.models import AuditBooking, Plan
from certprep.vendors.booking_links import BOOKING, booking_fit
from certprep.vendors.services.register import window_add
from certprep.vendors.services.selection import decision_record
from certprep.vendors.tests.world import body_a, body_b

pytestmark = pytest.mark.django_db
day = datetime.date
SPRING = (day(2027, 3, 1), day(2027, 4, 30))
AUTUMN = (day(2027, 10, 4), day(2027, 11, 26))


def test_an_audit_inside_a_window_names_that_window():
    with translation.override("en"):
        assert booking_fit(day(2027, 4, 28), 3, [AUTUMN, SPRING]) == (["available 1 Mar 2027 – 30 Apr 2027"], [])


def test_an_audit_running_past_the_windows_end_is_outside_and_lists_the_nearest_windows():
    # 28 Apr + 4 days runs to 1 May, one day past the spring window
    with translation.override("en"):
        facts, warnings = booking_fit(day(2027, 4, 28), 4, [SPRING, AUTUMN])
    assert warnings == ["outside every window"]
    assert facts == ["available 1 Mar 2027 – 30 Apr 2027", "available 4 Oct 2027 – 26 Nov 2027"]


def test_a_body_without_windows_is_said_to_have_none_in_chinese():
    with translation.override("zh-hans"):
        assert booking_fit(day(2027, 4, 28), 1, []) == ([], ["尚未录入可用时段"])
        assert booking_fit(day(2027, 3, 1), 1, [SPRING]) == (["可用 2027年3月1日至2027年4月30日"], [])


def _plan(engagement, bookings):
    plan = Plan.objects.create(engagement=engagement, start_date=day(2027, 1, 4))
    kinds = ["stage1", "stage2", "surveillance1", "surveillance2", "recertification"]
    return plan, [
        AuditBooking.objects.create(plan=plan, kind=kinds[n % 5], batch=n // 5 + 1, date=date, audit_days=audit_days)
        for n, (date, audit_days) in enumerate(bookings)
    ]


def test_nothing_is_linked_before_a_body_is_chosen_nor_to_another_engagements_bookings(engagement, owner, outsider):
    body = body_a(engagement, owner)
    window_add(vendor=body, actor=owner, starts_on=SPRING[0], ends_on=SPRING[1])
    _plan_, (booking,) = _plan(engagement, [(day(2027, 3, 15), 2)])
    assert part_links(engagement, BOOKING, [booking.pk], detailed=True) == {}
    decision_record(vendor=body, actor=owner, rationale="Competence")
    other = outsider.memberships.get().engagement
    assert part_links(other, BOOKING, [booking.pk], detailed=True) == {}
    assert part_links(engagement, "planning.task", [booking.pk], detailed=True) == {}
    (link,) = part_links(engagement, BOOKING, [booking.pk], detailed=True)[booking.pk]
    assert link.label == "Body A"
    assert link.url == reverse("vendors:vendor", args=[engagement.pk, body.pk])


def test_the_audits_page_shows_the_chosen_bodys_windows_against_each_audit(owner_client, engagement, owner):
    a, b = body_a(engagement, owner), body_b(engagement, owner)
    window_add(vendor=a, actor=owner, starts_on=SPRING[0], ends_on=SPRING[1])
    window_add(vendor=b, actor=owner, starts_on=day(2027, 6, 1), ends_on=day(2027, 8, 31))
    _p, (stage1, stage2) = _plan(engagement, [(day(2027, 3, 15), 2), (day(2027, 7, 5), 5)])
    decision_record(vendor=b, actor=owner, rationale="Earlier")
    decision_record(vendor=a, actor=owner, rationale="Competence")  # the latest decision counts
    page = owner_client.get(reverse("planning:audits", args=[engagement.pk])).content.decode()
    row1 = page.split(f'id="booking-{stage1.pk}"')[1].split("</tr>")[0]
    row2 = page.split(f'id="booking-{stage2.pk}"')[1].split("</tr>")[0]
    assert "Chosen certification body" in row1
    assert "Body A" in row1
    assert "available 1 Mar 2027 – 30 Apr 2027" in row1
    assert "outside every window" not in row1
    assert '<span class="badge critical">outside every window</span>' in row2
    assert "Body B" not in row2
    owner_client.cookies["django_language"] = "zh-hans"
    page = owner_client.get(reverse("planning:audits", args=[engagement.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    row2 = page.content.decode().split(f'id="booking-{stage2.pk}"')[1].split("</tr>")[0]
    assert "选定的认证机构" in row2
    assert "不在任何可用时段内" in row2
    assert "2027年3月1日" in row2


@pytest.mark.parametrize("size", [2, 10])
def test_the_audits_page_reads_the_same_queries_at_two_sizes(
    owner_client, engagement, owner, size, django_assert_max_num_queries
):
    body = body_a(engagement, owner)
    for month in range(1, 1 + size):
        window_add(vendor=body, actor=owner, starts_on=day(2027, month, 1), ends_on=day(2027, month, 10))
    _p, bookings = _plan(engagement, [(day(2027, n % 12 + 1, 5 + n % 2 * 20), 2) for n in range(size)])
    decision_record(vendor=body, actor=owner, rationale="Competence")
    with django_assert_max_num_queries(11):
        page = owner_client.get(reverse("planning:audits", args=[engagement.pk])).content.decode()
    assert page.count("Chosen certification body") == size
    assert page.count("outside every window") == size // 2  # the odd bookings fall on the 25th
