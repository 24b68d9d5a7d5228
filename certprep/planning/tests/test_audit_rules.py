"""The certification cycle's rules over audit bookings (certprep.planning.audit_rules): each precondition a plan
can break gives its warning naming the audit and the dates, a plan that keeps them gives none, and a proposal
keeps every rule whatever the schedule says."""

from __future__ import annotations

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certprep.planning.audit_rules import (
    RECERTIFICATION,
    STAGE1,
    STAGE2,
    SURVEILLANCE1,
    SURVEILLANCE2,
    Booking,
    Code,
    Readiness,
    add_months,
    audit_warnings,
    book_now,
    cycle_order,
    propose,
)

D = datetime.date
# The draws are a few dates and numbers; a machine shared with other test runs can still stall one for a second.
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TODAY = D(2027, 1, 4)
READY = Readiness(
    operation_start=D(2027, 3, 1),
    internal_audit_finish=D(2027, 5, 14),
    management_review_finish=D(2027, 5, 21),
    minimum_operating_months=3,
    findings_window_days=30,
)


def _cycle(**dates: D) -> list[Booking]:
    """A good cycle, reserved, with some dates replaced."""
    base = {
        "stage1": D(2027, 6, 7),
        "stage2": D(2027, 7, 12),
        "surveillance1": D(2028, 7, 10),
        "surveillance2": D(2029, 7, 9),
        "recertification": D(2030, 6, 10),
    }
    base.update(dates)
    return [Booking(kind, day, reserved_on=TODAY) for kind, day in base.items()]


def _codes(bookings, ready=READY, today=TODAY):
    return [w.code for w in audit_warnings(bookings, ready, today)]


def test_a_cycle_keeping_every_rule_has_no_warning():
    assert _codes(_cycle()) == []


def test_stage1_before_the_minimum_operating_time_is_named_with_the_day_it_is_over():
    [warning] = audit_warnings(_cycle(stage1=D(2027, 5, 31)), READY, TODAY)
    assert warning.code == Code.OPERATING_TIME
    assert (warning.kind, warning.date, warning.limit, warning.since, warning.days) == (
        STAGE1,
        D(2027, 5, 31),
        D(2027, 6, 1),
        D(2027, 3, 1),
        3,
    )
    assert warning.problem


def test_stage1_on_or_before_the_internal_audit_or_management_review_finish_is_a_problem():
    ready = Readiness(internal_audit_finish=D(2027, 6, 7), management_review_finish=D(2027, 6, 10))
    warnings = audit_warnings(_cycle(), ready, TODAY)
    assert [(w.code, w.limit) for w in warnings] == [
        (Code.INTERNAL_AUDIT, D(2027, 6, 7)),
        (Code.MANAGEMENT_REVIEW, D(2027, 6, 10)),
    ]


def test_stage2_within_the_findings_window_names_the_earliest_day():
    bookings = _cycle(stage2=D(2027, 7, 6), surveillance1=D(2028, 7, 5), surveillance2=D(2029, 7, 2))
    [warning] = audit_warnings(bookings, READY, TODAY)
    assert (warning.code, warning.kind, warning.limit, warning.since, warning.days) == (
        Code.FINDINGS_WINDOW,
        STAGE2,
        D(2027, 7, 7),
        D(2027, 6, 7),
        30,
    )


def test_stage2_batches_out_of_order_or_overlapping():
    batches = [
        Booking(STAGE2, D(2027, 8, 2), batch=1, audit_days=3, reserved_on=TODAY),
        Booking(STAGE2, D(2027, 8, 3), batch=2, reserved_on=TODAY),
        Booking(STAGE2, D(2027, 7, 30), batch=3, reserved_on=TODAY),
    ]
    bookings = [b for b in _cycle() if b.kind != STAGE2] + batches
    warnings = [w for w in audit_warnings(bookings, READY, TODAY) if w.kind == STAGE2]
    assert [(w.code, w.batch, w.other_batch, w.limit) for w in warnings] == [
        (Code.BATCH_OVERLAP, 2, 1, D(2027, 8, 4)),
        (Code.BATCH_ORDER, 3, 2, D(2027, 8, 3)),
    ]


def test_book_by_passed_is_a_problem_and_near_is_a_reminder_until_reserved():
    late = Booking(STAGE1, D(2027, 2, 1), reservation_lead_days=60)  # book by 3 Dec 2026
    near = Booking(STAGE2, D(2027, 3, 10), reservation_lead_days=60)  # book by 9 Jan 2027
    far = Booking(SURVEILLANCE1, D(2028, 3, 1), reservation_lead_days=60)
    warnings = audit_warnings([late, near, far], Readiness(), TODAY)
    by_code = {w.code: w for w in warnings}
    assert by_code[Code.BOOK_BY_PASSED].limit == D(2026, 12, 3)
    assert by_code[Code.BOOK_BY_PASSED].problem
    assert by_code[Code.BOOK_BY_NEAR].days == 5
    assert not by_code[Code.BOOK_BY_NEAR].problem
    assert [w.code for w in warnings][-1] == Code.BOOK_BY_NEAR  # reminders after problems
    assert book_now(late, TODAY)
    assert book_now(near, TODAY)
    assert not book_now(far, TODAY)
    reserved = [Booking(b.kind, b.date, reserved_on=TODAY) for b in (late, near)]
    assert not [w for w in audit_warnings(reserved, Readiness(), TODAY) if w.code.startswith("book")]


def test_a_milestone_moved_away_from_its_booking_is_a_problem_naming_both_dates():
    moved = Booking(STAGE1, D(2027, 6, 7), reserved_on=TODAY, milestone=D(2027, 6, 14))
    [warning] = audit_warnings([moved], Readiness(), TODAY)
    assert (warning.code, warning.date, warning.limit, warning.problem) == (
        Code.MILESTONE_MOVED,
        D(2027, 6, 7),
        D(2027, 6, 14),
        True,
    )
    assert (
        audit_warnings([Booking(STAGE1, D(2027, 6, 7), reserved_on=TODAY, milestone=D(2027, 6, 7))], Readiness(), TODAY)
        == []
    )


def test_surveillance_and_recertification_too_late():
    bookings = _cycle(surveillance1=D(2028, 7, 13), surveillance2=D(2029, 7, 14), recertification=D(2030, 7, 12))
    warnings = audit_warnings(bookings, READY, TODAY)
    assert [(w.code, w.limit) for w in warnings] == [
        (Code.SURVEILLANCE1_LATE, D(2028, 7, 12)),
        (Code.SURVEILLANCE2_LATE, D(2029, 7, 13)),
        (Code.RECERTIFICATION_LATE, D(2030, 7, 12)),
    ]


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(D(2027, 1, 31), 1) == D(2027, 2, 28)
    assert add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)
    assert add_months(D(2027, 11, 15), 3) == D(2028, 2, 15)


days = st.dates(min_value=D(2026, 1, 1), max_value=D(2035, 12, 31))


@st.composite
def readiness(draw):
    start = draw(days)
    operating = draw(st.integers(min_value=1, max_value=24))
    audit = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=start + datetime.timedelta(days=900))))
    review = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=start + datetime.timedelta(days=900))))
    window = draw(st.integers(min_value=1, max_value=365))
    return Readiness(start, audit, review, operating, window)


@SETTINGS
@given(ready=readiness(), run=st.integers(min_value=0, max_value=800))
def test_a_proposal_breaks_no_rule_of_the_cycle(ready, run):
    operation_end = ready.operation_start + datetime.timedelta(days=run)
    proposal = propose(operation_end, ready)
    assert [b.kind for b in proposal] == [STAGE1, STAGE2, SURVEILLANCE1, SURVEILLANCE2, RECERTIFICATION]
    assert all(b.date.weekday() < 5 for b in proposal)
    assert proposal[0].date > operation_end
    reserved = [Booking(b.kind, b.date, b.batch, b.audit_days, reserved_on=b.date) for b in proposal]
    assert audit_warnings(reserved, ready, proposal[0].date) == []


booking = st.builds(
    Booking,
    kind=st.sampled_from([STAGE1, STAGE2, SURVEILLANCE1, SURVEILLANCE2, RECERTIFICATION]),
    date=days,
    batch=st.integers(min_value=1, max_value=4),
    audit_days=st.integers(min_value=1, max_value=10),
    reservation_lead_days=st.integers(min_value=0, max_value=730),
    reserved_on=st.one_of(st.none(), days),
    milestone=st.one_of(st.none(), days),
)


@SETTINGS
@given(bookings=st.lists(booking, max_size=8), ready=readiness(), today=days)
def test_every_warning_names_a_booked_audit_and_its_date(bookings, ready, today):
    warnings = audit_warnings(bookings, ready, today)
    booked = {(b.kind, b.batch) for b in bookings}
    for warning in warnings:
        assert (warning.kind, warning.batch) in booked
        if warning.code in (Code.BOOK_BY_PASSED, Code.BOOK_BY_NEAR):
            assert warning.limit <= warning.date
        else:
            assert any(b.date == warning.date for b in bookings if (b.kind, b.batch) == (warning.kind, warning.batch))
    problems = [w.problem for w in warnings]
    assert problems == sorted(problems, reverse=True)  # problems first


@SETTINGS
@given(bookings=st.lists(booking, max_size=8), ready=readiness(), today=days)
def test_moving_stage1_later_never_adds_a_stage1_warning(bookings, ready, today):
    """The stage 1 preconditions only ever ask for a later stage 1."""
    stage1 = [b for b in bookings if b.kind == STAGE1]
    if not stage1:
        return
    later = [
        Booking(b.kind, b.date + datetime.timedelta(days=30), b.batch, b.audit_days, b.reservation_lead_days, TODAY)
        if b.kind == STAGE1
        else b
        for b in bookings
    ]
    stage1_codes = {Code.OPERATING_TIME, Code.INTERNAL_AUDIT, Code.MANAGEMENT_REVIEW}
    before = {w.code for w in audit_warnings(bookings, ready, today) if w.code in stage1_codes}
    after = {w.code for w in audit_warnings(later, ready, today) if w.code in stage1_codes}
    assert after <= before


def test_cycle_order_puts_stage2_batches_in_order_between_stage1_and_surveillance():
    bookings = [
        Booking(RECERTIFICATION, D(2030, 1, 1)),
        Booking(STAGE2, D(2027, 9, 1), batch=2),
        Booking(STAGE1, D(2027, 6, 1)),
        Booking(STAGE2, D(2027, 8, 1), batch=1),
    ]
    assert [(b.kind, b.batch) for b in cycle_order(bookings)] == [
        (STAGE1, 1),
        (STAGE2, 1),
        (STAGE2, 2),
        (RECERTIFICATION, 1),
    ]


@SETTINGS
@given(ready=readiness(), day=days)
def test_stage1_is_warned_exactly_while_the_sms_has_not_operated_long_enough(ready, day):
    operated = add_months(ready.operation_start, ready.minimum_operating_months)
    warned = Code.OPERATING_TIME in _codes([Booking(STAGE1, day, reserved_on=day)], ready, day)
    assert warned == (day < operated)
    assert operated > ready.operation_start
