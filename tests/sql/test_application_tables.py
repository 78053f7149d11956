"""The application tables: the declared models match the migrated tables, and the migration
turns existing dig permits into applications with their ids."""

from __future__ import annotations

from typing import Any

import pytest
from geoalchemy2 import Geometry
from sqlalchemy import create_engine, inspect, text

from api.storage import cluster
from api.storage.migrations import migrate
from api.storage.models import TABLES
from api.storage.sqlfiles import migrations
from tests.conftest import recreate_database


def test_declared_models_match_the_migrated_tables(engine: Any) -> None:
    insp = inspect(engine)
    for table in TABLES:
        found = {c["name"]: c for c in insp.get_columns(table.name, schema=table.schema)}
        declared = {c.name: c for c in table.columns}
        assert set(found) == set(declared), table.name
        for name, col in declared.items():
            db = found[name]
            assert db["nullable"] == col.nullable, (table.name, name)
            if isinstance(col.type, Geometry):
                assert isinstance(db["type"], Geometry), (table.name, name)
                assert (db["type"].geometry_type, db["type"].srid) == (
                    col.type.geometry_type,
                    col.type.srid,
                )
            else:
                assert db["type"]._type_affinity == col.type._type_affinity, (
                    table.name,
                    name,
                    db["type"],
                )


@pytest.fixture()
def old_database(settings: Any) -> Any:
    """A database migrated up to the accounts issue (before applications), with one dig permit."""
    if settings.database_url:
        pytest.skip("needs the embedded cluster to make a scratch database")
    name = "rajapiste_migration_test"
    recreate_database(settings, name)
    url = cluster.database_url(settings).rsplit("/", 1)[0] + f"/{name}"
    eng = create_engine(url)
    with eng.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        for version, sql in migrations():
            if version >= "0020":
                break
            conn.exec_driver_sql(sql)
            conn.execute(
                text("INSERT INTO schema_migrations (version) VALUES (:v)"), {"v": version}
            )
        uid = conn.execute(
            text(
                "INSERT INTO account.app_user (email, role) VALUES ('c@x.invalid', 'contractor') RETURNING id"
            )
        ).scalar_one()
        for pid, state in ((41, "approved"), (42, "guarantee_ended"), (43, "draft")):
            conn.execute(
                text(
                    "INSERT INTO excavation_permit (id, municipality, kind, state, description, starts_on, ends_on, created_by)"
                    " VALUES (:i, '244', 'excavation', :s, 'kaapeli', DATE '2025-05-01', DATE '2025-05-03', :u)"
                ),
                {"i": pid, "s": state, "u": uid},
            )
            ph = conn.execute(
                text(
                    "INSERT INTO excavation_phase (permit_id, n, starts_on, ends_on) VALUES (:i, 1, DATE '2025-05-01',"
                    " DATE '2025-05-03') RETURNING id"
                ),
                {"i": pid},
            ).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO excavation_area (permit_id, phase_id, period, geom) VALUES (:i, :ph,"
                    " daterange(DATE '2025-05-01', DATE '2025-05-03', '[]'),"
                    " ST_MakeEnvelope(427000, 7200000, 427002, 7200002, 3067))"
                ),
                {"i": pid, "ph": ph},
            )
    yield eng
    eng.dispose()


def test_existing_dig_permits_become_applications_with_their_ids(old_database: Any) -> None:
    applied = migrate(old_database)
    assert applied[0] == "0020_applications" and "0021_excavations_are_applications" in applied
    with old_database.begin() as conn:
        rows = conn.execute(
            text(
                "SELECT id, kind, state, municipality, description, ST_Area(site) FROM application ORDER BY id"
            )
        ).all()
        assert [(r[0], r[1], r[2]) for r in rows] == [
            (41, "excavation", "decided"),
            (42, "excavation", "completed"),
            (43, "excavation", "draft"),
        ]
        assert all(r[3] == "244" and r[4] == "kaapeli" and r[5] == pytest.approx(4.0) for r in rows)
        # a new permit, written the old way, gets the next id and its application
        new = conn.execute(
            text(
                "INSERT INTO excavation_permit (municipality, kind, state, starts_on, ends_on) VALUES"
                " ('244', 'area_use', 'submitted', current_date, current_date) RETURNING id"
            )
        ).scalar_one()
        assert new > 43
        assert conn.execute(
            text("SELECT kind, state FROM application WHERE id = :i"), {"i": new}
        ).one() == ("area_use", "submitted")
        conn.execute(
            text("UPDATE excavation_permit SET state = 'approved' WHERE id = :i"), {"i": new}
        )
        assert conn.execute(
            text("SELECT state, version FROM application WHERE id = :i"), {"i": new}
        ).one() == ("decided", 2)
        conn.execute(text("DELETE FROM excavation_permit WHERE id = :i"), {"i": new})
        assert (
            conn.execute(
                text("SELECT count(*) FROM application WHERE id = :i"), {"i": new}
            ).scalar_one()
            == 0
        )
