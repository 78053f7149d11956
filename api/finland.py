"""Today in Finland.

Filing dates, deadlines, the rules in force and the audit trail's days are Finnish calendar
days (Europe/Helsinki), whatever the server's own time zone: between 22:00 and 24:00 UTC
(21:00 in summer) the UTC date is still yesterday in Finland.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

FINLAND = ZoneInfo("Europe/Helsinki")


def today(now: dt.datetime | None = None) -> dt.date:
    """The Finnish calendar day at `now` (an aware instant; default: this moment)."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(FINLAND).date()
