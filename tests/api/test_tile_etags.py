"""Which versions of a tile a client holds: its If-None-Match read back (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from api.services.tiles import TM35FIN, WEB_MERCATOR, TileMatrixSet, tile_tag

DAY = dt.date(2026, 11, 24)
Z, X, Y = 16, 37307, 18961


# The ETags written out by hand, as the README documents them: layer, version, the works' day,
# the grid when it is not Web Mercator, then the tile's address.
@pytest.mark.parametrize(
    ("name", "tms", "day", "tag"),
    [
        ("parcels", WEB_MERCATOR, None, '"parcels-{v}-16-37307-18961"'),
        ("parcels", TM35FIN, None, '"parcels-{v}-ETRS-TM35FIN-16-37307-18961"'),
        ("excavations", WEB_MERCATOR, DAY, '"excavations-{v}-2026-11-24-16-37307-18961"'),
        ("excavations", TM35FIN, DAY, '"excavations-{v}-2026-11-24-ETRS-TM35FIN-16-37307-18961"'),
    ],
)
def test_a_tiles_own_etags_are_read_back(
    name: str, tms: TileMatrixSet, day: dt.date | None, tag: str
) -> None:
    def held(header: str | None) -> list[int]:
        return tile_tag(name, Z, X, Y, tms, day).held(header)

    assert tile_tag(name, Z, X, Y, tms, day).etag(7) == tag.format(v=7)
    assert held(tag.format(v=7)) == [7]
    assert held("W/" + tag.format(v=7)) == [7]  # If-None-Match compares weakly (RFC 9110)
    big = 10**18 - 1  # the largest version read back: 18 digits, well inside a bigint
    listed = f'"x", {tag.format(v=0)} ,W/{tag.format(v=big)}'
    assert held(listed) == [0, big]
    not_held = [
        None,
        "",
        "*",
        tag.format(v="07"),  # not how a version is written
        tag.format(v="+7"),
        tag.format(v=" 7"),
        tag.format(v="²"),  # a digit to str.isdigit, not to int()
        tag.format(v="١"),  # an Arabic-Indic one
        tag.format(v=10**18),  # 19 digits: past what is read back
        tag.format(v="9" * 5000),  # past what int() converts
        tag.format(v=7).replace("37307", "37308"),  # another tile's
        tag.format(v=7).replace(name, "plans"),  # another layer's
        tag.format(v=7).strip('"'),  # not quoted
        "W/ " + tag.format(v=7),
        "²",
        "9" * 5000,
    ]
    for header in not_held:
        assert held(header) == [], header
    if day is not None:  # the works' ETag of another day
        assert held(tag.format(v=7).replace("2026-11-24", "2026-11-25")) == []
    other = TM35FIN if tms == WEB_MERCATOR else WEB_MERCATOR
    assert tile_tag(name, Z, X, Y, other, day).held(tag.format(v=7)) == []
