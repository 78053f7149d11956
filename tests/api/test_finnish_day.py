"""The service's days are Finnish calendar days, whatever the server's clock zone."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text

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


def test_a_dig_permit_is_filed_on_the_finnish_day_in_any_session_zone(engine: Any) -> None:
    """A dig permit's application took its filing date from the session's zone (a cast of its
    creation time, `current_date` when it was sent later): a server in UTC filed a permit sent
    at 01:30 Finnish time on the day before, and charged it by that day's rules."""
    fi = finland.today()
    # one of the two ends of the world is on another day than Finland at any moment
    zone = next(
        z for z in ("Pacific/Kiritimati", "Etc/GMT+12") if dt.datetime.now(ZoneInfo(z)).date() != fi
    )
    insert = text(
        "INSERT INTO excavation_permit (municipality, kind, starts_on, ends_on, state)"
        " VALUES ('244', 'excavation', :d, :d, :state) RETURNING id"
    )
    with engine.connect() as conn, conn.begin() as tx:
        conn.execute(text("SELECT set_config('TimeZone', :z, true)"), {"z": zone})
        sent = conn.execute(insert, {"d": fi, "state": "submitted"}).scalar_one()
        draft = conn.execute(insert, {"d": fi, "state": "draft"}).scalar_one()
        conn.execute(
            text("UPDATE excavation_permit SET state = 'submitted' WHERE id = :id"), {"id": draft}
        )
        filed = dict(
            conn.execute(
                text("SELECT id, filed_on FROM application WHERE id IN (:a, :b)"),
                {"a": sent, "b": draft},
            ).all()
        )
        local = conn.execute(text("SELECT current_date")).scalar_one()
        tx.rollback()
    assert local != fi  # the session's day is not Finland's
    assert filed == {sent: fi, draft: fi}
