"""Deadlines under the Act on the calculation of time limits 150/1930, 5 §.

(Laki säädettyjen määräaikain laskemisesta.) A last day that falls on a Saturday, Sunday,
public holiday, Independence Day, May Day, Christmas Eve or Midsummer Eve moves to the next
working day.

Public holidays come from the `holidays` package (Finland), not a hand-written calendar.
Christmas Eve and Midsummer Eve are not public holidays but the Act names them: they are
added here whether or not the package lists them.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import holidays

from geo.errors import InvalidInput

ACT = "Laki säädettyjen määräaikain laskemisesta 150/1930, 5 §"


def midsummer_eve(year: int) -> dt.date:
    """Midsummer Eve: the Friday between 19 and 25 June."""
    june19 = dt.date(year, 6, 19)
    return june19 + dt.timedelta(days=(4 - june19.weekday()) % 7)


@lru_cache(maxsize=64)
def days_off(year: int) -> dict[dt.date, str]:
    """The days of a year (besides Saturdays and Sundays) on which no time limit can end."""
    out = {d: str(name) for d, name in holidays.country_holidays("FI", years=year).items()}
    out.setdefault(dt.date(year, 12, 24), "Christmas Eve")
    out.setdefault(midsummer_eve(year), "Midsummer Eve")
    return out


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later (29 February becomes 28 February: 150/1930 3 §)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def why_not_working(day: dt.date) -> str | None:
    """Why `day` is no working day under 150/1930 5 § (its name), or None for a working day."""
    named = days_off(day.year).get(day)
    if named:
        return named
    if day.weekday() == 5:
        return "Saturday"
    if day.weekday() == 6:
        return "Sunday"
    return None


def last_day(day: dt.date) -> dt.date:
    """The last day of a time limit ending on `day`: that day, or the next working day."""
    while why_not_working(day):
        day += dt.timedelta(days=1)
    return day


def working_day_before(day: dt.date) -> dt.date:
    """The last working day before `day` (an inspection before work starting on a Monday: Friday)."""
    day -= dt.timedelta(days=1)
    while why_not_working(day):
        day -= dt.timedelta(days=1)
    return day


def next_working_day(day: dt.date) -> dt.date:
    """The first working day after `day`."""
    return last_day(day + dt.timedelta(days=1))


def check_happened(
    day: dt.date, today: dt.date, what: str, said: dict[str, Any] | None = None
) -> None:
    """Refuse a day recorded for something that has happened, when that day is still to come.

    `what` names it in English; `said` as a catalogue message (api/locale `happened.*`).

    A letter sent, an answer received, a decision made or a step taken is recorded on the day
    it happened or later (a late entry may be dated back); dated forward, it would let the
    checks that run on that day (a hearing complete, an appeal period run, a limit passed) be
    passed before their time.
    """
    if day > today:
        raise InvalidInput(
            f"{what} is dated {day}, after today ({today}): record it on the day it happened",
            i18n={
                "key": "error.future_day",
                "what": said or {"by_lang": {}, "else": what},
                "day": day,
                "today": today,
            },
            date=day.isoformat(),
            today=today.isoformat(),
        )
