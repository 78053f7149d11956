"""A download's Content-Disposition: its name as the browser should save it, in any script.

HTTP header values are Latin-1, and a file's name may be any text (an attachment named
`Piirustus_Łódź.pdf`). The name goes as `filename*` in UTF-8 (RFC 6266, RFC 8187), with an
ASCII `filename` beside it for the clients that read only that one (accents dropped, other
characters as `_`).
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from fastapi.responses import Response

from api.schemas.problem import errors


def pdf_doc(*codes: int) -> dict[int | str, dict[str, object]]:
    """OpenAPI's responses of a PDF download: the PDF, or these problems."""
    return {
        200: {
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            "description": "the PDF",
        },
        **errors(*codes),
    }


def _ascii(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    kept = "".join(c if c.isalnum() or c in "._-" else "_" for c in plain)
    return kept.strip("._") or "file"


def disposition(kind: str, name: str) -> str:
    """`inline` or `attachment`, and the file's name (ASCII, and UTF-8 where it is not)."""
    # no control characters, no folders
    name = "".join(
        "_" if c in "/\\" else c for c in name if unicodedata.category(c)[0] != "C"
    ).strip(". ")
    fallback = _ascii(name)
    if fallback == name or not name:
        return f'{kind}; filename="{fallback}"'
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def pdf(data: bytes, name: str) -> Response:
    """A PDF shown in the browser (inline), saved under `name`."""
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": disposition("inline", name)},
    )
