"""Which data lies at a site (issue 13 `coverage`), so no check claims an all-clear without data."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection

from api import i18n
from api.storage.engine import fetch_all
from geo import coverage as geo_coverage
from geo.errors import OutsideData

# How far to look for each kind of data. A parcel must lie at the site itself; plans, roads
# and buildings are searched in a neighbourhood wide enough that their absence there means
# the layer is not loaded, not that the site is far from any (an index probe each).
SEARCH_M = {"plans": 500.0, "roads": 500.0, "buildings": 250.0}
PARCEL_SHARE = 0.99  # below this share of the site under parcels, parcel data is incomplete
LOG_KIND = {
    "parcels": "parcels",
    "plans": "areas",
    "shore": "water",
    "roads": "roads",
    "buildings": "buildings",
}
LOG_KINDS = sorted(set(LOG_KIND.values()))  # the imports whose last one the query looks up


def _source(row: dict[str, Any], kind: str) -> str | None:
    """Where the data at the site came from and when it was loaded.

    The rows' own source first (a later partial re-import elsewhere does not change where these
    rows came from), with the day that source was last loaded; else the layer's last import.
    """
    own = row.get(f"{kind}_unit_source")
    if own:
        day = (row.get("loaded") or {}).get(own)
        return f"{_file(own)} ({day})" if day else _file(own)
    logged = (row.get("logged") or {}).get(LOG_KIND[kind])
    return f"{_file(logged['source'])} ({logged['day']})" if logged else None


def _file(source: Any) -> str:
    """A source as its file's name: the server's directories are not the reader's business."""
    return PurePath(str(source)).name or str(source)


def _entry(
    lang: str, kind: str, checked: bool, source: str | None, **params: Any
) -> dict[str, Any]:
    key = f"coverage.{kind}.{params.pop('state', 'ok' if checked else 'none')}"
    return {"checked": checked, "reason": i18n.text(lang, key, **params), "source": source}


def at_site(
    conn: Connection,
    site: BaseGeometry,
    shore_m: float,
    lang: str,
    refuse_outside: bool = True,
    dig: bool = False,
) -> tuple[dict[str, dict[str, Any]], bool]:
    """Each kind of data's entry (at the site or not, why, source); also: any parcel there.

    A site with no parcel under it at all is outside the loaded data: OutsideData (422) unless
    `refuse_outside` is false (a dig check, whose `outside_municipality` finding already blocks
    it and which may lie on a state road without cadastral units). `dig`: the reasons speak of
    the dig area, not of a building site.
    """
    dist = {**SEARCH_M, "shore": shore_m}
    row = fetch_all(
        conn,
        "site_coverage",
        site=shapely.to_wkb(site),
        plans_m=dist["plans"],
        shore_m=dist["shore"],
        roads_m=dist["roads"],
        buildings_m=dist["buildings"],
        log_kinds=LOG_KINDS,
    )[0]
    share = float(row["parcel_area_m2"]) / site.area if site.area else 0.0
    if not row["parcels"] and refuse_outside:
        cov = {"parcels": _entry(lang, "parcels", False, None)}
        message = {"key": "error.outside_data"}
        raise OutsideData(i18n.render("en", message), coverage=cov, i18n=message)
    state = "ok" if share >= PARCEL_SHARE else "partial" if row["parcels"] else "none"
    out = {
        "parcels": _entry(
            lang,
            "parcels",
            share >= PARCEL_SHARE,
            _source(row, "parcels"),
            state=f"{state}.dig" if dig and state != "none" else state,
            count=int(row["parcels"]),
            share=100 * share,
        )
    }
    for kind in ("plans", "shore", "roads", "buildings"):
        out[kind] = _entry(lang, kind, bool(row[kind]), _source(row, kind), distance_m=dist[kind])
    return out, bool(row["parcels"])


def checked(cov: dict[str, dict[str, Any]]) -> set[str]:
    """The kinds of data that were there."""
    return {k for k, v in cov.items() if v["checked"]}


def missing(
    cov: dict[str, dict[str, Any]], checks: dict[str, tuple[str, ...]], lang: str
) -> list[dict[str, Any]]:
    """The checks not made for want of data, each with a 'not checked: ...' message."""
    return [
        {**e, "message": i18n.text(lang, "not_checked", reason=cov[e["data"]]["reason"])}
        for e in geo_coverage.not_checked(checks, checked(cov))
    ]
