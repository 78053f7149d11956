"""The printable hearing package: the neighbour list and a map, rendered from web/'s template.

The page template and its styles are data of the `web` package (read with
importlib.resources, never imported as code); the map is drawn with folium on
the vendored Leaflet, so nothing loads from a CDN.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import folium
import jinja2
import markupsafe

from api.schemas.neighbours import Neighbour, NeighbourList

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
        else (o.name or "") + (f" ({o.contact_name})" if o.contact_name else "")
        for o in n.owners
    )


def render(doc: NeighbourList, lang: str, attribution: str, base_url: str = "") -> str:
    """Render the printable hearing package (HTML that prints well to PDF)."""
    t = catalogue(lang)
    map_html = neighbour_map(doc, attribution, base_url).get_root().render()
    return _template().render(
        lang=lang,
        title=f"{t['package_title']} {doc.property_id_short or ''}",
        base=base_url.rstrip("/"),
        t=t,
        doc=doc,
        map_html=map_html,
        attribution=attribution,
        num=lambda x: _num(x, lang),
        date=lambda iso: _date(iso, lang),
        reason=lambda n: (n.reason_fi if lang == "fi" else None) or n.reason,
        owners=lambda n: _owners(n, t),
    )
