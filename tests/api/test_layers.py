"""The map's GeoJSON layers (/api/v1/layers): what a bbox holds, and what a cap leaves out.

Expected features come from the tables, transformed with pyproj and cut with shapely here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import shape
from sqlalchemy import text

from tests.conftest import needs_nls, read_nls_units

TO_LONLAT = Transformer.from_crs(3067, 4326, always_xy=True)


def _lonlat(geom: Any) -> Any:
    return shapely.transform(geom, lambda xy: np.column_stack(TO_LONLAT.transform(*xy.T)))


def test_a_bbox_spanning_27_east_keeps_what_lies_along_its_bottom_edge(
    client: Any, engine: Any, demo: Any
) -> None:
    """A parallel sags in EPSG:3067 towards 27° E (its central meridian): the box through the
    bbox's four corners cut off a strip above the bottom edge, and the lakes in it."""
    with engine.connect() as conn:
        lakes = [
            (i, _lonlat(shapely.from_wkb(bytes(g))))
            for i, g in conn.execute(text("SELECT id, ST_AsBinary(geom) FROM water_area"))
        ]
    assert lakes, "the demo town has lakes"
    i, lake = max(lakes, key=lambda x: x[1].bounds[3])
    # the box's corners lie farther from 27° E than the lake: its bottom edge runs lower in
    # EPSG:3067 at the lake (by about a kilometre) than at the corners
    half = abs(lake.centroid.x - 27.0) + 1.5
    west, east = 27.0 - half, 27.0 + half
    bottom = lake.bounds[3] - 0.0005  # the lake's northern tip lies above the bottom edge
    box = shapely.box(west, bottom, east, bottom + 0.2)
    expected = {j for j, g in lakes if g.intersects(box)}
    assert i in expected
    r = client.get(
        f"/api/v1/layers/water?bbox={west:.6f},{bottom:.6f},{east:.6f},{bottom + 0.2:.6f}&zoom=9"
    )
    assert r.status_code == 200, r.text
    water = [
        shape(f["geometry"]) for f in r.json()["features"] if f["properties"]["kind"] == "water"
    ]
    shown = shapely.union_all(water).buffer(1e-6)
    for j in expected:  # each lake's part in the box is on the map (simplified: within ~10 m)
        part = dict(lakes)[j].intersection(box)
        assert shown.intersects(part.representative_point().buffer(2e-4)), j


def test_a_layer_cut_at_its_limit_says_so(
    client: Any, engine: Any, nls: Any, monkeypatch: Any
) -> None:
    """More units in the bbox than the layer's limit: the first `limit` and `truncated`, not a
    silent cut (issue 12: nothing capped silently). The count is read from the table."""
    from api.services import mapdata

    bbox = "24.93,60.16,24.96,60.18"  # central Helsinki, in the NLS sample
    box = mapdata.bbox_3067(bbox)
    with engine.connect() as conn:
        n = conn.execute(
            text(
                "SELECT count(*) FROM property_unit WHERE geom && ST_MakeEnvelope(:a, :b, :c, :d, 3067)"
            ),
            dict(zip("abcd", box, strict=True)),
        ).scalar_one()
    assert n > 50
    query, zoom, _ = mapdata.LAYERS["parcels"]
    for limit, cut in ((n - 1, True), (n, False)):
        monkeypatch.setitem(mapdata.LAYERS, "parcels", (query, zoom, limit))
        doc = client.get(f"/api/v1/layers/parcels?bbox={bbox}&zoom=16").json()
        assert len(doc["features"]) == min(n, limit)
        assert doc.get("truncated", False) is cut and (doc.get("limit") == limit) is cut


@pytest.mark.parametrize(
    "source",
    [
        "kiinteistorajat.gml",
        "palstat.geojson",
        "https://avoin-paikkatieto.maanmittauslaitos.fi/kiinteisto-avoin/simple-features/v3",
    ],
)
def test_the_nls_is_credited_however_its_data_was_imported(
    nls: Any, engine: Any, source: str
) -> None:
    """The NLS credit was given for a `.gpkg` file alone: the same cadastre imported as GML,
    GeoJSON or from the NLS's OGC API was shown as generated demo data."""
    from api.services import mapdata

    with engine.connect() as conn:
        conn.execute(
            text("UPDATE property_unit SET source = :s WHERE source <> 'demo'"), {"s": source}
        )
        said = mapdata.attribution(conn)
        conn.rollback()
    assert said.startswith("© Maanmittauslaitos, CC BY 4.0"), said


@needs_nls
def test_each_units_label_lies_inside_it(client: Any, nls: Any) -> None:
    """Stop 58's fresh clones: a click on a lot's id picked the next lot. The map wrote the id at
    the unit's centroid, which for a bent lot (or one in several parts) lies outside it. Every
    unit's `label_at` lies inside the unit as the NLS file draws it (read here with pyogrio),
    those whose centroid does not among them."""
    units = read_nls_units()
    to_3067 = Transformer.from_crs(4326, 3067, always_xy=True)
    west, south, east, north = _lonlat(
        shapely.box(*shapely.total_bounds(list(units.values())))
    ).bounds
    r = client.get(
        f"/api/v1/layers/parcels?bbox={west},{south},{east},{north}&zoom=16"
    )  # labels need no zoom: 20 km
    assert r.status_code == 200, r.text
    doc = r.json()
    assert "truncated" not in doc
    got = {f["properties"]["property_id"]: f["properties"]["label_at"] for f in doc["features"]}
    assert set(units) <= set(got)
    outside = [p for p, g in units.items() if not g.contains(g.centroid)]
    assert len(outside) >= 5, "the sample has units whose centroid lies outside them"
    for pid, g in units.items():
        at = shapely.Point(*to_3067.transform(*got[pid]))
        assert g.buffer(0.01).contains(at), (pid, at.wkt)
    # the labels layer: the same units at the same points, without the outlines (what the map
    # reads to place the ids)
    labels = client.get(str(r.url).replace("/layers/parcels?", "/layers/parcel_labels?"))
    assert labels.status_code == 200, labels.text
    points = labels.json()["features"]
    assert {f["geometry"]["type"] for f in points} == {"Point"}
    assert {f["properties"]["property_id"]: f["geometry"]["coordinates"] for f in points} == got
    assert {k for f in points for k in f["properties"]} == {"property_id"}
    assert len(labels.content) < len(r.content) / 3  # in a run: 4.2 times smaller (8.8 at zoom 18)
