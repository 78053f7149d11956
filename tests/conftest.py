"""Test fixtures: a real PostGIS database (embedded cluster), loaded once per session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Every code path (CLI included) reads settings from the environment: point them
# at the test database before anything builds the settings object.
os.environ.setdefault("RAJAPISTE_DB_NAME", "rajapiste_test")
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


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Any]:
    import psycopg

    if not settings.database_url:
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
            conn.execute(f'DROP DATABASE IF EXISTS "{settings.db_name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{settings.db_name}"')
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
def app(settings: Settings, engine: Any) -> Any:
    from api.app import create_app

    return create_app(settings)


@pytest.fixture(scope="session")
def client(app: Any) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c
