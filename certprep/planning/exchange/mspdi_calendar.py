"""The project calendar of an MSPDI file as certprep's working calendar (no database): the working weekdays and
the days that differ from them, with what certprep cannot represent named (other calendars, working hours other
than 8-hour days, recurring exceptions, alternate work weeks)."""

from __future__ import annotations

import datetime
from xml.etree.ElementTree import Element

from django.utils.translation import gettext as _

from certprep.core.errors import ServiceError
from certprep.core.wording import join_names
from certprep.planning.exchange.document import DocCalendar
from certprep.planning.exchange.mspdi_xml import children, day, flag, number, text, value

MAX_EXCEPTION_DAYS = 3660  # ten years in one exception is the most any plan needs
EIGHT_HOURS = 8 * 60


def _minutes(times: Element) -> int:
    total = 0
    for period in children(times, "WorkingTimes/WorkingTime"):
        start, finish = value(period, "FromTime"), value(period, "ToTime")
        if start and finish:
            begin = datetime.time.fromisoformat(start)
            end = datetime.time.fromisoformat(finish)
            minutes = (end.hour * 60 + end.minute) - (begin.hour * 60 + begin.minute)
            total += minutes if minutes > 0 else minutes + 24 * 60
    return total


def _days(first: datetime.date, last: datetime.date, name: str) -> list[datetime.date]:
    span = (last - first).days + 1
    if span < 1 or span > MAX_EXCEPTION_DAYS:
        raise ServiceError(
            _("The calendar exception %(name)s spans %(days)s days; at most %(max)s are accepted.")
            % {"name": name or first.isoformat(), "days": span, "max": MAX_EXCEPTION_DAYS}
        )
    return [first + datetime.timedelta(days=n) for n in range(span)]


def _period(element: Element) -> tuple[datetime.date, datetime.date] | None:
    period = element.find(element.tag.rsplit("}", 1)[0] + "}TimePeriod")
    if period is None:
        return None
    first, last = day(period, "FromDate"), day(period, "ToDate")
    return (first, last) if first and last else None


def read_calendar(project: Element, unrepresented: list[str]) -> DocCalendar:
    """The project's calendar (CalendarUID, else the first base calendar); Monday to Friday without one."""
    calendars = list(children(project, "Calendars/Calendar"))
    wanted = value(project, "CalendarUID")
    chosen = next((c for c in calendars if value(c, "UID") == wanted), None)
    if chosen is None:
        chosen = next((c for c in calendars if flag(c, "IsBaseCalendar")), None)
    if chosen is None:
        return DocCalendar()
    others = [
        text(c, "Name") or value(c, "UID") or "?"
        for c in calendars
        if c is not chosen and flag(c, "IsBaseCalendar") and value(c, "UID") != "-1"
    ]
    if others:
        unrepresented.append(
            _("Other calendars (%(names)s): the plan uses one working calendar, %(name)s.")
            % {"names": join_names(others), "name": text(chosen, "Name") or "?"}
        )
    workweek, odd_hours = {0, 1, 2, 3, 4}, False
    days_off: list[tuple[datetime.date, str]] = []
    working_days: list[tuple[datetime.date, str]] = []
    for entry in children(chosen, "WeekDays/WeekDay"):
        day_type = number(entry, "DayType")
        working = flag(entry, "DayWorking")
        if 1 <= day_type <= 7:
            weekday = (day_type + 5) % 7
            (workweek.add if working else workweek.discard)(weekday)
            odd_hours = odd_hours or (working and _minutes(entry) not in (0, EIGHT_HOURS))
        elif day_type == 0 and (period := _period(entry)):  # MS Project 2003's exceptions
            (working_days if working else days_off).extend((d, "") for d in _days(*period, ""))
    for exception in children(chosen, "Exceptions/Exception"):
        name = text(exception, "Name")
        period = _period(exception)
        if period is None:
            continue
        if number(exception, "Type", 1) != 1:
            unrepresented.append(
                _("The recurring calendar exception %(name)s: only exceptions on a run of days are imported.")
                % {"name": name or period[0].isoformat()}
            )
            continue
        working = flag(exception, "DayWorking")
        odd_hours = odd_hours or (working and _minutes(exception) not in (0, EIGHT_HOURS))
        (working_days if working else days_off).extend((d, name) for d in _days(*period, name))
    if odd_hours:
        unrepresented.append(
            _("Working hours other than 8 hours a day: certprep counts working days of 8 hours (08:00-17:00).")
        )
    if list(children(chosen, "WorkWeeks/WorkWeek")):
        unrepresented.append(_("Alternate work weeks of the calendar: the plan has one work week."))
    return DocCalendar(
        workweek=frozenset(workweek),
        days_off=tuple(sorted(dict(days_off).items())),
        working_days=tuple(sorted(dict(working_days).items())),
    )
