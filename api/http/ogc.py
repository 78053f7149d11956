"""The adapter between FastAPI and pygeoapi's API functions for /ogc.

pygeoapi's own web apps read their configuration from a file at import time; this builds
its `API` object from the settings on first use (`Ogc`) and calls its functions with the
request, then turns the answer into a response: JSON only (pygeoapi's HTML pages load their
scripts from CDNs), links pointing at the address the request came to, errors as
application/problem+json.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine

from api.http.errors import problem
from api.ogc import config as ogc_config
from api.ogc.bbox import EXACT_BBOX, exact_bbox
from api.settings import Settings
from api.storage import cluster
from api.storage.engine import fetch_all

log = logging.getLogger("rajapiste.ogc")
ApiFn = Callable[..., tuple[dict[str, Any], int, Any]]
JSON_TYPES = ("application/json", "application/geo+json", "application/schema+json")
PASSED_HEADERS = ("Content-Type", "Content-Crs", "Content-Language")


def _build_api(cfg: dict[str, Any]) -> Any:
    """Build pygeoapi's API object without letting it configure the root logger (basicConfig)."""
    from pygeoapi.api import API  # imported here: it takes a while and only /ogc needs it

    root = logging.getLogger()
    guard = None if root.handlers else logging.NullHandler()
    if guard:
        root.addHandler(guard)  # basicConfig does nothing when the root has a handler
    try:
        api = API(cfg, {})
    finally:
        if guard:
            root.removeHandler(guard)
    # pygeoapi logs every client error as an error; the adapter logs what is the server's fault
    logging.getLogger("pygeoapi").setLevel(logging.CRITICAL)
    return api


class Ogc:
    """pygeoapi for one app: its configuration from the settings, its API object, caches."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        with engine.connect() as conn:
            role = ogc_config.READER_ROLE if fetch_all(conn, "ogc_reader_role")[0]["ok"] else None
        self.settings = settings
        self.config = ogc_config.pygeoapi_config(settings, cluster.service_url(settings), role)
        self.api = _build_api(self.config)
        self.crs = set(ogc_config.crs_list(settings))
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[dict[str, Any], int, Any]] = {}

    def cached(self, key: str, make: Callable[[], tuple[dict[str, Any], int, Any]]) -> Any:
        """A static answer computed once (pygeoapi's conformance grows a module list per call)."""
        with self._lock:
            if key not in self._cache:
                self._cache[key] = make()
            return self._cache[key]

    def openapi_document(self) -> dict[str, Any]:
        """The OpenAPI document pygeoapi makes of /ogc, on first use (it reads every view's fields)."""
        with self._lock:
            if not self.api.openapi:
                from pygeoapi.openapi import get_oas

                self.api.openapi = get_oas(self.config)
            doc: dict[str, Any] = self.api.openapi
            return doc

    def base_url(self, request: Request) -> str:
        """Where /ogc is for this request: RAJAPISTE_OGC_URL, or the address it came to."""
        if self.settings.ogc_url:
            return self.settings.ogc_url.rstrip("/")
        return str(request.base_url).rstrip("/") + "/ogc"


_BUILD = threading.Lock()


def get_ogc(request: Request) -> Ogc:
    """The app's pygeoapi, built on the first /ogc request."""
    state = request.app.state
    if getattr(state, "ogc", None) is None:
        with _BUILD:
            if getattr(state, "ogc", None) is None:
                state.ogc = Ogc(state.settings, state.engine)
    ogc: Ogc = state.ogc
    return ogc


OgcDep = Annotated[Ogc, Depends(get_ogc)]


def _tidy_links(doc: Any) -> None:
    """Drop links to pygeoapi's HTML pages (not served here) and fix tile set links' keys.

    pygeoapi writes the media type of tile set links as `type_`; it is `type`.
    """
    if isinstance(doc, dict):
        links = doc.get("links")
        if isinstance(links, list):
            for link in links:
                if isinstance(link, dict) and "type_" in link:
                    link["type"] = link.pop("type_")
            doc["links"] = [
                link
                for link in links
                if not (
                    isinstance(link, dict) and str(link.get("type", "")).startswith("text/html")
                )
            ]
        for key, value in doc.items():
            if key != "features":
                _tidy_links(value)
    elif isinstance(doc, list):
        for item in doc:
            _tidy_links(item)


_LINKS = '"links":'


def _tidy_feature_links(text: str) -> str:
    """`_tidy_links` on a page of features without parsing the features (megabytes at 10 000).

    pygeoapi writes the document's own links after the features, compactly: the last
    `"links":[` is theirs (inside a string value the quotes would be escaped).
    """
    at = text.rfind(_LINKS + "[")
    if at < 0:
        return text
    start = at + len(_LINKS)
    links, end = json.JSONDecoder().raw_decode(text, start)
    doc = {"links": links}
    _tidy_links(doc)
    return text[:start] + json.dumps(doc["links"], separators=(",", ":")) + text[end:]


def _problem(request: Request, status: int, content: Any) -> JSONResponse:
    try:
        doc = json.loads(content)
    except (TypeError, ValueError):
        doc = {}
    code = str(doc.get("code") or f"http_{status}")
    detail = str(doc.get("description") or "error")
    if status >= 500:
        log.error("pygeoapi %s on %s: %s", status, request.url.path, detail)
    return problem(status, code, detail, request.url.path, code=code)


def _response(
    request: Request,
    ogc: Ogc,
    answer: tuple[dict[str, Any], int, Any],
    post: Callable[[Any], None] | None,
) -> Response:
    headers, status, content = answer
    if status >= 400 or not isinstance(content, str | bytes):
        # pygeoapi's tile provider returns (not raises) its not-found error for tiles outside
        # the matrix, and answers 404 with plain text for others
        return _problem(request, status if status >= 400 else 404, content)
    if status == 204:
        return Response(status_code=204)
    media = str(headers.get("Content-Type", "application/json"))
    out = {k: str(headers[k]) for k in PASSED_HEADERS if k in headers}
    if isinstance(content, bytes):
        return Response(content, status_code=status, headers=out)
    text = str(content).replace(ogc_config.BASE_PLACEHOLDER, ogc.base_url(request))
    if text.startswith(('{"type":"FeatureCollection"', '{"type":"Feature"')):
        out["Content-Type"] = "application/geo+json"
        return Response(_tidy_feature_links(text), status_code=status, headers=out)
    if media.split(";")[0].strip() in JSON_TYPES or media.startswith("application/vnd.oai"):
        doc = json.loads(text)
        _tidy_links(doc)
        if post:
            post(doc)
        if isinstance(doc, dict) and doc.get("type") in ("FeatureCollection", "Feature"):
            out["Content-Type"] = "application/geo+json"
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    return Response(text, status_code=status, headers=out)


def _json_request(request: Request, default: str = "json") -> Request | None:
    """The request with f=json (or `default`) when it names no format; None when it asks for HTML.

    Without f pygeoapi would pick HTML for a browser's Accept header.
    """
    fmt = request.query_params.get("f", "").strip().lower()
    if fmt == "html":
        return None
    if fmt:
        return request
    scope = dict(request.scope)
    query = request.scope.get("query_string", b"")
    scope["query_string"] = (query + b"&" if query else b"") + b"f=" + default.encode()
    return Request(scope)


INVALID = "InvalidParameterValue"  # pygeoapi's code for a parameter it cannot use
OPEN_INTERVALS = ("../..",)  # every time (pygeoapi fails on any other, even an empty one)
BBOX_LIMIT = 1e8  # larger than any coordinate of the CRSs offered (metres or degrees)


def refused_query(params: Any, items: bool) -> str | None:
    """Why pygeoapi could not answer these query parameters (it would fail with a 500), or None.

    A bbox of infinite or huge numbers (GEOS cannot cut it to Finland; pygeoapi's transform
    of a reversed one gives infinities), an empty name in `sortby` (pygeoapi reads its first
    letter), a `datetime` of items other than the open interval (no collection here has
    a time; pygeoapi's SQL provider raises on it, even on an empty one), and a CQL `filter`
    (pygeoapi neither types its values nor transforms its geometries: wrong rows or a 500).
    """
    bbox = params.get("bbox")
    if bbox:
        try:
            values = [float(v) for v in bbox.split(",")]
        except ValueError:
            values = []  # pygeoapi says what is wrong with it
        if not all(math.isfinite(v) and abs(v) <= BBOX_LIMIT for v in values):
            return f"bbox values must be finite numbers within ±{BBOX_LIMIT:.0e}"
    cql = [name for name in ("filter", "filter-lang", "filter-crs") if name in params]
    if cql:
        return f"CQL filters are not supported ({', '.join(cql)}): filter by property=value"
    sortby = params.get("sortby")
    if sortby is not None and not all(p.strip().lstrip("+-") for p in sortby.split(",")):
        return "sortby names an empty property"
    when = params.get("datetime")
    if items and when is not None and when.strip() not in OPEN_INTERVALS:
        return "the collections have no time: datetime is not supported (only '../..')"
    return None


def respond(
    request: Request,
    ogc: Ogc,
    fn: ApiFn,
    *args: Any,
    cache: str | None = None,
    post: Callable[[Any], None] | None = None,
    tile: bool = False,
) -> Response:
    """Call one pygeoapi API function for this request and answer as JSON (or problem+json).

    `cache` names a static answer kept after the first call; `post` edits the JSON document.
    """
    from pygeoapi.api import APIRequest

    adapted = _json_request(request, "mvt" if tile else "json")
    if adapted is None:
        return problem(
            406,
            "not_acceptable",
            "/ogc answers JSON only (f=json, the default); open it in QGIS, GDAL or another OGC client",
            request.url.path,
            code="not_acceptable",
        )
    refused = refused_query(adapted.query_params, request.url.path.endswith("/items"))
    if refused:
        return problem(400, INVALID, refused, request.url.path, code=INVALID)
    api_request = APIRequest(adapted, ogc.api.locales)
    token = EXACT_BBOX.set(exact_bbox(adapted.query_params, ogc.crs))
    try:

        def call() -> tuple[dict[str, Any], int, Any]:
            return fn(ogc.api, api_request, *args)

        answer = ogc.cached(f"{cache}:{api_request.format}", call) if cache else call()
    finally:
        EXACT_BBOX.reset(token)
    return _response(request, ogc, answer, post)


# Landing-page links to what /ogc does not serve (pygeoapi lists them whatever is configured).
UNSERVED_RELS = ("/processes", "/job-list")
# Conformance classes pygeoapi claims that /ogc does not offer: HTML, and editing (Part 4).
UNSERVED_CLASSES = ("/conf/html", "ogcapi-features-4/")


def drop_unserved_links(doc: Any) -> None:
    """Leave out the landing page's links to processes and jobs."""
    doc["links"] = [
        link
        for link in doc.get("links", [])
        if not str(link.get("rel", "")).endswith(UNSERVED_RELS)
    ]


def drop_unserved_classes(doc: Any) -> None:
    """Leave out conformance classes /ogc does not implement."""
    doc["conformsTo"] = [
        c for c in doc.get("conformsTo", []) if not any(u in c for u in UNSERVED_CLASSES)
    ]
