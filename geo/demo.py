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


def generate(
    n_parcels: int,
    municipality: str = "244",
    seed: int = 1,
    origin: tuple[float, float] = (420_000.0, 7_170_000.0),
) -> Town:
    """Generate a town of about `n_parcels` parcels, the same for the same arguments."""
    rng = np.random.default_rng(seed)
    town = Town(municipality)
    town.origin = origin
    x0, y0 = origin
    n_blocks = max(4, math.ceil(n_parcels * 0.97 / (2 * PER_ROW)))
    island_blocks = max(1, round(math.sqrt(n_blocks * BLOCK_H / BLOCK_W)))
    main_blocks = n_blocks - island_blocks
    cols = max(2, round(math.sqrt(main_blocks * (BLOCK_H + STREET_W) / (BLOCK_W + STREET_W))))
    rows = math.ceil(main_blocks / cols)
    mid_col = cols // 2  # the state road runs west of this block column
    mid_row = rows // 2  # the connecting state road runs south of this block row

    def col_x(c: int) -> float:
        return (
            x0
            + STREET_W
            + c * (BLOCK_W + STREET_W)
            + (STATE_ROAD_W - STREET_W if c >= mid_col else 0)
        )

    y = y0 + STRAIT_W + BLOCK_H  # island row sits at y0..y0+BLOCK_H, strait above it
    row_y: list[float] = []
    gap_kind: list[str] = []
    for r in range(rows):
        row_y.append(y)
        kind = (
            "shore"
            if r == 0
            else ("state" if r == mid_row else ("park" if r % PARK_EVERY == 0 else "street"))
        )
        gap_kind.append(kind)
        y += BLOCK_H + (STREET_W if r + 1 < rows and (r + 1) % PARK_EVERY != 0 else PARK_W)
        if r + 1 == mid_row:
            y += STATE_ROAD_W - STREET_W
    top = row_y[-1] + BLOCK_H + STREET_W
    right = col_x(cols - 1) + BLOCK_W + STREET_W

    village_units: dict[int, dict[str, int]] = {}

    def public_id(village: int, code: str) -> str:
        counters = village_units.setdefault(village, {})
        counters[code] = counters.get(code, 99) + 1
        return _pid(municipality, village, int(code), counters[code])

    block_index = 0
    slots: list[tuple[int, int, str, Polygon]] = []  # (block_index, slot, pid, poly)

    def add_block(bx: float, by: float) -> None:
        nonlocal block_index
        village = block_index // BLOCKS_PER_VILLAGE + 1
        blockno = block_index % BLOCKS_PER_VILLAGE + 1
        for s in range(2 * PER_ROW):
            r, c = divmod(s, PER_ROW)
            poly = box(
                bx + c * PARCEL_W,
                by + r * PARCEL_D,
                bx + (c + 1) * PARCEL_W,
                by + (r + 1) * PARCEL_D,
            )
            slots.append((block_index, s, _pid(municipality, village, blockno, s + 1), poly))
        block_index += 1

    for r in range(rows):
        for c in range(cols):
            if block_index < main_blocks:
                add_block(col_x(c), row_y[r])
    for c in range(island_blocks):
        add_block(x0 + STREET_W + c * (BLOCK_W + STREET_W), y0)

    # Multi-parcel units: the last parcel of some blocks belongs to a unit seven blocks back.
    n_multi = int(len(slots) / (2 * PER_ROW) * MULTI_SHARE)
    multi_blocks = rng.choice(
        np.arange(7, block_index), size=min(n_multi, max(block_index - 7, 0)), replace=False
    )
    remap: dict[int, str] = {}
    for b in multi_blocks:
        remap[int(b) * 2 * PER_ROW + 2 * PER_ROW - 1] = slots[(int(b) - 7) * 2 * PER_ROW][2]

    # Digitising noise: shift a few per cent of parcels by 0.02-0.3 m.
    noisy = rng.random(len(slots)) < NOISE_SHARE
    shift = rng.uniform(0.02, 0.3, len(slots))
    angle = rng.uniform(0, 2 * math.pi, len(slots))
    for i, (_b, _s, pid, poly) in enumerate(slots):
        if noisy[i]:
            poly = shapely.affinity.translate(
                poly, shift[i] * math.cos(angle[i]), shift[i] * math.sin(angle[i])
            )
        town.parcels.append((remap.get(i, pid), poly))
    town.extras["noisy_parcels"] = int(noisy.sum())
    town.extras["multi_parcel_units"] = len(remap)

    # Street units, park strips and centrelines.
    street_i = 0
    for c in range(cols + 1):
        if c == mid_col:
            continue  # the state road takes this street's place
        xs = (col_x(c) - STREET_W) if c < cols else (col_x(cols - 1) + BLOCK_W)
        name = street_name(street_i, True)
        street_i += 1
        for r in range(rows):
            ya = row_y[r] - (0 if r == 0 else (row_y[r] - row_y[r - 1] - BLOCK_H))
            yb = row_y[r] + BLOCK_H
            pid = public_id(1 + r * cols // BLOCKS_PER_VILLAGE, "9901")
            town.parcels.append((pid, box(xs, ya, xs + STREET_W, yb)))
            town.units[pid] = name
            town.roads.append(
                {
                    "name": name,
                    "geom": LineString([(xs + STREET_W / 2, ya), (xs + STREET_W / 2, yb)]),
                    "state": False,
                    "number": None,
                    "class": "street",
                }
            )
    for r in range(1, rows):
        kind = gap_kind[r]
        ya = row_y[r - 1] + BLOCK_H
        yb = row_y[r]
        name = street_name(street_i, False)
        street_i += 1
        for c in range(cols):
            xa, xb = col_x(c), col_x(c) + BLOCK_W
            if kind == "state":
                continue
            code = "9903" if kind == "park" else "9901"
            pid = public_id(1 + (r * cols + c) // BLOCKS_PER_VILLAGE, code)
            town.parcels.append((pid, box(xa, ya, xb, yb)))
            town.units[pid] = name if code == "9901" else f"{name}n puisto"
            if code == "9901":
                town.roads.append(
                    {
                        "name": name,
                        "geom": LineString([(xa, (ya + yb) / 2), (xb, (ya + yb) / 2)]),
                        "state": False,
                        "number": None,
                        "class": "street",
                    }
                )
    # State roads: a regional road north-south, a connecting road east-west, a motorway east.
    sx = col_x(mid_col) - STATE_ROAD_W
    y_bottom = row_y[0]
    town.road_areas.append(
        {
            "name": "Eteläsuomentie",
            "number": 847,
            "class": "regional",
            "geom": box(sx, y_bottom, sx + STATE_ROAD_W, top),
        }
    )
    town.roads.append(
        {
            "name": "Eteläsuomentie",
            "geom": LineString([(sx + STATE_ROAD_W / 2, y_bottom), (sx + STATE_ROAD_W / 2, top)]),
            "state": True,
            "number": 847,
            "class": "regional",
        }
    )
    if 0 < mid_row < rows:
        ya, yb = row_y[mid_row - 1] + BLOCK_H, row_y[mid_row]
        town.road_areas.append(
            {
                "name": "Kuokkamaantie",
                "number": 8150,
                "class": "connecting",
                "geom": box(x0, ya, right, yb),
            }
        )
        town.roads.append(
            {
                "name": "Kuokkamaantie",
                "geom": LineString([(x0, (ya + yb) / 2), (right, (ya + yb) / 2)]),
                "state": True,
                "number": 8150,
                "class": "connecting",
            }
        )
    town.road_areas.append(
        {
            "name": "Valtatie 4",
            "number": 4,
            "class": "motorway",
            "geom": box(right, y_bottom, right + MOTORWAY_W, top),
        }
    )
    town.roads.append(
        {
            "name": "Valtatie 4",
            "geom": LineString([(right + MOTORWAY_W / 2, y_bottom), (right + MOTORWAY_W / 2, top)]),
            "state": True,
            "number": 4,
            "class": "motorway",
        }
    )

    # Lake: the strait between the island row and the town is a water unit; the lake extends south.
    island_right = x0 + STREET_W + island_blocks * (BLOCK_W + STREET_W)
    strait = box(x0, y0 + BLOCK_H, max(right, island_right), y0 + BLOCK_H + STRAIT_W)
    wpid = public_id(1, "9909")
    town.parcels.append((wpid, strait))
    town.units[wpid] = "Kirkkosalmi"
    lake = Polygon(
        [
            (x0 - 500, y0 - 1500),
            (max(right, island_right) + 500, y0 - 1500),
            (max(right, island_right) + 500, y0 + BLOCK_H + STRAIT_W),
            (max(right, island_right), y0 + BLOCK_H + STRAIT_W),
            (max(right, island_right), y0 + BLOCK_H),
            (x0, y0 + BLOCK_H),
            (x0, y0 + BLOCK_H + STRAIT_W),
            (x0 - 500, y0 + BLOCK_H + STRAIT_W),
        ]
    )
    lake = lake.difference(box(x0, y0, island_right, y0 + BLOCK_H))
    for part in shapely.get_parts(lake):
        town.water.append(("Kempeleenjärvi", "lake", part))
    town.shorelines.append(
        LineString(
            [(x0, y0 + BLOCK_H + STRAIT_W), (max(right, island_right), y0 + BLOCK_H + STRAIT_W)]
        )
    )
    town.shorelines.append(LineString([(x0, y0 + BLOCK_H), (island_right, y0 + BLOCK_H)]))

    _owners_and_buildings(town, rng)
    _plans(town, x0, y0, right, top, island_right, row_y, mid_row)
    xs_all = [x0 - 500, right + MOTORWAY_W]
    town.bbox = (min(xs_all), y0 - 1500, max(xs_all) + 500, top)
    return town


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
    for i, pid in enumerate(unit_ids):
        a, b, c, d = (int(v) for v in picks[i])
        address = f"{street_name(a % 200, True)} {b % 60 + 1}"
        base = {"property_id": pid, "address": address, "postal_code": postal_code, "city": city}
        person = f"{FIRST[a % len(FIRST)]} {LAST[b % len(LAST)]}{label}"
        k = kinds[i]
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


def _owners_and_buildings(town: Town, rng: np.random.Generator) -> None:
    private: list[str] = []
    seen: set[str] = set()
    for pid, poly in town.parcels:
        if pid in town.units or pid in seen:
            continue
        seen.add(pid)
        private.append(pid)
        cx, cy = poly.centroid.x, poly.centroid.y
        town.buildings.append((pid, "dwelling", 120.0, 6.0, box(cx - 5, cy - 6, cx + 5, cy + 6)))
    town.owners = owners_for(private, rng)


def _plans(
    town: Town,
    x0: float,
    y0: float,
    right: float,
    top: float,
    island_right: float,
    row_y: list[float],
    mid_row: int,
) -> None:
    """Add the town's plans.

    A detailed plan over the north half (building areas 4 m in from each lot's
    boundaries), a master plan over all, a planning-need area over the middle rows, a
    shore plan over the island, a drawn shore area; the two shore rows have no shore plan.
    """
    plan_south = row_y[mid_row] if mid_row < len(row_y) else top
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
            "geom": box(x0, y0, island_right, y0 + BLOCK_H),
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
    seen: set[str] = set()
    for pid, poly in town.parcels:
        if pid in town.units or pid in seen:
            continue
        seen.add(pid)
        minx, miny, maxx, maxy = poly.bounds
        if miny >= plan_south:
            town.plans.append(
                {
                    "kind": "building-area",
                    "name": f"rakennusala {pid}",
                    "use_class": "AO",
                    "building_right_m2": 200.0,
                    "max_storeys": 2,
                    "geom": box(minx + 4, miny + 4, maxx - 4, maxy - 4),
                }
            )


def unit_geometries(parcels: list[tuple[str, Polygon]]) -> dict[str, MultiPolygon]:
    """Return each unit's geometry: the union of its parcels."""
    groups: dict[str, list[Polygon]] = {}
    for pid, poly in parcels:
        groups.setdefault(pid, []).append(poly)
    out: dict[str, MultiPolygon] = {}
    for pid, polys in groups.items():
        if len(polys) == 1:
            out[pid] = MultiPolygon(polys)
        else:
            u = shapely.union_all(polys)
            out[pid] = u if isinstance(u, MultiPolygon) else MultiPolygon([u])
    return out
