"""Local accounts: argon2 password hashes, opaque sign-in tokens, throttled failed sign-ins.

A token is 32 random bytes given to the client once; the database keeps only its SHA-256
digest with an expiry, so a stolen database holds no usable token and sign-out (deleting
the row) revokes it at once. Failed sign-ins are counted in the database per account and
per client address, so the limit holds across uvicorn workers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from api.services.policy import ROLES, NotSignedIn, TooManyAttempts, User
from api.settings import Settings
from api.storage.engine import fetch_all, on_primary, primary_of
from api.storage.sqlfiles import query
from geo import property_id
from geo.errors import Conflict, InvalidInput, NotFound

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
EMAIL_MAX = 254  # RFC 5321 4.5.3.1.3: a path of at most 256 octets, its brackets included


class InvalidCredentials(NotSignedIn):
    """Wrong e-mail or password, or a disabled account (the answer never says which)."""

    code = "invalid_credentials"


@dataclass(frozen=True, slots=True)
class Issued:
    """A new sign-in token (shown to the client once) and when it expires."""

    token: str
    expires_at: dt.datetime
    user: User


@lru_cache(maxsize=1)
def hasher() -> PasswordHasher:
    """The argon2id hasher (the library's recommended parameters)."""
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Verifying against this when the account does not exist takes as long as a real check,
    # so the answer time does not tell which e-mail addresses have accounts.
    return hasher().hash(secrets.token_urlsafe(16))


def digest(token: str) -> bytes:
    """The stored form of a token: its SHA-256 (a 256-bit random token needs no slow hash)."""
    return hashlib.sha256(token.encode()).digest()


def normalise_email(email: str) -> str:
    """Lower-case and strip an e-mail address; refuse one that is not an address."""
    value = email.strip().lower()
    if len(value) > EMAIL_MAX:
        raise InvalidInput(f"an e-mail address is at most {EMAIL_MAX} characters")
    if not EMAIL.match(value):
        raise InvalidInput(f"{email!r} is not an e-mail address")
    return value


def check_password(settings: Settings, password: str) -> None:
    """Refuse a password that is too short (the message never repeats the password)."""
    if len(password) < settings.password_min_length:
        raise InvalidInput(
            f"the password must be at least {settings.password_min_length} characters"
        )


def _user(row: dict[str, Any], token_sha256: bytes | None = None) -> User:
    return User(
        id=row["id"],
        email=row["email"],
        role=row["role"],
        municipality=row["municipality"],
        token_sha256=token_sha256,
    )


def add_user(
    conn: Connection,
    settings: Settings,
    email: str,
    role: str,
    municipality: str | None,
    password: str | None,
) -> User:
    """Add an account (committed); officers must name their municipality."""
    address = normalise_email(email)
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    code = None if municipality is None else property_id.municipality_code(municipality)
    if municipality is not None and code is None:
        raise InvalidInput(f"municipality {municipality!r} is not a code like 091")
    if role == "officer" and code is None:
        raise InvalidInput(
            "an officer needs --municipality (the code of the municipality they act for)"
        )
    if password is not None:
        check_password(settings, password)
    params = {
        "email": address,
        "role": role,
        "municipality": code,
        "password_hash": hasher().hash(password) if password is not None else None,
    }
    try:
        row = fetch_all(conn, "user_insert", **params)[0]
    except IntegrityError:
        conn.rollback()
        raise Conflict(f"an account for {address} already exists", email=address) from None
    conn.commit()
    return _user(row)


def list_users(conn: Connection) -> list[dict[str, Any]]:
    """Every account (without password hashes)."""
    return fetch_all(conn, "user_list")


def _account(conn: Connection, email: str) -> dict[str, Any]:
    rows = fetch_all(conn, "user_by_email", email=normalise_email(email))
    if not rows:
        raise NotFound(f"no account for {email.strip().lower()}", email=email.strip().lower())
    return rows[0]


def set_disabled(conn: Connection, email: str, disabled: bool) -> None:
    """Disable (signing the account out everywhere) or enable an account; committed."""
    row = _account(conn, email)
    conn.execute(query("user_set_disabled"), {"email": row["email"], "disabled": disabled})
    if disabled:
        conn.execute(query("token_delete_user"), {"user_id": row["id"]})
    conn.commit()


def set_password(conn: Connection, settings: Settings, email: str, password: str) -> None:
    """Give an account a new password and sign it out everywhere; committed."""
    check_password(settings, password)
    row = _account(conn, email)
    conn.execute(
        query("user_set_password"), {"id": row["id"], "password_hash": hasher().hash(password)}
    )
    conn.execute(query("token_delete_user"), {"user_id": row["id"]})
    conn.commit()


def _throttle(conn: Connection, settings: Settings, email: str, address: str) -> None:
    """Refuse a sign-in after too many recent failures (429 with the seconds to wait).

    Counted per account from this address, per account from everywhere, and per address. A
    few wrong passwords lock the account only for the address they came from: no one can lock
    another user out from afar with `sign_in_max_failures_account_address` tries.
    """
    limits = (
        ("pair", f"{email} {address}", settings.sign_in_max_failures_account_address),
        ("account", email, settings.sign_in_max_failures_account),
        ("address", address, settings.sign_in_max_failures_address),
    )
    for scope, key, limit in limits:
        row = fetch_all(
            conn,
            "sign_in_failures",
            scope=scope,
            key=key,
            window_minutes=settings.sign_in_window_minutes,
        )[0]
        if row["n"] >= limit:
            wait = max(int(row["retry_after_s"]), 1)
            raise TooManyAttempts(
                f"too many failed sign-ins for this {scope}: try again in {wait} s", wait
            )


def _verified(conn: Connection, email: str, password: str) -> dict[str, Any] | None:
    """The account row when the password is right and the account enabled; else None."""
    rows = fetch_all(conn, "user_by_email", email=email)
    row = rows[0] if rows else None
    stored = row["password_hash"] if row and row["password_hash"] else _dummy_hash()
    try:
        hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or row["disabled"] or not row["password_hash"]:
        return None
    if hasher().check_needs_rehash(stored):
        conn.execute(
            query("user_set_password"), {"id": row["id"], "password_hash": hasher().hash(password)}
        )
    return row


def issue_token(conn: Connection, settings: Settings, user: User) -> Issued:
    """Create a sign-in token for a user (committed)."""
    token = secrets.token_urlsafe(32)
    expires = conn.execute(
        query("token_insert"),
        {"digest": digest(token), "user_id": user.id, "ttl_minutes": settings.token_ttl_minutes},
    ).scalar_one()
    conn.execute(query("user_signed_in"), {"id": user.id})
    conn.commit()
    return Issued(token, expires, user)


def sign_in(
    conn: Connection, settings: Settings, email: str, password: str, address: str
) -> Issued:
    """Check an e-mail and password and issue a token; failures are counted and throttled."""
    try:
        account = normalise_email(email)
    except InvalidInput:  # counted all the same, under a key the index can hold
        account = email.strip().lower()[:EMAIL_MAX]
    fetch_all(conn, "sign_in_lock", email=account)  # until the failure is counted (or not)
    _throttle(conn, settings, account, address)
    row = _verified(conn, account, password)
    if row is None:
        conn.execute(query("sign_in_failure_insert"), {"email": account, "address": address})
        conn.commit()  # the failure must count even though this request fails
        raise InvalidCredentials("wrong e-mail or password")
    conn.execute(query("sign_in_failures_clear"), {"email": account, "address": address})
    return issue_token(conn, settings, _user(row))


SIGN_IN_UNAVAILABLE = "sign_in_unavailable"  # the primary could not say whether a token is live


def user_for_token(conn: Connection, token: str) -> User | None:
    """The user a live token belongs to; None when it is unknown, expired or revoked.

    Asked of the primary when `conn` is a read replica's: a replica's copy of the accounts
    lags behind a sign-out, a new password or a disabled account (and a sign-in just made),
    and a token the primary no longer accepts opens nothing. With the primary down, a signed-in
    read answers 503 `sign_in_unavailable` (an anonymous one is still served).
    """
    sha256 = digest(token)
    primary = primary_of(conn)
    if primary is None:
        rows = fetch_all(conn, "token_user", digest=sha256)
    else:
        detail = "the primary database could not check the sign-in token: try again shortly"
        with on_primary(primary, SIGN_IN_UNAVAILABLE, detail) as checked:
            rows = fetch_all(checked, "token_user", digest=sha256)
    return _user(rows[0], sha256) if rows else None


def sign_out(conn: Connection, token: str) -> None:
    """Revoke a token (committed)."""
    conn.execute(query("token_delete"), {"digest": digest(token)})
    conn.commit()


DEMO_ROLES: tuple[tuple[str, str], ...] = (
    ("applicant", "hakija"),
    ("contractor", "urakoitsija"),
    ("officer", "viranomainen"),
    ("admin", "yllapito"),
)


def ensure_demo_users(
    conn: Connection, settings: Settings, municipality: str
) -> list[tuple[User, str]]:
    """Create one demo account per role when there are no accounts at all; return (user, password)."""
    if fetch_all(conn, "user_count")[0]["n"]:
        return []
    made = []
    for role, name in DEMO_ROLES:
        password = secrets.token_urlsafe(12)
        code = municipality if role == "officer" else None
        user = add_user(conn, settings, f"{name}@demo.rajapiste.invalid", role, code, password)
        made.append((user, password))
    return made
