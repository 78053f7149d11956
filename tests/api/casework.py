"""Helpers of the application tests: an independent Finnish calendar, files, a filed case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import shapely
import shapely.geometry
from shapely.geometry.base import BaseGeometry
from sqlalchemy import text

# --- an independent calendar (not geo.timelimits): Act 150/1930 5 § by hand -------------------


def easter(year: int) -> dt.date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ll = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ll) // 451
    month = (h + ll - 7 * m + 114) // 31
    day = (h + ll - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def day_off(d: dt.date) -> bool:
    """Saturday, Sunday, a Finnish public holiday, Christmas Eve or Midsummer Eve."""
    if d.weekday() >= 5:
        return True
    fixed = {(1, 1), (1, 6), (5, 1), (12, 6), (12, 24), (12, 25), (12, 26)}
    if (d.month, d.day) in fixed:
        return True
    e = easter(d.year)
    if d in (e - dt.timedelta(days=2), e + dt.timedelta(days=1), e + dt.timedelta(days=39)):
        return True
    return d.month == 6 and 19 <= d.day <= 25 and d.weekday() == 4  # Midsummer Eve


def last_day(d: dt.date) -> dt.date:
    """The day itself, or the next working day."""
    while day_off(d):
        d += dt.timedelta(days=1)
    return d


def add_years(d: dt.date, n: int) -> dt.date:
    """The same date n years on (29.2 -> 28.2)."""
    return (
        d.replace(year=d.year + n)
        if not (d.month == 2 and d.day == 29)
        else dt.date(d.year + n, 2, 28)
    )


def sent_day_with_weekend_deadline(start: dt.date) -> dt.date:
    """The first day from `start` whose nominal hearing deadline (sent + 7 + 7) is a Saturday."""
    d = start
    while (d + dt.timedelta(days=14)).weekday() != 5:
        d += dt.timedelta(days=1)
    return d


# --- files ---------------------------------------------------------------------------------------


def tiny_pdf(label: str = "liite") -> bytes:
    """A small valid one-page PDF (written by hand, not by the code under test)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({label}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def version(client: Any, app_id: int) -> int:
    """The application's version as its reader sees it now (every change must name it)."""
    r = client.get(f"/api/v1/applications/{app_id}")
    assert r.status_code == 200, r.text
    return int(r.json()["version"])


def permit_version(client: Any, permit_id: int) -> int:
    """The excavation permit's current version (every change must name it)."""
    r = client.get(f"/api/v1/excavations/{permit_id}")
    assert r.status_code == 200, r.text
    return int(r.json()["version"])


def stored_permit_version(engine: Any, permit_id: int) -> int:
    """The permit's version as stored, for a writer who may not read the permit itself."""
    with engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT version FROM excavation_permit WHERE id = :i"), {"i": permit_id}
            ).scalar_one()
        )


def attach_required(client: Any, app: dict[str, Any]) -> None:
    """Attach a PDF for every item of the application's checklist."""
    for item in app["checklist"]:
        r = client.post(
            f"/api/v1/applications/{app['id']}/attachments",
            files={"file": (f"{item['code']}.pdf", tiny_pdf(item["code"]), "application/pdf")},
            data={"kind": item["code"], "version": str(version(client, app["id"]))},
        )
        assert r.status_code == 201, r.text


def file_and_submit(client: Any, body: dict[str, Any]) -> dict[str, Any]:
    """File an application, attach what it needs, submit it; return the submitted case."""
    r = client.post("/api/v1/applications", json=body)
    assert r.status_code == 201, r.text
    app = r.json()
    attach_required(client, app)
    r = client.post(
        f"/api/v1/applications/{app['id']}/submit", json={"version": version(client, app["id"])}
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


def delete_application(engine: Any, app_id: int) -> None:
    """Remove a test's application (and everything of it)."""
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM application WHERE id = :i"), {"i": app_id})


def reaching_site(engine: Any, site_id: str) -> tuple[BaseGeometry, str, float]:
    """A drawing (EPSG:3067) of the unit `site_id` and 3 m into the private lot sharing the
    longest boundary with it: (drawing, that lot's id, m² of the drawing on it), by shapely."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT p.property_id, ST_AsBinary(ST_Union(p.geom)) FROM parcel p"
                " JOIN property_unit u USING (property_id)"
                " WHERE u.kind = 'private' AND p.geom && (SELECT ST_Expand(ST_Extent(geom), 1)"
                " FROM parcel WHERE property_id = :s) GROUP BY 1"
            ),
            {"s": site_id},
        ).all()
    units = {pid: shapely.from_wkb(bytes(w)) for pid, w in rows}
    lot = units.pop(site_id)
    other = max(units, key=lambda p: shapely.intersection(lot.buffer(0.3), units[p]).area)
    strip = shapely.intersection(lot.buffer(3.0), units[other])
    drawing = shapely.union(lot, strip).buffer(0.05).buffer(-0.05)
    assert drawing.geom_type == "Polygon"
    on_other = shapely.intersection(drawing, units[other]).area
    assert on_other > 10
    return drawing, other, on_other


def planning_need_plot(engine: Any) -> tuple[str, BaseGeometry]:
    """The first private lot of the demo town (244) lying wholly in a planning-need area:
    (its id, its geometry in EPSG:3067)."""
    with engine.connect() as conn:
        pid, wkb = conn.execute(
            text(
                "SELECT u.property_id, ST_AsBinary(u.geom) FROM property_unit u"
                " WHERE u.municipality = '244' AND u.kind = 'private' AND EXISTS (SELECT 1"
                " FROM plan_area p WHERE p.kind = 'planning-need' AND ST_Within(u.geom, p.geom))"
                " ORDER BY u.property_id LIMIT 1"
            )
        ).one()
    return str(pid), shapely.from_wkb(bytes(wkb))


def sauna_application(engine: Any, existing_dwelling: bool) -> dict[str, Any]:
    """A building permit for a 4 m x 3 m sauna (12 m², EPSG:3067) in the middle of the demo
    town's planning-need plot, with what the applicant says of a dwelling there."""
    pid, plot = planning_need_plot(engine)
    c = plot.centroid
    sauna = {
        "footprint": shapely.geometry.mapping(shapely.box(c.x - 2, c.y - 1.5, c.x + 2, c.y + 1.5)),
        "use": "sauna",
        "floor_area_m2": 12,
        "height_m": 3,
    }
    return {
        "kind": "building_permit",
        "property_id": pid,
        "crs": "EPSG:3067",
        "buildings": [sauna],
        "existing_dwelling": existing_dwelling,
    }


def unit_geometry(engine: Any, pid: str) -> Any:
    """A property unit's geometry (EPSG:3067, its parcels united), read from the database."""
    with engine.connect() as conn:
        wkb = conn.execute(
            text("SELECT ST_AsBinary(ST_Union(geom)) FROM parcel WHERE property_id = :p"),
            {"p": pid},
        ).scalar_one()
    return shapely.from_wkb(bytes(wkb))
