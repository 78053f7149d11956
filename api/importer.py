"""Import parcels, buildings, roads, water and owners from files, whole or not at all.

Read with pyogrio (its bundled GDAL has no PostgreSQL driver), check and
transform with shapely/pyproj, and load with psycopg COPY into staging tables,
then move into place inside the same transaction.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import shapely
from sqlalchemy import Engine

from api import db
from geo import crs, property_id
from geo.errors import DomainError
from geo.geometry import invalid_reason
from geo.siteplan import PLAN_KINDS

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class ImportError_(DomainError):
    """An import that was refused; nothing was committed."""

    code = "import_refused"


@dataclass
class Rejection:
    """One feature that could not be imported."""

    feature: int
    reason: str
    location: tuple[float, float] | None = None

    def describe(self) -> str:
        """Return a one-line description naming the feature and the reason."""
        loc = f" at ({self.location[0]:.2f}, {self.location[1]:.2f})" if self.location else ""
        return f"feature {self.feature}: {self.reason}{loc}"


@dataclass
class Summary:
    """What an import read, imported, repaired and rejected."""

    kind: str
    source: str
    layer: str | None = None
    read: int = 0
    imported: int = 0
    repaired: int = 0
    rejected: int = 0
    committed: bool = False
    repairs: list[Rejection] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Return the summary as plain data."""
        return {
            "kind": self.kind,
            "source": self.source,
            "layer": self.layer,
            "read": self.read,
            "imported": self.imported,
            "repaired": self.repaired,
            "rejected": self.rejected,
            "committed": self.committed,
            "repairs": [r.describe() for r in self.repairs[:50]],
            "rejections": [r.describe() for r in self.rejections[:50]],
        }


def _cell(arr: Any, i: int) -> Any:
    """The value of feature i in a field array: None for a missing field, null or NaN."""
    if arr is None:
        return None
    v = arr[i]
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    return v


def _noop(stage: str, done: int, total: int) -> None:
    return None


def _pick_layer(path: Path, layer: str | None, prefer: Sequence[str]) -> str | None:
    if layer:
        return layer
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:
        raise ImportError_(f"{path}: cannot be read as a GIS file: {exc}") from exc
    for name in prefer:
        if name in layers:
            return name
    usable = [name for name in layers if not name.lower().startswith("control")]
    return usable[0] if usable else (layers[0] if layers else None)


@dataclass
class Features:
    """Features read from one layer, in EPSG:3067."""

    geoms: np.ndarray[Any, Any]
    fields: dict[str, np.ndarray[Any, Any]]
    layer: str | None
    srid: int


def read_features(
    path: Path,
    layer: str | None,
    source_crs: str | None,
    prefer: Sequence[str] = (),
    progress: Progress = _noop,
) -> Features:
    """Read a layer, transform it to EPSG:3067 (dropping Z), and refuse data outside Finland."""
    if not path.exists():
        raise ImportError_(f"{path}: no such file")
    layer = _pick_layer(path, layer, prefer)
    progress("read", 0, 1)
    try:
        with warnings.catch_warnings():
            # NLS timestamps like 2024-09-06T20:41:07.779+03:00 parse fine but warn
            warnings.filterwarnings("ignore", "Non-conformant content", RuntimeWarning)
            meta, _fids, wkb, field_data = pyogrio.raw.read(path, layer=layer)
    except Exception as exc:
        raise ImportError_(f"{path}: cannot read layer {layer!r}: {exc}") from exc
    progress("read", 1, 1)
    if source_crs:
        srid = crs.parse_srid(source_crs)
    elif meta.get("crs"):
        srid = crs.parse_srid(str(meta["crs"]))
    else:
        raise ImportError_(f"{path}: layer {layer!r} has no CRS; give --source-crs EPSG:N")
    geoms = shapely.from_wkb(wkb) if wkb is not None else np.array([], dtype=object)
    geoms = shapely.force_2d(geoms)
    if srid not in (crs.STORAGE_SRID, 3903):
        tr = crs.transformer(srid, crs.STORAGE_SRID)
        geoms = shapely.transform(geoms, lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))
    fields = {
        str(name): np.asarray(col) for name, col in zip(meta["fields"], field_data, strict=True)
    }
    present = geoms[~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)]
    if len(present):
        bounds = shapely.total_bounds(present)
        box = shapely.box(*bounds)
        try:
            crs.check_in_finland(box, f"{path.name} (layer {layer})")
        except DomainError as exc:
            raise ImportError_(
                exc.message + f"; source CRS was EPSG:{srid} (override with --source-crs)"
            ) from exc
    return Features(geoms, fields, layer, srid)


def check_polygons(geoms: np.ndarray[Any, Any], summary: Summary) -> list[tuple[int, list[Any]]]:
    """Validate polygon features; repair what can be repaired; return (index, polygons)."""
    out: list[tuple[int, list[Any]]] = []
    valid = shapely.is_valid(geoms)
    for i, g in enumerate(geoms):
        if g is None or g.is_empty:
            summary.rejections.append(Rejection(i, "empty geometry"))
            continue
        if g.geom_type not in ("Polygon", "MultiPolygon"):
            summary.rejections.append(Rejection(i, f"not a polygon but {g.geom_type}"))
            continue
        if not valid[i]:
            reason, loc = invalid_reason(g)
            fixed = shapely.make_valid(g)
            polys = [p for p in shapely.get_parts(fixed) if p.geom_type == "Polygon" and p.area > 0]
            polys = [q for p in polys for q in ([p] if p.geom_type == "Polygon" else p.geoms)]
            if not polys:
                summary.rejections.append(
                    Rejection(i, f"invalid and not repairable: {reason}", loc)
                )
                continue
            summary.repairs.append(Rejection(i, f"repaired: {reason}", loc))
            out.append((i, polys))
            continue
        out.append((i, list(shapely.get_parts(g))))
    summary.repaired = len(summary.repairs)
    return out


def _copy(
    cur: Any,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    total: int,
    progress: Progress,
) -> int:
    n = 0
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row(row)
            n += 1
            if n % 50_000 == 0:
                progress("load", n, total)
    progress("load", n, total)
    return n


def _hex_ewkb(polys: Sequence[Any]) -> list[str]:
    arr = shapely.set_srid(np.asarray(polys, dtype=object), crs.STORAGE_SRID)
    return list(shapely.to_wkb(arr, hex=True, include_srid=True))


def _finish(summary: Summary, allow_rejections: bool) -> None:
    summary.rejected = len(summary.rejections)
    if summary.rejections and not allow_rejections:
        first = "; ".join(r.describe() for r in summary.rejections[:5])
        more = f" (and {summary.rejected - 5} more)" if summary.rejected > 5 else ""
        raise ImportError_(
            f"{summary.source}: {summary.rejected} feature(s) rejected, nothing imported: "
            f"{first}{more}. Fix them or use --skip-invalid to import the rest.",
            summary=summary.as_dict(),
        )


def _log(cur: Any, s: Summary) -> None:
    cur.execute(
        "INSERT INTO import_log (kind, source, read, imported, repaired, rejected)"
        " VALUES (%s, %s, %s, %s, %s, %s)",
        (s.kind, s.source, s.read, s.imported, s.repaired, s.rejected),
    )


ID_FIELDS = ("kiinteistotunnus", "kiinteistötunnus", "property_id", "propertyid", "ktunnus", "id")


def import_parcels(
    engine: Engine,
    path: Path,
    *,
    layer: str | None = None,
    id_field: str | None = None,
    source_crs: str | None = None,
    allow_rejections: bool = False,
    progress: Progress = _noop,
) -> Summary:
    """Import parcels; units in the file replace their earlier parcels."""
    feats = read_features(path, layer, source_crs, ("property_borders", "parcels"), progress)
    summary = Summary("parcels", str(path), feats.layer, read=len(feats.geoms))
    field_name = id_field or next((f for f in ID_FIELDS if f in feats.fields), None)
    if field_name is None or field_name not in feats.fields:
        raise ImportError_(
            f"{path}: no property id field (looked for {', '.join(ID_FIELDS)}); "
            f"fields are {', '.join(feats.fields)}; give --id-field"
        )
    ids = feats.fields[field_name]
    progress("check", 0, len(feats.geoms))
    checked = check_polygons(feats.geoms, summary)
    units: dict[str, str] = {}
    rows_pid: list[str] = []
    rows_src: list[str] = []
    polys: list[Any] = []
    for i, parts in checked:
        try:
            pid = property_id.parse(str(ids[i]))
        except DomainError as exc:
            summary.rejections.append(Rejection(i, exc.message))
            continue
        units[pid.digits] = pid.municipality
        for p in parts:
            rows_pid.append(pid.digits)
            rows_src.append(str(i))
            polys.append(p)
    progress("check", len(feats.geoms), len(feats.geoms))
    _finish(summary, allow_rejections)
    hexes = _hex_ewkb(polys)
    with db.raw_cursor(engine) as cur:
        cur.execute(
            "CREATE TEMP TABLE stage_parcel (property_id text, source_id text,"
            " geom geometry(Polygon, 3067)) ON COMMIT DROP"
        )
        _copy(
            cur,
            "stage_parcel",
            ("property_id", "source_id", "geom"),
            zip(rows_pid, rows_src, hexes, strict=True),
            len(hexes),
            progress,
        )
        progress("index", 0, 1)
        cur.execute(
            "DELETE FROM parcel WHERE property_id IN (SELECT DISTINCT property_id FROM stage_parcel)"
        )
        cur.execute(
            """
            INSERT INTO property_unit (property_id, municipality, kind, public_type, block_code, source)
            SELECT DISTINCT ON (property_id) property_id, substr(property_id, 1, 3),
                   CASE WHEN substr(property_id, 7, 2) = '99' THEN 'public' ELSE 'private' END,
                   CASE substr(property_id, 7, 4)
                        WHEN '9901' THEN 'street' WHEN '9902' THEN 'square'
                        WHEN '9903' THEN 'park' WHEN '9904' THEN 'recreation'
                        WHEN '9905' THEN 'traffic' WHEN '9909' THEN 'water'
                        ELSE CASE WHEN substr(property_id, 7, 2) = '99'
                                  THEN 'public_other' END END,
                   substr(property_id, 7, 4), %s
            FROM stage_parcel
            ON CONFLICT (property_id) DO UPDATE SET geom = NULL, source = EXCLUDED.source
            """,
            (str(path.name),),
        )
        cur.execute(
            "INSERT INTO parcel (property_id, source_id, geom)"
            " SELECT property_id, source_id, geom FROM stage_parcel"
        )
        summary.imported = len(hexes)
        cur.execute(db.script("refresh_property_unit_geom"))
        cur.execute(db.script("refresh_crossing_area"))
        cur.execute("ANALYZE parcel")
        cur.execute("ANALYZE property_unit")
        summary.committed = True
        _log(cur, summary)
        progress("index", 1, 1)
    return summary


# NLS topographic database building use (kayttotarkoitus) codes.
BUILDING_USE = {
    "1": "dwelling",
    "2": "holiday_home",
    "3": "industrial",
    "4": "public",
    "5": "church",
    "6": "other",
    "8": "other",
}


def import_buildings(
    engine: Engine,
    path: Path,
    *,
    layer: str | None = None,
    source_crs: str | None = None,
    allow_rejections: bool = False,
    progress: Progress = _noop,
) -> Summary:
    """Import building footprints; each is linked to the unit its centre lies in."""
    feats = read_features(path, layer, source_crs, ("buildings", "building"), progress)
    summary = Summary("buildings", str(path), feats.layer, read=len(feats.geoms))
    checked = check_polygons(feats.geoms, summary)
    _finish(summary, allow_rejections)
    f = feats.fields
    src = f.get("mtk_id", f.get("id"))
    use_code = f.get("kayttotarkoitus", f.get("use_code"))
    floors = f.get("kerrosluku", f.get("floors"))
    rows = []
    for i, parts in checked:
        code = None if use_code is None or use_code[i] is None else str(use_code[i])
        nfl = None
        if (
            floors is not None
            and floors[i] is not None
            and str(floors[i]).strip() not in ("", "nan")
        ):
            nfl = int(float(floors[i]))
        for p in parts:
            rows.append(
                (
                    None if src is None else str(src[i]),
                    BUILDING_USE.get(code or "", "other") if code else None,
                    code,
                    nfl,
                    round(p.area * (nfl or 1), 1),
                    3.0 * nfl if nfl else None,
                    _hex_ewkb([p])[0],
                )
            )
    with db.raw_cursor(engine) as cur:
        _copy(
            cur,
            "building",
            ("source_id", "use", "use_code", "floors", "floor_area_m2", "height_m", "geom"),
            rows,
            len(rows),
            progress,
        )
        cur.execute(
            """
            UPDATE building b SET property_id = p.property_id
            FROM parcel p
            WHERE b.property_id IS NULL AND p.geom && b.geom
              AND ST_Intersects(p.geom, ST_PointOnSurface(b.geom))
            """
        )
        cur.execute("ANALYZE building")
        summary.imported = len(rows)
        summary.committed = True
        _log(cur, summary)
    return summary


def _state_road_class(number: int | None, functional: str | None) -> str:
    if functional == "12111":
        return "motorway"
    if number is None:
        return "connecting"
    if number < 100:
        return "main"
    if number < 1000:
        return "regional"
    return "connecting"


def import_roads(
    engine: Engine,
    path: Path,
    *,
    layer: str | None = None,
    source_crs: str | None = None,
    allow_rejections: bool = False,
    progress: Progress = _noop,
) -> Summary:
    """Import road centrelines with names, road class and whether each is a state road."""
    feats = read_features(path, layer, source_crs, ("road_link",), progress)
    summary = Summary("roads", str(path), feats.layer, read=len(feats.geoms))
    f = feats.fields
    admin = f.get("road_link_admin_class_id", f.get("admin_class"))
    number = f.get("road_number")
    fclass = f.get("road_link_road_class_id", f.get("road_class"))
    name_fi = f.get("road_name_fin", f.get("name_fi", f.get("name")))
    name_sv = f.get("road_name_swe", f.get("name_sv"))
    state_field = f.get("state_road")
    src = f.get("mtk_id", f.get("kmtk_id"))
    rows = []
    for i, g in enumerate(feats.geoms):
        if g is None or g.is_empty or g.geom_type not in ("LineString", "MultiLineString"):
            summary.rejections.append(
                Rejection(i, f"not a line: {None if g is None else g.geom_type}")
            )
            continue

        adm = _cell(admin, i)
        num = _cell(number, i)
        num_i = int(num) if num is not None and str(num).strip() != "" else None
        is_state = (
            bool(_cell(state_field, i))
            if state_field is not None
            else adm is not None and int(float(adm)) == 1
        )
        fc = None if _cell(fclass, i) is None else str(int(float(_cell(fclass, i))))
        if is_state:
            rclass = _state_road_class(num_i, fc)
        elif fc is not None and not fc.isdigit():
            rclass = fc
        else:
            rclass = "private" if adm is not None and int(float(adm)) == 3 else "street"
        admin_class = "state" if is_state else ("private" if rclass == "private" else "municipal")
        for part in shapely.get_parts(g):
            rows.append(
                (
                    None if src is None else str(_cell(src, i)),
                    _cell(name_fi, i),
                    _cell(name_sv, i),
                    num_i,
                    rclass,
                    admin_class,
                    is_state,
                    _hex_ewkb([part])[0],
                )
            )
    _finish(summary, allow_rejections)
    with db.raw_cursor(engine) as cur:
        _copy(
            cur,
            "road_centreline",
            (
                "source_id",
                "name_fi",
                "name_sv",
                "road_number",
                "road_class",
                "admin_class",
                "state_road",
                "geom",
            ),
            rows,
            len(rows),
            progress,
        )
        cur.execute(db.script("refresh_crossing_area"))
        cur.execute("ANALYZE road_centreline")
        summary.imported = len(rows)
        summary.committed = True
        _log(cur, summary)
    return summary


def import_water(
    engine: Engine,
    path: Path,
    *,
    layer: str | None = None,
    source_crs: str | None = None,
    water_kind: str | None = None,
    allow_rejections: bool = False,
    progress: Progress = _noop,
) -> Summary:
    """Import water areas (polygon layers) and shorelines (line layers) of a file."""
    if layer:
        layers = [layer]
    else:
        if not path.exists():
            raise ImportError_(f"{path}: no such file")
        layers = [
            str(n) for n, _ in pyogrio.list_layers(path) if not str(n).lower().startswith("control")
        ]
    kind = water_kind or ("sea" if "sea" in path.name.lower() else "lake")
    summary = Summary("water", str(path), ",".join(layers))
    areas: list[tuple[Any, ...]] = []
    lines: list[tuple[Any, ...]] = []
    for lyr in layers:
        feats = read_features(path, lyr, source_crs, (), progress)
        summary.read += len(feats.geoms)
        names = feats.fields.get("name", feats.fields.get("nimi"))
        polys = [
            (i, g) for i, g in enumerate(feats.geoms) if g is not None and "Polygon" in g.geom_type
        ]
        if polys:
            sub = Summary("water", str(path))
            checked = check_polygons(np.array([g for _, g in polys], dtype=object), sub)
            summary.repairs += sub.repairs
            summary.rejections += [
                Rejection(polys[r.feature][0], r.reason, r.location) for r in sub.rejections
            ]
            for j, parts in checked:
                i = polys[j][0]
                nm = None if names is None else names[i]
                for p in parts:
                    areas.append((nm, kind, _hex_ewkb([p])[0]))
        for g in feats.geoms:
            if g is not None and "LineString" in g.geom_type:
                for part in shapely.get_parts(g):
                    lines.append((kind, _hex_ewkb([part])[0]))
    summary.repaired = len(summary.repairs)
    _finish(summary, allow_rejections)
    with db.raw_cursor(engine) as cur:
        _copy(cur, "water_area", ("name", "kind", "geom"), areas, len(areas), progress)
        _copy(cur, "shoreline", ("kind", "geom"), lines, len(lines), progress)
        cur.execute(db.script("refresh_crossing_area"))
        cur.execute(db.script("refresh_shore_zone"))
        summary.imported = len(areas) + len(lines)
        summary.committed = True
        _log(cur, summary)
    return summary


OWNER_COLUMNS = (
    "property_id",
    "kind",
    "name",
    "share",
    "contact_name",
    "address",
    "postal_code",
    "city",
    "email",
)


def import_owners(
    engine: Engine, path: Path, *, allow_rejections: bool = False, progress: Progress = _noop
) -> Summary:
    """Import owners from CSV; the owners of each unit in the file replace its earlier ones."""
    if not path.exists():
        raise ImportError_(f"{path}: no such file")
    text = path.read_text(encoding="utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    missing = [c for c in ("property_id", "kind", "name") if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportError_(
            f"{path}: missing column(s) {', '.join(missing)}; columns: {', '.join(OWNER_COLUMNS)}"
        )
    summary = Summary("owners", str(path))
    rows = []
    from geo.hearing import OWNER_KINDS

    for n, rec in enumerate(reader, start=1):
        summary.read += 1
        try:
            pid = property_id.normalise(rec["property_id"])
        except DomainError as exc:
            summary.rejections.append(Rejection(n, f"line {n + 1}: {exc.message}"))
            continue
        kind = (rec.get("kind") or "").strip().lower()
        if kind not in OWNER_KINDS:
            summary.rejections.append(
                Rejection(n, f"line {n + 1}: kind {kind!r} not one of {', '.join(OWNER_KINDS)}")
            )
            continue
        if not (rec.get("name") or "").strip():
            summary.rejections.append(Rejection(n, f"line {n + 1}: name is empty"))
            continue
        rows.append(tuple([pid, kind] + [(rec.get(c) or None) for c in OWNER_COLUMNS[2:]]))
    with db.raw_cursor(engine) as cur:
        ids = sorted({r[0] for r in rows})
        known = {
            r[0]
            for r in cur.execute(
                "SELECT property_id FROM property_unit WHERE property_id = ANY(%s)", (ids,)
            )
        }
        for r in rows:
            if r[0] not in known:
                summary.rejections.append(
                    Rejection(0, f"unknown property {r[0]}: import its parcels first")
                )
        rows = [r for r in rows if r[0] in known]
        _finish(summary, allow_rejections)
        cur.execute("DELETE FROM personal.owner WHERE property_id = ANY(%s)", (ids,))
        _copy(cur, "personal.owner", OWNER_COLUMNS, rows, len(rows), progress)
        summary.imported = len(rows)
        summary.committed = True
        _log(cur, summary)
    return summary


AREA_KINDS = PLAN_KINDS  # one list: geo.siteplan
AREA_FIELDS = (
    "name",
    "plan_code",
    "use_class",
    "building_right_m2",
    "efficiency",
    "max_storeys",
    "legally_binding",
    "allows_permits",
    "municipality",
)


def parse_field_map(text: str | None) -> dict[str, str]:
    """Parse '--field-map ours=theirs,ours2=theirs2' into {ours: theirs}."""
    out: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise ImportError_(f"--field-map entry {part!r} is not ours=theirs")
        ours, theirs = (x.strip() for x in part.split("=", 1))
        if ours not in AREA_FIELDS:
            raise ImportError_(
                f"--field-map: unknown field {ours!r}; fields: {', '.join(AREA_FIELDS)}"
            )
        out[ours] = theirs
    return out


def import_areas(
    engine: Engine,
    path: Path,
    *,
    kind: str,
    layer: str | None = None,
    source_crs: str | None = None,
    field_map: str | None = None,
    allow_rejections: bool = False,
    progress: Progress = _noop,
) -> Summary:
    """Import plan areas, building areas, planning-need areas or shore areas of one kind."""
    if kind not in AREA_KINDS:
        raise ImportError_(f"--kind {kind!r} is not one of {', '.join(AREA_KINDS)}")
    fmap = parse_field_map(field_map)
    feats = read_features(path, layer, source_crs, (), progress)
    summary = Summary(f"areas:{kind}", str(path), feats.layer, read=len(feats.geoms))
    checked = check_polygons(feats.geoms, summary)
    cols = {f: feats.fields.get(fmap.get(f, f)) for f in AREA_FIELDS}

    rows = []
    for i, parts in checked:
        rec: list[Any] = []
        for f in AREA_FIELDS:
            v = _cell(cols[f], i)
            try:
                if f in ("building_right_m2", "efficiency") and v is not None:
                    v = float(v)
                elif f == "max_storeys" and v is not None:
                    v = int(float(v))
                elif f in ("legally_binding", "allows_permits"):
                    v = (
                        (str(v).strip().lower() in ("1", "true", "yes", "kyllä", "t"))
                        if v is not None
                        else (f == "legally_binding")
                    )
                elif v is not None:
                    v = str(v)
            except ValueError:
                summary.rejections.append(Rejection(i, f"{f}: {v!r} is not a number"))
                rec = []
                break
            rec.append(v)
        if not rec:
            continue
        for p in parts:
            rows.append((kind, *rec, path.name, _hex_ewkb([p])[0]))
    _finish(summary, allow_rejections)
    with db.raw_cursor(engine) as cur:
        _copy(
            cur,
            "plan_area",
            ("kind", *AREA_FIELDS, "source", "geom"),
            rows,
            len(rows),
            progress,
        )
        cur.execute("ANALYZE plan_area")
        summary.imported = len(rows)
        summary.committed = True
        _log(cur, summary)
    return summary
