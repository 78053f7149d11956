"""A deterministic generator of a realistic municipality, from 1 000 to 4 000 000 parcels.

The town is a grid of blocks (two rows of parcels each) between street units,
with park strips between some block rows, a state road through the middle, a
motorway along the east edge, a lake shore in the south with an island row
across a narrow strait, multi-parcel units, owners of every kind (people,
co-owners, estates with contacts, companies, associations) and the digitising
noise real cadastres have: a few per cent of parcels shifted 0.02-0.3 m.
Pure: returns shapely geometries and records; loading is the API layer's job.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon, box

PARCEL_W = 20.0
PARCEL_D = 30.0
PER_ROW = 5
BLOCK_W = PARCEL_W * PER_ROW  # 100 m
BLOCK_H = 2 * PARCEL_D  # 60 m
STREET_W = 16.0
PARK_W = 12.0
PARK_EVERY = 4  # every 4th gap between block rows is a park strip
STATE_ROAD_W = 24.0
MOTORWAY_W = 40.0
STRAIT_W = 120.0
BLOCKS_PER_VILLAGE = 4000
NOISE_SHARE = 0.03
MULTI_SHARE = 0.02

STREET_PREFIX = [
    "Koivu",
    "Pihlaja",
    "Kataja",
    "Haapa",
    "Tammi",
    "Vaahtera",
    "Lepp",
    "Kuusi",
    "Mänty",
    "Pähkinä",
    "Orvokki",
    "Kielo",
    "Kanerva",
    "Ruusu",
    "Lilja",
    "Kotka",
    "Tikka",
    "Kurki",
    "Joutsen",
    "Sorsa",
    "Peippo",
    "Tiainen",
    "Varpunen",
    "Harakka",
]
STREET_SUFFIX = ["tie", "kuja", "polku", "katu", "rinne", "raitti", "kaari", "piha"]
FIRST = [
    "Aino",
    "Matti",
    "Liisa",
    "Juha",
    "Sanna",
    "Mikko",
    "Helena",
    "Timo",
    "Kaisa",
    "Pekka",
    "Anna",
    "Jari",
    "Eeva",
    "Antti",
    "Maria",
    "Ville",
    "Tuula",
    "Kari",
    "Outi",
    "Heikki",
]
LAST = [
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Mäkelä",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Lehtinen",
    "Saarinen",
    "Salminen",
    "Heinonen",
    "Niemi",
    "Heikkilä",
    "Kinnunen",
    "Salonen",
    "Turunen",
    "Salo",
    "Laitinen",
]
COMPANY = ["Rakennus", "Kiinteistö", "Asunto", "Talo", "Koti", "Pohjoisen"]


@dataclass
class Town:
    """A generated town, all geometries in EPSG:3067."""

    municipality: str
    parcels: list[tuple[str, Polygon]] = field(default_factory=list)  # (property_id, polygon)
    units: dict[str, str] = field(default_factory=dict)  # property_id -> name (public units)
    owners: list[dict[str, Any]] = field(default_factory=list)
    buildings: list[tuple[str, str, float, float, Polygon]] = field(default_factory=list)
    roads: list[dict[str, Any]] = field(default_factory=list)
    road_areas: list[dict[str, Any]] = field(default_factory=list)
    water: list[tuple[str, str, Polygon]] = field(default_factory=list)
    shorelines: list[LineString] = field(default_factory=list)
    bbox: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    origin: tuple[float, float] = (0.0, 0.0)
    extras: dict[str, Any] = field(default_factory=dict)
    plans: list[dict[str, Any]] = field(default_factory=list)


def _pid(mun: str, village: int, block: int, unit: int) -> str:
    return f"{mun}{village:03d}{block:04d}{unit:04d}"


def street_name(i: int, vertical: bool) -> str:
    """Return a deterministic Finnish street name."""
    prefix = STREET_PREFIX[i % len(STREET_PREFIX)]
    suffix = STREET_SUFFIX[(i // len(STREET_PREFIX) + (0 if vertical else 3)) % len(STREET_SUFFIX)]
    n = i // (len(STREET_PREFIX) * len(STREET_SUFFIX))
    return f"{prefix}{suffix}" + (f" {n + 1}" if n else "")


@dataclass
class _Grid:
    """Where the town's blocks, streets and gaps lie (all in EPSG:3067 metres)."""

    x0: float
    y0: float
    cols: int
    rows: int
    main_blocks: int
    island_blocks: int
    mid_col: int  # the state road runs west of this block column
    mid_row: int  # the connecting state road runs south of this block row
    row_y: list[float] = field(default_factory=list)
    gap_kind: list[str] = field(default_factory=list)
    top: float = 0.0
    right: float = 0.0

    def col_x(self, c: int) -> float:
        """West edge of block column c."""
        wide = STATE_ROAD_W - STREET_W if c >= self.mid_col else 0
        return self.x0 + STREET_W + c * (BLOCK_W + STREET_W) + wide

    @property
    def island_right(self) -> float:
        """East end of the island row."""
        return self.x0 + STREET_W + self.island_blocks * (BLOCK_W + STREET_W)


def _grid(n_parcels: int, origin: tuple[float, float]) -> _Grid:
    n_blocks = max(4, math.ceil(n_parcels * 0.97 / (2 * PER_ROW)))
    island_blocks = max(1, round(math.sqrt(n_blocks * BLOCK_H / BLOCK_W)))
    main_blocks = n_blocks - island_blocks
    cols = max(2, round(math.sqrt(main_blocks * (BLOCK_H + STREET_W) / (BLOCK_W + STREET_W))))
    rows = math.ceil(main_blocks / cols)
    g = _Grid(*origin, cols, rows, main_blocks, island_blocks, cols // 2, rows // 2)
    y = g.y0 + STRAIT_W + BLOCK_H  # island row sits at y0..y0+BLOCK_H, strait above it
    for r in range(rows):
        g.row_y.append(y)
        if r == 0:
            kind = "shore"
        elif r == g.mid_row:
            kind = "state"
        else:
            kind = "park" if r % PARK_EVERY == 0 else "street"
        g.gap_kind.append(kind)
        y += BLOCK_H + (STREET_W if r + 1 < rows and (r + 1) % PARK_EVERY != 0 else PARK_W)
        if r + 1 == g.mid_row:
            y += STATE_ROAD_W - STREET_W
    g.top = g.row_y[-1] + BLOCK_H + STREET_W
    g.right = g.col_x(cols - 1) + BLOCK_W + STREET_W
    return g


def _blocks(g: _Grid, municipality: str) -> list[tuple[str, Polygon]]:
    """Every private slot: (property id, lot polygon), block by block."""
    slots: list[tuple[str, Polygon]] = []
    corners = [(g.col_x(c), g.row_y[r]) for r in range(g.rows) for c in range(g.cols)]
    corners = corners[: g.main_blocks]
    corners += [(g.x0 + STREET_W + c * (BLOCK_W + STREET_W), g.y0) for c in range(g.island_blocks)]
    # every lot of every block in one vectorised call (one at a time took most of the time)
    r, c = np.divmod(np.arange(2 * PER_ROW), PER_ROW)
    bx, by = np.array(corners, float).reshape(-1, 2).T[:, :, None]
    polys = shapely.box(
        bx + c * PARCEL_W, by + r * PARCEL_D, bx + (c + 1) * PARCEL_W, by + (r + 1) * PARCEL_D
    ).ravel()
    for block_index in range(len(corners)):
        village = block_index // BLOCKS_PER_VILLAGE + 1
        blockno = block_index % BLOCKS_PER_VILLAGE + 1
        for s in range(2 * PER_ROW):
            k = block_index * 2 * PER_ROW + s
            slots.append((_pid(municipality, village, blockno, s + 1), polys[k]))
    return slots


def _lots(town: Town, slots: list[tuple[str, Polygon]], rng: np.random.Generator) -> None:
    """Add the lots, with multi-parcel units and digitising noise."""
    # Multi-parcel units: the last parcel of some blocks belongs to a unit seven blocks back.
    n_blocks = len(slots) // (2 * PER_ROW)
    n_multi = int(len(slots) / (2 * PER_ROW) * MULTI_SHARE)
    multi_blocks = rng.choice(
        np.arange(7, n_blocks), size=min(n_multi, max(n_blocks - 7, 0)), replace=False
    )
    remap = {
        int(b) * 2 * PER_ROW + 2 * PER_ROW - 1: slots[(int(b) - 7) * 2 * PER_ROW][0]
        for b in multi_blocks
    }
    # Digitising noise: shift a few per cent of parcels by 0.02-0.3 m.
    noisy = rng.random(len(slots)) < NOISE_SHARE
    shift = rng.uniform(0.02, 0.3, len(slots))
    angle = rng.uniform(0, 2 * math.pi, len(slots))
    polys = np.array([poly for _, poly in slots], dtype=object)
    moved = np.flatnonzero(noisy)
    step = np.array(
        [(shift[i] * math.cos(angle[i]), shift[i] * math.sin(angle[i])) for i in moved.tolist()]
    ).reshape(-1, 2)
    # the lots are one-ring rectangles: each moved one is made again from its moved corners
    xy, of = shapely.get_coordinates(polys[moved], return_index=True)
    polys[moved] = shapely.polygons(shapely.linearrings(xy + step[of], indices=of))
    town.parcels += [
        (remap.get(i, pid), poly)
        for i, ((pid, _), poly) in enumerate(zip(slots, polys.tolist(), strict=True))
    ]
    town.extras["noisy_parcels"] = int(noisy.sum())
    town.extras["multi_parcel_units"] = len(remap)


class _PublicIds:
    """Numbers public-area units (blocks 99xx) per village, from 100 up."""

    def __init__(self, municipality: str) -> None:
        self.municipality = municipality
        self.counters: dict[tuple[int, str], int] = {}

    def next(self, village: int, code: str) -> str:
        n = self.counters.get((village, code), 99) + 1
        self.counters[(village, code)] = n
        return _pid(self.municipality, village, int(code), n)


def _road(
    name: str, geom: LineString, state: bool, number: int | None, rclass: str
) -> dict[str, Any]:
    return {"name": name, "geom": geom, "state": state, "number": number, "class": rclass}


def _streets(town: Town, g: _Grid, ids: _PublicIds) -> None:
    """North-south street units, then east-west street units and park strips, with centrelines.

    The rectangles and centrelines are collected first and made in two vectorised calls (one
    shapely object at a time took a third of the town's generation).
    """
    units: list[tuple[str, str]] = []  # (property id, name)
    boxes: list[tuple[float, float, float, float]] = []
    roads: list[tuple[str, tuple[float, float, float, float]]] = []  # (name, x1, y1, x2, y2)
    street_i = 0
    for c in range(g.cols + 1):
        if c == g.mid_col:
            continue  # the state road takes this street's place
        xs = (g.col_x(c) - STREET_W) if c < g.cols else (g.col_x(g.cols - 1) + BLOCK_W)
        name = street_name(street_i, True)
        street_i += 1
        for r in range(g.rows):
            ya = g.row_y[r] - (0 if r == 0 else (g.row_y[r] - g.row_y[r - 1] - BLOCK_H))
            yb = g.row_y[r] + BLOCK_H
            units.append((ids.next(1 + r * g.cols // BLOCKS_PER_VILLAGE, "9901"), name))
            boxes.append((xs, ya, xs + STREET_W, yb))
            mid = xs + STREET_W / 2
            roads.append((name, (mid, ya, mid, yb)))
    for r in range(1, g.rows):
        ya, yb = g.row_y[r - 1] + BLOCK_H, g.row_y[r]
        name = street_name(street_i, False)
        street_i += 1
        if g.gap_kind[r] == "state":
            continue
        code = "9903" if g.gap_kind[r] == "park" else "9901"
        for c in range(g.cols):
            xa, xb = g.col_x(c), g.col_x(c) + BLOCK_W
            pid = ids.next(1 + (r * g.cols + c) // BLOCKS_PER_VILLAGE, code)
            units.append((pid, name if code == "9901" else f"{name}n puisto"))
            boxes.append((xa, ya, xb, yb))
            if code == "9901":
                roads.append((name, (xa, (ya + yb) / 2, xb, (ya + yb) / 2)))
    polys = shapely.box(*np.array(boxes, float).reshape(-1, 4).T).tolist()
    town.parcels += [(pid, poly) for (pid, _), poly in zip(units, polys, strict=True)]
    town.units.update(units)
    ends = np.array([e for _, e in roads], float).reshape(-1, 2, 2)
    lines = shapely.linestrings(ends).tolist()
    town.roads += [
        _road(name, line, False, None, "street")
        for (name, _), line in zip(roads, lines, strict=True)
    ]


def _state_road(
    town: Town, name: str, number: int, rclass: str, area: Polygon, line: LineString
) -> None:
    town.road_areas.append({"name": name, "number": number, "class": rclass, "geom": area})
    town.roads.append(_road(name, line, True, number, rclass))


def _state_roads(town: Town, g: _Grid) -> None:
    """A regional road north-south, a connecting road east-west, a motorway along the east edge."""
    sx = g.col_x(g.mid_col) - STATE_ROAD_W
    y_bottom = g.row_y[0]
    mid = sx + STATE_ROAD_W / 2
    _state_road(
        town,
        "Eteläsuomentie",
        847,
        "regional",
        box(sx, y_bottom, sx + STATE_ROAD_W, g.top),
        LineString([(mid, y_bottom), (mid, g.top)]),
    )
    if 0 < g.mid_row < g.rows:
        ya, yb = g.row_y[g.mid_row - 1] + BLOCK_H, g.row_y[g.mid_row]
        _state_road(
            town,
            "Kuokkamaantie",
            8150,
            "connecting",
            box(g.x0, ya, g.right, yb),
            LineString([(g.x0, (ya + yb) / 2), (g.right, (ya + yb) / 2)]),
        )
    mid = g.right + MOTORWAY_W / 2
    _state_road(
        town,
        "Valtatie 4",
        4,
        "motorway",
        box(g.right, y_bottom, g.right + MOTORWAY_W, g.top),
        LineString([(mid, y_bottom), (mid, g.top)]),
    )


def _lake(town: Town, g: _Grid, ids: _PublicIds) -> None:
    """The strait between the island row and the town is a water unit; the lake extends south."""
    x0, y0, east = g.x0, g.y0, max(g.right, g.island_right)
    strait_s, strait_n = y0 + BLOCK_H, y0 + BLOCK_H + STRAIT_W
    wpid = ids.next(1, "9909")
    town.parcels.append((wpid, box(x0, strait_s, east, strait_n)))
    town.units[wpid] = "Kirkkosalmi"
    lake = Polygon(
        [
            (x0 - 500, y0 - 1500),
            (east + 500, y0 - 1500),
            (east + 500, strait_n),
            (east, strait_n),
            (east, strait_s),
            (x0, strait_s),
            (x0, strait_n),
            (x0 - 500, strait_n),
        ]
    )
    lake = lake.difference(box(x0, y0, g.island_right, strait_s))
    for part in shapely.get_parts(lake):
        town.water.append(("Kempeleenjärvi", "lake", part))
    town.shorelines.append(LineString([(x0, strait_n), (east, strait_n)]))
    town.shorelines.append(LineString([(x0, strait_s), (g.island_right, strait_s)]))


def generate(
    n_parcels: int,
    municipality: str = "244",
    seed: int = 1,
    origin: tuple[float, float] = (420_000.0, 7_170_000.0),
) -> Town:
    """Generate a town of about `n_parcels` parcels, the same for the same arguments."""
    rng = np.random.default_rng(seed)
    town = Town(municipality, origin=origin)
    g = _grid(n_parcels, origin)
    _lots(town, _blocks(g, municipality), rng)
    ids = _PublicIds(municipality)
    _streets(town, g, ids)
    _state_roads(town, g)
    _lake(town, g, ids)
    lots = _private_lots(town)
    _owners_and_buildings(town, lots, rng)
    _plans(town, g, lots)
    town.bbox = town_box((g.x0, g.y0, g.right, g.top))
    return town


def town_box(units: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The box of a town's topography around its units' box: sea south, motorway east, margin."""
    x0, y0, right, top = units
    return (x0 - 500, y0 - 1500, right + MOTORWAY_W + 500, top)


def owners_for(
    unit_ids: list[str],
    rng: np.random.Generator,
    city: str = "Kempele",
    postal_code: str = "90440",
    label: str = "",
) -> list[dict[str, Any]]:
    """Generate owners of every kind for private units: people, co-owners, estates, companies."""
    owners: list[dict[str, Any]] = []
    kinds = rng.random(len(unit_ids))
    picks = rng.integers(0, 10_000, size=(len(unit_ids), 4))
    for pid, k, (a, b, c, d) in zip(unit_ids, kinds.tolist(), picks.tolist(), strict=True):
        address = f"{street_name(a % 200, True)} {b % 60 + 1}"
        base = {"property_id": pid, "address": address, "postal_code": postal_code, "city": city}
        person = f"{FIRST[a % len(FIRST)]} {LAST[b % len(LAST)]}{label}"
        if k < 0.78:
            owners.append({**base, "kind": "person", "name": person, "share": "1/1"})
        elif k < 0.86:
            owners.append({**base, "kind": "person", "name": person, "share": "1/2"})
            owners.append(
                {
                    **base,
                    "kind": "person",
                    "share": "1/2",
                    "name": f"{FIRST[c % len(FIRST)]} {LAST[b % len(LAST)]}{label}",
                }
            )
        elif k < 0.91:
            owners.append(
                {
                    **base,
                    "kind": "estate",
                    "name": f"{person} kuolinpesä",
                    "contact_name": f"{FIRST[d % len(FIRST)]} {LAST[b % len(LAST)]}{label}",
                }
            )
        elif k < 0.97:
            owners.append(
                {
                    **base,
                    "kind": "company",
                    "contact_name": person,
                    "name": f"{COMPANY[c % len(COMPANY)]} {LAST[d % len(LAST)]} Oy{label}",
                }
            )
        else:
            owners.append(
                {
                    **base,
                    "kind": "association",
                    "contact_name": person,
                    "name": f"{LAST[a % len(LAST)]} osakaskunta{label}",
                }
            )
    return owners


def _private_lots(town: Town) -> list[tuple[str, Polygon]]:
    """Each private unit's id with its first parcel, in the parcels' order."""
    first: dict[str, Polygon] = {}
    for pid, poly in town.parcels:
        first.setdefault(pid, poly)
    return [(pid, poly) for pid, poly in first.items() if pid not in town.units]


def _owners_and_buildings(
    town: Town, lots: list[tuple[str, Polygon]], rng: np.random.Generator
) -> None:
    private = [pid for pid, _ in lots]
    cx, cy = shapely.get_coordinates(shapely.centroid([poly for _, poly in lots])).T
    houses = shapely.box(cx - 5, cy - 6, cx + 5, cy + 6)
    town.buildings += [(p, "dwelling", 120.0, 6.0, h) for p, h in zip(private, houses, strict=True)]
    town.owners = owners_for(private, rng)


def _plans(town: Town, g: _Grid, lots: list[tuple[str, Polygon]]) -> None:
    """Add the town's plans.

    A detailed plan over the north half (building areas 4 m in from each lot's
    boundaries), a master plan over all, a planning-need area over the middle rows, a
    shore plan over the island, a drawn shore area; the two shore rows have no shore plan.
    """
    x0, y0, right, top, row_y = g.x0, g.y0, g.right, g.top, g.row_y
    plan_south = row_y[g.mid_row] if g.mid_row < len(row_y) else top
    town.plans.append(
        {
            "kind": "master-plan",
            "name": "Kempeleen yleiskaava 2030",
            "legally_binding": True,
            "allows_permits": False,
            "geom": box(x0 - 500, y0 - 1500, right + 100, top),
        }
    )
    town.plans.append(
        {
            "kind": "detailed-plan",
            "name": "Asemakaava 244-101",
            "efficiency": 0.3,
            "geom": box(x0, plan_south - 8, right, top),
        }
    )
    if len(row_y) > 3:
        town.plans.append(
            {
                "kind": "planning-need",
                "name": "Suunnittelutarvealue",
                "geom": box(x0, row_y[2] - 8, right, plan_south - 8),
            }
        )
    town.plans.append(
        {
            "kind": "shore-plan",
            "name": "Saaren ranta-asemakaava",
            "geom": box(x0, y0, g.island_right, y0 + BLOCK_H),
        }
    )
    shore_y = y0 + BLOCK_H + STRAIT_W
    town.plans.append(
        {
            "kind": "shore-area",
            "name": "Rantavyöhyke (rakennusjärjestys)",
            "geom": box(x0, shore_y, right, shore_y + 100),
        }
    )
    b = shapely.bounds([poly for _, poly in lots]).reshape(-1, 4)
    areas = shapely.box(b[:, 0] + 4, b[:, 1] + 4, b[:, 2] - 4, b[:, 3] - 4)
    for (pid, _), area, miny in zip(lots, areas, b[:, 1].tolist(), strict=True):
        if miny >= plan_south:
            town.plans.append(
                {
                    "kind": "building-area",
                    "name": f"rakennusala {pid}",
                    "use_class": "AO",
                    "building_right_m2": 200.0,
                    "max_storeys": 2,
                    "geom": area,
                }
            )


def unit_geometries(parcels: list[tuple[str, Polygon]]) -> dict[str, MultiPolygon]:
    """Return each unit's geometry: the union of its parcels.

    A unit of one parcel (nearly all) is that parcel as a multipolygon, made for all of them
    in one vectorised call.
    """
    groups: dict[str, list[int]] = {}
    for i, (pid, _) in enumerate(parcels):
        groups.setdefault(pid, []).append(i)
    polys = np.array([poly for _, poly in parcels], dtype=object)
    lone = [idx[0] for idx in groups.values() if len(idx) == 1]
    wrapped = iter(shapely.multipolygons(polys[lone], indices=np.arange(len(lone))))
    out: dict[str, MultiPolygon] = {}
    for pid, idx in groups.items():
        if len(idx) == 1:
            out[pid] = next(wrapped)
        else:
            u = shapely.union_all(polys[idx])
            out[pid] = u if isinstance(u, MultiPolygon) else MultiPolygon([u])
    return out
