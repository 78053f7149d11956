"""The reminders of an officer with many open cases: SQL's window against reading every case.

Usage: .venv/bin/python bench/reminders.py [N=20000]
Seeds N open building permits of Helsinki (091) with their decisions into the database the
settings name (the dev database of `make run` by default), in one transaction that is rolled
back, and times the reminders service (as GET /api/v1/reminders runs it) twice: as it is (the
cases with a date in the widest rule-file window picked in SQL) and with the listing of every
open case it did before. Prints both medians and whether the two lists are equal.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, text

from api.services import case_states, case_view
from api.services.policy import User
from api.settings import get_settings
from api.storage.engine import make_engine

SEED = """
WITH a AS (
    INSERT INTO application (kind, state, municipality, property_ids, filed_on, regime, description)
    SELECT (ARRAY['building_permit', 'deviation'])[1 + g % 2],
           (ARRAY['decided', 'legally_valid', 'started', 'appealed'])[1 + g % 4], '091',
           ARRAY['09102206950001'], DATE '2026-10-01' - (g % 1500), 'RakL', 'bench'
    FROM generate_series(1, :n) g RETURNING id, filed_on)
INSERT INTO application_decision (application_id, outcome, decided_by, decided_on, posted_on,
       appeal_kind, appeal_days, appeal_ends_on, legally_valid_on, start_by, finish_by, valid_until)
SELECT id, 'granted', 'board', filed_on + 30, filed_on + 30, 'appeal', 30, filed_on + 60,
       filed_on + 61, filed_on + 1156, filed_on + 1887, filed_on + 791
FROM a
"""
ON = dt.date(2026, 11, 25)


def _time(run: Callable[[], Any], times: int = 12) -> tuple[float, Any]:
    """The median of `times` runs (the first two warm up), in ms, and the last result."""
    took, got = [], None
    for _ in range(times):
        t = time.perf_counter()
        got = run()
        took.append((time.perf_counter() - t) * 1000)
    return statistics.median(took[2:]), got


def main(n: int) -> None:
    """Seed, time both ways, print, roll back."""
    settings = get_settings()
    with make_engine(settings).connect() as conn:
        conn.execute(text(SEED), {"n": n})
        conn.execute(text("ANALYZE application; ANALYZE application_decision"))
        uid = conn.execute(text("SELECT min(id) FROM account.app_user")).scalar_one()
        officer = User(id=uid, email="bench@invalid", role="officer", municipality="091")

        def reminders(c: Connection = conn) -> Any:
            return case_states.reminders(c, settings, officer, ON, None).reminders

        window, got = _time(reminders)
        listing = case_view.listing
        case_view.listing = lambda *a, due=None, **k: listing(*a, **k)
        try:
            every, before = _time(reminders)
        finally:
            case_view.listing = listing
        conn.rollback()
    print(f"{n} open cases, {len(got)} due within the rule files' windows on {ON}")
    print(f"reminders, dates picked in SQL: {window:.0f} ms; every open case read: {every:.0f} ms")
    print(f"the same reminders: {got == before}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
