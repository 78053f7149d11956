"""The request's bbox for /ogc, exactly: a polygon in the storage CRS when given in another CRS.

pygeoapi transforms a bbox by its two corners, which misses features at the edges of a box
that is rotated in EPSG:3067 (every lon/lat box is). The adapter (api.http.ogc) puts the exact
polygon here for the request; the provider (api.ogc.provider) filters by it.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from api.ogc import config as ogc_config
from geo import crs as crs_mod

# The request's bbox as a polygon in the storage CRS, when it was given in another CRS.
EXACT_BBOX: ContextVar[BaseGeometry | None] = ContextVar("ogc_exact_bbox", default=None)


def exact_bbox(params: Any, offered: set[str]) -> BaseGeometry | None:
    """The request's bbox as a polygon in EPSG:3067, when it is given in another CRS.

    Its edges are densified before transforming (a lon/lat box is not a box in EPSG:3067), and
    it is first cut to Finland's box so that a world-wide bbox transforms to finite numbers.
    None when there is nothing to do or the bbox is malformed (pygeoapi then says why).
    """
    raw = params.get("bbox")
    uri = params.get("bbox-crs") or ogc_config.CRS84
    if not raw or uri == ogc_config.STORAGE_CRS or uri not in offered:
        return None
    try:
        values = [float(v) for v in raw.split(",")]
    except ValueError:
        return None
    if len(values) == 6:
        values = values[:2] + values[3:5]
    if len(values) != 4 or not (values[0] < values[2] and values[1] < values[3]):
        return None
    source = "OGC:CRS84" if uri == ogc_config.CRS84 else f"EPSG:{uri.rsplit('/', 1)[-1]}"
    to_storage = Transformer.from_crs(source, crs_mod.STORAGE_SRID)
    finland = shapely.box(
        *to_storage.transform_bounds(*crs_mod.FINLAND_BOX_3067, densify_pts=21, direction="INVERSE")
    )
    box = shapely.box(*values).intersection(finland)
    if box.is_empty:
        return box
    box = shapely.segmentize(
        box, max(box.bounds[2] - box.bounds[0], box.bounds[3] - box.bounds[1]) / 64
    )

    def fn(xy: Any) -> Any:
        x, y = to_storage.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(box, fn)
