"""The plans of the map's tile queries and of the coverage query keep their work bounded.

Each map tile layer's query draws every feature once.

`tile_geom` (an SQL function the planner inlines) transforms, clips and snaps a feature into
the tile. Written as a plain CTE with `WHERE geom IS NOT NULL` outside, PostgreSQL inlined the
CTE and computed the expression twice: once for the filter, once for the output (a z14
parcels tile of the 1 M town: 11.6 ms, 7.4 ms once). The plan is read here with EXPLAIN
VERBOSE: the expression must appear in it once. A tile the client holds is not drawn at all,
and the coverage query's plan source is the nearest one, read nearest first from the index.
"""

from __future__ import annotations

from typing import Any

import pytest
import shapely
from shapely.geometry import box

from api.services.tiles import LAYERS, MARGIN, WEB_MERCATOR, tolerance_m
from api.storage.engine import psycopg_text, raw_cursor


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_a_tile_query_computes_each_features_geometry_once(engine: Any, layer: str) -> None:
    params = {
        "z": 14,
        "x": 9326,
        "y": 4739,
        "margin": MARGIN,
        "tol": tolerance_m(14),
        "tms": WEB_MERCATOR,
        "today": "2026-11-24",
        "held": [],
    }
    with raw_cursor(engine) as cur:
        cur.execute("SET LOCAL plan_cache_mode = force_generic_plan")  # as the service plans
        cur.execute("EXPLAIN (VERBOSE) " + psycopg_text(LAYERS[layer].query), params)
        plan = "\n".join(r[0] for r in cur.fetchall()).lower()
    # the in-tile path snaps to the tile grid, the edge path clips with ST_AsMVTGeom
    assert plan.count("st_snaptogrid(") == 1, plan
    assert plan.count("st_asmvtgeom(") == 1, plan


def _explain(engine: Any, name: str, params: dict[str, Any], analyze: bool = False) -> str:
    """The plan the service would run (its generic plan), EXPLAIN ANALYZE with `analyze`."""
    how = "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF" if analyze else "COSTS OFF"
    with raw_cursor(engine) as cur:
        cur.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cur.execute(f"EXPLAIN ({how}) " + psycopg_text(name), params)
        return "\n".join(r[0] for r in cur.fetchall())


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_a_tile_the_client_holds_is_not_drawn(engine: Any, layer: str) -> None:
    with engine.connect() as conn:
        version = conn.exec_driver_sql(
            "SELECT version FROM tile_version WHERE layer = %(l)s", {"l": layer}
        ).scalar_one()
    z, x, y = 16, 37307, 18961
    params = {"z": z, "x": x, "y": y, "margin": MARGIN, "tol": tolerance_m(z), "tms": WEB_MERCATOR}
    params["today"] = "2026-11-24"

    def mvt(plan: str) -> str:  # the ST_AsMVT aggregate's line of the plan
        return next(line for line in plan.splitlines() if "Aggregate" in line)

    drawn = _explain(engine, LAYERS[layer].query, {**params, "held": [version + 1]}, True)
    assert "never executed" not in mvt(drawn), drawn
    held = _explain(engine, LAYERS[layer].query, {**params, "held": [version]}, True)
    assert "never executed" in mvt(held), held


def _nodes(plan: str, node: str) -> list[list[str]]:
    """The detail lines (Index Cond, Order By, ...) of each plan node whose line names `node`."""
    lines = plan.splitlines()
    found = []
    for i, line in enumerate(lines):
        if node in line:
            details = []
            for more in lines[i + 1 :]:
                if more.strip().startswith(("->", "InitPlan", "SubPlan")) or not more.strip():
                    break  # the next node
                details.append(more.strip())
            found.append(details)
    return found


def test_the_coverage_query_reads_plan_areas_nearest_first(engine: Any) -> None:
    site = shapely.to_wkb(box(385000, 6672000, 385030, 6672030))
    distances = {"plans_m": 500.0, "shore_m": 200.0, "roads_m": 500.0, "buildings_m": 250.0}
    plan = _explain(engine, "site_coverage", {"site": site, "log_kinds": ["areas"], **distances})
    scans = _nodes(plan, "Scan using plan_area_geom_gist on plan_area")
    # the nearest plan area's distance: ordered by distance on the index, so it stops at the
    # first; then the areas that near, on the index too (not every area within 500 m)
    assert any(d.startswith("Order By: (geom <->") for scan in scans for d in scan), plan
    assert any("st_expand($" in d and "'500'" not in d for scan in scans for d in scan), plan
