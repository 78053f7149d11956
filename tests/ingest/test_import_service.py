"""`rajapiste import KIND URL` from an OGC API - Features service: the app's own /ogc serving
the test database on a real socket, imported into a second, empty database.

The copy is compared with the source table by table in SQL and shapely, and a server that
fails half-way through its pages leaves the target untouched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import pytest
import shapely
from shapely.geometry import box, mapping
from sqlalchemy import Engine, text

from api import ingest
from geo.crs import from_storage
from tests.conftest import ROOT, needs_nls
from tests.ingest.conftest import TARGET
from tests.server import serving


@pytest.fixture(scope="module")
def source(nls: Any, demo: Any, settings: Any) -> Iterator[str]:
    with serving(settings.db_name) as url:
        yield url + "/ogc"


def cli_import(kind: str, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RAJAPISTE_DB_NAME": TARGET, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "import", kind, url, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def rows(eng: Engine, sql: str) -> list[Any]:
    with eng.connect() as conn:
        return list(conn.execute(text(sql)).all())


def units(eng: Engine) -> dict[str, Any]:
    """Every unit's parcels as one geometry, by property id."""
    got = rows(
        eng, "SELECT property_id, ST_AsBinary(ST_Collect(geom)) FROM parcel GROUP BY property_id"
    )
    return {pid: shapely.from_wkb(bytes(w)) for pid, w in got}


@needs_nls
def test_parcels_buildings_roads_and_water_from_ogc_api(
    source: str, target: Engine, engine: Engine
) -> None:
    """The topography first, then the parcels: the neighbour relations are built once, by the
    parcels' import, with the water already there (a water import after the parcels builds
    them again inside its box: 15 s of this test's 60 on a slow day)."""
    for kind, url in (
        ("buildings", f"OAPIF:{source}"),
        ("roads", f"{source}/collections/roads"),
        ("water", f"OAPIF:{source}"),
    ):
        r = cli_import(kind, url, "--page-size", "2000")
        assert r.returncode == 0, (kind, r.stderr)
    r = cli_import("parcels", source, "--page-size", "1500")
    assert r.returncode == 0, r.stderr
    assert "download parcels" in r.stderr
    assert f"committed parcels from {source}" in r.stderr.replace("\n", "")
    want, got = units(engine), units(target)
    assert set(got) == set(want) and len(got) > 2000
    pids = sorted(want)
    dist = shapely.hausdorff_distance(
        np.array([got[p] for p in pids], dtype=object),
        np.array([want[p] for p in pids], dtype=object),
    )
    assert float(dist.max()) <= 0.002  # storage CRS asked for: millimetres, not degrees
    # each import logged once, the parcels' under the service's address
    logged = rows(target, "SELECT kind, source FROM import_log ORDER BY id")
    assert [k for k, _ in logged] == ["buildings", "roads", "water", "parcels"], logged
    assert logged[-1] == ("parcels", source)
    for table, measure in (
        ("building", "ST_Area"),
        ("road_centreline", "ST_Length"),
        ("water_area", "ST_Area"),
        ("shoreline", "ST_Length"),
    ):
        sql = f"SELECT count(*), round(sum({measure}(geom))::numeric, 0) FROM {table}"
        assert rows(target, sql) == rows(engine, sql), table
    names = "SELECT DISTINCT name_fi, road_class, state_road FROM road_centreline ORDER BY 1, 2, 3"
    assert rows(target, names) == rows(engine, names)


@needs_nls
def test_a_collection_that_is_not_there_is_refused_by_name(source: str, target: Engine) -> None:
    before = rows(target, "SELECT count(*) FROM building")
    r = cli_import("buildings", f"{source}/collections/owners")
    assert r.returncode == 1
    assert "HTTP 404" in r.stderr and "nothing was imported" in r.stderr
    r = cli_import("areas", f"OAPIF:{source}", "--kind", "detailed-plan")
    assert r.returncode == 1 and "say which collection to import with --layer" in r.stderr
    assert "plan_areas" in r.stderr
    assert rows(target, "SELECT count(*) FROM building") == before


X0, Y0 = 310_000.0, 6_905_000.0  # an empty corner of Finland


class HalfBroken(BaseHTTPRequestHandler):
    """An OGC API server whose second page of parcels fails."""

    def log_message(self, *args: Any) -> None:
        return None

    def _json(self, doc: Any, status: int = 200) -> None:
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/geo+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if self.path.startswith("/collections/parcels/items") and "offset=" in self.path:
            self._json({"code": "boom", "description": "the database went away"}, 500)
        elif self.path.startswith("/collections/parcels/items"):
            feats = [
                {
                    "type": "Feature",
                    "id": i,
                    "geometry": mapping(
                        from_storage(box(X0 + 20 * i, Y0, X0 + 20 * i + 10, Y0 + 10))
                    ),
                    "properties": {"property_id": f"993-1-1-{i + 1}"},
                }
                for i in range(3)
            ]
            nxt = f"{base}/collections/parcels/items?offset=3&limit=3"
            self._json(
                {
                    "type": "FeatureCollection",
                    "features": feats,
                    "numberMatched": 6,
                    "links": [{"rel": "next", "href": nxt}],
                }
            )
        elif self.path.startswith("/collections/parcels"):
            self._json({"id": "parcels", "crs": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"]})
        else:
            self._json({"code": "NotFound", "description": "no"}, 404)


def test_a_server_failing_half_way_imports_nothing(engine: Engine) -> None:
    count = "SELECT count(*) FROM property_unit WHERE property_id LIKE '993%'"
    before = rows(engine, count)
    server = ThreadingHTTPServer(("127.0.0.1", 0), HalfBroken)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/collections/parcels"
    seen: list[tuple[str, int, int]] = []
    try:
        with pytest.raises(ingest.ImportRefused, match="HTTP 500") as refused:
            ingest.import_from_service(
                ingest.import_parcels,
                engine,
                url,
                page_size=3,
                progress=lambda stage, done, total: seen.append((stage, done, total)),
            )
    finally:
        server.shutdown()
        server.server_close()
    assert "offset=3" in refused.value.message  # the page that failed is named
    assert ("download parcels", 3, 6) in seen  # the first page arrived and was counted
    assert rows(engine, count) == before
