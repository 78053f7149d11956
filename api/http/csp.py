"""Pages with their own inline scripts, allowed one by one by SHA-256 instead of 'unsafe-inline'.

The hearing package embeds folium's map (inline scripts and styles) in an iframe's `srcdoc`,
which inherits the page's policy; so the hashes of the embedded document count too.
"""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser

from fastapi.responses import HTMLResponse


class _Inline(HTMLParser):
    """Collects the text of inline <script> and <style> elements, following iframe srcdoc."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._open: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an inline script or style; read an iframe's srcdoc as a document of its own."""
        a = dict(attrs)
        if (tag == "script" and not a.get("src")) or tag == "style":
            self._open, self._text = tag, []
        if tag == "iframe" and a.get("srcdoc"):
            inner = inline_elements(a["srcdoc"] or "")
            self.scripts += inner.scripts
            self.styles += inner.styles

    def handle_data(self, data: str) -> None:
        """Collect the text of the open element."""
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        """Close the open element."""
        if self._open == tag:
            (self.scripts if tag == "script" else self.styles).append("".join(self._text))
            self._open = None


def inline_elements(html: str) -> _Inline:
    """The inline scripts and styles of a document (and of its srcdoc frames)."""
    parser = _Inline()
    parser.feed(html)
    parser.close()
    return parser


def sha256_source(text: str) -> str:
    """A CSP hash source: 'sha256-<base64 of the SHA-256 of the UTF-8 text>'."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def page_policy(html: str, script_from: str = "", style_from: str = "", img_from: str = "") -> str:
    """A policy for one page: its own assets, plus exactly its inline scripts and styles."""
    found = inline_elements(html)
    scripts = " ".join(sorted({sha256_source(s) for s in found.scripts}))
    styles = " ".join(sorted({sha256_source(s) for s in found.styles}))
    directives = (
        "default-src 'none'",
        f"script-src 'self' {script_from} {scripts}",
        f"style-src 'self' {style_from} {styles}",
        f"img-src 'self' data: {img_from}",
        "font-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
    return "; ".join(" ".join(d.split()) for d in directives)


def html_page(html: str, **sources: str) -> HTMLResponse:
    """An HTML response carrying its own policy (page_policy's sources as keywords)."""
    return HTMLResponse(html, headers={"Content-Security-Policy": page_policy(html, **sources)})
