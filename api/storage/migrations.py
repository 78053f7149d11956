"""Numbered migrations, applied in order under an advisory lock, each in its own transaction."""

from __future__ import annotations

from sqlalchemy import Engine, text

from api.storage.sqlfiles import migrations, script

_MIGRATION_LOCK = 7_304_221  # pg_advisory_lock key: one migrator at a time


def migrate(engine: Engine) -> list[str]:
    """Apply pending migrations in order; return the versions applied."""
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
            with conn.begin():  # the service role's rights, tables of new migrations included
                conn.exec_driver_sql(script("grant_service"))
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _MIGRATION_LOCK})
            conn.commit()
    return applied
