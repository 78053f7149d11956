"""Races on dig permits, on a real server: no lost update, every clashing pair reported."""

from __future__ import annotations

import datetime as dt
import random
import tomllib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import combinations
from typing import Any

import httpx
import pytest
import shapely
from shapely.geometry import mapping
from sqlalchemy import text

from api.settings import RULESETS_DIR
from tests.conftest import fi_today
from tests.server import serving

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def base(settings: Any, engine: Any, demo: Any, users: Any) -> Iterator[str]:
    with serving(settings.db_name) as url:
        yield url


@pytest.fixture(scope="module")
def street(engine: Any, demo: Any) -> Any:
    with engine.connect() as conn:
        wkb = conn.execute(
            text(
                "SELECT ST_AsBinary(p.geom) FROM parcel p JOIN property_unit u USING (property_id)"
                " WHERE u.public_type='street' AND u.municipality='244' ORDER BY p.id LIMIT 1"
            )
        ).scalar_one()
    return shapely.from_wkb(bytes(wkb))


def _body(area: Any, start: dt.date, end: dt.date, **kw: Any) -> dict[str, Any]:
    return {
        "municipality": "244",
        "crs": "EPSG:3067",
        "today": TODAY.isoformat(),
        "phases": [{"areas": [mapping(area)], "start": str(start), "end": str(end)}],
        **kw,
    }


def _move_period(engine: Any, pid: int, start: dt.date) -> None:
    """Move an approved one-day permit's period (phases and areas too) to `start`."""
    with engine.begin() as conn:
        params = {"i": pid, "s": start}
        conn.execute(
            text(
                "UPDATE excavation_permit SET starts_on = :s, ends_on = :s,"
                " state_changed_on = CAST(:s AS date) - 5 WHERE id = :i"  # approved before it
            ),
            params,
        )
        conn.execute(
            text("UPDATE excavation_phase SET starts_on = :s, ends_on = :s WHERE permit_id = :i"),
            params,
        )
        conn.execute(
            text(
                "UPDATE excavation_area SET period = daterange(:s, CAST(:s AS date) + 1)"
                " WHERE permit_id = :i"
            ),
            params,
        )


def _delete(engine: Any, ids: list[int]) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM excavation_permit WHERE id = ANY(:i)"), {"i": ids})


def _auth(tokens: dict[str, str], who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[who]}"}


def test_two_clients_one_permit_one_wins(
    base: str, tokens: dict[str, str], street: Any, engine: Any
) -> None:
    c = street.centroid
    area = shapely.box(c.x - 1, c.y - 1, c.x + 1, c.y + 1)
    start = TODAY + dt.timedelta(days=60)
    me = _auth(tokens, "contractor")
    made = httpx.post(f"{base}/api/v1/excavations", json=_body(area, start, start), headers=me)
    assert made.status_code == 201, made.text
    pid, version = made.json()["id"], made.json()["version"]
    try:
        edits = [
            _body(area, start, start + dt.timedelta(days=n), version=version, description=f"v{n}")
            for n in (1, 2)
        ]
        with ThreadPoolExecutor(2) as pool:
            got = list(
                pool.map(
                    lambda b: httpx.put(
                        f"{base}/api/v1/excavations/{pid}", json=b, headers=me, timeout=60
                    ),
                    edits,
                )
            )
        assert sorted(r.status_code for r in got) == [200, 409], [r.text for r in got]
        loser = next(r for r in got if r.status_code == 409)
        assert loser.json()["code"] == "stale_version"
        winner = next(r for r in got if r.status_code == 200).json()
        stored = httpx.get(f"{base}/api/v1/excavations/{pid}", headers=me).json()
        assert stored["version"] == winner["version"] == version + 1
        assert stored["ends_on"] == winner["ends_on"]
    finally:
        _delete(engine, [pid])


def test_concurrent_acceptances_keep_the_first_guarantee(
    base: str, tokens: dict[str, str], street: Any, engine: Any
) -> None:
    c = street.centroid
    area = shapely.box(c.x + 40, c.y - 1, c.x + 42, c.y + 1)
    start = TODAY + dt.timedelta(days=60)
    me, officer = _auth(tokens, "contractor"), _auth(tokens, "officer_244")
    made = httpx.post(f"{base}/api/v1/excavations", json=_body(area, start, start), headers=me)
    pid, v = made.json()["id"], made.json()["version"]
    try:
        r = httpx.post(
            f"{base}/api/v1/excavations/{pid}/state",
            json={"state": "approved", "date": str(fi_today()), "version": v},
            headers=officer,
        )
        assert r.status_code == 200, r.text
        # steps are recorded on their day, never ahead: the work is made to have run already
        start = fi_today() - dt.timedelta(days=40)
        _move_period(engine, pid, start)
        v = httpx.get(f"{base}/api/v1/excavations/{pid}", headers=officer).json()["version"]
        for state in ("started", "finished"):
            r = httpx.post(
                f"{base}/api/v1/excavations/{pid}/state",
                json={"state": state, "date": str(start), "version": v},
                headers=officer,
            )
            assert r.status_code == 200, r.text
            v = r.json()["version"]
        days = [start + dt.timedelta(days=n) for n in (10, 20)]
        with ThreadPoolExecutor(2) as pool:
            got = list(
                pool.map(
                    lambda d: httpx.post(
                        f"{base}/api/v1/excavations/{pid}/state",
                        json={"state": "accepted", "date": str(d), "version": v},
                        headers=officer,
                        timeout=60,
                    ),
                    days,
                )
            )
        assert sorted(r.status_code for r in got) == [200, 409], [r.text for r in got]
        won = next(r for r in got if r.status_code == 200).json()
        stored = httpx.get(f"{base}/api/v1/excavations/{pid}", headers=officer).json()
        assert stored["guarantee_ends"] == won["guarantee_ends"]
        # a step dated before the work's period is refused (issue 14: 2024-02-29 was taken)
        bad = httpx.post(
            f"{base}/api/v1/excavations/{pid}/state",
            json={"state": "guarantee_ended", "date": "2024-02-29", "version": v + 1},
            headers=officer,
        )
        assert bad.status_code == 422 and "2024-02-29" in bad.json()["detail"]
    finally:
        _delete(engine, [pid])


def test_twenty_concurrent_digs_report_every_clashing_pair(
    base: str, tokens: dict[str, str], street: Any, engine: Any
) -> None:
    rules = tomllib.loads((RULESETS_DIR / "default.toml").read_text())
    kempele = (
        tomllib.loads((RULESETS_DIR / "244.toml").read_text())
        if (RULESETS_DIR / "244.toml").exists()
        else {}
    )
    limit = kempele.get("excavation", {}).get(
        "clash_distance_m", rules["excavation"]["clash_distance_m"]
    )
    rnd = random.Random(14)
    c = street.centroid
    digs = []
    for _ in range(20):
        x, y = c.x + rnd.uniform(-25, 25), c.y + rnd.uniform(-25, 25)
        start = TODAY + dt.timedelta(days=30 + rnd.randint(0, 6))
        digs.append(
            (shapely.box(x, y, x + 2, y + 2), start, start + dt.timedelta(rnd.randint(0, 8)))
        )
    me = _auth(tokens, "contractor")
    with ThreadPoolExecutor(20) as pool:
        got = list(
            pool.map(
                lambda d: httpx.post(
                    f"{base}/api/v1/excavations", json=_body(*d), headers=me, timeout=120
                ),
                digs,
            )
        )
    assert all(r.status_code == 201 for r in got), [r.text[:200] for r in got]
    ids = [r.json()["id"] for r in got]
    try:
        reported = {
            frozenset((ids[i], f["permit_id"]))
            for i, r in enumerate(got)
            for f in r.json()["findings"]
            if f["code"] == "clash" and f["permit_id"] in ids
        }
        expected = {
            frozenset((ids[i], ids[j]))
            for (i, (a, s1, e1)), (j, (b, s2, e2)) in combinations(enumerate(digs), 2)
            if a.distance(b) <= limit - 0.01 and s1 <= e2 and s2 <= e1
        }
        assert len(expected) >= 20, "the digs must clash often for the test to mean anything"
        assert expected - reported == set()
    finally:
        _delete(engine, ids)
