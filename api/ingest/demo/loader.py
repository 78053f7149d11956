"""Load a generated demo town into the database with COPY, in one transaction."""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from sqlalchemy import Engine

from api.gcpause import gc_paused
from api.ingest import derive
from api.ingest.areas import AREA_FIELDS
from api.ingest.demo import town as demo
from api.ingest.owners import OWNER_COLUMNS
from api.storage.copy import Progress, copy_rows, hex_ewkb, into_empty, no_progress
from api.storage.engine import raw_cursor
from api.storage.sqlfiles import query, script
from geo.property_id import PUBLIC_TYPES

UNIT_COLUMNS = (
    "property_id",
    "municipality",
    "kind",
    "public_type",
    "block_code",
    "name",
    "source",
    "geom",
)
# Tables whose rows inside the town's bbox the town replaces.
REPLACED = ("building", "road_centreline", "road_area", "water_area", "shoreline", "plan_area")
LOADED = ("property_unit", "parcel", "personal.owner", *REPLACED)
ANALYZED = ("parcel", "property_unit", "building", "road_centreline", "road_area", "water_area")


def _copy_geoms(
    cur: Any,
    table: str,
    columns: tuple[str, ...],
    records: list[Any],
    values: Any,
    geom_of: Any,
    progress: Progress,
) -> None:
    """COPY one row per record: `values(record)` followed by its geometry as hex EWKB."""
    hexes = hex_ewkb([geom_of(r) for r in records])
    rows = ((*values(r), g) for r, g in zip(records, hexes, strict=True))
    copy_rows(cur, table, columns, rows, len(records), progress)


def _unit_row(pid: str, municipality: str, name: str | None) -> tuple[Any, ...]:
    block = pid[6:10]
    public = block.startswith("99")
    kind = "public" if public else "private"
    public_type = PUBLIC_TYPES.get(block, "public_other") if public else None
    return (pid, municipality, kind, public_type, block, name, "demo")


def _copy_register(cur: Any, town: demo.Town, municipality: str, progress: Progress) -> int:
    units = demo.unit_geometries(town.parcels)
    _copy_geoms(
        cur,
        "property_unit",
        UNIT_COLUMNS,
        list(units),
        lambda pid: _unit_row(pid, municipality, town.units.get(pid)),
        units.__getitem__,
        progress,
    )
    _copy_geoms(
        cur,
        "parcel",
        ("property_id", "source_id", "geom"),
        town.parcels,
        lambda p: (p[0], "demo"),
        lambda p: p[1],
        progress,
    )
    owners = ([o.get(c) for c in OWNER_COLUMNS] for o in town.owners)
    copy_rows(cur, "personal.owner", OWNER_COLUMNS, owners, len(town.owners), progress)
    return len(units)


def _copy_topography(cur: Any, town: demo.Town, municipality: str, progress: Progress) -> None:
    _copy_geoms(
        cur,
        "building",
        ("property_id", "use", "floor_area_m2", "height_m", "floors", "geom"),
        town.buildings,
        lambda b: (b[0], b[1], b[2], b[3], 1),
        lambda b: b[4],
        progress,
    )
    _copy_geoms(
        cur,
        "road_centreline",
        ("name_fi", "road_number", "road_class", "admin_class", "state_road", "geom"),
        town.roads,
        lambda r: (
            r["name"],
            r["number"],
            r["class"],
            "state" if r["state"] else "municipal",
            r["state"],
        ),
        lambda r: r["geom"],
        progress,
    )
    _copy_geoms(
        cur,
        "road_area",
        ("name", "road_number", "road_class", "state_road", "geom"),
        town.road_areas,
        lambda r: (r["name"], r["number"], r["class"], True),
        lambda r: r["geom"],
        progress,
    )
    _copy_geoms(
        cur,
        "water_area",
        ("name", "kind", "geom"),
        town.water,
        lambda w: (w[0], w[1]),
        lambda w: w[2],
        progress,
    )
    _copy_geoms(
        cur,
        "shoreline",
        ("kind", "geom"),
        town.shorelines,
        lambda s: ("lake",),
        lambda s: s,
        progress,
    )
    defaults = {"municipality": municipality, "legally_binding": True, "allows_permits": False}
    _copy_geoms(
        cur,
        "plan_area",
        ("kind", *AREA_FIELDS, "source", "geom"),
        town.plans,
        lambda p: (p["kind"], *(p.get(f, defaults.get(f)) for f in AREA_FIELDS), "demo"),
        lambda p: p["geom"],
        progress,
    )


@gc_paused()
def load(
    engine: Engine,
    n_parcels: int,
    municipality: str = "244",
    seed: int = 1,
    progress: Progress = no_progress,
    origin: tuple[float, float] | None = None,
) -> dict[str, int]:
    """Generate and load a town; the municipality's earlier units and data in its area are replaced."""
    progress("generate", 0, 1)
    town = demo.generate(n_parcels, municipality, seed, *([origin] if origin else []))
    progress("generate", 1, 1)
    with raw_cursor(engine) as cur:
        old = derive.extent(
            cur, "SELECT geom AS g FROM property_unit WHERE municipality = %s", (municipality,)
        )
        # the topography of the town it replaces goes too, where it reached beyond the new one
        # (a town of 100 000 parcels, then one of 1 000 at the same spot)
        before = demo.town_box(old) if old else None
        bbox_wkt = shapely.box(*(derive.union(before, town.bbox) or town.bbox)).wkt
        # a first load: indexes and keys made once at the end
        with into_empty(cur, LOADED) as first:
            cur.execute("DELETE FROM property_unit WHERE municipality = %s", (municipality,))
            for table in REPLACED:
                cur.execute(
                    f"DELETE FROM {table} WHERE geom && ST_GeomFromText(%s, 3067)", (bbox_wkt,)
                )
            units = _copy_register(cur, town, municipality, progress)
            _copy_topography(cur, town, municipality, progress)
            progress("indexes", 0, 1)
        progress("indexes", 1, 1)
        for t in ANALYZED:
            cur.execute(f"ANALYZE {t}")
        box = derive.union(old, town.bbox)
        derive.rebuild(cur, box, progress, shore_zone=True, first_load="property_unit" in first)
    return {
        "parcels": len(town.parcels),
        "units": units,
        "owners": len(town.owners),
        "buildings": len(town.buildings),
        "roads": len(town.roads),
        "noisy_parcels": town.extras["noisy_parcels"],
        "multi_parcel_units": town.extras["multi_parcel_units"],
    }


def sample_owners(
    engine: Engine,
    municipality: str,
    seed: int = 1,
    city: str = "Helsinki",
    postal_code: str = "00100",
) -> int:
    """Give every private unit of a municipality that has no owners generated demo owners.

    The register's owners are personal data and not published, so the NLS sample
    has none; these are plainly marked "(demo)".
    """
    with raw_cursor(engine) as cur:
        ids = [r[0] for r in cur.execute(script("units_without_owners"), (municipality,))]
        owners = demo.owners_for(ids, np.random.default_rng(seed), city, postal_code, " (demo)")
        rows = ([o.get(c) for c in OWNER_COLUMNS] for o in owners)
        copy_rows(cur, "personal.owner", OWNER_COLUMNS, rows, len(owners))
    with engine.begin() as conn:  # some of them write in Swedish: letters come in both languages
        conn.execute(query("owners_sample_languages"), {"municipality": municipality})
    return len(owners)


def reset(engine: Engine) -> None:
    """Empty every data table (the schema stays)."""
    with engine.begin() as conn:
        conn.exec_driver_sql(script("reset_data"))
