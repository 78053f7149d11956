"""The service's days are Finnish calendar days, whatever the server's clock zone."""

from __future__ import annotations

import datetime as dt

from api import finland


def test_the_day_turns_at_finnish_midnight_winter_and_summer() -> None:
    utc = dt.UTC
    # Winter (EET, UTC+2): 21:59 UTC is 23:59 in Helsinki, 22:00 UTC is already the next day.
    assert finland.today(dt.datetime(2026, 11, 23, 21, 59, tzinfo=utc)) == dt.date(2026, 11, 23)
    assert finland.today(dt.datetime(2026, 11, 23, 22, 0, tzinfo=utc)) == dt.date(2026, 11, 24)
    # Summer (EEST, UTC+3): the day turns at 21:00 UTC.
    assert finland.today(dt.datetime(2026, 6, 30, 20, 59, tzinfo=utc)) == dt.date(2026, 6, 30)
    assert finland.today(dt.datetime(2026, 6, 30, 21, 0, tzinfo=utc)) == dt.date(2026, 7, 1)
    # Another zone's clock gives the same Finnish day for the same instant.
    new_york = dt.timezone(dt.timedelta(hours=-5))
    assert finland.today(dt.datetime(2026, 11, 23, 17, 0, tzinfo=new_york)) == dt.date(2026, 11, 24)
