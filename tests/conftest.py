"""Test fixtures: a real PostGIS database (embedded cluster), loaded once per session."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

# Every code path (CLI included) reads settings from the environment: point them
# at the test database before anything builds the settings object.
os.environ.setdefault("RAJAPISTE_DB_NAME", "rajapiste_test")
# The suite sends thousands of costly requests from one address: the rate limit is tested
# on its own app (tests/reliability/test_limits.py).
os.environ.setdefault("RAJAPISTE_RATE_LIMIT_BURST", "1000000")
os.environ.setdefault("RAJAPISTE_ACCESS_LOG", "0")  # caplog sees the lines all the same
if os.environ.get("RAJAPISTE_TEST_DATABASE_URL"):
    os.environ["RAJAPISTE_DATABASE_URL"] = os.environ["RAJAPISTE_TEST_DATABASE_URL"]
else:
    os.environ.pop("RAJAPISTE_DATABASE_URL", None)

from api.settings import Settings, get_settings  # noqa: E402
from api.storage import cluster  # noqa: E402
from api.storage.engine import make_engine  # noqa: E402
from api.storage.migrations import migrate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NLS = Path(os.environ.get("RAJAPISTE_NLS_DIR", ROOT.parent / "shared" / "data" / "nls-helsinki"))


def fi_today() -> dt.date:
    """Today in Finland, as the service counts days (filing dates, deadlines, the audit's days).

    Between 22:00 and 24:00 UTC the machine's own date is still yesterday there.
    """
    return dt.datetime.now(ZoneInfo("Europe/Helsinki")).date()


class ServiceDay:
    """The service's Finnish day moved forward, as the days between a case's steps pass.

    A step is recorded on the day it happened or later, never ahead (the service refuses a
    date after its today); a test that walks a case through weeks moves the service's day.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from api import finland

        self._patch, self._finland, self._real = monkeypatch, finland, finland.today

    def to(self, day: dt.date) -> None:
        real = self._real
        self._patch.setattr(
            self._finland, "today", lambda now=None: real(now) if now is not None else day
        )


@pytest.fixture()
def service_day(monkeypatch: pytest.MonkeyPatch) -> ServiceDay:
    """Move the service's today forward in a test (undone when the test ends)."""
    return ServiceDay(monkeypatch)


ImportRow = tuple[str, str, dt.datetime]  # kind, source, finished_at


def write_nightly_imports(conn: Any, own_file: str) -> list[ImportRow]:
    """Three years of nightly imports of six layers in the import log, then a load of a file.

    6 570 rows from 2030 on (later than any import of the suite), a minute apart each night so
    that no two rows of a kind share a moment, then one load of `own_file` (from a directory of
    its own) after them all. Written on `conn` (SQLAlchemy), in the caller's transaction;
    returns the rows written, the file's load last.
    """
    from sqlalchemy import text

    start = dt.datetime(2030, 1, 1, 12, tzinfo=ZoneInfo("Europe/Helsinki"))
    layers = ["parcels", "buildings", "roads", "water", "areas:detailed-plan", "areas:need"]
    rows = [
        (
            layers[g % 6],
            f"/nightly/{g // 6}/{layers[g % 6]}.gpkg",
            start + dt.timedelta(g // 6, 0, 0, 0, g % 6),
        )
        for g in range(6570)
    ]
    rows.append(("parcels", f"/srv/loads/{own_file}", start + dt.timedelta(2000)))
    conn.execute(
        text(
            "INSERT INTO import_log (kind, source, read, imported, repaired, rejected,"
            " finished_at) VALUES (:k, :s, 1, 1, 0, 0, :t)"
        ),
        [{"k": k, "s": s, "t": t} for k, s, t in rows],
    )
    return rows


def read_nls_units() -> dict[str, Any]:
    """The sample's unit geometries (EPSG:3067) read straight from the file with pyogrio,
    not through our importer: the parcels of each property id unioned."""
    from collections import defaultdict

    import pyogrio
    import shapely

    df = pyogrio.read_dataframe(NLS / "parcels.gpkg", layer="property_borders")
    groups: dict[str, list[Any]] = defaultdict(list)
    for pid, g in zip(df["kiinteistotunnus"], df.geometry, strict=True):
        groups[str(pid)].append(g)
    return {k: shapely.union_all(v) for k, v in groups.items()}


def neighbour_lists(
    engine: Any, rules: Any, rules_dir: Path, ids: list[str], *, live: bool = False
) -> dict[str, list[dict[str, Any]]]:
    """Each unit's neighbour list as the service builds it for a property (`model_dump`).

    By default the opposite neighbours are read from the relations stored at import. `live`
    computes them afresh: each connection gets an empty `relation_build` of its own (a
    temporary table, first on the search path, gone with the rollback), so to it the stored
    relations were never built, and nothing is deleted or locked. That every list was then
    really computed live is checked here (`relations.live` counted once per unit).

    The units are shared among worker processes, one per core (two to four), each with its
    own connection to the suite's database (`engine`'s): the lists are Python's work as much
    as the database's, and threads, which share one interpreter, gained little on the
    generated towns (2 290 lists: 29.1 s stored and 55.0 s live on two threads, 20.9 s and
    37.2 s on two processes).
    """
    return _in_workers(engine, rules, rules_dir, ids, live, opposite_only=False)


def opposite_lists(
    engine: Any, rules: Any, rules_dir: Path, ids: list[str], *, live: bool = False
) -> dict[str, list[tuple[Any, ...]]]:
    """Each unit's opposite neighbours as its neighbour list gets them: stored, or `live`.

    What the stored relations decide, and all they decide: the rows of
    `neighbours.opposite_units` (the unit, the area and street crossed, the sight line), from
    which the list is made by the same code either way. Without the rest of the list
    (adjacent units, owners, authorities, reasons), the same for both ways, a comparison of
    stored with live costs half the time (NLS sample: 23 ms a unit live, 13 ms stored, for a
    whole list). As `neighbour_lists` otherwise.
    """
    return _in_workers(engine, rules, rules_dir, ids, live, opposite_only=True)


def _in_workers(
    engine: Any, rules: Any, rules_dir: Path, ids: list[str], live: bool, opposite_only: bool
) -> dict[str, Any]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    n = max(2, min(os.cpu_count() or 2, 4))
    chunks = [ids[k::n] for k in range(n)]
    url = engine.url.render_as_string(hide_password=False)
    with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn")) as pool:
        parts = list(
            pool.map(
                _lists_part,
                [url] * n,
                [rules] * n,
                [rules_dir] * n,
                chunks,
                [live] * n,
                [opposite_only] * n,
            )
        )
    computed_live = sum(p[1] for p in parts)
    expected = len(ids) if live else 0
    assert computed_live == expected, (
        f"{computed_live} of {len(ids)} lists computed live, expected {expected}: "
        "stored relations missing (built with other rules?) or read where live was asked"
    )
    merged = {k: v for p in parts for k, v in p[0].items()}
    return {pid: merged[pid] for pid in ids}


def _lists_part(
    url: str, rules: Any, rules_dir: Path, chunk: list[str], live: bool, opposite_only: bool
) -> tuple[dict[str, list[Any]], int]:
    """One worker's share of `_in_workers`: its units' lists, and how many were live."""
    from unittest import mock

    from api.services import neighbours, relations

    computed = 0
    real_live = relations.live

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal computed
        computed += 1
        return real_live(*args, **kwargs)

    out: dict[str, list[Any]] = {}
    update = {"database_url": url, "migrate_database_url": None}  # the suite's session settings
    engine = make_engine(get_settings().model_copy(update=update))
    with mock.patch.object(relations, "live", counted), engine.connect() as conn:
        if live:
            # Prepared statements that read the stored relations are forgotten first: a
            # table that appears earlier on the search path does not make them parse again.
            conn.exec_driver_sql("DEALLOCATE ALL")
            conn.exec_driver_sql("CREATE TEMP TABLE relation_build (LIKE public.relation_build)")
        for pid in chunk:
            _, site = neighbours.site_of_property(conn, pid)
            if opposite_only:  # as `neighbours.find` asks for the unit as stored
                found = neighbours.opposite_units(conn, site, [pid], rules, pid)
                # `stored` says which way, `n` the order of the stored arrays (none matters)
                out[pid] = [
                    (sorted((k, v) for k, v in r.items() if k not in ("stored", "n")), o)
                    for r, o in found
                ]
                continue
            heard = neighbours.HeardSite(site, [], pid, {})  # the unit as stored
            rows, _ = neighbours.find(conn, heard, [pid], rules, rules_dir)
            out[pid] = [n.model_dump() for n in rows]
        conn.rollback()
    engine.dispose()
    return out, computed


HAVE_NLS = (NLS / "parcels.gpkg").exists()
needs_nls = pytest.mark.skipif(
    not HAVE_NLS,
    reason=f"the NLS Helsinki sample is not at {NLS} (../shared is absent in a user's clone)",
)
DEMO_PARCELS = 3000


@pytest.fixture(scope="session")
def settings() -> Settings:
    get_settings.cache_clear()
    return get_settings()


def recreate_database(settings: Settings, name: str) -> None:
    """Drop and create an empty database `name` in the embedded cluster."""
    import psycopg

    cluster.start(settings)
    lay = cluster.layout(settings)
    password = lay.password_file.read_text().strip()
    with psycopg.connect(
        host="127.0.0.1",
        port=lay.port,
        user=cluster.DB_USER,
        password=password,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Any]:
    if not settings.database_url:
        recreate_database(settings, settings.db_name)
    eng = make_engine(settings)
    migrate(eng)
    from api.ingest.demo import loader as demo_loader

    demo_loader.reset(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def nls(engine: Any) -> Any:
    """The real NLS Helsinki sample, imported with the project's importer."""
    if not HAVE_NLS:
        pytest.skip(f"the NLS Helsinki sample is not at {NLS} (../shared is absent)")
    from api import ingest
    from api.ingest.demo import loader as demo_loader

    ingest.import_parcels(engine, NLS / "parcels.gpkg")
    ingest.import_buildings(engine, NLS / "buildings.gpkg")
    ingest.import_roads(engine, NLS / "roads.gpkg")
    ingest.import_water(engine, NLS / "sea_shoreline.gpkg")
    demo_loader.sample_owners(engine, "091")
    return engine


@pytest.fixture(scope="session")
def demo(engine: Any) -> dict[str, int]:
    """A generated town (municipality 244) beside the NLS data."""
    from api.ingest.demo import loader as demo_loader

    return demo_loader.load(engine, DEMO_PARCELS, "244", seed=7)


@pytest.fixture(scope="session")
def dig(engine: Any, demo: Any) -> Any:
    """A small dig on a street of the generated town (Kempele, 244)."""
    import shapely
    from shapely.geometry import mapping
    from sqlalchemy import text

    from geo.crs import from_storage

    with engine.connect() as conn:
        wkb = conn.execute(
            text(
                "SELECT ST_AsBinary(p.geom) FROM parcel p JOIN property_unit u USING (property_id)"
                " WHERE u.public_type = 'street' AND u.municipality = '244' ORDER BY p.id DESC LIMIT 1"
            )
        ).scalar_one()
    c = shapely.from_wkb(bytes(wkb)).centroid
    return mapping(from_storage(shapely.box(c.x - 1, c.y - 1, c.x + 1, c.y + 1), 4326))


@pytest.fixture(scope="session")
def app(settings: Settings, engine: Any) -> Any:
    from api.app import create_app

    return create_app(settings)


@pytest.fixture(scope="session")
def client(app: Any) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c


# Accounts of the tests, one per role (and a second applicant and contractor for the
# object-level checks). Tokens are issued directly: the sign-in itself is tested in
# tests/api/test_accounts.py, and the throttle must not see the fixtures' sign-ins.
TEST_PASSWORD = "correct horse battery staple"
TEST_USERS = {
    "applicant": ("applicant@test.invalid", "applicant", None),
    "applicant_b": ("applicant.b@test.invalid", "applicant", None),
    "contractor": ("contractor@test.invalid", "contractor", None),
    "contractor_b": ("contractor.b@test.invalid", "contractor", None),
    "officer": ("officer.091@test.invalid", "officer", "091"),
    "officer_244": ("officer.244@test.invalid", "officer", "244"),
    "admin": ("admin@test.invalid", "admin", None),
}


@pytest.fixture(scope="session")
def users(engine: Any, settings: Settings) -> dict[str, Any]:
    """The test accounts by name (see TEST_USERS)."""
    from api.services import accounts

    with engine.connect() as conn:
        return {
            name: accounts.add_user(conn, settings, email, role, code, TEST_PASSWORD)
            for name, (email, role, code) in TEST_USERS.items()
        }


@pytest.fixture(scope="session")
def tokens(engine: Any, settings: Settings, users: dict[str, Any]) -> dict[str, str]:
    """A live bearer token of each test account."""
    from api.services import accounts

    with engine.connect() as conn:
        return {name: accounts.issue_token(conn, settings, u).token for name, u in users.items()}


def _signed_in(app: Any, token: str) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as c:
        yield c


def _client_of(name: str, account: str) -> Any:
    """A session fixture `name`: a TestClient signed in as TEST_USERS[account]."""

    @pytest.fixture(scope="session", name=name)
    def signed_in(app: Any, tokens: dict[str, str]) -> Iterator[Any]:
        yield from _signed_in(app, tokens[account])

    return signed_in


# Clients signed in as an officer of Helsinki (091), an officer of Kempele (244, the
# generated town), a contractor, an applicant (and a second one) and an admin.
officer_client = _client_of("officer_client", "officer")
kempele_officer_client = _client_of("kempele_officer_client", "officer_244")
contractor_client = _client_of("contractor_client", "contractor")
applicant_client = _client_of("applicant_client", "applicant")
applicant_b = _client_of("applicant_b", "applicant_b")  # another household's applicant
admin_client = _client_of("admin_client", "admin")
