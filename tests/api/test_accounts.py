"""Accounts: the CLI, sign-in and sign-out, tokens, throttling, the OIDC seam, no password leaks."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from api.cli import app as cli
from api.services import accounts, identity
from api.settings import Settings
from tests.conftest import TEST_PASSWORD, TEST_USERS, recreate_database

TOKEN_URL = "/api/v1/auth/token"
PROBLEM = "application/problem+json"


def _client(app: Any, address: str) -> TestClient:
    return TestClient(app, client=(address, 40000))


@pytest.fixture()
def person(engine: Any, settings: Settings, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh applicant account for one test (its e-mail), removed afterwards."""
    email = f"{request.node.name.replace('_', '-')[:40]}@test.invalid"
    with engine.connect() as conn:
        accounts.add_user(conn, settings, email, "applicant", None, TEST_PASSWORD)
    yield email
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM account.app_user WHERE email = :e"), {"e": email})
        conn.execute(
            text(
                "DELETE FROM account.sign_in_failure WHERE key = :e OR starts_with(key, :e || ' ')"
            ),
            {"e": email},
        )


def _sign_in(c: TestClient, email: str, password: str = TEST_PASSWORD) -> Any:
    return c.post(TOKEN_URL, data={"username": email, "password": password})


def test_sign_in_me_and_sign_out(app: Any, person: str) -> None:
    with _client(app, "10.0.1.1") as c:
        r = _sign_in(c, person.upper())  # e-mail addresses are case-insensitive
        assert r.status_code == 200, r.text
        doc = r.json()
        assert doc["token_type"] == "bearer" and len(doc["access_token"]) >= 40
        assert doc["role"] == "applicant" and doc["expires_in"] == 480 * 60
        auth = {"Authorization": f"Bearer {doc['access_token']}"}
        me = c.get("/api/v1/auth/me", headers=auth).json()
        assert me == {
            "email": person,
            "role": "applicant",
            "municipality": None,
            "municipality_name": None,
        }
        assert c.post("/api/v1/auth/logout", headers=auth).json()["signed_out"] is True
        gone = c.get("/api/v1/auth/me", headers=auth)
        assert gone.status_code == 401 and gone.headers["content-type"].startswith(PROBLEM)
        assert gone.json()["code"] == "invalid_token"
        assert 'error="invalid_token"' in gone.headers["www-authenticate"]
        anonymous = c.get("/api/v1/auth/me")
        assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"].startswith(
            "Bearer"
        )


def test_tokens_are_stored_hashed_and_expire(app: Any, engine: Any, person: str) -> None:
    with _client(app, "10.0.1.2") as c:
        token = _sign_in(c, person).json()["access_token"]
        with engine.begin() as conn:
            stored = conn.execute(
                text(
                    "SELECT t.token_sha256 FROM account.access_token t"
                    " JOIN account.app_user u ON u.id = t.user_id WHERE u.email = :e"
                ),
                {"e": person},
            ).scalar_one()
            import hashlib

            assert bytes(stored) == hashlib.sha256(token.encode()).digest()
            conn.execute(
                text(
                    "UPDATE account.access_token SET expires_at = now() - interval '1 second'"
                    " WHERE token_sha256 = :d"
                ),
                {"d": stored},
            )
        r = c.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401 and r.json()["code"] == "invalid_token"


def test_wrong_password_and_unknown_account_answer_alike(app: Any, person: str) -> None:
    with _client(app, "10.0.1.3") as c:
        wrong = _sign_in(c, person, "not the password at all")
        unknown = _sign_in(c, "nobody@test.invalid", "not the password at all")
    for r in (wrong, unknown):
        assert r.status_code == 401 and r.headers["content-type"].startswith(PROBLEM)
        assert r.json()["detail"] == "wrong e-mail or password"
        assert "not the password at all" not in r.text


def test_failed_sign_ins_are_throttled_per_account(
    app: Any, settings: Settings, person: str, users: Any
) -> None:
    limit = settings.sign_in_max_failures_account_address
    with _client(app, "10.0.2.1") as c:
        for _ in range(limit):
            assert _sign_in(c, person, "guess guess guess").status_code == 401
        locked = _sign_in(c, person)  # even the right password waits now
    assert locked.status_code == 429 and locked.headers["content-type"].startswith(PROBLEM)
    assert 0 < int(locked.headers["retry-after"]) <= settings.sign_in_window_minutes * 60
    with _client(app, "10.0.2.1") as c:
        assert _sign_in(c, TEST_USERS["admin"][0]).status_code == 200  # others sign in there
    # No one locks an account from afar: its owner signs in from their own address.
    with _client(app, "10.0.2.2") as own:
        assert _sign_in(own, person).status_code == 200


def _with_limits(settings: Settings, **limits: int) -> Any:
    """An app whose sign-in limits are lower than the defaults (each try is an argon2 check,
    0.2-0.3 s): the same counting, reached in fewer tries."""
    from api.app import create_app

    return create_app(
        settings.model_copy(update={f"sign_in_max_failures_{k}": v for k, v in limits.items()})
    )


def test_guesses_spread_over_addresses_lock_the_account_everywhere(
    settings: Settings, person: str, users: Any
) -> None:
    per_pair, everywhere = 3, 10  # the defaults are 5 and 50
    app = _with_limits(settings, account_address=per_pair, account=everywhere)
    tries = [f"10.0.5.{i // per_pair}" for i in range(everywhere)]  # per_pair from each address
    for address in sorted(set(tries)):
        with _client(app, address) as c:
            for _ in range(tries.count(address)):
                assert _sign_in(c, person, "guess guess guess").status_code == 401
    with _client(app, "10.0.5.250") as fresh:  # an address that never failed
        assert _sign_in(fresh, person).status_code == 429


def test_a_huge_e_mail_is_counted_not_a_server_error(app: Any, settings: Settings) -> None:
    """A 20 000-character e-mail overflowed the failures' index: 503, and nothing counted."""
    huge = "a" * 20_000 + "@test.invalid"
    with _client(app, "10.0.6.1") as c:
        for _ in range(settings.sign_in_max_failures_account_address):
            r = _sign_in(c, huge, "guess guess guess")
            assert r.status_code == 401, r.text[:200]
        assert _sign_in(c, huge, "guess guess guess").status_code == 429


def test_failed_sign_ins_are_throttled_per_address_across_app_instances(
    settings: Settings, person: str
) -> None:
    """Two app instances (as two uvicorn workers): the count lives in the database."""
    limit = 6  # the default is 20
    app = _with_limits(settings, address=limit)
    address = "10.0.3.1"
    with _client(app, address) as c:
        for i in range(limit):
            # a different (unknown) account each time: only the address's count reaches the limit
            assert _sign_in(c, f"sprayed{i}@test.invalid", "guess guess guess").status_code == 401
    with _client(_with_limits(settings, address=limit), address) as second_worker:
        assert _sign_in(second_worker, person).status_code == 429
    with _client(app, "10.0.3.2") as elsewhere:
        assert _sign_in(elsewhere, person).status_code == 200


def test_disabled_account_is_signed_out_and_refused(app: Any, person: str) -> None:
    with _client(app, "10.0.4.1") as c:
        token = _sign_in(c, person).json()["access_token"]
        r = CliRunner().invoke(cli, ["user", "disable", person])
        assert r.exit_code == 0, r.output
        assert (
            c.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code
            == 401
        )
        assert _sign_in(c, person).status_code == 401
        assert CliRunner().invoke(cli, ["user", "enable", person]).exit_code == 0
        assert _sign_in(c, person).status_code == 200


def test_cli_user_add_list_passwd(app: Any, engine: Any, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    runner = CliRunner()
    secret = "a long stdin password 42"
    email = "cli.officer@test.invalid"
    try:
        r = runner.invoke(
            cli,
            ["user", "add", email, "--role", "officer", "--municipality", "91", "--password-stdin"],
            input=secret + "\n",
        )
        assert r.exit_code == 0, r.output
        assert "officer of 091" in r.output and secret not in r.output
        again = runner.invoke(
            cli, ["user", "add", email, "--role", "officer", "--municipality", "091"]
        )
        assert again.exit_code == 1 and "already exists" in again.output
        bad = runner.invoke(cli, ["user", "add", "x.officer@test.invalid", "--role", "officer"])
        assert bad.exit_code == 1 and "--municipality" in bad.output
        role = runner.invoke(cli, ["user", "add", "y@test.invalid", "--role", "boss"])
        assert role.exit_code == 1 and "applicant, contractor, officer, admin" in role.output
        short = runner.invoke(
            cli,
            ["user", "add", "z@test.invalid", "--role", "applicant", "--password-stdin"],
            input="short\n",
        )
        assert short.exit_code == 1 and "at least 12 characters" in short.output
        listing = runner.invoke(cli, ["user", "list"], env={"COLUMNS": "200"})
        assert email in listing.output and "argon2" not in listing.output
        with engine.connect() as conn:
            stored = conn.execute(
                text("SELECT password_hash FROM account.app_user WHERE email = :e"), {"e": email}
            ).scalar_one()
        assert stored.startswith("$argon2id$") and secret not in stored
        with _client(app, "10.0.5.1") as c:
            assert _sign_in(c, email, secret).status_code == 200
            new = runner.invoke(cli, ["user", "passwd", email])
            assert new.exit_code == 0
            fresh = new.output.split("password (shown once): ")[1].strip()
            assert _sign_in(c, email, secret).status_code == 401
            assert _sign_in(c, email, fresh).status_code == 200
        logged = "\n".join(rec.getMessage() for rec in caplog.records)
        assert secret not in logged and fresh not in logged
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM account.app_user WHERE email = :e"), {"e": email})
            conn.execute(
                text(
                    "DELETE FROM account.sign_in_failure WHERE key = :e OR starts_with(key, :e || ' ')"
                ),
                {"e": email},
            )


def test_a_sign_in_logs_no_password(app: Any, person: str, caplog: Any, capfd: Any) -> None:
    caplog.set_level(logging.DEBUG)
    with _client(app, "10.0.6.1") as c:
        _sign_in(c, person, "wrong but secret words")
        _sign_in(c, person)
        c.post(TOKEN_URL, data={"password": "only a secret"})  # 422: names the field, not the value
    captured = capfd.readouterr()
    everything = "\n".join(rec.getMessage() for rec in caplog.records) + captured.out + captured.err
    for secret in ("wrong but secret words", TEST_PASSWORD, "only a secret"):
        assert secret not in everything


def test_demo_users_once_per_empty_database(settings: Settings) -> None:
    from api.storage.engine import make_engine
    from api.storage.migrations import migrate

    demo_settings = settings.model_copy(update={"db_name": settings.db_name + "_demo_users"})
    recreate_database(demo_settings, demo_settings.db_name)
    eng = make_engine(demo_settings)
    try:
        migrate(eng)
        with eng.connect() as conn:
            made = accounts.ensure_demo_users(conn, demo_settings, "091")
            assert sorted(u.role for u, _ in made) == [
                "admin",
                "applicant",
                "contractor",
                "officer",
            ]
            assert [u.municipality for u, _ in made if u.role == "officer"] == ["091"]
            assert accounts.ensure_demo_users(conn, demo_settings, "091") == []  # never twice
            for user, password in made:
                issued = accounts.sign_in(conn, demo_settings, user.email, password, "127.0.0.1")
                assert issued.user.role == user.role
    finally:
        eng.dispose()


def test_cli_user_demo_does_nothing_when_accounts_exist(users: Any) -> None:
    r = CliRunner().invoke(cli, ["user", "demo"])
    assert r.exit_code == 0 and "accounts exist" in r.output and "shown only now" not in r.output


def test_oidc_seam_maps_a_verified_identity_to_an_account(
    engine: Any, settings: Settings, users: Any
) -> None:
    oidc = settings.model_copy(
        update={
            "oidc_issuer": "https://login.kunta.example/",
            "oidc_client_id": "rajapiste",
            "oidc_redirect_uri": "https://rajapiste.kunta.example/api/v1/auth/oidc/callback",
        }
    )
    config = identity.configured(oidc)
    assert config is not None and identity.configured(settings) is None
    assert config.discovery_url == "https://login.kunta.example/.well-known/openid-configuration"
    assert "code_challenge_method=S256" in config.authorization_query("s", "n", "c")
    officer = TEST_USERS["officer"][0]
    who = identity.ExternalIdentity("https://login.kunta.example", "sub-1", officer.upper(), True)
    with engine.connect() as conn:
        issued = identity.sign_in_external(conn, oidc, who)
        assert accounts.user_for_token(conn, issued.token) == users["officer"]
        refused = [
            who.__class__(who.issuer, "sub-2", "stranger@test.invalid", True),  # no account
            who.__class__(who.issuer, "sub-1", officer, False),  # e-mail not verified
            who.__class__("https://evil.example", "sub-1", officer, True),  # other issuer
        ]
        for other in refused:
            with pytest.raises(accounts.InvalidCredentials):
                identity.sign_in_external(conn, oidc, other)
        with pytest.raises(accounts.InvalidCredentials):
            identity.sign_in_external(conn, settings, who)  # no provider configured


def test_parallel_guesses_count_one_by_one(app: Any, settings: Settings, person: str) -> None:
    """Sixteen guesses at once all read a count of 0 and were all checked: now the limit holds."""
    from concurrent.futures import ThreadPoolExecutor

    limit = settings.sign_in_max_failures_account_address

    def guess(_: int) -> int:
        with _client(app, "10.0.7.1") as c:
            return int(_sign_in(c, person, "guess guess guess").status_code)

    with ThreadPoolExecutor(max_workers=16) as pool:
        codes = sorted(pool.map(guess, range(16)))
    assert codes.count(401) == limit and codes.count(429) == 16 - limit, codes
