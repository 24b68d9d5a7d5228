"""A country's layer of the calendar from the `holidays` package: public holidays, make-up working days
(China's adjusted working weekends) and the country's weekend."""

from __future__ import annotations

from datetime import date

import pytest

from certprep.planning.scheduling.public_holidays import country_days, supported_countries


def test_china_2025_works_the_weekends_it_swaps_for_its_long_holidays():
    days = country_days("CN", years=[2025], language="en_US")
    # The State Council's 2025 schedule: five weekend days worked around Spring Festival, Labour Day and
    # National Day.
    assert days.makeup_working_days == {
        date(2025, 1, 26),
        date(2025, 2, 8),
        date(2025, 4, 27),
        date(2025, 9, 28),
        date(2025, 10, 11),
    }
    assert days.holidays[date(2025, 1, 29)] == "Chinese New Year (Spring Festival)"
    calendar = days.calendar()
    assert calendar.is_working(date(2025, 1, 26))  # a Sunday
    assert not calendar.is_working(date(2025, 2, 3))  # a Monday inside the holiday
    # The break runs from Tuesday 28 January to Tuesday 4 February: after Monday 27 the next working day is 5
    # February. Three weeks from Monday 20 January hold 11 working days: 20-24, Sunday 26, Monday 27,
    # 5-7 February and Saturday 8.
    assert calendar.next_working_day(date(2025, 1, 27)) == date(2025, 2, 5)
    assert calendar.working_days_between(date(2025, 1, 20), date(2025, 2, 10)) == 11


def test_holiday_names_come_in_the_language_asked():
    assert country_days("CN", years=[2025], language="zh_CN").holidays[date(2025, 1, 29)] == "春节"


def test_a_region_has_its_own_holidays():
    bavaria = country_days("DE", subdivision="BY", years=[2026])
    berlin = country_days("DE", subdivision="BE", years=[2026])
    assert date(2026, 1, 6) in bavaria.holidays  # Epiphany
    assert date(2026, 1, 6) not in berlin.holidays
    assert date(2026, 3, 8) in berlin.holidays  # International Women's Day
    assert not bavaria.makeup_working_days


def test_the_countrys_weekend_sets_the_work_week():
    israel = country_days("IL", years=[2026])
    assert israel.workweek == {6, 0, 1, 2, 3}  # Sunday to Thursday
    assert israel.calendar().is_working(date(2026, 3, 1))  # a Sunday
    assert country_days("CN", years=[2026]).calendar(workweek={0, 1, 2, 3, 4, 5}).is_working(date(2026, 3, 7))


def test_only_the_years_asked_are_listed():
    days = country_days("CN", years=[2024])
    assert {day.year for day in days.holidays} == {2024}
    assert {day.year for day in days.makeup_working_days} == {2024}


def test_an_unknown_country_or_region_is_a_value_error():
    with pytest.raises(ValueError, match="XX"):
        country_days("XX", years=[2026])
    with pytest.raises(ValueError, match="ZZ"):
        country_days("DE", subdivision="ZZ", years=[2026])
    countries = supported_countries()
    assert "BY" in countries["DE"]
    assert "CN" in countries
