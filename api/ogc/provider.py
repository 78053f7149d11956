"""pygeoapi's PostgreSQL provider for the `ogc` views: psycopg 3, exact bboxes, RFC 7946 output.

Three things differ from pygeoapi's own provider:

* the driver is psycopg 3, the project's (pygeoapi's provider names psycopg2);
* every geometry leaves with counter-clockwise exterior rings and clockwise holes (RFC 7946),
  oriented in the storage CRS before any transformation so that the orientation holds on
  the ground in every output CRS, and rounded to 7 decimals in degrees, 3 in metres; every
  FeatureCollection carries its `bbox`;
* vector tiles come from the same views (`PublicTileProvider`);
* a bbox given in another CRS than the storage one filters by the exact transformed polygon
  (`EXACT_BBOX`, set by the adapter) instead of pygeoapi's box through two transformed
  corners, which misses features at the edges of a rotated box.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from geoalchemy2.functions import ST_Intersects
from numpy.typing import NDArray
from pygeoapi.provider.base_mvt import BaseMVTProvider
from pygeoapi.provider.mvt_postgresql import MVTPostgreSQLProvider
from pygeoapi.provider.sql import GenericSQLProvider, PostgreSQLProvider
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry
from sqlalchemy import func

from api.ogc.bbox import EXACT_BBOX
from geo import crs as crs_mod
from geo.geometry import collection_bbox, rfc7946

GeometryFn = Callable[[BaseGeometry], BaseGeometry]


@lru_cache(maxsize=32)
def _transformer(source_wkt: str, target_wkt: str) -> Transformer:
    # The CRSs' own axis order (OGC API - Features Part 2): EPSG:4326 is lat, lon.
    return Transformer.from_crs(CRS.from_wkt(source_wkt), CRS.from_wkt(target_wkt))


@lru_cache(maxsize=32)
def _is_geographic(target_wkt: str) -> bool:
    return bool(CRS.from_wkt(target_wkt).is_geographic)


def output_fn(source_wkt: str | None, target_wkt: str | None) -> GeometryFn:
    """Orient (RFC 7946), transform to the output CRS (None: storage CRS) and round."""
    tr = _transformer(source_wkt, target_wkt) if source_wkt and target_wkt else None
    digits = 7 if target_wkt and _is_geographic(target_wkt) else 3

    def coords(xy: NDArray[np.float64]) -> NDArray[np.float64]:
        if tr is not None:
            x, y = tr.transform(xy[:, 0], xy[:, 1])
            xy = np.column_stack([x, y])
        return np.round(xy, digits)

    def fn(geom: BaseGeometry) -> BaseGeometry:
        return shapely.transform(rfc7946(geom), coords)

    return fn


DRIVER = "postgresql+psycopg"
CONNECT_ARGS = {"application_name": "rajapiste-ogc"}


class PublicViewProvider(PostgreSQLProvider):  # type: ignore[misc]
    """A pygeoapi feature provider reading one view of the `ogc` schema."""

    def __init__(self, provider_def: dict[str, Any]) -> None:
        GenericSQLProvider.__init__(self, provider_def, DRIVER, CONNECT_ARGS)

    def _get_crs_transform(self, crs_transform_spec: Any = None) -> GeometryFn:
        # pygeoapi applies this to every geometry it outputs (a None would skip orientation)
        spec = crs_transform_spec
        if spec is None:
            return output_fn(None, None)
        return output_fn(spec.source_crs_wkt, spec.target_crs_wkt)

    def _get_bbox_filter(self, bbox: list[float]) -> Any:
        exact = EXACT_BBOX.get()
        if exact is None or not bbox:
            return super()._get_bbox_filter(bbox)
        column = getattr(self.table_model, self.geom)
        return ST_Intersects(column, func.ST_GeomFromText(exact.wkt, crs_mod.STORAGE_SRID))

    def query(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Query as pygeoapi does, adding the FeatureCollection's `bbox` (RFC 7946 5.)."""
        content: dict[str, Any] = super().query(*args, **kwargs)
        bbox = collection_bbox(f["geometry"] for f in content["features"])
        if bbox:
            content["bbox"] = bbox
        return content


class PublicTileProvider(MVTPostgreSQLProvider):  # type: ignore[misc]
    """pygeoapi's vector tiles (OGC API - Tiles) of one `ogc` view, on psycopg 3."""

    def __init__(self, provider_def: dict[str, Any]) -> None:
        GenericSQLProvider.__init__(self, provider_def, DRIVER, CONNECT_ARGS)
        BaseMVTProvider.__init__(self, provider_def)
