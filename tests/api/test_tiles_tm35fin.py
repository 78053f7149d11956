"""Vector tiles in the ETRS-TM35FIN grid (issue 15) and the map's EPSG:3067 configuration.

The grid arithmetic is written here from the tile matrix's definition (JHS 180 / the NLS WMTS:
top-left corner -548576, 8388608; 8192 m a pixel at level 0, halving per level; 256-pixel tiles),
and the expected features come from the sample file read with pyogrio and shapely.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import shapely
from fastapi.testclient import TestClient

from api.settings import Settings
from tests.api.test_tiles import MEDIA, decode
from tests.conftest import needs_nls, read_nls_units

ORIGIN_X, ORIGIN_Y = -548_576.0, 8_388_608.0
LEVEL0_M_PER_PX = 8192.0
TMS = "ETRS-TM35FIN"


def tile_side(level: int) -> float:
    """Ground metres of one 256-pixel tile at a level."""
    return float(LEVEL0_M_PER_PX / 2**level * 256)


def tile_of(x: float, y: float, level: int) -> tuple[int, int]:
    """(TileCol, TileRow) of a point: columns from the left, rows down from the top."""
    side = tile_side(level)
    return int((x - ORIGIN_X) // side), int((ORIGIN_Y - y) // side)


def envelope(level: int, col: int, row: int) -> tuple[float, float, float, float]:
    side = tile_side(level)
    x0, y1 = ORIGIN_X + col * side, ORIGIN_Y - row * side
    return x0, y1 - side, x0 + side, y1


@pytest.fixture(scope="module")
def units() -> dict[str, Any]:
    return read_nls_units()


@needs_nls
@pytest.mark.parametrize("level", [11, 13, 15])
def test_a_tm35fin_tile_holds_exactly_the_parcels_of_its_envelope(
    nls: Any, client: Any, units: dict[str, Any], level: int
) -> None:
    c = units["09102206940025"].centroid  # a Helsinki lot among many small ones
    col, row = tile_of(c.x, c.y, level)
    r = client.get(f"/api/v1/tiles/parcels/{level}/{col}/{row}.mvt?tms={TMS}")
    assert r.status_code == 200 and r.headers["content-type"] == MEDIA
    feats = decode(r.content)["parcels"]
    env = envelope(level, col, row)
    tile = shapely.box(*env)
    margin = (env[2] - env[0]) * 64 / 4096  # the clip margin, 64 of 4096 units
    near = shapely.box(env[0] - margin, env[1] - margin, env[2] + margin, env[3] + margin)
    inside = {k for k, g in units.items() if g.intersects(tile)}
    around = {k for k, g in units.items() if g.intersects(near)}
    got = {f["property_id"] for f in feats}
    assert len(inside) > 5
    assert inside <= got <= around, (inside - got, got - around)
    assert all(f["_exterior_area"] > 0 for f in feats)  # exterior rings wound as MVT wants
    # vertices land in place: tile units from the top-left corner, y down, 4096 per side; a
    # parcel crossing the edge is cut at the margin, so its drawn extent is that of g ∩ near
    scale = 4096 / (env[2] - env[0])
    for f in feats:
        g = units.get(f["property_id"])
        if g is None:
            continue
        px = np.array(f["_points"], float)
        bx0, by0, bx1, by1 = g.intersection(near).bounds
        want = [(bx0 - env[0]) * scale, (env[3] - by1) * scale, (bx1 - env[0]) * scale]
        want.append((env[3] - by0) * scale)
        have = [px[:, 0].min(), px[:, 1].min(), px[:, 0].max(), px[:, 1].max()]
        assert np.allclose(have, want, atol=1.5), (f["property_id"], have, want)


@needs_nls
def test_the_tm35fin_grid_differs_from_the_web_mercator_one(nls: Any, client: Any) -> None:
    """The same address names other ground in the two grids: the parameter is not ignored."""
    units = read_nls_units()
    c = units["09102206940025"].centroid
    col, row = tile_of(c.x, c.y, 13)
    tm = client.get(f"/api/v1/tiles/parcels/13/{col}/{row}.mvt?tms={TMS}")
    wm = client.get(f"/api/v1/tiles/parcels/13/{col}/{row}.mvt")
    assert tm.content and tm.content != wm.content
    assert tm.headers["etag"] != wm.headers["etag"]


def test_the_index_names_the_grid_and_its_levels(client: Any) -> None:
    default = client.get("/api/v1/tiles").json()
    tm = client.get(f"/api/v1/tiles?tms={TMS}").json()
    assert default["tms"] == "WebMercatorQuad" and tm["tms"] == TMS
    wm_zoom = {t["name"]: t["min_zoom"] for t in default["layers"]}
    for t in tm["layers"]:
        assert t["url"].endswith(f"&tms={TMS}") and "?v=" in t["url"]
        # a level shows the ground about as finely as the Web Mercator zoom 3 higher at 60 N
        assert t["min_zoom"] == wm_zoom[t["name"]] - 3
    assert all("tms=" not in t["url"] for t in default["layers"])
    # below the layer's lowest level the tile is empty
    assert client.get(f"/api/v1/tiles/parcels/10/600/900.mvt?tms={TMS}").content == b""


@pytest.mark.parametrize(
    "url",
    ["/api/v1/tiles/parcels/11/0/0.mvt?tms=EPSG:3067", "/api/v1/tiles?tms=GoogleMapsCompatible"],
)
def test_an_unknown_grid_is_a_problem_not_a_server_error(client: Any, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem")
    assert "ETRS-TM35FIN" in r.text


@pytest.fixture(scope="module")
def tm35_app(settings: Settings, engine: Any) -> Iterator[TestClient]:
    from api.app import create_app

    configured = settings.model_copy(
        update={
            "basemap_url": "https://tiles.example.fi/wmts/taustakartta/default/ETRS-TM35FIN/{z}/{y}/{x}.png",
            "basemap_tms": TMS,
            "basemap_attribution": "© Maanmittauslaitos",
        }
    )
    with TestClient(create_app(configured)) as c:
        yield c


def test_the_config_gives_the_map_its_epsg3067_grid(tm35_app: TestClient, client: Any) -> None:
    cfg = tm35_app.get("/api/v1/config").json()
    m = cfg["tile_matrix"]
    assert cfg["basemap_tms"] == TMS and m["crs"] == "EPSG:3067"
    assert m["origin"] == [ORIGIN_X, ORIGIN_Y] and m["tile_size"] == 256
    level0 = m["zoom_offset"]
    for level in range(16):
        assert m["resolutions"][level0 + level] == LEVEL0_M_PER_PX / 2**level
    assert m["max_level"] == 15
    assert m["bounds"] == [ORIGIN_X, ORIGIN_Y - tile_side(0), ORIGIN_X + tile_side(0), ORIGIN_Y]
    # the default map: Web Mercator, no background, no grid
    plain = client.get("/api/v1/config").json()
    assert plain["basemap_tms"] == "WebMercatorQuad" and plain["tile_matrix"] is None
    # the page may load the background's tiles, and only from its host
    csp = tm35_app.get("/").headers["content-security-policy"]
    img = next(d for d in csp.split("; ") if d.startswith("img-src"))
    assert img.split()[-1] == "https://tiles.example.fi"
