"""The audit trail of personal-data reads, its export and the retention purge.

A row says who read which units' owner data, when, through which endpoint and for which
application; never the names, addresses or identity codes themselves.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from sqlalchemy import Connection, Engine

from api.schemas.audit import AuditEntry, AuditLog
from api.services import office
from api.services.policy import InvalidToken, User
from api.settings import Settings
from api.storage.engine import fetch_all, on_primary, primary_of
from api.storage.sqlfiles import query
from geo import property_id as pid_mod
from geo.errors import InvalidInput

EXPORT_HEADER = ("at", "user_email", "role", "endpoint", "property_ids", "application_id")


def record(
    conn: Connection,
    user: User | None,
    endpoint: str,
    property_ids: list[str],
    application_id: int | None = None,
) -> None:
    """Write one audit row for a response holding these units' personal owner data, and commit.

    The caller has read the data on `conn`: the row commits there (with the read's
    transaction, or on its own on a connection in autocommit, as the hot endpoints use), so
    a response with personal data is never sent without its row. When `conn` is a read
    replica's, which refuses writes, the row commits on the primary instead
    (`_record_on_primary`: InvalidToken when the primary no longer accepts the request's
    token, PrimaryUnavailable `audit_unavailable` when it cannot take the row).
    """
    if not property_ids:
        return
    if user is None:  # pragma: no cover - the policy never shows owners to anonymous callers
        raise RuntimeError("personal data shown to an anonymous caller")
    row = {
        "user_id": user.id,
        "user_email": user.email,
        "role": user.role,
        "endpoint": endpoint,
        "property_ids": sorted(set(property_ids)),
        "application_id": application_id,
    }
    primary = primary_of(conn)
    if primary is not None:
        _record_on_primary(primary, row, user.token_sha256)
        return
    conn.execute(query("audit_insert"), row)
    conn.commit()


AUDIT_UNAVAILABLE = "audit_unavailable"  # the primary did not take a replica's read's row


def _record_on_primary(primary: Engine, row: dict[str, Any], token_sha256: bytes | None) -> None:
    """Commit the audit row of a read served by a replica on the primary.

    Only while the token the user signed in with on this request is live there and the
    account enabled: the replica's copy of the accounts may lag behind a sign-out, a new
    password or a disabled account, and personal data is not shown on a token the primary
    no longer accepts (401 invalid_token).
    """
    detail = (
        "the primary database did not take the audit row of this read of personal data: "
        "try again shortly"
    )
    with on_primary(primary, AUDIT_UNAVAILABLE, detail) as writer:
        written = writer.execute(
            query("audit_insert_signed_in"), {**row, "digest": token_sha256}
        ).rowcount
    if not written:
        raise InvalidToken("the sign-in token is no longer valid on the primary: sign in again")


def entries(
    conn: Connection,
    start: dt.date | None,
    end: dt.date | None,
    user_email: str | None = None,
    property_id: str | None = None,
    limit: int = 1000,
) -> AuditLog:
    """Audit rows in a period (Finnish calendar days, both ends included), newest first."""
    if start and end and end < start:
        raise InvalidInput(f"to ({end}) is before from ({start})")
    rows = fetch_all(
        conn,
        "audit_list",
        start=start,
        end=end,
        user_email=user_email.strip().lower() if user_email else None,
        property_id=pid_mod.normalise(property_id) if property_id else None,
        lim=limit + 1,  # one more says whether there are more
    )
    return AuditLog(
        entries=[AuditEntry.model_validate(r) for r in rows[:limit]],
        truncated=len(rows) > limit,
    )


def export_csv(log: AuditLog) -> str:
    """The audit rows as CSV (unit ids separated by spaces)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(EXPORT_HEADER)
    for e in log.entries:
        row = (e.at.isoformat(), e.user_email, e.role, e.endpoint, " ".join(e.property_ids))
        w.writerow([*(office.sheet_cell(c) for c in row), e.application_id or ""])
    return buf.getvalue()


def purge_withdrawn_applications(conn: Connection, days: int) -> int:
    """Clear the personal data of applications withdrawn more than `days` ago; return how many.

    Their description, parties, attachments, the addressees' names, addresses and remarks
    and the owners kept in their frozen analyses go; the case's kind, site and dates stay.
    """
    return int(fetch_all(conn, "purge_withdrawn_applications", days=days)[0]["cleared"])


def purge(conn: Connection, settings: Settings) -> dict[str, Any]:
    """Delete what the retention settings no longer allow to keep; committed."""
    audit_rows = conn.execute(
        query("purge_audit"), {"days": settings.audit_retention_days}
    ).rowcount
    sign_in = fetch_all(conn, "purge_sign_in", window_minutes=settings.sign_in_window_minutes)[0]
    permits = conn.execute(
        query("purge_withdrawn_permits"), {"days": settings.withdrawn_retention_days}
    ).rowcount
    applications = purge_withdrawn_applications(conn, settings.withdrawn_retention_days)
    conn.commit()
    return {
        "audit_rows": audit_rows,
        "expired_tokens": int(sign_in["tokens"]),
        "old_sign_in_failures": int(sign_in["failures"]),
        "withdrawn_permits_cleared": permits,
        "withdrawn_applications_cleared": applications,
    }
