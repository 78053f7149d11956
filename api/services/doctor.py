"""`rajapiste db doctor`: the server settings that matter for speed, and what to change.

The service sets what it needs per session (`Settings.db_session_options`: jit off, SSD page
costs), so those findings say whether the session setting took effect; the rest (memory,
statistics, indexes) only the database's administrator can change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection

from api.storage.engine import fetch_all

MB = 1024 * 1024
UNIT_BYTES = {"8kB": 8192, "kB": 1024, "MB": MB}


@dataclass(frozen=True)
class Finding:
    """One setting or table: its value, whether it is fine, and advice when it is not."""

    name: str
    value: str
    ok: bool
    advice: str = ""


def _bytes(setting: str, unit: str | None) -> int:
    return int(setting) * UNIT_BYTES.get(unit or "", 1)


# setting -> (is it fine, given its value in bytes or as text; advice when it is not)
CHECKS: dict[str, tuple[Callable[[int | None, str], bool], str]] = {
    "jit": (
        lambda _, v: v == "off",
        "JIT compiles cheap spatial queries for tens of ms: the service sets jit=off per session",
    ),
    "random_page_cost": (
        lambda _, v: float(v) <= 2.0,
        "on SSD storage set 1.1 (the service does per session)",
    ),
    "shared_buffers": (
        lambda b, _: (b or 0) >= 256 * MB,
        "at least 256 MB (25 % of RAM is usual): the parcel index should stay in memory",
    ),
    "work_mem": (
        lambda b, _: (b or 0) >= 16 * MB,
        "16 MB or more: imports sort and union large sets",
    ),
    "effective_cache_size": (
        lambda b, _: (b or 0) >= 1024 * MB,
        "tell the planner how much RAM caches data (e.g. 50 % of RAM)",
    ),
}


def _setting(r: dict[str, object]) -> Finding:
    name, value, unit = str(r["name"]), str(r["setting"]), r["unit"]
    shown = f"{value}{'' if unit is None else ' × ' + str(unit)} (source: {r['source']})"
    if name not in CHECKS:
        return Finding(name, shown, True)
    fine, advice = CHECKS[name]
    size = _bytes(value, str(unit)) if unit in UNIT_BYTES else None
    ok = fine(size, value)
    if name == "jit" and str(r["reset_val"]) == "on":
        advice += "; the server default is on (ALTER SYSTEM SET jit = off helps other clients)"
    return Finding(name, shown, ok, "" if ok else advice)


def report(conn: Connection) -> list[Finding]:
    """Every finding: server settings as the service's session sees them, then the tables."""
    found = [_setting(r) for r in fetch_all(conn, "db_doctor")]
    postgis = conn.exec_driver_sql("SELECT postgis_lib_version()").scalar_one()
    found.append(Finding("postgis", str(postgis), True))
    for t in fetch_all(conn, "db_doctor_tables"):
        rows = int(t["rows_estimate"])
        advice = []
        if not t["gist_on_geom"]:
            advice.append("no GiST index on geom: run `rajapiste db migrate`")
        if rows < 0:
            advice.append("never analysed: the planner guesses (run ANALYZE or import data)")
        shown = "not analysed" if rows < 0 else f"~{rows} rows"
        found.append(Finding(f"table {t['table_name']}", shown, not advice, "; ".join(advice)))
    return found
