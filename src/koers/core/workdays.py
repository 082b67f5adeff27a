"""Working days: Monday to Friday, without the Dutch public holidays.

A term in working days ("answer within two working days") follows the Algemene termijnenwet: a term does not end
on a Saturday, a Sunday or a generally recognised public holiday. The holidays the law names (art. 3) are New
Year's Day, Easter Monday, Ascension Day, Whit Monday, Christmas Day and Boxing Day, King's Day and Liberation
Day (5 May, every year). Good Friday is not among them. Easter Sunday and Whit Sunday are Sundays anyway.

One place for this, so a signal, the demo data and anything else that counts working days agree.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return date(year, month, day)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> dict[date, str]:
    """The generally recognised public holidays of ``year`` (Algemene termijnenwet, art. 3), date → Dutch name."""
    easter = easter_sunday(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday, King's Day moves to the Saturday before
        kings_day = date(year, 4, 26)
    return {
        date(year, 1, 1): "Nieuwjaarsdag",
        easter + timedelta(days=1): "Tweede paasdag",
        kings_day: "Koningsdag",
        date(year, 5, 5): "Bevrijdingsdag",
        easter + timedelta(days=39): "Hemelvaartsdag",
        easter + timedelta(days=50): "Tweede pinksterdag",
        date(year, 12, 25): "Eerste kerstdag",
        date(year, 12, 26): "Tweede kerstdag",
    }


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def is_working_day(value: date | datetime) -> bool:
    day = _day(value)
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(value: date | datetime, n: int):
    """The moment ``n`` working days after ``value`` (before it when ``n`` is negative), same time of day.

    ``add_working_days(friday, 2)`` is the Tuesday after; from a Saturday, too. With ``n == 0`` the value comes back
    unchanged, also on a day off."""
    step = 1 if n > 0 else -1
    while n:
        value += timedelta(days=step)
        if is_working_day(value):
            n -= step
    return value
