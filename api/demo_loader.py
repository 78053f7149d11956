"""Load a generated demo town into the database with COPY, in one transaction."""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from sqlalchemy import Engine

from api import db
from api.importer import AREA_FIELDS, OWNER_COLUMNS, Progress, _copy, _noop
from geo import demo
from geo.crs import STORAGE_SRID
from geo.property_id import PUBLIC_TYPES


def _hex(geoms: list[Any]) -> list[str]:
    arr = shapely.set_srid(np.asarray(geoms, dtype=object), STORAGE_SRID)
    return list(shapely.to_wkb(arr, hex=True, include_srid=True))


def load(
    engine: Engine,
    n_parcels: int,
    municipality: str = "244",
    seed: int = 1,
    progress: Progress = _noop,
) -> dict[str, int]:
    """Generate and load a town; the municipality's earlier units and data in its area are replaced."""
    progress("generate", 0, 1)
    town = demo.generate(n_parcels, municipality, seed)
    progress("generate", 1, 1)
    units = demo.unit_geometries(town.parcels)
    unit_ids = list(units)
    unit_hex = _hex([units[p] for p in unit_ids])
    parcel_hex = _hex([p for _, p in town.parcels])
    bbox_wkt = shapely.box(*town.bbox).wkt
    with db.raw_cursor(engine) as cur:
        cur.execute("DELETE FROM property_unit WHERE municipality = %s", (municipality,))
        for table in (
            "building",
            "road_centreline",
            "road_area",
            "water_area",
            "shoreline",
            "plan_area",
        ):
            cur.execute(f"DELETE FROM {table} WHERE geom && ST_GeomFromText(%s, 3067)", (bbox_wkt,))
        rows = []
        for pid, g in zip(unit_ids, unit_hex, strict=True):
            block = pid[6:10]
            public = block.startswith("99")
            rows.append(
                (
                    pid,
                    municipality,
                    "public" if public else "private",
                    PUBLIC_TYPES.get(block, "public_other") if public else None,
                    block,
                    town.units.get(pid),
                    "demo",
                    g,
                )
            )
        _copy(
            cur,
            "property_unit",
            (
                "property_id",
                "municipality",
                "kind",
                "public_type",
                "block_code",
                "name",
                "source",
                "geom",
            ),
            rows,
            len(rows),
            progress,
        )
        _copy(
            cur,
            "parcel",
            ("property_id", "source_id", "geom"),
            ((pid, "demo", g) for (pid, _), g in zip(town.parcels, parcel_hex, strict=True)),
            len(parcel_hex),
            progress,
        )
        cols = OWNER_COLUMNS
        _copy(
            cur,
            "personal.owner",
            cols,
            ([o.get(c) for c in cols] for o in town.owners),
            len(town.owners),
            progress,
        )
        b_hex = _hex([b[4] for b in town.buildings])
        _copy(
            cur,
            "building",
            ("property_id", "use", "floor_area_m2", "height_m", "floors", "geom"),
            ((b[0], b[1], b[2], b[3], 1, g) for b, g in zip(town.buildings, b_hex, strict=True)),
            len(b_hex),
            progress,
        )
        r_hex = _hex([r["geom"] for r in town.roads])
        _copy(
            cur,
            "road_centreline",
            ("name_fi", "road_number", "road_class", "admin_class", "state_road", "geom"),
            (
                (
                    r["name"],
                    r["number"],
                    r["class"],
                    "state" if r["state"] else "municipal",
                    r["state"],
                    g,
                )
                for r, g in zip(town.roads, r_hex, strict=True)
            ),
            len(r_hex),
            progress,
        )
        ra_hex = _hex([r["geom"] for r in town.road_areas])
        _copy(
            cur,
            "road_area",
            ("name", "road_number", "road_class", "state_road", "geom"),
            (
                (r["name"], r["number"], r["class"], True, g)
                for r, g in zip(town.road_areas, ra_hex, strict=True)
            ),
            len(ra_hex),
            progress,
        )
        w_hex = _hex([w[2] for w in town.water])
        _copy(
            cur,
            "water_area",
            ("name", "kind", "geom"),
            ((w[0], w[1], g) for w, g in zip(town.water, w_hex, strict=True)),
            len(w_hex),
            progress,
        )
        s_hex = _hex(town.shorelines)
        _copy(
            cur,
            "shoreline",
            ("kind", "geom"),
            (("lake", g) for g in s_hex),
            len(s_hex),
            progress,
        )
        pl_hex = _hex([p["geom"] for p in town.plans])
        pcols = ("kind", *AREA_FIELDS, "source", "geom")
        defaults = {"municipality": municipality, "legally_binding": True, "allows_permits": False}
        _copy(
            cur,
            "plan_area",
            pcols,
            (
                (p["kind"], *(p.get(f, defaults.get(f)) for f in AREA_FIELDS), "demo", g)
                for p, g in zip(town.plans, pl_hex, strict=True)
            ),
            len(pl_hex),
            progress,
        )
        progress("derive", 0, 1)
        cur.execute(db.script("refresh_shore_zone"))
        cur.execute(db.script("refresh_crossing_area"))
        for t in ("parcel", "property_unit", "building", "road_centreline"):
            cur.execute(f"ANALYZE {t}")
        progress("derive", 1, 1)
    return {
        "parcels": len(town.parcels),
        "units": len(units),
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
    with db.raw_cursor(engine) as cur:
        ids = [
            r[0]
            for r in cur.execute(
                "SELECT property_id FROM property_unit u WHERE municipality = %s AND kind = 'private'"
                " AND NOT EXISTS (SELECT 1 FROM personal.owner o WHERE o.property_id = u.property_id)"
                " ORDER BY property_id",
                (municipality,),
            )
        ]
        owners = demo.owners_for(ids, np.random.default_rng(seed), city, postal_code, " (demo)")
        _copy(
            cur,
            "personal.owner",
            OWNER_COLUMNS,
            ([o.get(c) for c in OWNER_COLUMNS] for o in owners),
            len(owners),
            _noop,
        )
    return len(owners)


def reset(engine: Engine) -> None:
    """Empty every data table (the schema stays)."""
    with engine.begin() as conn:
        conn.exec_driver_sql(db.script("reset_data"))
