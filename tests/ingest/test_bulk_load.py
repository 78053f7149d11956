"""A first load into empty tables sets their indexes and foreign keys aside and makes them again.

Checked against the catalogue read here (pg_indexes, pg_constraint), and the indexes' contents
against shapely on the generated town.
"""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
import shapely
from sqlalchemy import Engine, text

from api import ingest
from api.ingest.demo import loader
from api.ingest.demo import town as demo
from api.storage.copy import into_empty
from api.storage.engine import raw_cursor
from tests.conftest import HAVE_NLS, NLS, read_nls_units

MUN = "997"
ORIGIN = (610_000.0, 7_310_000.0)
TABLES = (
    "parcel",
    "property_unit",
    "owner",
    "building",
    "plan_area",
    "opposite_relation",
    "crossing_area",
)


def _catalogue(engine: Engine) -> dict[str, list[str]]:
    """Every index and constraint definition of the loaded tables, as the catalogue has them."""
    with engine.connect() as conn:
        indexes = conn.execute(
            text("SELECT indexdef FROM pg_indexes WHERE tablename = ANY(:t) ORDER BY indexdef"),
            {"t": list(TABLES)},
        ).scalars()
        keys = conn.execute(
            text(
                "SELECT conrelid::regclass::text || ' ' || conname || ' '"
                " || pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid::regclass::text = ANY(:t) OR confrelid::regclass::text = ANY(:t)"
                " ORDER BY 1"
            ),
            {"t": [*TABLES, "personal.owner"]},
        ).scalars()
        return {"indexes": list(indexes), "keys": list(keys)}


def _count(engine: Engine, sql: str, **params: Any) -> int:
    with engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))  # the answer has to come from the index
        return int(conn.execute(text(sql), params).scalar_one())


def test_failed_first_load_leaves_tables_and_indexes_as_they_were(
    target: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    loader.reset(target)
    before = _catalogue(target)
    assert any("parcel_geom_gist" in d for d in before["indexes"])
    assert any("parcel_property_id_fkey" in d for d in before["keys"])

    def broken(*args: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(loader, "_copy_topography", broken)
    with pytest.raises(RuntimeError, match="disk is full"):
        loader.load(target, 300, MUN, seed=3, origin=ORIGIN)
    assert _catalogue(target) == before
    assert _count(target, "SELECT count(*) FROM parcel") == 0


def test_first_load_indexes_every_row_and_keeps_the_keys(target: Engine) -> None:
    loader.reset(target)
    before = _catalogue(target)
    counts = loader.load(target, 2000, MUN, seed=3, origin=ORIGIN)
    assert _catalogue(target) == before  # the same indexes and keys, by name and definition

    town = demo.generate(2000, MUN, 3, ORIGIN)
    assert counts["parcels"] == len(town.parcels)
    x0, y0, x1, y1 = shapely.total_bounds([g for _, g in town.parcels])
    window = shapely.box(x0, y0, (x0 + x1) / 2, (y0 + y1) / 2)
    expected = sum(1 for _, g in town.parcels if g.intersects(window))
    assert 0 < expected < len(town.parcels)
    found = _count(
        target,
        "SELECT count(*) FROM parcel WHERE ST_Intersects(geom, ST_GeomFromText(:w, 3067))",
        w=window.wkt,
    )
    assert found == expected  # read through the rebuilt GiST index
    lot = next(pid for pid, _ in town.parcels if pid not in town.units)
    parcels_of_lot = sum(1 for pid, _ in town.parcels if pid == lot)
    assert _count(target, "SELECT count(*) FROM parcel WHERE property_id = :p", p=lot) == (
        parcels_of_lot
    )
    assert _count(target, "SELECT count(*) FROM opposite_relation") > 0

    # the foreign keys hold again: a parcel of no unit is refused, a unit's removal cascades
    with pytest.raises(psycopg.errors.ForeignKeyViolation), raw_cursor(target) as cur:
        cur.execute(
            "INSERT INTO parcel (property_id, source_id, geom)"
            " VALUES ('99799900010001', 'x', ST_GeomFromText(%s, 3067))",
            (window.wkt,),
        )
    with raw_cursor(target) as cur:
        cur.execute("DELETE FROM property_unit WHERE property_id = %s", (lot,))
    assert _count(target, "SELECT count(*) FROM parcel WHERE property_id = :p", p=lot) == 0
    assert _count(target, "SELECT count(*) FROM personal.owner WHERE property_id = :p", p=lot) == 0


def test_only_empty_tables_lose_their_indexes_and_only_for_the_load(target: Engine) -> None:
    loader.load(target, 300, MUN, seed=3, origin=ORIGIN)
    with target.begin() as conn:
        conn.execute(text("DELETE FROM building"))
    index_of = "SELECT indexname FROM pg_indexes WHERE tablename = %s ORDER BY 1"
    with raw_cursor(target) as cur:
        with into_empty(cur, ("parcel", "building")) as empty:
            assert empty == ["building"]
            assert [r[0] for r in cur.execute(index_of, ("building",))] == ["building_pkey"]
            assert "parcel_geom_gist" in [r[0] for r in cur.execute(index_of, ("parcel",))]
        assert "building_geom_gist" in [r[0] for r in cur.execute(index_of, ("building",))]


@pytest.mark.skipif(
    not HAVE_NLS, reason=f"the NLS Helsinki sample is not at {NLS} (../shared absent)"
)
def test_first_import_of_real_parcels_indexes_every_unit(target: Engine) -> None:
    loader.reset(target)
    before = _catalogue(target)
    ingest.import_parcels(target, NLS / "parcels.gpkg")
    assert _catalogue(target) == before
    units = read_nls_units()  # read with pyogrio and unioned with shapely, not by the importer
    x0, y0, x1, y1 = shapely.total_bounds(list(units.values()))
    window = shapely.box(x0, y0, (x0 + x1) / 2, (y0 + y1) / 2)
    expected = sum(1 for g in units.values() if g.intersects(window))
    assert 0 < expected < len(units)
    found = _count(
        target,
        "SELECT count(*) FROM property_unit WHERE ST_Intersects(geom, ST_GeomFromText(:w, 3067))",
        w=window.wkt,
    )
    assert found == expected
