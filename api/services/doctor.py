"""`rajapiste db doctor`: the server settings that matter for speed, and what to change.

The service sets what it needs per session (`Settings.db_session_options`: jit off, SSD page
costs), so those findings say whether the session setting took effect; the rest (memory,
statistics, indexes) only the database's administrator can change.
"""

from __future__ import annotations

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


def _setting(r: dict[str, object]) -> Finding:
    name, value, unit = str(r["name"]), str(r["setting"]), r["unit"]
    shown = f"{value}{'' if unit is None else ' × ' + str(unit)} (source: {r['source']})"
    if name == "jit":
        ok = value == "off"
        advice = "JIT compiles cheap spatial queries for tens of ms: the service sets jit=off per session"
        if str(r["reset_val"]) == "on":
            advice += "; the server default is on (ALTER SYSTEM SET jit = off helps other clients)"
        return Finding(name, shown, ok, "" if ok else advice)
    if name == "random_page_cost":
        ok = float(value) <= 2.0
        return Finding(
            name, shown, ok, "" if ok else "on SSD storage set 1.1 (the service does per session)"
        )
    if name == "shared_buffers":
        ok = _bytes(value, str(unit)) >= 256 * MB
        return Finding(
            name,
            shown,
            ok,
            ""
            if ok
            else "at least 256 MB (25 % of RAM is usual): the parcel index should stay in memory",
        )
    if name == "work_mem":
        ok = _bytes(value, str(unit)) >= 16 * MB
        return Finding(
            name, shown, ok, "" if ok else "16 MB or more: imports sort and union large sets"
        )
    if name == "effective_cache_size":
        ok = _bytes(value, str(unit)) >= 1024 * MB
        return Finding(
            name,
            shown,
            ok,
            "" if ok else "tell the planner how much RAM caches data (e.g. 50 % of RAM)",
        )
    return Finding(name, shown, True)


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
