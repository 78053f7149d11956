"""Static maps and the printable hearing package, rendered with folium on vendored Leaflet."""

from __future__ import annotations

import html
from typing import Any

import folium
from folium import Map

VENDOR = "/static/vendor/leaflet"  # prefixed with the server's base URL
COLOURS = {"adjacent": "#b2182b", "opposite": "#2166ac", "manual": "#7b3294", "site": "#1a9850"}


def _offline(m: Map, base_url: str) -> Map:
    # folium loads Leaflet, jQuery and Bootstrap from CDNs by default: use only the vendored
    # Leaflet, by absolute URL, so the package works from a new window or a saved file too.
    root = base_url.rstrip("/")
    m.default_js = [("leaflet", f"{root}{VENDOR}/leaflet.js")]
    m.default_css = [("leaflet_css", f"{root}{VENDOR}/leaflet.css")]
    return m


def neighbour_map(doc: dict[str, Any], attribution: str, base_url: str = "") -> Map:
    """A static map of the site, its neighbours and the evidence of each relation."""
    m = _offline(folium.Map(tiles=None, zoom_control=False, control_scale=True), base_url)
    site = folium.GeoJson(
        doc["site"]["geometry"],
        name="site",
        style_function=lambda f: {"color": COLOURS["site"], "weight": 3, "fillOpacity": 0.25},
    )
    site.add_to(m)
    for n in doc["neighbours"]:
        colour = COLOURS.get(n.get("relation", ""), "#555")
        if n.get("geometry"):
            folium.GeoJson(
                n["geometry"],
                style_function=lambda f, c=colour: {"color": c, "weight": 1, "fillOpacity": 0.15},
                tooltip=n["property_id_short"],
            ).add_to(m)
        if n.get("evidence"):
            folium.GeoJson(
                n["evidence"], style_function=lambda f, c=colour: {"color": c, "weight": 4}
            ).add_to(m)
    (s, w), (n_, e) = ((float(v or 0.0) for v in corner) for corner in site.get_bounds())
    m.fit_bounds([[s - 0.0008, w - 0.0015], [n_ + 0.0008, e + 0.0015]])
    m.get_root().html.add_child(  # type: ignore[attr-defined]
        folium.Element(
            f'<div style="position:absolute;bottom:2px;right:6px;z-index:1000;font:11px sans-serif;background:#fff">'
            f"{html.escape(attribution)}</div>"
        )
    )
    return m


def _num(x: float, lang: str) -> str:
    text = f"{x:,.2f}"
    return text.replace(",", "\u00a0").replace(".", ",") if lang in ("fi", "sv") else text


def _date(iso: str, lang: str) -> str:
    y, m, d = (int(v) for v in iso.split("-"))
    return f"{d}.{m}.{y}" if lang in ("fi", "sv") else iso


def hearing_package(
    doc: dict[str, Any], lang: str, texts: dict[str, str], attribution: str, base_url: str = ""
) -> str:
    """Render the printable hearing package (HTML that prints well to PDF)."""
    t = texts
    m = neighbour_map(doc, attribution, base_url)
    map_html = m.get_root().render()
    rows = []
    for n in doc["neighbours"]:
        owners = "; ".join(
            html.escape(o["name"] + (f" ({o['contact_name']})" if o.get("contact_name") else ""))
            for o in n["owners"]
        )
        rows.append(
            f"<tr><td>{html.escape(n['property_id_short'])}</td><td>{html.escape(t.get('rel_' + n['relation'], n['relation']))}</td>"
            f"<td>{html.escape((n.get('reason_fi') if lang == 'fi' else None) or n['reason'])}</td><td>{owners or '—'}</td></tr>"
        )
    tot = doc["totals"]
    auth = "".join(
        f"<li>{html.escape(a['name'])}: {html.escape(a['reason'])}</li>"
        for a in doc.get("authorities", [])
    )
    auth_html = f"<h2>{html.escape(t['authorities'])}</h2><ul>{auth}</ul>" if auth else ""
    title = f"{t['package_title']} {html.escape(doc.get('property_id_short') or '')}"
    return f"""<!doctype html>
<html lang="{html.escape(lang)}"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font: 11pt/1.4 system-ui, sans-serif; margin: 2cm; color: #111; }}
h1 {{ font-size: 16pt; }} table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border: 1px solid #999; padding: 4px 6px; text-align: left; vertical-align: top; }}
.map {{ width: 100%; height: 11cm; border: 1px solid #999; margin: 1em 0; }}
@media print {{ body {{ margin: 1cm; }} .noprint {{ display: none; }} tr {{ break-inside: avoid; }} }}
</style></head><body>
<h1>{title}</h1>
<p>{html.escape(t["legal_basis"])}: {html.escape(doc["legal_basis"])} · {html.escape(t["letters"])}: {tot["letters"]} ·
{html.escape(t["cost"])}: {_num(tot["hearing_cost_eur"], lang)} € · {html.escape(t["deadline"])}: {_date(tot["hearing_deadline"], lang)} ·
{html.escape(t["earliest"])}: {_date(tot["earliest_decision_date"], lang)}</p>
<iframe class="map" title="{html.escape(t["map"])}" srcdoc="{html.escape(map_html)}"></iframe>
<table><thead><tr><th>{html.escape(t["property"])}</th><th>{html.escape(t["relation"])}</th>
<th>{html.escape(t["reason"])}</th><th>{html.escape(t["owners"])}</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
{auth_html}
<p style="font-size:9pt">{html.escape(attribution)}</p>
<p class="noprint"><button onclick="window.print()">{html.escape(t["print"])}</button></p>
</body></html>"""
