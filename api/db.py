"""Database access: one engine per process, named SQL queries, migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.sql.elements import TextClause

from api import cluster
from api.settings import SQL_DIR, Settings

MIGRATIONS_DIR = SQL_DIR / "migrations"
QUERIES_DIR = SQL_DIR / "queries"
_MIGRATION_LOCK = 7_304_221  # pg_advisory_lock key: one migrator at a time


def make_engine(settings: Settings) -> Engine:
    """Create the engine for the configured database (embedded or RAJAPISTE_DATABASE_URL)."""
    return create_engine(
        cluster.database_url(settings),
        pool_size=settings.pool_size,
        max_overflow=settings.pool_size,
        pool_pre_ping=False,
        future=True,
    )


@lru_cache(maxsize=128)
def query(name: str) -> TextClause:
    """Load the named query sql/queries/<name>.sql as a bindable statement."""
    path = QUERIES_DIR / f"{name}.sql"
    return text(path.read_text())


@lru_cache(maxsize=128)
def script(name: str) -> str:
    """Load sql/queries/<name>.sql as a plain multi-statement script (no bind parameters)."""
    return (QUERIES_DIR / f"{name}.sql").read_text()


def run_script(conn: Connection, name: str) -> None:
    """Run a multi-statement script on the connection's current transaction."""
    conn.exec_driver_sql(script(name))


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """Yield a connection in one transaction: committed on success, rolled back on error."""
    with engine.begin() as conn:
        yield conn


@contextmanager
def raw_cursor(engine: Engine) -> Iterator[Any]:
    """Yield a psycopg cursor (for COPY) in one transaction: committed on success, else rolled back."""
    with engine.begin() as sa_conn:
        conn: Any = sa_conn.connection.driver_connection
        with conn.cursor() as cur:
            yield cur


def migrations() -> list[tuple[str, str]]:
    """Return (version, sql) of every migration file, in order."""
    files = sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql"))
    return [(f.stem, f.read_text()) for f in files]


def migrate(engine: Engine) -> list[str]:
    """Apply pending migrations in order, each in its own transaction; return the applied ones."""
    applied: list[str] = []
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _MIGRATION_LOCK})
        try:
            conn.exec_driver_sql(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            conn.commit()
            done = {r[0] for r in conn.execute(text("SELECT version FROM schema_migrations"))}
            conn.commit()
            for version, sql in migrations():
                if version in done:
                    continue
                with conn.begin():
                    conn.exec_driver_sql(sql)
                    conn.execute(
                        text("INSERT INTO schema_migrations (version) VALUES (:v)"), {"v": version}
                    )
                applied.append(version)
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _MIGRATION_LOCK})
            conn.commit()
    return applied


def fetch_all(conn: Connection, name: str, **params: Any) -> list[dict[str, Any]]:
    """Run a named query and return its rows as dicts."""
    return [dict(r._mapping) for r in conn.execute(query(name), params)]
