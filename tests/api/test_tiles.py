"""Vector tiles (issue 12) on the real Helsinki parcels, decoded by a small reader written here."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from tests.conftest import fi_today, needs_nls, read_nls_units

pytestmark = needs_nls
HALF = 20037508.342789244  # half the Web Mercator world's width
MEDIA = "application/vnd.mapbox-vector-tile"


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    out = shift = 0
    while True:
        b = buf[i]
        out |= (b & 0x7F) << shift
        i += 1
        shift += 7
        if b < 0x80:
            return out, i


def _fields(buf: bytes) -> list[tuple[int, Any]]:
    """A protobuf message's (field number, value): ints for varints, bytes for the rest."""
    out, i = [], 0
    while i < len(buf):
        key, i = _varint(buf, i)
        wire = key & 7
        if wire == 0:
            v, i = _varint(buf, i)
        elif wire == 2:
            n, i = _varint(buf, i)
            v, i = buf[i : i + n], i + n
        elif wire == 1:
            v, i = buf[i : i + 8], i + 8
        else:
            v, i = buf[i : i + 4], i + 4
        out.append((key >> 3, v))
    return out


def _packed(buf: bytes) -> list[int]:
    out, i = [], 0
    while i < len(buf):
        v, i = _varint(buf, i)
        out.append(v)
    return out


def rings(cmds: list[int]) -> list[list[tuple[int, int]]]:
    """A feature's vertices (tile units), split at each ClosePath: a polygon's rings."""
    out: list[list[tuple[int, int]]] = [[]]
    x = y = i = 0
    while i < len(cmds):
        cmd, count = cmds[i] & 7, cmds[i] >> 3
        i += 1
        if cmd == 7:
            out.append([])
            continue
        for _ in range(count):
            dx, dy = cmds[i], cmds[i + 1]
            x += (dx >> 1) ^ -(dx & 1)
            y += (dy >> 1) ^ -(dy & 1)
            out[-1].append((x, y))
            i += 2
    return [r for r in out if r]


def _points(cmds: list[int]) -> list[tuple[int, int]]:
    """Every vertex of a feature's geometry (tile units), from its command stream."""
    return [p for ring in rings(cmds) for p in ring]


def exterior_area(cmds: list[int]) -> float:
    """The first ring's area by the surveyor's formula in tile units (y down).

    The MVT spec (4.3.4.4) has an exterior ring's area positive (clockwise on screen): a
    ring drawn the other way round is read as a hole.
    """
    ring = np.array(rings(cmds)[0], float)
    x, y = ring[:, 0], ring[:, 1]
    return float((x * np.roll(y, -1) - np.roll(x, -1) * y).sum() / 2)


def decode(tile: bytes) -> dict[str, list[dict[str, Any]]]:
    """Layer name -> features (their attributes, and their vertices under `_points`)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for field, layer in _fields(tile):
        assert field == 3
        parts = _fields(layer)
        name = next(v for f, v in parts if f == 1).decode()
        keys = [v.decode() for f, v in parts if f == 3]
        values = []
        for f, v in parts:
            if f == 4:
                (kind, val), *_ = _fields(v)
                values.append(val.decode() if kind == 1 else val)
        feats = []
        for f, v in parts:
            if f != 2:
                continue
            fp = dict(_fields(v))
            tags = _packed(fp.get(2, b""))
            attrs = {keys[tags[k]]: values[tags[k + 1]] for k in range(0, len(tags), 2)}
            cmds = _packed(fp[4])
            attrs["_points"] = _points(cmds)
            attrs["_exterior_area"] = exterior_area(cmds)
            feats.append(attrs)
        out[name] = feats
    return out


@pytest.fixture(scope="module")
def mercator() -> dict[str, Any]:
    """The units read straight from the file (not through our importer), in EPSG:3857."""
    units = read_nls_units()
    to_3857 = Transformer.from_crs(3067, 3857, always_xy=True)
    return {
        k: shapely.transform(g, lambda xy: np.column_stack(to_3857.transform(*xy.T)))
        for k, g in units.items()
    }


def _tile_of(x: float, y: float, z: int) -> tuple[int, int]:
    size = 2 * HALF / 2**z
    return int((x + HALF) // size), int((HALF - y) // size)


def _envelope(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    size = 2 * HALF / 2**z
    return (-HALF + x * size, HALF - (y + 1) * size, -HALF + (x + 1) * size, HALF - y * size)


def _middle(units: dict[str, Any]) -> tuple[float, float]:
    """A point in the city blocks of the sample (91-22-694-25, among many small lots)."""
    c = units["09102206940025"].centroid
    return c.x, c.y


@pytest.mark.parametrize("z", [14, 16, 18])
def test_a_tile_holds_every_parcel_in_it_and_draws_it_in_place(
    nls: Any, client: Any, mercator: dict[str, Any], z: int
) -> None:
    tx, ty = _tile_of(*_middle(mercator), z)
    r = client.get(f"/api/v1/tiles/parcels/{z}/{tx}/{ty}.mvt")
    assert r.status_code == 200 and r.headers["content-type"] == MEDIA
    feats = decode(r.content)["parcels"]
    env = _envelope(z, tx, ty)
    tile = shapely.box(*env)
    inside = {k for k, g in mercator.items() if g.intersects(tile)}
    got = {f["property_id"] for f in feats}
    assert len(inside) > 5 and inside <= got  # nothing capped, nothing dropped
    margin = shapely.box(*env).buffer((env[2] - env[0]) * 64 / 4096 * 1.01, join_style="mitre")
    assert all(mercator[p].intersects(margin) for p in got if p in mercator)
    assert all(f["_exterior_area"] > 0 for f in feats)  # exterior rings wound as MVT wants
    # vertices land where the parcel is: tile units, y down, 4096 per side
    scale = 4096 / (env[2] - env[0])
    for f in feats:
        g = mercator.get(f["property_id"])
        if g is None or not tile.contains(g):
            continue
        px = np.array(f["_points"], float)
        bx0, by0, bx1, by1 = g.bounds
        want = [
            (bx0 - env[0]) * scale,
            (env[3] - by1) * scale,
            (bx1 - env[0]) * scale,
            (env[3] - by0) * scale,
        ]
        have = [px[:, 0].min(), px[:, 1].min(), px[:, 0].max(), px[:, 1].max()]
        assert np.allclose(have, want, atol=1.5), (f["property_id"], have, want)


def test_tiles_carry_public_attributes_only(
    nls: Any, client: Any, mercator: dict[str, Any]
) -> None:
    tx, ty = _tile_of(*_middle(mercator), 16)
    for name, allowed in {
        "parcels": {"property_id", "kind", "public_type", "name"},
        "buildings": {"use", "floors"},
    }.items():
        feats = decode(client.get(f"/api/v1/tiles/{name}/16/{tx}/{ty}.mvt").content).get(name, [])
        assert feats or name != "parcels"
        keys = {k for f in feats for k in f if not k.startswith("_")}  # decoded, not carried
        assert keys <= allowed, keys  # never owners
        assert not any("owner" in str(v).lower() for f in feats for v in f.values())


@pytest.mark.parametrize("z", [16, 17])
def test_every_polygon_layer_winds_its_rings_as_the_mvt_spec_says(
    nls: Any, client: Any, mercator: dict[str, Any], z: int
) -> None:
    """Exterior rings positive in tile coordinates, both for features inside the tile (scaled
    and snapped by our SQL) and across its edge (ST_AsMVTGeom's)."""
    tx, ty = _tile_of(*_middle(mercator), z)
    drawn: dict[str, int] = {}
    for name in ("parcels", "buildings", "plans", "water"):
        feats = decode(client.get(f"/api/v1/tiles/{name}/{z}/{tx}/{ty}.mvt").content).get(name, [])
        polygons = [f for f in feats if len(f["_points"]) >= 3]
        assert all(f["_exterior_area"] > 0 for f in polygons), name
        drawn[name] = len(polygons)
    assert drawn["parcels"] > 5 and drawn["buildings"] > 5, drawn


def test_tile_index_and_cache_headers(nls: Any, client: Any, mercator: dict[str, Any]) -> None:
    index = client.get("/api/v1/tiles").json()["layers"]
    names = {t["name"] for t in index}
    assert {"parcels", "buildings", "plans", "water", "excavations"} <= names
    parcels = next(t for t in index if t["name"] == "parcels")
    tx, ty = _tile_of(*_middle(mercator), 16)
    url = parcels["url"].replace("{z}", "16").replace("{x}", str(tx)).replace("{y}", str(ty))
    assert f"?v={parcels['version']}" in url
    r = client.get(url)
    assert "immutable" in r.headers["cache-control"] and r.headers["etag"]
    again = client.get(url, headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    plain = client.get(url.split("?")[0])
    assert plain.headers["cache-control"] == "no-cache" and plain.content == r.content


def test_a_tile_is_not_modified_only_for_its_own_current_etag(
    nls: Any, client: Any, mercator: dict[str, Any]
) -> None:
    from sqlalchemy import text

    tx, ty = _tile_of(*_middle(mercator), 16)
    tiles = [("parcels", 16, tx, ty), ("excavations", 16, tx, ty), ("buildings", 5, 18, 8)]
    for name, z, x, y in tiles:  # buildings at zoom 5: below the layer's zoom, empty
        url = f"/api/v1/tiles/{name}/{z}/{x}/{y}.mvt"
        version = next(
            t["version"] for t in client.get("/api/v1/tiles").json()["layers"] if t["name"] == name
        )
        first = client.get(url)
        tag = first.headers["etag"]
        assert tag.startswith(f'"{name}-{version}-') and tag.endswith(f'-{z}-{x}-{y}"'), tag
        for held in (tag, f"W/{tag}", f'"x", {tag}'):  # weakly compared, or in a list
            again = client.get(url, headers={"If-None-Match": held})
            assert again.status_code == 304 and again.content == b"", (name, held)
            assert again.headers["etag"] == tag
        others = (
            tag.replace(f"-{version}-", f"-{version + 1}-", 1),  # another version
            tag.replace(f"-{version}-", f"-0{version}-", 1),  # not how a version is written
            tag[:-1] + '0"',  # another tile's
            '"x"',
            "*",
        )
        for other in others:
            again = client.get(url, headers={"If-None-Match": other})
            assert again.status_code == 200, (name, other)
            assert again.content == first.content and again.headers["etag"] == tag
    with nls.begin() as conn:  # a write to the layer (of no rows) moves its version on
        conn.execute(text("DELETE FROM building WHERE false"))
    newer = client.get(url, headers={"If-None-Match": tag})
    assert newer.status_code == 200 and newer.headers["etag"] != tag
    assert newer.headers["etag"] == tag.replace(f"-{version}-", f"-{version + 1}-", 1)


def test_below_a_layers_zoom_its_tiles_are_empty_not_capped(client: Any) -> None:
    r = client.get("/api/v1/tiles/parcels/5/18/8.mvt")
    assert r.status_code == 200 and r.content == b""


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/tiles/owners/14/1/1.mvt",
        "/api/v1/tiles/parcels/3/9/1.mvt",
        "/api/v1/tiles/parcels/23/0/0.mvt",
    ],
)
def test_bad_tile_addresses_are_refused_with_a_problem(client: Any, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["detail"]


def test_the_parcel_under_a_click(nls: Any, client: Any, mercator: dict[str, Any]) -> None:
    to_4326 = Transformer.from_crs(3857, 4326, always_xy=True)
    p = mercator["09102206940025"].representative_point()
    lon, lat = to_4326.transform(p.x, p.y)
    hit = client.get(f"/api/v1/parcels/at?lon={lon}&lat={lat}").json()
    assert hit == {
        "property_id": "09102206940025",
        "property_id_short": "91-22-694-25",
        "inside": None,
        "inside_radius_m": None,
    }
    hit = client.get(f"/api/v1/parcels/at?lon={lon}&lat={lat}&inside=true").json()
    # where buildings moved onto it go: the centre of the largest circle inside it (shapely's)
    to_3067 = Transformer.from_crs(3857, 3067, always_xy=True)
    plot = shapely.transform(
        mercator["09102206940025"],
        lambda xy: np.column_stack(to_3067.transform(xy[:, 0], xy[:, 1])),
    )
    radius = shapely.maximum_inscribed_circle(plot, 0.01).length  # centre to the nearest edge
    x, y = Transformer.from_crs(4326, 3067, always_xy=True).transform(*hit["inside"])
    inside = shapely.Point(x, y)  # a centre: (a rectangle's is not unique) as far from every edge
    assert plot.contains(inside) and plot.boundary.distance(inside) == pytest.approx(
        radius, abs=0.2
    )
    assert hit["inside_radius_m"] == pytest.approx(radius, abs=0.2)
    r = client.get("/api/v1/parcels/at?lon=21.0&lat=69.9")  # a fell with no parcels loaded
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    assert client.get("/api/v1/parcels/at?lon=200&lat=60").status_code == 422


def test_moved_buildings_go_to_the_largest_room_clear_of_the_houses(nls: Any, client: Any) -> None:
    """Stop 55's walkthrough: moved buildings could land on a house. On a built plot of the NLS
    sample whose largest circle has a house at its centre, the circle is the free room's
    (shapely's, on the plot minus the NLS buildings): no house under its centre."""
    import pyogrio

    from tests.conftest import NLS

    pid = "09101002070001"
    parcels = pyogrio.read_dataframe(NLS / "parcels.gpkg", layer="property_borders")
    plot = shapely.union_all(list(parcels[parcels.kiinteistotunnus == pid].geometry))
    houses = shapely.force_2d(
        pyogrio.read_dataframe(NLS / "buildings.gpkg", layer="buildings").geometry.values
    )
    houses = [h for h in houses if h.intersects(plot)]
    whole = shapely.maximum_inscribed_circle(plot, 0.01)
    assert any(h.contains(shapely.get_point(whole, 0)) for h in houses)  # else it cannot fail
    free = plot.difference(shapely.union_all(houses))
    radius = shapely.maximum_inscribed_circle(free, 0.01).length
    p = free.representative_point()
    lon, lat = Transformer.from_crs(3067, 4326, always_xy=True).transform(p.x, p.y)
    hit = client.get(f"/api/v1/parcels/at?lon={lon}&lat={lat}&inside=true").json()
    assert hit["property_id"] == pid, hit
    x, y = Transformer.from_crs(4326, 3067, always_xy=True).transform(*hit["inside"])
    centre = shapely.Point(x, y)
    assert free.contains(centre) and not any(h.intersects(centre) for h in houses)
    assert hit["inside_radius_m"] == pytest.approx(radius, abs=0.2)
    assert free.boundary.distance(centre) == pytest.approx(radius, abs=0.2)
    # buildings that need more room than that keep to the plot: the whole unit's circle
    more = client.get(
        f"/api/v1/parcels/at?lon={lon}&lat={lat}&inside=true&need_m={radius + 1:.1f}"
    ).json()
    assert more["inside_radius_m"] == pytest.approx(whole.length, abs=0.2)


def test_works_are_past_active_or_planned_by_the_finnish_day(
    client: Any, engine: Any, users: Any
) -> None:
    """A work ending yesterday is past, one of today only active, one from tomorrow planned,
    by the Finnish day (between 22:00 and 24:00 UTC the server's UTC date is yesterday)."""
    from sqlalchemy import text

    today = fi_today()
    x0, y0 = 450_000.0, 7_500_000.0  # in Lapland, away from every other test's data
    periods = {
        "past": (today - dt.timedelta(days=10), today),  # [start, end): ended yesterday
        "active": (today, today + dt.timedelta(days=1)),
        "planned": (today + dt.timedelta(days=1), today + dt.timedelta(days=5)),
    }
    ids: dict[int, str] = {}
    with engine.begin() as conn:
        for k, (status, (start, end)) in enumerate(periods.items()):
            pid = conn.execute(
                text(
                    "INSERT INTO excavation_permit (municipality, kind, state, applicant,"
                    " description, starts_on, ends_on, created_by) VALUES ('698', 'excavation',"
                    " 'approved', 'Testi Oy', 'kaapeli', :s, :e, :u) RETURNING id"
                ),
                {"s": start, "e": end - dt.timedelta(days=1), "u": users["contractor"].id},
            ).scalar_one()
            ph = conn.execute(
                text(
                    "INSERT INTO excavation_phase (permit_id, n, starts_on, ends_on)"
                    " VALUES (:p, 1, :s, :e) RETURNING id"
                ),
                {"p": pid, "s": start, "e": end - dt.timedelta(days=1)},
            ).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO excavation_area (permit_id, phase_id, period, geom) VALUES"
                    " (:p, :ph, daterange(:s, :e), ST_MakeEnvelope(:x, :y, :x + 4, :y + 4, 3067))"
                ),
                {"p": pid, "ph": ph, "s": start, "e": end, "x": x0 + 40 * k, "y": y0},
            )
            ids[pid] = status
    try:
        to_3857 = Transformer.from_crs(3067, 3857, always_xy=True)
        tx, ty = _tile_of(*to_3857.transform(x0 + 40, y0 + 2), 16)
        r = client.get(f"/api/v1/tiles/excavations/16/{tx}/{ty}.mvt")
        assert r.status_code == 200, r.text
        shown = {f["permit_id"]: f["status"] for f in decode(r.content)["excavations"]}
        assert {p: shown.get(p) for p in ids} == ids, shown
        assert today.isoformat() in r.headers["etag"]  # the ETag changes with the day
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM application WHERE id = ANY(:i)"), {"i": list(ids)})


def test_a_database_made_again_does_not_reuse_the_tile_urls_of_the_one_before(
    client: Any, engine: Any
) -> None:
    """Tile URLs name their layer's version and are cached as immutable: each database counts
    from the moment its migrations ran (in ms since 1970), so one made later (a new load after
    `db destroy`) names versions no earlier one did. Read against the migration's own time."""
    from sqlalchemy import text

    with engine.connect() as conn:
        at = conn.execute(
            text(
                "SELECT extract(epoch FROM applied_at) * 1000 FROM schema_migrations"
                " WHERE version LIKE '0097%'"
            )
        ).scalar_one()
    versions = {t["name"]: t["version"] for t in client.get("/api/v1/tiles").json()["layers"]}
    assert len(versions) >= 5
    # applied_at is the transaction's start, clock_timestamp() a moment after it
    assert all(v >= float(at) for v in versions.values()), (versions, at)
