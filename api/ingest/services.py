"""Imports from services: OGC API - Features and WFS URLs, fetched whole before anything loads.

A service import first fetches every feature into a GeoPackage in a temporary folder, page by
page with progress, and then runs the file importer on it unchanged, so the checks, the
whole-or-nothing rule and the reports are the file imports' own. A failure while fetching
(HTTP error, broken page, a server that never ends its paging) refuses the import before the
database is touched.

* OGC API - Features (`OAPIF:https://…`, or a plain `https://…` landing page or
  `…/collections/{id}` URL): the pages are followed by their `next` links, asking for
  EPSG:3067 when the collection offers it (no transformation, no rounding), CRS84 otherwise;
  GDAL's GeoJSON driver (pyogrio) reads them.
* WFS (`WFS:https://…`, or a plain URL with `service=WFS`): GDAL's WFS driver reads the
  feature types and pages the GetFeature requests itself (WFS 2.0 STARTINDEX/COUNT, when the
  capabilities declare ImplementsResultPaging); a page that fails fails the read. Progress is
  per feature type: its size (RESULTTYPE=hits) before, and what arrived after.
"""

from __future__ import annotations

import json
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyogrio
from pyogrio import raw
from sqlalchemy import Engine

from api.gcpause import gc_paused
from api.ingest.base import SOURCE_LABEL, ImportRefused, Summary
from api.storage.copy import Progress, no_progress

EPSG_3067 = "http://www.opengis.net/def/crs/EPSG/0/3067"
TIMEOUT_S = 120
MAX_PAGES = 100_000  # a server whose `next` links never end is refused, not followed forever
Importer = Callable[..., Summary]


def is_service(source: str) -> bool:
    """True for a service URL (OAPIF:, WFS:, http://, https://), False for a file path."""
    return source.upper().startswith(("OAPIF:", "WFS:")) or source.lower().startswith(
        ("http://", "https://")
    )


def _is_wfs(source: str) -> bool:
    if source.upper().startswith("WFS:"):
        return True
    query = urllib.parse.urlsplit(source).query.lower()
    return "service=wfs" in query


def _get_json(url: str) -> Any:
    request = urllib.request.Request(
        url, headers={"Accept": "application/geo+json, application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as resp:  # noqa: S310 (the user's URL)
            body = resp.read()
    except urllib.error.HTTPError as exc:
        raise ImportRefused(f"{url}: the service answered HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ImportRefused(f"{url}: the service cannot be reached: {exc}") from exc
    try:
        doc = json.loads(body)
    except ValueError as exc:
        raise ImportRefused(f"{url}: the service did not answer JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise ImportRefused(f"{url}: the service answered JSON that is not an object")
    return doc


def _with_query(url: str, **params: str) -> str:
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    query.update(params)
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


@dataclass(frozen=True)
class Fetch:
    """What to fetch from a service, and where to."""

    source: str
    layers: Sequence[str]
    prefer: Sequence[str]
    multi: bool
    folder: Path
    page_size: int
    progress: Progress

    def chosen(self, offered: Sequence[str], what: str) -> list[str]:
        """The layers named, else the first of `prefer` offered (all of them with `multi`).

        A WFS names its feature types with a namespace prefix (`ns:parcels`): `prefer` is
        matched against the name without it too.
        """
        local = {o.split(":")[-1]: o for o in reversed(offered)}
        found = [o if o in offered else local[o] for o in self.prefer if o in offered or o in local]
        names = list(self.layers) or found
        if not names:
            raise ImportRefused(
                f"{self.source}: say which {what} to import with --layer; the service has "
                f"{', '.join(offered[:30]) or 'none'}"
            )
        return names if self.layers or self.multi else names[:1]


def _oapif_target(job: Fetch) -> tuple[str, list[str]]:
    """The landing page URL and the collections to fetch (named, in the URL, or preferred)."""
    source = job.source
    url = source[len("OAPIF:") :] if source.upper().startswith("OAPIF:") else source
    if "/collections/" in urllib.parse.urlsplit(url).path:
        base, _, rest = url.partition("/collections/")
        named = rest.split("?")[0].split("/")[0]
        return base.rstrip("/"), [urllib.parse.unquote(named)]
    base = url.split("?")[0].rstrip("/")
    if job.layers:
        return base, list(job.layers)
    collections = _get_json(f"{base}/collections?f=json").get("collections", [])
    return base, job.chosen([str(c.get("id")) for c in collections], "collection")


def _next_link(page: dict[str, Any]) -> str | None:
    for link in page.get("links", []) or []:
        if isinstance(link, dict) and link.get("rel") == "next" and link.get("href"):
            return str(link["href"])
    return None


def _fetch_collection(
    base: str, collection: str, out: Path, page_size: int, progress: Progress
) -> int:
    """Follow a collection's pages into one GeoJSON file; return how many features it holds."""
    meta = _get_json(f"{base}/collections/{urllib.parse.quote(collection)}?f=json")
    in_3067 = EPSG_3067 in (meta.get("crs") or [])
    url: str | None = _with_query(
        f"{base}/collections/{urllib.parse.quote(collection)}/items",
        f="json",
        limit=str(page_size),
        **({"crs": EPSG_3067} if in_3067 else {}),
    )
    stage = f"download {collection}"
    n, seen = 0, set[str]()
    with out.open("w", encoding="utf-8") as fh:
        crs = '"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3067"}},'
        fh.write('{"type":"FeatureCollection",' + (crs if in_3067 else "") + '"features":[')
        while url:
            if url in seen or len(seen) >= MAX_PAGES:
                raise ImportRefused(
                    f"{url}: the service's pages do not end (a `next` link repeats)"
                )
            seen.add(url)
            page = _get_json(url)
            features = page.get("features")
            if not isinstance(features, list):
                raise ImportRefused(f"{url}: not a GeoJSON FeatureCollection page")
            for feature in features:
                fh.write(("," if n else "") + json.dumps(feature, ensure_ascii=False))
                n += 1
            total = page.get("numberMatched")
            progress(stage, n, total if isinstance(total, int) and total >= n else n)
            url = _next_link(page) if features else None
        fh.write("]}")
    return n


def _copy_layer(
    source: str, layer: str | None, target: Path, name: str, **open_options: Any
) -> int:
    """Read one layer with pyogrio (GDAL) and write it into the GeoPackage `target`."""
    try:
        meta, _fids, wkb, fields = raw.read(source, layer=layer, **open_options)
    except Exception as exc:
        raise ImportRefused(f"{source}: cannot read layer {layer or name!r}: {exc}") from exc
    raw.write(
        target,
        wkb,
        fields,
        meta["fields"],
        layer=name,
        driver="GPKG",
        geometry_type=meta.get("geometry_type") or "Unknown",
        crs=meta.get("crs"),
        append=target.exists(),
        promote_to_multi=False,
    )
    return len(wkb) if wkb is not None else 0


def _fetch_oapif(job: Fetch) -> Path:
    base, collections = _oapif_target(job)
    target = job.folder / f"{collections[0]}.gpkg"
    for collection in collections:
        page_file = job.folder / f"{collection}.geojson"
        if _fetch_collection(base, collection, page_file, job.page_size, job.progress):
            _copy_layer(str(page_file), None, target, collection)
    if not target.exists():
        raise ImportRefused(f"{job.source}: {', '.join(collections)} has no features")
    return target


@contextmanager
def _wfs_paging(page_size: int) -> Iterator[None]:
    """Let GDAL's WFS driver page GetFeature (STARTINDEX/COUNT) by `page_size` features.

    These are config options, not open options (the driver ignores those); they are
    process-wide, so they are put back after.
    """
    keys = ("OGR_WFS_PAGING_ALLOWED", "OGR_WFS_PAGE_SIZE")
    before = {k: pyogrio.get_gdal_config_option(k) for k in keys}
    pyogrio.set_gdal_config_options(dict(zip(keys, ("ON", str(page_size)), strict=True)))
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(before)


def _wfs_count(url: str, name: str) -> int:
    """The feature type's number of features (a RESULTTYPE=hits request); 0 when not told."""
    try:
        return max(0, int(pyogrio.read_info(url, layer=name).get("features", 0)))
    except Exception:  # a server without hits: the progress just has no total until the end
        return 0


def _fetch_wfs(job: Fetch) -> Path:
    url = job.source if job.source.upper().startswith("WFS:") else f"WFS:{job.source}"
    with _wfs_paging(job.page_size):
        try:
            offered = [str(n) for n, _ in pyogrio.list_layers(url)]
        except Exception as exc:
            raise ImportRefused(f"{job.source}: cannot be read as a WFS service: {exc}") from exc
        names = job.chosen(offered, "feature type")
        target = job.folder / f"{names[0].split(':')[-1]}.gpkg"
        for name in names:
            stage = f"download {name}"
            job.progress(stage, 0, _wfs_count(url, name) or 1)
            n = _copy_layer(url, name, target, name.split(":")[-1])
            job.progress(stage, n, n)
    return target


def fetch(job: Fetch) -> Path:
    """Fetch a service's layers (all pages) into one GeoPackage in `job.folder`; return its path."""
    return _fetch_wfs(job) if _is_wfs(job.source) else _fetch_oapif(job)


@contextmanager
def _labelled(source: str, path: Path) -> Iterator[None]:
    """Name the service, not the temporary file, in the summary, the import log and errors."""
    token = SOURCE_LABEL.set(source)
    try:
        yield
    except ImportRefused as exc:
        exc.message = exc.message.replace(str(path), source)
        raise
    finally:
        SOURCE_LABEL.reset(token)


@gc_paused()
def import_from_service(
    run: Importer,
    engine: Engine,
    source: str,
    *,
    layer: str | None = None,
    prefer: Sequence[str] = (),
    multi: bool = False,
    page_size: int = 1000,
    progress: Progress = no_progress,
    **options: Any,
) -> Summary:
    """Fetch a service's features, then import them with `run` (a file importer), whole or not at all.

    `layer` names the collection(s) or feature type(s), comma-separated (water takes areas
    and shorelines together); without it the collection named in the URL, or the first of
    `prefer` the service has (every one of them with `multi`), is taken.
    """
    layers = [n.strip() for n in (layer or "").split(",") if n.strip()]
    with tempfile.TemporaryDirectory(prefix="rajapiste-import-") as tmp:
        path = fetch(Fetch(source, layers, prefer, multi, Path(tmp), page_size, progress))
        with _labelled(source, path):
            summary = run(engine, path, progress=progress, **options)
    summary.source = source
    return summary
