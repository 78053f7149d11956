"""Readiness: the database answers and its schema is the one this code expects."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Connection

from api.schemas.health import Ready
from api.storage.engine import fetch_all
from api.storage.sqlfiles import migrations
from geo.errors import DomainError


class NotReady(DomainError):
    """The service cannot serve yet: pending migrations (HTTP 503)."""

    code = "not_ready"


@lru_cache(maxsize=1)
def known_migrations() -> tuple[str, ...]:
    """The versions of the migrations shipped with this code, in order."""
    return tuple(version for version, _ in migrations())


def ready(conn: Connection) -> Ready:
    """Check that the database answers and has every migration applied; NotReady if not."""
    applied = {r["version"] for r in fetch_all(conn, "applied_migrations")}
    pending = [v for v in known_migrations() if v not in applied]
    if pending:
        raise NotReady(
            f"{len(pending)} migration(s) not applied: run `rajapiste db migrate`",
            pending=pending,
        )
    return Ready(migrations=known_migrations()[-1])
