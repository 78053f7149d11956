"""`rajapiste import parcels URL` from a WFS 2.0 service through GDAL's WFS driver: a small WFS
started here (tests/ingest/wfs_server.py) serves real Helsinki parcels taken from the NLS sample
in GML 3.2 (EPSG:3067), three features a page; the import runs as the CLI, in its own process
(GDAL holds Python's lock while it reads, so the server cannot share the import's process).

The imported rows are compared with the source geometries in shapely, and a server whose second
page fails imports nothing and is named with the reason.
"""

from __future__ import annotations

from typing import Any

import pytest
import shapely
import shapely.affinity
from sqlalchemy import Engine

from tests.conftest import NLS, needs_nls
from tests.ingest.test_import_service import cli_import, rows
from tests.ingest.wfs_server import Wfs, sample_rows, serving_wfs

pytestmark = needs_nls
PAGE = 3


@pytest.fixture(scope="module")
def parcels() -> list[tuple[str, Any]]:
    """Eight real parcels around 91-22-694-25, read from the sample file with pyogrio."""
    return sample_rows(NLS / "parcels.gpkg", "09102206940025", 8)


def imported(eng: Engine) -> dict[str, Any]:
    got = rows(
        eng, "SELECT property_id, ST_AsBinary(ST_Collect(geom)) FROM parcel GROUP BY property_id"
    )
    return {pid: shapely.from_wkb(bytes(w)) for pid, w in got}


def test_parcels_from_a_paged_wfs(target: Engine, parcels: list[tuple[str, Any]]) -> None:
    with serving_wfs(Wfs(parcels)) as wfs:
        r = cli_import("parcels", f"{wfs.url}?service=WFS", "--page-size", str(PAGE))
    assert r.returncode == 0, r.stderr
    pages = [q for q in wfs.requests if q.get("REQUEST") == "GetFeature" and "STARTINDEX" in q]
    # 8 features, 3 a page: GDAL's driver paged by STARTINDEX/COUNT (it may read the first
    # page twice: once to learn the layer, once to read it)
    assert {(q["STARTINDEX"], q["COUNT"]) for q in pages} == {("0", "3"), ("3", "3"), ("6", "3")}
    assert "download rp:parcels" in r.stderr
    assert f"committed parcels from {wfs.url}" in r.stderr.replace("\n", "")
    want: dict[str, list[Any]] = {}
    for pid, g in parcels:
        want.setdefault(pid, []).append(g)
    got = imported(target)
    assert set(got) == set(want)
    for pid, parts in want.items():
        source = shapely.union_all(parts)
        # the GML carries millimetres: the copy is the source to within them
        assert shapely.hausdorff_distance(got[pid], source) <= 0.002, pid
        assert got[pid].area == pytest.approx(source.area, abs=0.01)
    assert rows(target, "SELECT source FROM import_log") == [(f"{wfs.url}?service=WFS",)]


def test_a_wfs_failing_on_page_two_imports_nothing(
    target: Engine, parcels: list[tuple[str, Any]]
) -> None:
    before = rows(target, "SELECT property_id, ST_AsBinary(geom) FROM parcel ORDER BY 1, 2")
    moved = [(pid, shapely.affinity.translate(g, 5.0, 0.0)) for pid, g in parcels]
    with serving_wfs(Wfs(moved, fail_from=PAGE)) as wfs:
        r = cli_import("parcels", f"WFS:{wfs.url}", "--page-size", str(PAGE))
    assert r.returncode == 1
    err = " ".join(r.stderr.split())
    assert f"WFS:{wfs.url}" in err and "HTTP error code : 500" in err, err
    assert "nothing was imported" in err
    starts = [q.get("STARTINDEX") for q in wfs.requests if q.get("REQUEST") == "GetFeature"]
    assert "3" in starts  # page two was asked for, and failed
    assert rows(target, "SELECT property_id, ST_AsBinary(geom) FROM parcel ORDER BY 1, 2") == before
