"""The audit trail: what is written, how admins read and export it, the retention purge, no identity codes."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from api import ingest
from api.cli import app as cli
from tests.conftest import TEST_USERS, fi_today

SITE = "24400100200002"  # a lot of the generated town, with private neighbours


def _personal_neighbours(engine: Any) -> list[str]:
    """The site's neighbours that have private owners, by SQL of this test (not the service)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT DISTINCT o.property_id FROM personal.owner o JOIN parcel p USING (property_id),"
                " (SELECT ST_Union(geom) AS g FROM parcel WHERE property_id = :s) site"
                " WHERE o.kind NOT IN ('municipality', 'state') AND o.property_id <> :s"
                " AND ST_DWithin(p.geom, site.g, 0.5) ORDER BY 1"
            ),
            {"s": SITE},
        )
        return [r[0] for r in rows]


def test_officer_read_is_listed_for_the_admin_by_unit_user_and_day(
    kempele_officer_client: Any, admin_client: Any, client: Any, demo: Any, engine: Any
) -> None:
    adjacent_private = _personal_neighbours(engine)
    assert adjacent_private
    assert kempele_officer_client.get(f"/api/v1/parcels/{SITE}/neighbours").status_code == 200
    officer = TEST_USERS["officer_244"][0]
    today = fi_today()
    pid = adjacent_private[0]
    short = f"244-{int(pid[3:6])}-{int(pid[6:10])}-{int(pid[10:14])}"
    r = admin_client.get(
        f"/api/v1/audit?user={officer}&property_id={short}&from={today}&to={today}"
    )
    assert r.status_code == 200, r.text
    entry = r.json()["entries"][0]
    assert entry["user_email"] == officer and entry["role"] == "officer"
    assert entry["endpoint"] == "GET /api/v1/parcels/{property_id}/neighbours"
    assert set(adjacent_private) <= set(entry["property_ids"]) and SITE not in entry["property_ids"]
    assert entry["application_id"] is None
    tomorrow = today + dt.timedelta(days=1)
    later = admin_client.get(f"/api/v1/audit?user={officer}&from={tomorrow}").json()
    assert later["entries"] == []
    assert admin_client.get(f"/api/v1/audit?from={tomorrow}&to={today}").status_code == 422
    assert admin_client.get("/api/v1/audit?property_id=12-ab").status_code == 422
    assert client.get("/api/v1/audit").status_code == 401


def test_cli_reads_are_audited_and_exported_as_csv(demo: Any, engine: Any, tmp_path: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(cli, ["neighbours", SITE, "--format", "csv"])
    assert shown.exit_code == 0, shown.output
    today = fi_today().isoformat()
    out = tmp_path / "audit.csv"
    r = runner.invoke(
        cli, ["audit", "export", "--from", today, "--to", today, "--output", str(out)]
    )
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    mine = [x for x in rows if x["endpoint"] == "CLI rajapiste neighbours"]
    assert mine and mine[0]["user_email"].startswith("cli:") and mine[0]["role"] == "admin"
    assert set(_personal_neighbours(engine)) <= set(mine[0]["property_ids"].split())
    with engine.connect() as conn:
        names = [
            r[0]
            for r in conn.execute(
                text("SELECT name FROM personal.owner WHERE property_id = ANY(:p)"),
                {"p": mine[0]["property_ids"].split()},
            )
        ]
    assert names and not any(
        n in out.read_text(encoding="utf-8") for n in names
    )  # ids, never names
    stdout = runner.invoke(cli, ["audit", "export", "--from", today])
    assert stdout.exit_code == 0 and stdout.output.startswith("at,user_email,role,endpoint")
    n = len(stdout.output.strip().splitlines()) - 1
    exact = runner.invoke(cli, ["audit", "export", "--from", today, "--limit", str(n)])
    assert exact.exit_code == 0, exact.output  # all of them: nothing cut
    cut = runner.invoke(cli, ["audit", "export", "--from", today, "--limit", str(n - 1)])
    assert cut.exit_code == 1 and "more than --limit" in cut.output, cut.output  # said, not silent
    bad = runner.invoke(cli, ["audit", "export", "--from", "yesterday"])
    assert bad.exit_code == 1 and "--from 'yesterday' is not YYYY-MM-DD" in bad.output


def test_privacy_purge_keeps_what_the_retention_allows(
    engine: Any, settings: Any, contractor_client: Any, users: Any
) -> None:
    keep_days = settings.audit_retention_days
    with engine.begin() as conn:
        old, recent = (
            conn.execute(
                text(
                    "INSERT INTO audit.disclosure (at, user_email, role, endpoint, property_ids)"
                    " VALUES (now() - make_interval(days => :d), 'purge@test.invalid', 'officer',"
                    " 'GET /x', ARRAY['24400100200002']) RETURNING id"
                ),
                {"d": d},
            ).scalar_one()
            for d in (keep_days + 1, keep_days - 1)
        )
        withdrawn_old, withdrawn_new = (
            conn.execute(
                text(
                    "INSERT INTO excavation_permit (municipality, kind, state, applicant, description,"
                    " starts_on, ends_on, created_by, withdrawn_at) VALUES ('244', 'excavation',"
                    " 'withdrawn', 'Pekka Peruttu', 'piha', current_date, current_date, :u,"
                    " now() - make_interval(days => :d)) RETURNING id"
                ),
                {"u": users["contractor"].id, "d": d},
            ).scalar_one()
            for d in (settings.withdrawn_retention_days + 1, 1)
        )
    try:
        r = CliRunner().invoke(cli, ["privacy", "purge"])
        assert r.exit_code == 0, r.output
        assert "audit rows: " in r.output and "withdrawn permits cleared: " in r.output
        with engine.connect() as conn:
            ids = {x[0] for x in conn.execute(text("SELECT id FROM audit.disclosure"))}
            applicants = dict(
                conn.execute(
                    text("SELECT id, applicant FROM excavation_permit WHERE id IN (:a, :b)"),
                    {"a": withdrawn_old, "b": withdrawn_new},
                ).all()
            )
        assert old not in ids and recent in ids
        assert applicants == {withdrawn_old: None, withdrawn_new: "Pekka Peruttu"}
    finally:
        with engine.begin() as conn:
            conn.execute(
                text("DELETE FROM audit.disclosure WHERE user_email = 'purge@test.invalid'")
            )
            conn.execute(
                text("DELETE FROM excavation_permit WHERE id IN (:a, :b)"),
                {"a": withdrawn_old, "b": withdrawn_new},
            )


def test_identity_codes_are_never_stored(tmp_path: Path, engine: Any, demo: Any) -> None:
    owners = tmp_path / "owners.csv"
    owners.write_text(
        "property_id,kind,name,address,hetu\n"
        "244-1-20-2,person,Testi Henkilö,Tie 1,131052-308T\n"  # an extra column is ignored
        "244-1-20-3,person,Toinen 010101A123N,Tie 2,\n",
        encoding="utf-8",
    )
    with pytest.raises(
        ingest.ImportRefused, match=r"line 3: name holds what looks like a personal identity code"
    ):
        ingest.import_owners(engine, owners)
    r = CliRunner().invoke(cli, ["import", "owners", str(owners)])
    assert r.exit_code == 1 and "identity code" in r.output and "010101A123N" not in r.output
    with engine.connect() as conn:
        stored = conn.execute(
            text(
                "SELECT count(*) FROM personal.owner WHERE name LIKE 'Testi%' OR name LIKE 'Toinen%'"
            )
        ).scalar_one()
        columns = {
            c[0]
            for c in conn.execute(
                text(
                    "SELECT column_name FROM information_schema.columns"
                    " WHERE table_schema IN ('personal', 'audit', 'account')"
                )
            )
        }
    assert stored == 0  # refused whole: nothing of the file was loaded
    assert not columns & {"hetu", "henkilotunnus", "identity_code", "ssn"}
