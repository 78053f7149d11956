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

import datetime as dt
import math
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from geoalchemy2.functions import ST_Intersects
from numpy.typing import NDArray
from pygeoapi.provider.base import ProviderInvalidQueryError, ProviderItemNotFoundError
from pygeoapi.provider.base_mvt import BaseMVTProvider
from pygeoapi.provider.mvt_postgresql import MVTPostgreSQLProvider
from pygeoapi.provider.sql import GenericSQLProvider, PostgreSQLProvider
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry
from sqlalchemy import and_, func
from sqlalchemy.sql.elements import ColumnElement

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


TRUE, FALSE = ("true", "t", "1", "yes"), ("false", "f", "0", "no")


def typed(column: Any, value: Any) -> Any:
    """A query parameter's text as the column's Python type; ValueError when it is not one."""
    try:
        kind = column.type.python_type
    except NotImplementedError:  # a type SQLAlchemy cannot name (geometry): as given
        return value
    text = str(value).strip()
    if kind is bool:
        if text.lower() in TRUE + FALSE:
            return text.lower() in TRUE
        raise ValueError(f"{value!r} is not true or false")
    if kind is dt.date:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    if kind in (int, float, Decimal):
        try:
            number = kind(text)
        except (ValueError, ArithmeticError):
            raise ValueError(f"{value!r} is not a number") from None
        if kind is int and not -(2**63) <= number < 2**63:
            raise ValueError(f"{value!r} is out of range")
        if kind is not int and not math.isfinite(number):
            raise ValueError(f"{value!r} is not a finite number")
        return number
    return value


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

    def get(self, identifier: Any, crs_transform_spec: Any = None, **kwargs: Any) -> Any:
        """One feature by its id, read as the id column's type (pygeoapi compares the text)."""
        try:
            key = typed(getattr(self.table_model, self.id_field), identifier)
        except ValueError as error:
            raise ProviderItemNotFoundError(
                f"No such item: {self.id_field}={identifier}."
            ) from error
        return super().get(key, crs_transform_spec, **kwargs)

    def _get_property_filters(self, properties: Any) -> Any:
        """Filters by property values, each read as its column's type (pygeoapi compares text)."""
        if not properties:
            return True
        out: list[ColumnElement[bool]] = []
        for name, value in properties:
            column = getattr(self.table_model, name)
            try:
                out.append(column == typed(column, value))
            except ValueError as error:
                raise ProviderInvalidQueryError(user_msg=f"{name}: {error}") from error
        return and_(*out)

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
