"""The plans of the map's tile queries and of the coverage query keep their work bounded.

Each map tile layer's query draws every feature once.

`tile_geom` (an SQL function the planner inlines) transforms, clips and snaps a feature into
the tile. Written as a plain CTE with `WHERE geom IS NOT NULL` outside, PostgreSQL inlined the
CTE and computed the expression twice: once for the filter, once for the output (a z14
parcels tile of the 1 M town: 11.6 ms, 7.4 ms once). Every plan here is the generic plan the
service runs (`_generic_plan`: PREPARE, then EXPLAIN EXECUTE under force_generic_plan); with
VERBOSE, the expression must appear in it once. A tile the client holds is not drawn at all,
the coverage query's plan source is the nearest one, read nearest first from the index, and
it probes the import log by index instead of reading it whole.
"""

from __future__ import annotations

import re
from typing import Any

import psycopg
import pytest
import shapely
from shapely.geometry import box

from api.services import coverage
from api.services.tiles import LAYERS, MARGIN, WEB_MERCATOR, tolerance_m
from api.storage.engine import psycopg_text
from tests.conftest import needs_nls, write_nightly_imports


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
    plan = _explain(engine, LAYERS[layer].query, params, how="VERBOSE").lower()
    # the in-tile path snaps to the tile grid, the edge path clips with ST_AsMVTGeom
    assert plan.count("st_snaptogrid(") == 1, plan
    assert plan.count("st_asmvtgeom(") == 1, plan


ANALYZE = "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF"
COVERAGE = {"plans_m": 500.0, "shore_m": 200.0, "roads_m": 500.0, "buildings_m": 250.0}


def _generic_plan(cur: Any, name: str, params: dict[str, Any], how: str) -> str:
    """EXPLAIN (`how`) of the generic plan the service runs for a query: PREPARE, then EXECUTE
    under force_generic_plan (an EXPLAIN with bound values would plan for those values).

    `cur` is a psycopg ClientCursor (the EXECUTE's arguments are written into its text), in a
    transaction of the caller's. The query is the service's (`psycopg_text`), its %(name)s
    placeholders numbered $1, $2, ... in order of first use, as psycopg sends them.
    """
    names: list[str] = []

    def numbered(m: re.Match[str]) -> str:
        if m.group(1) is None:  # a %% of the query's own text
            return "%"
        if m.group(1) not in names:
            names.append(m.group(1))
        return f"${names.index(m.group(1)) + 1}"

    cur.execute("SET LOCAL plan_cache_mode = force_generic_plan")
    # a PREPARE outlives its transaction: drop this test's own, left by an earlier one
    cur.execute("SELECT 1 FROM pg_prepared_statements WHERE name = 'plan_under_test'")
    if cur.fetchone():
        cur.execute("DEALLOCATE plan_under_test")
    query = re.sub(r"%%|%\((\w+)\)s", numbered, psycopg_text(name))
    cur.execute("PREPARE plan_under_test AS " + query)
    args = ", ".join(["%s"] * len(names))
    cur.execute(f"EXPLAIN ({how}) EXECUTE plan_under_test({args})", [params[n] for n in names])
    return "\n".join(r[0] for r in cur.fetchall())


def _explain(engine: Any, name: str, params: dict[str, Any], how: str = "COSTS OFF") -> str:
    """The plan the service would run (its generic plan), EXPLAIN with `how`."""
    with engine.connect() as conn:
        cur = psycopg.ClientCursor(conn.connection.driver_connection)
        plan = _generic_plan(cur, name, params, how)
        conn.rollback()
    return plan


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

    drawn = _explain(engine, LAYERS[layer].query, {**params, "held": [version + 1]}, ANALYZE)
    assert "never executed" not in mvt(drawn), drawn
    held = _explain(engine, LAYERS[layer].query, {**params, "held": [version]}, ANALYZE)
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
    plan = _explain(engine, "site_coverage", {"site": site, "log_kinds": ["areas"], **COVERAGE})
    scans = _nodes(plan, "Scan using plan_area_geom_gist on plan_area")
    # the nearest plan area's distance: ordered by distance on the index, so it stops at the
    # first; then the areas that near, on the index too (not every area within 500 m)
    assert any(d.startswith("Order By: (geom <->") for scan in scans for d in scan), plan
    assert any("st_expand($" in d and "'500'" not in d for scan in scans for d in scan), plan


@needs_nls
def test_the_coverage_query_reads_the_import_log_by_index(nls: Any) -> None:
    """The import log only grows (a row per import): coverage probes it, never reads it whole.

    With three years of nightly imports of six layers in it (rolled back), the generic plan the
    service runs (PREPARE, EXECUTE under force_generic_plan) finds the last import of each kind
    and the last load of the site's own file each by an index condition, one row a probe.
    """
    with nls.connect() as conn:
        raw = conn.connection.driver_connection
        cur = psycopg.ClientCursor(raw)  # the EXECUTE's arguments written into its text
        cur.execute(  # a Helsinki lot whose unit names its file, and a 4 x 4 m site in it
            "SELECT ST_AsBinary(ST_Buffer(ST_PointOnSurface(u.geom), 2, 1)), u.source"
            " FROM property_unit u WHERE u.kind = 'private' AND u.municipality = '091'"
            " AND u.source IS NOT NULL ORDER BY u.property_id LIMIT 1"
        )
        site, own = cur.fetchone()
        write_nightly_imports(conn, own)
        values = {"site": bytes(site), "log_kinds": coverage.LOG_KINDS, **COVERAGE}
        plan = _generic_plan(cur, "site_coverage", values, ANALYZE)
        conn.rollback()
    assert "Seq Scan on import_log" not in plan, plan
    for index, cond, probes in (
        ("import_log_kind_last", "Index Cond: (split_part(", len(coverage.LOG_KINDS)),
        ("import_log_file_last", "Index Cond: ((regexp_replace(", 1),  # the lot's one file
    ):
        lines = [line for line in plan.splitlines() if f"using {index} on import_log" in line]
        assert f"(actual rows=1 loops={probes})" in "".join(lines), plan  # one row a probe
        scans = _nodes(plan, f"using {index} on import_log")
        assert all(any(d.startswith(cond) for d in scan) for scan in scans), plan
