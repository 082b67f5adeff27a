"""Working days: Monday to Friday without the public holidays of the Algemene termijnenwet."""

from datetime import date, datetime

import pytest

from koers.core.workdays import add_working_days, easter_sunday, is_working_day, public_holidays


@pytest.mark.parametrize(("year", "easter"), [
    (2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)), (2027, date(2027, 3, 28)),
    (2038, date(2038, 4, 25)), (2285, date(2285, 3, 22)),
])
def test_easter(year, easter):
    assert easter_sunday(year) == easter


def test_the_holidays_of_2026():
    assert sorted(public_holidays(2026)) == [
        date(2026, 1, 1), date(2026, 4, 6), date(2026, 4, 27), date(2026, 5, 5), date(2026, 5, 14),
        date(2026, 5, 25), date(2026, 12, 25), date(2026, 12, 26)]


def test_kings_day_on_a_sunday_moves_to_saturday():
    assert date(2025, 4, 26) in public_holidays(2025) and date(2025, 4, 27) not in public_holidays(2025)


def test_working_days():
    friday = date(2026, 12, 4)
    assert add_working_days(friday, 2) == date(2026, 12, 8)  # Tuesday
    assert add_working_days(date(2026, 12, 5), 2) == date(2026, 12, 8)  # from a Saturday
    assert add_working_days(date(2026, 12, 23), 2) == date(2026, 12, 28)  # over Christmas
    assert add_working_days(date(2026, 12, 28), -2) == date(2026, 12, 23)
    assert add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 15)  # Ascension Day
    assert add_working_days(date(2026, 12, 26), 0) == date(2026, 12, 26)
    moment = datetime(2026, 12, 31, 10, 30)
    assert add_working_days(moment, 1) == datetime(2027, 1, 4, 10, 30)  # New Year's Day, then a weekend
    assert not is_working_day(date(2026, 4, 6)) and is_working_day(date(2026, 4, 3))  # Good Friday is no holiday
