"""A malformed owners CSV is refused whole, naming the line (issue 14: a cut row was imported)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import box, mapping
from sqlalchemy import text

from api import ingest

HEADER = "property_id,kind,name,share,contact_name,address,postal_code,city\n"
GOOD = "996-1-1-1,person,Aino Omistaja,1/1,,Tie 1,00100,Helsinki\n"


@pytest.fixture(scope="module")
def unit(engine: Any, tmp_path_factory: pytest.TempPathFactory) -> str:
    import json

    f = tmp_path_factory.mktemp("owners") / "p.geojson"
    feature = {
        "type": "Feature",
        "geometry": mapping(box(390_000, 6_680_000, 390_010, 6_680_010)),
        "properties": {"kiinteistotunnus": "996-1-1-1"},
    }
    f.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [feature],
                "crs": {"type": "name", "properties": {"name": "EPSG:3067"}},
            }
        )
    )
    ingest.import_parcels(engine, f)
    return "99600100010001"


def _address(engine: Any, pid: str) -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                text("SELECT address FROM personal.owner WHERE property_id = :p"), {"p": pid}
            ).scalars()
        )


CASES = {
    "a row cut mid-field": (HEADER + GOOD + "996-1-1-1,person,Matti Mei", "line 3", "3 fields"),
    "an unterminated quote": (
        HEADER + GOOD + '996-1-1-1,person,"Matti, Tie 2,00100,Hki\n',
        "line 3",
        "quote",
    ),
    "a field too many": (
        HEADER + "996-1-1-1,person,A,1/1,,Tie 1,00100,Helsinki,extra\n",
        "line 2",
        "9 fields",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_malformed_csv_is_refused_with_the_line(
    tmp_path: Path, engine: Any, unit: str, case: str
) -> None:
    f = tmp_path / "owners.csv"
    f.write_text(HEADER + GOOD)
    assert ingest.import_owners(engine, f).imported == 1
    content, line, reason = CASES[case]
    f.write_text(content)
    with pytest.raises(ingest.ImportRefused) as err:
        ingest.import_owners(engine, f)
    assert line in str(err.value) and reason in str(err.value), str(err.value)
    assert _address(engine, unit) == ["Tie 1"]  # nothing changed


def test_bad_encoding_is_refused_with_the_line(tmp_path: Path, engine: Any, unit: str) -> None:
    f = tmp_path / "owners.csv"
    f.write_bytes((HEADER + GOOD).encode() + "996-1-1-1,person,Jörö\n".encode("latin-1"))
    with pytest.raises(ingest.ImportRefused, match="line 3: not UTF-8"):
        ingest.import_owners(engine, f)
    assert _address(engine, unit) == ["Tie 1"]


def test_skip_invalid_keeps_a_unit_whole(tmp_path: Path, engine: Any, unit: str) -> None:
    """A co-owner on a rejected line silently left the unit (and so the hearing)."""
    f = tmp_path / "owners.csv"
    two = GOOD + "996-1-1-1,person,Bertta Omistaja,1/2,,Tie 2,00100,Helsinki\n"
    f.write_text(HEADER + two)
    assert ingest.import_owners(engine, f).imported == 2
    f.write_text(HEADER + GOOD.replace("Tie 1", "Tie 9") + "996-1-1-1,foo,Bertta,1/2,,,,\n")
    s = ingest.import_owners(engine, f, allow_rejections=True)
    assert s.rejected == 1 and s.held == [unit] and s.imported == 0
    assert sorted(_address(engine, unit)) == ["Tie 1", "Tie 2"]  # both owners, as stored


def test_skip_invalid_keeps_a_units_parcels_whole(tmp_path: Path, engine: Any) -> None:
    """A unit of two parcels, one of them unreadable, was stored as the other one alone."""
    import json

    from shapely.geometry import LineString

    pid, x, y = "995-1-1-1", 392_000.0, 6_680_000.0
    halves = [box(x, y, x + 10, y + 10), box(x + 10, y, x + 20, y + 10)]

    def write(geoms: list[Any]) -> Path:
        f = tmp_path / "p.geojson"
        feats = [
            {"type": "Feature", "geometry": mapping(g), "properties": {"kiinteistotunnus": pid}}
            for g in geoms
        ]
        crs = {"type": "name", "properties": {"name": "EPSG:3067"}}
        f.write_text(json.dumps({"type": "FeatureCollection", "features": feats, "crs": crs}))
        return f

    def area() -> float:
        with engine.connect() as conn:
            return float(
                conn.execute(
                    text("SELECT ST_Area(geom) FROM property_unit WHERE property_id = :p"),
                    {"p": "99500100010001"},
                ).scalar_one()
            )

    ingest.import_parcels(engine, write(halves))
    assert area() == pytest.approx(200.0)
    broken = [halves[0], LineString([(x + 10, y), (x + 20, y + 10)])]  # not a polygon
    s = ingest.import_parcels(engine, write(broken), allow_rejections=True)
    assert s.rejected == 1 and s.held == ["99500100010001"]
    assert area() == pytest.approx(200.0)  # as stored, not the half that was accepted
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM property_unit WHERE property_id = '99500100010001'"))
