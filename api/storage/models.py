"""The application tables as SQLAlchemy Core models, with typed geometry columns (GeoAlchemy2).

The DDL itself lives in the numbered migrations (sql/migrations/0020_*); these declarations
are what the services write through, and tests/sql/test_models.py checks that they match the
migrated tables column by column (names, types, nullability, geometry type and SRID).
"""

from __future__ import annotations

from typing import Any

from geoalchemy2 import Geometry, WKBElement
from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB

from geo.crs import STORAGE_SRID

metadata = MetaData()


def geometry(kind: str) -> Geometry:
    """A geometry column type in the storage SRID; its index is made by the migration."""
    return Geometry(kind, srid=STORAGE_SRID, spatial_index=False)


def to_db(geom: BaseGeometry | None) -> WKBElement | None:
    """A shapely geometry (EPSG:3067) as a value for a geometry column.

    GeoAlchemy2 0.20's statement cache ignores a bare `srid`: `extended=True` puts the SRID
    in the value itself (EWKB).
    """
    if geom is None:
        return None
    return from_shape(geom, srid=STORAGE_SRID, extended=True)


def from_db(value: Any) -> BaseGeometry | None:
    """A geometry column's value (EWKB) as a shapely geometry in EPSG:3067."""
    return None if value is None else to_shape(value)


def _id() -> Column[Any]:
    return Column("id", BigInteger, primary_key=True, autoincrement=True)


def _application_fk(primary: bool = False) -> Column[Any]:
    return Column(
        "application_id",
        BigInteger,
        ForeignKey("application.id", ondelete="CASCADE"),
        primary_key=primary,
        nullable=False,
    )


TS = DateTime(timezone=True)

application = Table(
    "application",
    metadata,
    _id(),
    Column("kind", Text, nullable=False),
    Column("state", Text, nullable=False, server_default="draft"),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("municipality", Text, nullable=False),
    Column("property_ids", ARRAY(Text), nullable=False, server_default="{}"),
    Column("site", geometry("MULTIPOLYGON")),
    Column("site_from_property", Boolean, nullable=False, server_default="false"),
    Column("description", Text),
    Column("heard_by", Text, nullable=False, server_default="authority"),
    Column("filed_on", Date),
    Column("regime", Text),
    Column("created_by", BigInteger),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("withdrawn_at", TS),
    Column("contacts_requested_at", TS),
    Column("contacts_published_at", TS),
    Column("contacts_published_by", BigInteger),
    Column("letters_frozen_at", TS),
    Column("letters_charged", Integer, nullable=False, server_default="0"),
    Column("hearing_fee_eur", Numeric(10, 2), nullable=False, server_default="0"),
    Column("analysis_id", BigInteger),
    Column("purged_at", TS),
    Column("applicant_name", Text),
    Column("existing_dwelling", Boolean),  # as the applicant said; NULL: the register decides
)

application_building = Table(
    "application_building",
    metadata,
    _id(),
    _application_fk(),
    Column("n", Integer, nullable=False),
    Column("use", Text, nullable=False),
    Column("floor_area_m2", Float),
    Column("height_m", Float),
    Column("footprint", geometry("POLYGON"), nullable=False),
)

application_party = Table(
    "application_party",
    metadata,
    _id(),
    _application_fk(),
    Column("role", Text, nullable=False),
    Column("name", Text),
    Column("email", Text, nullable=False),
    Column("user_id", BigInteger),
    Column("status", Text, nullable=False, server_default="invited"),
    Column("invited_at", TS, nullable=False),
    Column("answered_at", TS),
    Column("invited_by", BigInteger),  # the account that sent it (NULL: before 0102, or removed)
)

application_attachment = Table(
    "application_attachment",
    metadata,
    _id(),
    _application_fk(),
    Column("kind", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("content_type", Text, nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("uploaded_by", BigInteger),
    Column("uploaded_at", TS, nullable=False),
)

application_analysis = Table(
    "application_analysis",
    metadata,
    _id(),
    _application_fk(),
    Column("purpose", Text, nullable=False),
    Column("computed_at", TS, nullable=False),
    Column("data_version", BigInteger),
    Column("data_imported_at", TS),
    Column("rules_version", Text, nullable=False),
    Column("rules_files", ARRAY(Text), nullable=False),
    Column("document", JSONB),
)

hearing_addressee = Table(
    "hearing_addressee",
    metadata,
    _id(),
    _application_fk(),
    Column("n", Integer, nullable=False),
    Column("relation", Text, nullable=False),
    Column("property_ids", ARRAY(Text), nullable=False),
    Column("municipality", Text),
    Column("owner_kind", Text, nullable=False),
    Column("name", Text),
    Column("contact_name", Text),
    Column("address", Text),
    Column("postal_code", Text),
    Column("city", Text),
    Column("language", Text, nullable=False, server_default="fi"),
    Column("reason", Text, nullable=False),
    Column("reason_fi", Text, nullable=False),
    Column("reason_sv", Text, nullable=False),
    Column("reached", Boolean, nullable=False, server_default="false"),
    Column("status", Text, nullable=False, server_default="open"),
    Column("status_on", Date),
    Column("letter_sent_on", Date),
    Column("reminded_on", Date),
    Column("deadline", Date),
    Column("remarks", Text),
    Column("updated_at", TS, nullable=False),
    Column("updated_by", BigInteger),
    schema="personal",
)

application_decision = Table(
    "application_decision",
    metadata,
    _application_fk(primary=True),
    Column("outcome", Text, nullable=False),
    Column("decided_by", Text, nullable=False),
    Column("decided_on", Date, nullable=False),
    Column("posted_on", Date, nullable=False),
    Column("conditions", ARRAY(Text), nullable=False, server_default="{}"),
    Column("reasons", Text),
    Column("appeal_kind", Text, nullable=False),
    Column("appeal_days", Integer, nullable=False),
    Column("appeal_ends_on", Date, nullable=False),
    Column("legally_valid_on", Date, nullable=False),
    Column("start_by", Date),
    Column("finish_by", Date),
    Column("valid_until", Date),
    Column("recorded_by", BigInteger),
    Column("recorded_at", TS, nullable=False),
    Column("appealed_on", Date),
    Column("valid_after_appeal", Boolean, nullable=False, server_default="false"),
    Column("ruling_by", Text),
    Column("ruling_on", Date),
    Column("ruling_reference", Text),
)

application_event = Table(
    "application_event",
    metadata,
    _id(),
    _application_fk(),
    Column("at", TS, nullable=False),
    Column("on_date", Date),
    Column("event", Text, nullable=False),
    Column("from_state", Text),
    Column("to_state", Text),
    Column("user_id", BigInteger),
    Column("role", Text),
    Column("detail", JSONB, nullable=False),
)

TABLES = (
    application,
    application_building,
    application_party,
    application_attachment,
    application_analysis,
    hearing_addressee,
    application_decision,
    application_event,
)
