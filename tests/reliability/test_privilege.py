"""The service's database role reads and writes rows; it creates, alters and drops nothing,
cannot change the audit trail and only reads owners (personal data)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import Connection, exc, text


@pytest.fixture()
def service(app: Any, client: Any, settings: Any) -> Iterator[Connection]:
    if settings.database_url:
        pytest.skip("the service role is the embedded cluster's (RAJAPISTE_DATABASE_URL is set)")
    with app.state.engine.connect() as conn:
        yield conn
        conn.rollback()


def _refused(conn: Connection, sql: str) -> None:
    with pytest.raises(exc.ProgrammingError) as err, conn.begin_nested():
        conn.execute(text(sql))
    assert isinstance(
        err.value.orig, psycopg.errors.InsufficientPrivilege | psycopg.errors.UndefinedObject
    ) or ("must be owner" in str(err.value)), str(err.value)


def test_the_service_is_not_the_owner(service: Connection) -> None:
    who = service.execute(
        text(
            "SELECT current_user, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles"
            " WHERE rolname = current_user"
        )
    ).one()
    assert who == ("rajapiste_service", False, False, False)


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE public.evil (i int)",
        "CREATE SCHEMA evil",
        "DROP TABLE parcel",
        "ALTER TABLE excavation_permit ADD COLUMN evil int",
        "TRUNCATE excavation_permit",
        "DELETE FROM audit.disclosure",
        "UPDATE audit.disclosure SET role = 'admin'",
        "INSERT INTO personal.owner (property_id, kind, name) VALUES ('x', 'person', 'x')",
        "DELETE FROM personal.owner",
    ],
)
def test_the_service_cannot(service: Connection, sql: str) -> None:
    _refused(service, sql)


def test_the_service_can_read_and_write_what_it_serves(service: Connection) -> None:
    service.execute(text("SELECT count(*) FROM personal.owner")).scalar_one()
    service.execute(text("SELECT count(*) FROM account.app_user")).scalar_one()
    n = service.execute(text("SELECT count(*) FROM excavation_permit")).scalar_one()
    assert n >= 0
