"""Imports: CRS handling, repair, refusal that commits nothing, and the CLI's messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyogrio
import pytest
import shapely
from shapely.geometry import Polygon, box
from sqlalchemy import text
from typer.testing import CliRunner

from api import ingest
from api.cli import app as cli
from geo.crs import from_storage
from tests.conftest import NLS, needs_nls
from tests.geofiles import geojson_file

_geojson = geojson_file  # (shape, properties) pairs in EPSG:3067
X0, Y0 = 300_000.0, 6_900_000.0  # an empty corner of Finland, away from the other data


def _count(engine: Any, prefix: str) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT count(*) FROM parcel WHERE property_id LIKE :p"), {"p": prefix + "%"}
            ).scalar_one()
        )


def test_import_repairs_and_reports(tmp_path: Path, engine: Any) -> None:
    bowtie = Polygon([(X0, Y0), (X0 + 10, Y0 + 10), (X0 + 10, Y0), (X0, Y0 + 10)])
    f = _geojson(
        tmp_path / "p.geojson",
        [
            (box(X0 + 20, Y0, X0 + 30, Y0 + 10), {"kiinteistotunnus": "999-1-1-1"}),
            (bowtie, {"kiinteistotunnus": "999-001-0001-0002"}),
        ],
    )
    s = ingest.import_parcels(engine, f)
    assert (s.read, s.imported, s.repaired, s.rejected, s.committed) == (2, 3, 1, 0, True)
    assert "Self-intersection" in s.repairs[0].reason and s.repairs[0].location == (X0 + 5, Y0 + 5)
    assert _count(engine, "99900100010002") == 2  # the bowtie became two triangles of one unit


def test_rejected_feature_refuses_the_whole_import(tmp_path: Path, engine: Any) -> None:
    f = _geojson(
        tmp_path / "bad.geojson",
        [
            (box(X0 + 100, Y0, X0 + 110, Y0 + 10), {"kiinteistotunnus": "988-1-1-1"}),
            (box(X0 + 120, Y0, X0 + 130, Y0 + 10), {"kiinteistotunnus": "not-an-id"}),
        ],
    )
    with pytest.raises(ingest.ImportRefused) as exc:
        ingest.import_parcels(engine, f)
    assert "feature 1" in exc.value.message and "nothing imported" in exc.value.message
    assert _count(engine, "988") == 0
    s = ingest.import_parcels(engine, f, allow_rejections=True)
    assert s.imported == 1 and s.rejected == 1 and _count(engine, "988") == 1


def test_outside_finland_is_refused_with_the_bbox(tmp_path: Path, engine: Any) -> None:
    f = _geojson(
        tmp_path / "far.geojson",
        [(box(900_000, 6_700_000, 900_010, 6_700_010), {"kiinteistotunnus": "997-1-1-1"})],
    )
    with pytest.raises(ingest.ImportRefused, match=r"outside Finland.*900000\.0"):
        ingest.import_parcels(engine, f)


def _stored(engine: Any, prefix: str) -> dict[str, Any]:
    """Per unit: its row version, source and geometry, and its parcels' ids and geometries."""
    with engine.connect() as conn:
        units = conn.execute(
            text(
                "SELECT property_id, xmin::text, source, ST_AsBinary(geom) FROM property_unit"
                " WHERE property_id LIKE :p"
            ),
            {"p": prefix + "%"},
        ).all()
        parcels = conn.execute(
            text(
                "SELECT property_id, id, ST_AsBinary(geom) FROM parcel WHERE property_id LIKE :p"
                " ORDER BY id"
            ),
            {"p": prefix + "%"},
        ).all()
    return {
        pid: {
            "version": version,
            "source": source,
            "geom": shapely.from_wkb(bytes(g)),
            "parcel_ids": [r[1] for r in parcels if r[0] == pid],
            "parcels": [shapely.from_wkb(bytes(r[2])) for r in parcels if r[0] == pid],
        }
        for pid, version, source, g in units
    }


def _same_shapes(got: list[Any], expected: list[Any]) -> bool:
    if len(got) != len(expected):
        return False
    by_box = sorted(got, key=lambda g: g.bounds), sorted(expected, key=lambda g: g.bounds)
    pairs = zip(*by_box, strict=True)
    return all(a.equals(b) for a, b in pairs)


def test_reimport_leaves_unchanged_units_as_they_were(tmp_path: Path, engine: Any) -> None:
    """Only the units whose parcels changed are written again; the others keep their rows."""
    x = X0 + 1000
    one, two, three = "989-1-1-1", "989-1-1-2", "989-1-1-3"
    a = box(x, Y0, x + 20, Y0 + 20)
    b = [box(x + 20, Y0, x + 30, Y0 + 20), box(x + 30, Y0, x + 40, Y0 + 20)]
    c = box(x + 40, Y0, x + 60, Y0 + 20)
    first = _geojson(
        tmp_path / "first.geojson",
        [(a, {"kiinteistotunnus": one}), *((g, {"kiinteistotunnus": two}) for g in b)]
        + [(c, {"kiinteistotunnus": three})],
    )
    assert ingest.import_parcels(engine, first).unchanged_units == 0
    before = _stored(engine, "98900100010")
    assert set(before) == {"98900100010001", "98900100010002", "98900100010003"}

    # a month later, in another order and under another name: unit 1 as it was, unit 2 the
    # same outline cut into parcels along another line, unit 3 moved by a metre
    b2 = [box(x + 20, Y0, x + 35, Y0 + 20), box(x + 35, Y0, x + 40, Y0 + 20)]
    c2 = shapely.affinity.translate(c, 1.0, 0.0)
    second = _geojson(
        tmp_path / "second.geojson",
        [(c2, {"kiinteistotunnus": three}), *((g, {"kiinteistotunnus": two}) for g in b2)]
        + [(a, {"kiinteistotunnus": one})],
    )
    s = ingest.import_parcels(engine, second)
    assert (s.imported, s.unchanged_units) == (4, 1)
    after = _stored(engine, "98900100010")
    u1, u2, u3 = (after[f"9890010001000{k}"] for k in (1, 2, 3))
    assert u1["version"] == before["98900100010001"]["version"]
    assert u1["parcel_ids"] == before["98900100010001"]["parcel_ids"]
    assert u1["source"] == "first.geojson"  # the import that last changed it
    assert u2["source"] == u3["source"] == "second.geojson"
    assert _same_shapes(u2["parcels"], b2) and u2["geom"].equals(shapely.union_all(b))
    assert not set(u2["parcel_ids"]) & set(before["98900100010002"]["parcel_ids"])
    assert _same_shapes(u3["parcels"], [c2]) and u3["geom"].equals(c2)

    # the same file once more: nothing is written
    again = ingest.import_parcels(engine, second)
    assert (again.imported, again.unchanged_units) == (4, 3)
    assert _stored(engine, "98900100010") == after


def test_wgs84_and_gk25_sources_land_in_the_same_place(tmp_path: Path, engine: Any) -> None:
    square = box(X0 + 200, Y0, X0 + 220, Y0 + 20)
    f1 = _geojson(
        tmp_path / "wgs.geojson",
        [(from_storage(square, 4326), {"kiinteistotunnus": "996-1-1-1"})],
        "EPSG:4326",
    )
    ingest.import_parcels(engine, f1)
    f2 = tmp_path / "gk.gpkg"
    gk = from_storage(box(X0 + 240, Y0, X0 + 260, Y0 + 20), 3879)
    import geopandas as gpd

    gpd.GeoDataFrame({"property_id": ["996-1-1-2"]}, geometry=[gk], crs=3879).to_file(
        f2, driver="GPKG"
    )
    ingest.import_parcels(engine, f2)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT property_id, ST_AsBinary(geom) FROM parcel WHERE property_id LIKE '996%' ORDER BY 1"
            )
        ).all()
    g1, g2 = (shapely.from_wkb(bytes(r[1])) for r in rows)
    assert g1.symmetric_difference(square).area < 0.01
    assert g2.symmetric_difference(box(X0 + 240, Y0, X0 + 260, Y0 + 20)).area < 0.01


def test_owners_csv_and_unknown_property(tmp_path: Path, engine: Any) -> None:
    f = _geojson(
        tmp_path / "o.geojson",
        [(box(X0 + 300, Y0, X0 + 310, Y0 + 10), {"kiinteistotunnus": "995-1-1-1"})],
    )
    ingest.import_parcels(engine, f)
    csv = tmp_path / "owners.csv"
    csv.write_text(
        "property_id,kind,name,share,contact_name,address,postal_code,city\n"
        "995-1-1-1,estate,Virtasen kuolinpesä,,Liisa Virtanen,Tie 1,00100,Helsinki\n"
    )
    assert ingest.import_owners(engine, csv).imported == 1
    csv.write_text("property_id,kind,name\n995-1-1-1,person,Aino\n995-9-9-9,person,Matti\n")
    with pytest.raises(ingest.ImportRefused, match="unknown property 99500900090009"):
        ingest.import_owners(engine, csv)
    with engine.connect() as conn:  # nothing lost: the estate is still the owner
        assert (
            conn.execute(
                text("SELECT kind FROM personal.owner WHERE property_id='99500100010001'")
            ).scalar_one()
            == "estate"
        )


def test_owners_csv_carries_the_letter_language(tmp_path: Path, engine: Any) -> None:
    f = _geojson(
        tmp_path / "l.geojson",
        [(box(X0 + 320, Y0, X0 + 330, Y0 + 10), {"kiinteistotunnus": "995-1-1-2"})],
    )
    ingest.import_parcels(engine, f)
    csv = tmp_path / "owners.csv"
    csv.write_text(
        "property_id,kind,name,language\n995-1-1-2,person,Anna,sv\n995-1-1-2,person,Aino,\n"
    )
    assert ingest.import_owners(engine, csv).imported == 2
    with engine.connect() as conn:
        langs = dict(
            conn.execute(
                text("SELECT name, language FROM personal.owner WHERE property_id='99500100010002'")
            ).all()
        )
    assert langs == {"Anna": "sv", "Aino": "fi"}
    csv.write_text("property_id,kind,name,language\n995-1-1-2,person,Anna,de\n")
    with pytest.raises(ingest.ImportRefused, match="language 'de' not one of fi, sv"):
        ingest.import_owners(engine, csv)


def test_cli_names_file_feature_and_reason(tmp_path: Path, engine: Any) -> None:
    f = _geojson(
        tmp_path / "cli.geojson",
        [(box(X0 + 400, Y0, X0 + 410, Y0 + 10), {"kiinteistotunnus": "12-ab"})],
    )
    r = CliRunner().invoke(cli, ["import", "parcels", str(f)])
    assert r.exit_code == 1
    text_out = " ".join(r.output.split())
    assert (
        "cli.geojson" in text_out and "feature 0" in text_out and "nothing was imported" in text_out
    )


@needs_nls
def test_cli_neighbours_formats(nls: Any) -> None:
    runner = CliRunner()
    r = runner.invoke(cli, ["neighbours", "91-22-694-25", "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["property_id"] == "09102206940025" and doc["neighbours"]
    r = runner.invoke(cli, ["neighbours", "091-022-0694-0025", "--format", "csv"])
    lines = r.output.strip().splitlines()
    assert lines[0].startswith("property_id,") and len(lines) == len(doc["neighbours"]) + 1
    r = runner.invoke(cli, ["neighbours", "91-22-999-999"])
    assert r.exit_code == 1 and "09102209990999" in r.output


def test_nls_files_import_as_they_are(nls: Any) -> None:
    # The file's own parcels and units, read here with pyogrio: other tests add units of 091
    # (test_privacy_matrix's), so counting the whole municipality would depend on test order.
    ids = pyogrio.read_dataframe(
        NLS / "parcels.gpkg",
        layer="property_borders",
        columns=["kiinteistotunnus"],
        read_geometry=False,
    )["kiinteistotunnus"].tolist()
    assert (len(ids), len(set(ids))) == (2244, 2079)
    with nls.connect() as conn:
        assert (
            conn.execute(
                text("SELECT count(*) FROM parcel WHERE property_id = ANY(:ids)"), {"ids": ids}
            ).scalar_one()
            == 2244
        )
        assert (
            conn.execute(
                text("SELECT count(*) FROM property_unit WHERE property_id = ANY(:ids)"),
                {"ids": list(set(ids))},
            ).scalar_one()
            == 2079
        )
        assert (
            conn.execute(
                text(
                    "SELECT count(*) FROM road_centreline WHERE state_road AND source_id IS NOT NULL"
                )
            ).scalar_one()
            == 69
        )
        assert (
            conn.execute(
                text("SELECT count(*) FROM import_log WHERE kind='parcels' AND rejected=0")
            ).scalar_one()
            >= 1
        )


def test_the_merge_shows_its_steps(tmp_path: Path, engine: Any) -> None:
    """Long work shows progress: the merge (a quarter of an import) was one step, 0/1 then 1/1."""
    f = _geojson(
        tmp_path / "steps.geojson",
        [(box(X0 + 300, Y0, X0 + 310, Y0 + 10), {"kiinteistotunnus": "987-1-1-1"})],
    )
    seen: list[tuple[int, int]] = []

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "merge":
            seen.append((done, total))

    ingest.import_parcels(engine, f, progress=progress)
    assert seen == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
