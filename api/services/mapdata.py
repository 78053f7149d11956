"""Map layers by bbox (simplified by zoom), search, and the data extent for the web map."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from sqlalchemy import Connection

from api import finland
from api.schemas.meta import Health, MapConfig, ParcelAt, SearchHit
from api.services import tiles
from api.settings import Settings
from api.storage.engine import fetch_all
from api.storage.sqlfiles import query
from geo import crs as crs_mod
from geo import property_id, timelimits
from geo.errors import DomainError, InvalidInput, NotFound

# layer -> (named query, lowest zoom served, feature limit)
LAYERS: dict[str, tuple[str, int, int]] = {
    "parcels": ("layer_parcels", 14, 6000),
    "parcel_labels": ("layer_parcel_labels", 14, 6000),  # where the ids are written
    "buildings": ("layer_buildings", 15, 6000),
    "plans": ("layer_plans", 12, 4000),
    "water": ("layer_water", 8, 2000),
}


def bbox_3067(bbox: str) -> tuple[float, float, float, float]:
    """Parse 'minlon,minlat,maxlon,maxlat' into an EPSG:3067 box."""
    try:
        x0, y0, x1, y1 = (float(v) for v in bbox.split(","))
    except ValueError as exc:
        raise InvalidInput("bbox must be minlon,minlat,maxlon,maxlat") from exc
    if not (x0 < x1 and y0 < y1 and x0 >= -180 and x1 <= 180 and y0 >= -90 and y1 <= 90):
        raise InvalidInput("bbox must be minlon,minlat,maxlon,maxlat with min < max, in degrees")
    # Only Finland is stored: a larger bbox (the whole world) is cut to it before it is
    # projected, since EPSG:3067 cannot represent the far side of the globe.
    fx0, fy0, fx1, fy1 = _finland_lonlat()
    x0, y0, x1, y1 = max(x0, fx0), max(y0, fy0), min(x1, fx1), min(y1, fy1)
    if not (x0 < x1 and y0 < y1):
        raise InvalidInput(
            f"bbox lies outside Finland (lon {fx0:.2f}..{fx1:.2f}, lat {fy0:.2f}..{fy1:.2f})"
        )
    # the edges densified: a parallel sags in EPSG:3067 away from 27° E, and the box of the
    # four corners alone cut off a strip along the bottom edge of a box spanning 27° E
    box = shapely.box(x0, y0, x1, y1).segmentize(max(x1 - x0, y1 - y0) / 64)
    bounds: tuple[float, float, float, float] = crs_mod.to_storage(box, 4326).bounds
    return bounds


@lru_cache(maxsize=1)
def _finland_lonlat() -> tuple[float, float, float, float]:
    """The lon/lat bounds of the EPSG:3067 box the data may lie in."""
    box = shapely.box(*crs_mod.FINLAND_BOX_3067).segmentize(10_000)
    bounds: tuple[float, float, float, float] = crs_mod.from_storage(box, 4326).bounds
    return bounds


def check_span(box: tuple[float, float, float, float], zoom: int, max_pixels: int) -> None:
    """Refuse a bbox wider or taller than `max_pixels` screen pixels at this zoom (422)."""
    metres_per_pixel = 156_543.0 * 0.5 / (2**zoom)  # Web Mercator at 60° N
    side = max(box[2] - box[0], box[3] - box[1])
    if side / metres_per_pixel > max_pixels:
        raise InvalidInput(
            f"bbox is {side / 1000:,.1f} km across: at zoom {zoom} at most "
            f"{max_pixels * metres_per_pixel / 1000:,.1f} km ({max_pixels} pixels); "
            "zoom in or ask for a smaller bbox",
            zoom=zoom,
        )


def layer(conn: Connection, name: str, bbox: str, zoom: int, max_pixels: int = 16_384) -> str:
    """Return a GeoJSON FeatureCollection (as text) of a layer in a bbox at a zoom.

    RFC 7946: lon/lat, counter-clockwise exterior rings (the queries' ST_ForcePolygonCCW),
    and the collection's `bbox`. More features than the layer's limit: the first `limit`,
    and `"truncated":true` with the `limit` (the map's tiles hold them all).
    """
    if name not in LAYERS:
        raise InvalidInput(f"unknown layer {name!r}; layers: {', '.join(LAYERS)}")
    name_q, min_zoom, limit = LAYERS[name]
    if zoom < min_zoom:
        return '{"type":"FeatureCollection","features":[],"min_zoom":' + str(min_zoom) + "}"
    xmin, ymin, xmax, ymax = box = bbox_3067(bbox)
    check_span(box, zoom, max_pixels)
    # about a third of a screen pixel at this zoom (Web Mercator, 60° N)
    tol = 156_543.0 * 0.5 / (2**zoom) * 0.33
    rows = (
        conn.execute(
            query(name_q),
            {"xmin": xmin, "ymin": ymin, "xmax": xmax, "ymax": ymax, "tol": tol, "lim": limit + 1},
        )
        .scalars()
        .all()
    )
    cut = f',"truncated":true,"limit":{limit}' if len(rows) > limit else ""
    rows = rows[:limit]
    return (
        '{"type":"FeatureCollection"'
        + _bbox_member(rows)
        + cut
        + ',"features":['
        + ",".join(rows)
        + "]}"
    )


# Each feature's geometry carries its own bbox (ST_AsGeoJSON option 1, before the coordinates);
# string properties cannot match: their quotes are escaped.
_GEOMETRY_BBOX = re.compile(r'"bbox":\[([^\]]*)\]')


def _bbox_member(rows: Sequence[str]) -> str:
    """The FeatureCollection's `bbox` member (RFC 7946 5.) from its features' bboxes, or ''."""
    found = [m.group(1) for row in rows if (m := _GEOMETRY_BBOX.search(row))]
    if not found:
        return ""
    boxes = np.array(",".join(found).split(","), dtype=np.float64).reshape(-1, 4)
    lo, hi = boxes[:, :2].min(axis=0), boxes[:, 2:].max(axis=0)
    return ',"bbox":[' + ",".join(repr(float(v)) for v in (*lo, *hi)) + "]"


# "Joukolantie 15", "Mannerheimvägen 12 B", "Joukolantie 15 a 3": a name, then a house number
ADDRESS = re.compile(r"^(?P<name>\D+?)\s+(?P<num>\d{1,4})(?:\s*[A-Za-zÅÄÖåäö]\b.*)?$")
ADDRESS_SETBACK_M = 12.0  # from the centreline into the plots of that side
ADDRESS_REACH_M = 40.0  # the nearest private unit within this of that point


def _addresses(conn: Connection, q: str) -> list[SearchHit]:
    """Street addresses: the point on the road link whose range holds the number, its unit."""
    m = ADDRESS.match(q)
    if not m:
        return []
    rows = fetch_all(
        conn,
        "search_address",
        street=m["name"].strip(),
        num=int(m["num"]),
        setback_m=ADDRESS_SETBACK_M,
        reach_m=ADDRESS_REACH_M,
        lim=5,
    )
    out = []
    for r in rows:
        name = (
            r["name_fi"]
            if r["name_fi"] and r["name_fi"].lower() == m["name"].strip().lower()
            else r["name_sv"] or r["name_fi"]
        )
        out.append(
            SearchHit(
                type="address",
                label=f"{name} {m['num']}",
                name=name,
                bbox=r["bbox"],
                geometry=r["point"],
                property_id=r["property_id"],
                at=_lonlat(r),
            )
        )
    return out


def _lonlat(r: dict[str, Any]) -> tuple[float, float] | None:
    """A row's point (`lon`, `lat`) to 7 decimals (about a centimetre); None where it has none."""
    return None if r["lon"] is None else (round(r["lon"], 7), round(r["lat"], 7))


def search(conn: Connection, q: str) -> list[SearchHit]:
    """Find properties by id in any form, street addresses, and streets by name."""
    q = q.strip()
    out: list[SearchHit] = []
    if not q:
        return out
    try:
        pid = property_id.normalise(q)
    except DomainError:
        pid = None
    if pid:
        for r in fetch_all(conn, "search_property", property_id=pid):
            label = property_id.short(r["property_id"])
            out.append(
                SearchHit(
                    type="property",
                    property_id=r["property_id"],
                    label=label,
                    bbox=r["bbox"],
                    at=_lonlat(r),
                )
            )
    out += _addresses(conn, q)
    if len(q) >= 2 and not q[0].isdigit():
        for r in fetch_all(conn, "search_street", q=q, lim=10):
            label = r["name"] + (
                f" / {r['name_sv']}" if r["name_sv"] and r["name_sv"] != r["name"] else ""
            )
            geom = r["geometry"]
            hit = SearchHit(
                type="street", label=label, name=r["name"], bbox=r["bbox"], geometry=geom
            )
            out.append(hit)
    return out


def extent(conn: Connection) -> dict[str, Any]:
    """The extent of the loaded data, whether any of it was imported and whether any generated.

    Property units are the NLS cadastre's in whatever form they were imported (a GeoPackage,
    GML, GeoJSON, the NLS OGC API): every import but the generated demo town is credited.
    """
    rows = fetch_all(conn, "data_extent")
    r = rows[0] if rows else {"bbox": None, "sources": None}
    sources = [s for s in (r["sources"] or "").split(",") if s]
    return {
        "bbox": r["bbox"],
        "nls": any(s != "demo" for s in sources),
        "generated": "demo" in sources,
    }


NLS_ATTRIBUTION = "© Maanmittauslaitos, CC BY 4.0"
DEMO_ATTRIBUTION = "Rajapiste demo data (generated)"
LANGS = ["fi", "sv", "en"]


def attribution(conn: Connection, ext: dict[str, Any] | None = None) -> str:
    """The attribution the loaded data needs (the NLS's wherever its data is shown)."""
    ext = ext or extent(conn)
    if ext["nls"] and ext["generated"]:
        return NLS_ATTRIBUTION + "; generated demo data"
    return NLS_ATTRIBUTION if ext["nls"] else DEMO_ATTRIBUTION


def map_config(conn: Connection, settings: Settings) -> MapConfig:
    """What the map needs to start: data extent, background map, attribution, languages."""
    ext = extent(conn)
    year = finland.today().year
    return MapConfig(
        extent=ext["bbox"],
        attribution=attribution(conn, ext),
        basemap_url=settings.basemap_url,
        basemap_attribution=settings.basemap_attribution,
        basemap_tms=settings.basemap_tms,
        tile_matrix=tiles.tile_matrix(settings),
        languages=LANGS,
        default_municipality=settings.default_municipality,
        snap_m=settings.snap_distance_m,
        days_off=sorted(d for y in (year, year + 1) for d in timelimits.days_off(y)),
    )


def health(conn: Connection) -> Health:
    """Whether the database answers, and about how many parcels it holds (statistics, no count).

    Orchestrators should use /api/v1/health/live and /ready; this stays for old clients.
    """
    return Health(status="ok", parcels=int(fetch_all(conn, "estimate_parcels")[0]["parcels"]))


def parcel_at(
    conn: Connection, lon: float, lat: float, inside: bool = False, need_m: float = 0
) -> ParcelAt:
    """The property unit under a point (lon/lat, EPSG:4326); 404 where there is none.

    `inside`: with the centre and radius of the largest circle inside it clear of its buildings
    (the whole unit's where that is smaller than `need_m`); a few ms on a long street or water
    unit, so only when asked.
    """
    x, y = crs_mod.to_storage(shapely.Point(lon, lat), 4326).coords[0]
    rows = fetch_all(conn, "parcel_at", x=x, y=y, inside=inside, need_m=need_m)
    if not rows:
        raise NotFound(f"no property unit at {lon:.6f}, {lat:.6f}")
    r = rows[0]
    return ParcelAt(
        property_id=r["property_id"],
        property_id_short=property_id.short(r["property_id"]),
        inside=_lonlat(r) if inside else None,
        inside_radius_m=round(r["radius_m"], 2) if inside else None,
    )
