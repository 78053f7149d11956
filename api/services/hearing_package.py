"""The printable hearing package: the neighbour list and a map, rendered from web/'s template.

The page template and its styles are data of the `web` package (read with
importlib.resources, never imported as code); the map is drawn with folium on
the vendored Leaflet, so nothing loads from a CDN.
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from importlib import resources
from typing import Any

import folium
import jinja2
import markupsafe
import shapely
from reportlab.graphics import renderSVG
from shapely.geometry import shape
from sqlalchemy import Connection

from api import finland
from api.documents import sitemap
from api.schemas.neighbours import Neighbour, NeighbourList
from api.services import case_letters
from geo import crs
from geo.applications import hearing

VENDOR = "/static/vendor/leaflet"  # prefixed with the service's base URL
COLOURS = {
    "adjacent": "#b2182b",
    "opposite": "#2166ac",
    "affected": "#e08214",
    "manual": "#7b3294",
    "site": "#1a9850",
}
LANGS = ("fi", "sv", "en")
NOTE_STYLE = (
    "<style>.rp-note{position:absolute;bottom:2px;right:6px;z-index:1000;"
    "font:11px sans-serif;background:#fff}</style>"
)


@lru_cache(maxsize=4)
def catalogue(lang: str) -> dict[str, str]:
    """The message catalogue of a language (web/static/i18n/<lang>.json)."""
    path = resources.files("web").joinpath("static", "i18n", f"{lang}.json")
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    text = (
        resources.files("web")
        .joinpath("templates", "hearing_package.html")
        .read_text(encoding="utf-8")
    )
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string(text)


def _offline(m: folium.Map, base_url: str) -> folium.Map:
    # folium loads Leaflet, jQuery and Bootstrap from CDNs by default: use only the vendored
    # Leaflet, by absolute URL, so the package works from a new window or a saved file too.
    root = base_url.rstrip("/")
    m.default_js = [("leaflet", f"{root}{VENDOR}/leaflet.js")]
    m.default_css = [("leaflet_css", f"{root}{VENDOR}/leaflet.css")]
    return m


def _geo(obj: Any) -> Any:
    return obj.model_dump(exclude_none=True) if obj is not None else None


def neighbour_map(doc: NeighbourList, attribution: str, base_url: str = "") -> folium.Map:
    """A static map of the site, its neighbours and the evidence of each relation."""
    m = _offline(folium.Map(tiles=None, zoom_control=False, control_scale=True), base_url)
    site = folium.GeoJson(
        _geo(doc.site.geometry),
        name="site",
        style_function=lambda f: {"color": COLOURS["site"], "weight": 3, "fillOpacity": 0.25},
    )
    site.add_to(m)
    for n in doc.neighbours:
        colour = COLOURS.get(n.relation, "#555")
        if n.geometry:
            folium.GeoJson(
                _geo(n.geometry),
                style_function=lambda f, c=colour: {"color": c, "weight": 1, "fillOpacity": 0.15},
                tooltip=n.property_id_short,
            ).add_to(m)
        if n.evidence:
            folium.GeoJson(
                _geo(n.evidence), style_function=lambda f, c=colour: {"color": c, "weight": 4}
            ).add_to(m)
    (s, w), (n_, e) = ((float(v or 0.0) for v in corner) for corner in site.get_bounds())
    m.fit_bounds([[s - 0.0008, w - 0.0015], [n_ + 0.0008, e + 0.0015]])
    # A class and a <style> element, not a style attribute: the package's CSP allows inline
    # styles and scripts only by their hashes, and attributes cannot be hashed.
    root = m.get_root()
    root.header.add_child(folium.Element(NOTE_STYLE))  # type: ignore[attr-defined]
    note = folium.Element(f'<div class="rp-note">{markupsafe.escape(attribution)}</div>')
    root.html.add_child(note)  # type: ignore[attr-defined]
    return m


PRINT_FRAME_MM = (170.0, 120.0)


def print_map(conn: Connection, doc: NeighbourList, attribution: str, lang: str) -> str:
    """The printed map as an SVG data URI, drawn from our layers.

    At a true metric scale, fitted to the paper, with every neighbour unit in its relation's
    colour and labelled with its id, the street names, a scale bar in metres and a north arrow
    (the same drawing as the case PDFs).
    """
    site = crs.to_storage(shape(_geo(doc.site.geometry)), crs.WGS84)
    roles: dict[str, tuple[str, bool]] = {}
    parts = [site]
    for n in doc.neighbours:
        roles[n.property_id] = (n.relation if n.relation in sitemap.STYLES else "manual", False)
        if n.geometry:
            parts.append(crs.to_storage(shape(_geo(n.geometry)), crs.WGS84))
    focus = shapely.union_all(parts)
    data = case_letters.map_data(conn, site, roles, focus, PRINT_FRAME_MM, attribution, lang)
    t = catalogue(lang)
    data = sitemap.labelled(data, t.get("scale", ""), doc.property_id_short or "")
    drawing, _ = sitemap.draw(data, *PRINT_FRAME_MM)
    svg = renderSVG.drawToString(drawing)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _num(x: float, lang: str) -> str:
    text = f"{x:,.2f}"
    return text.replace(",", "\u00a0").replace(".", ",") if lang in ("fi", "sv") else text


def _date(iso: str, lang: str) -> str:
    y, m, d = (int(v) for v in iso.split("-"))
    return f"{d}.{m}.{y}" if lang in ("fi", "sv") else iso


def _owners(n: Neighbour, t: dict[str, str]) -> str:
    return "; ".join(
        f"{t.get('kind_' + o.kind, o.kind)}: {t['withheld']}"
        if o.withheld
        else (o.name or "")
        + (f" ({o.contact_name})" if o.contact_name else "")
        + _address(o.address, o.postal_code, o.city)
        for o in n.owners
    )


def _address(street: str | None, code: str | None, city: str | None) -> str:
    """The postal address after a name (", Katu 1, 00100 Helsinki"), or nothing where unknown."""
    tail = " ".join(x for x in (code, city) if x)
    parts = [x for x in (street, tail) if x]
    return (", " + ", ".join(parts)) if parts else ""


def _relation(n: Neighbour, t: dict[str, str]) -> str:
    """The relation's label as the page's language says it (a unit the drawing lies on: so)."""
    shown = hearing.shown_relation(n.relation, n.reason_code)
    return t.get(f"rel_{shown}", shown)


def render(
    doc: NeighbourList, lang: str, attribution: str, base_url: str = "", printed_map: str = ""
) -> str:
    """Render the printable hearing package (HTML that prints well to PDF).

    printed_map is the paper map (a data URI from print_map); the interactive map is for the screen.
    """
    t = catalogue(lang)
    map_html = neighbour_map(doc, attribution, base_url).get_root().render()
    return _template().render(
        lang=lang,
        title=f"{t['package_title']} {doc.property_id_short or ''}",
        base=base_url.rstrip("/"),
        t=t,
        doc=doc,
        map_html=map_html,
        printed_map=printed_map,
        today=_date(finland.today().isoformat(), lang),
        attribution=attribution,
        num=lambda x: _num(x, lang),
        date=lambda iso: _date(iso, lang),
        relation=lambda n: _relation(n, t),
        reason=lambda n: hearing.after_relation(
            (n.reason_fi if lang == "fi" else None) or n.reason, _relation(n, t)
        ),
        owners=lambda n: _owners(n, t),
    )
