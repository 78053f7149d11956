"""Database faults as problem documents: down or busy → 503 with Retry-After, too slow → 504.

Input the database refuses (a NUL character, a number out of its range) is the client's
fault: 422; a change that conflicts with a stored row (a unique key, a row referred to) is 409
`conflict`. A write refused by a read replica (a hot standby) is 503 `read_only`, which the
replica routing (`reads.ReadRouting`) answers by running the read again on the primary; a
replica's read that needs the primary when it cannot answer (down, busy or too slow) is 503
`sign_in_unavailable` (checking a token) or `audit_unavailable` (taking the audit row of
personal data), and the replica stays in turn.
Everything else stays an internal error (500, logged by `security.py`).
"""

from __future__ import annotations

import logging

import psycopg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa

from api.http.errors import problem
from api.storage.engine import PrimaryUnavailable

log = logging.getLogger("rajapiste.db")
QUERY_CANCELED = "57014"  # the statement timeout fired
# a stored row the change conflicts with: a unique key, a row referred to (deleted meanwhile),
# an exclusion constraint. Other integrity errors (NOT NULL, CHECK) are the service's own bug.
CONFLICTS = {"23505", "23503", "23P01"}
READ_ONLY = "read_only"  # the code of a write a read replica refused
DB_FAULT = "db_fault"  # the code of the database fault a request answered
PRIMARY_FAILED = "primary_failed"  # a replica's read whose step on the primary failed


def _classify(error: BaseException, retry_after: int) -> tuple[int, str, str, int | None]:
    """The status, code, detail and Retry-After of a database error."""
    orig = getattr(error, "orig", None) or error
    # psycopg 3 names the SQLSTATE `sqlstate`; psycopg2 (pygeoapi's /ogc provider) `pgcode`
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if isinstance(orig, psycopg.errors.QueryCanceled) or state == QUERY_CANCELED:
        return (
            504,
            "statement_timeout",
            "the database did not answer within the "
            "statement timeout: narrow the request (a smaller area or bbox)",
            None,
        )
    if isinstance(orig, psycopg.errors.LockNotAvailable):
        return 503, "busy", "the record is being changed by another request", 1
    if isinstance(orig, psycopg.DataError) or isinstance(error, sa.DataError):
        reason = str(orig).splitlines()[0] if str(orig) else "invalid value"
        if "NUL" in reason or "0x00" in reason:
            reason = "text may not contain NUL (0x00) characters"
        return 422, "invalid_value", f"the database refused a value: {reason}", None
    if isinstance(error, sa.TimeoutError):
        return 503, "busy", "all database connections are in use: try again shortly", 1
    return 503, "database_unavailable", "the database is not reachable", retry_after


def _retry_after(request: Request) -> int:
    settings = getattr(request.app.state, "settings", None)
    return int(getattr(settings, "retry_after_s", 5))


async def _db_error(request: Request, error: Exception) -> JSONResponse:
    status, code, detail, retry = _classify(error, _retry_after(request))
    request.scope.setdefault("state", {})[DB_FAULT] = code  # for the replica routing
    if status >= 500:
        log.warning("%s on %s %s: %s", code, request.method, request.url.path, type(error).__name__)
    headers = {"Retry-After": str(retry)} if retry else None
    return problem(status, code, detail, request.url.path, headers, code=code)


async def _integrity(request: Request, error: Exception) -> JSONResponse:
    """A change that conflicts with a stored row: 409, logged (a check may be missing); else a 500."""
    orig = getattr(error, "orig", None) or error
    if getattr(orig, "sqlstate", None) not in CONFLICTS:
        raise error
    reason = str(orig).splitlines()[0] if str(orig) else "a constraint"
    log.warning("conflict on %s %s: %s", request.method, request.url.path, reason)
    detail = f"the change conflicts with stored data: {reason}"
    return problem(409, "conflict", detail, request.url.path, code="conflict")


async def _internal(request: Request, error: Exception) -> JSONResponse:
    """A write refused by a read replica: 503, marked for the replica routing; else a 500."""
    orig = getattr(error, "orig", None) or error
    state = request.scope.setdefault("state", {})
    on_replica = state.get("replica_index") is not None
    if not (on_replica and isinstance(orig, psycopg.errors.ReadOnlySqlTransaction)):
        raise error
    state[READ_ONLY] = True
    log.warning("a read replica refused a write on %s %s", request.method, request.url.path)
    detail = "a read replica refused a write: run the request on the primary"
    return problem(503, READ_ONLY, detail, request.url.path, {"Retry-After": "1"}, code=READ_ONLY)


async def _primary_unavailable(request: Request, error: Exception) -> JSONResponse:
    """A replica's read needed the primary, which failed: 503, no fault of the replica's."""
    code = error.code if isinstance(error, PrimaryUnavailable) else PRIMARY_FAILED
    request.scope.setdefault("state", {})[PRIMARY_FAILED] = True
    cause = error.__cause__ if isinstance(error.__cause__, Exception) else error
    _, why, _, retry = _classify(cause, _retry_after(request))
    log.warning("%s (%s) on %s %s", code, why, request.method, request.url.path)
    headers = {"Retry-After": str(retry or 1)}
    return problem(503, code, str(error), request.url.path, headers, code=code)


def install(app: FastAPI) -> None:
    """Install the handlers of database faults."""
    app.add_exception_handler(PrimaryUnavailable, _primary_unavailable)
    app.add_exception_handler(sa.IntegrityError, _integrity)
    app.add_exception_handler(psycopg.IntegrityError, _integrity)
    app.add_exception_handler(sa.InternalError, _internal)
    app.add_exception_handler(psycopg.InternalError, _internal)
    for kind in (
        sa.OperationalError,
        sa.InterfaceError,
        sa.DataError,
        sa.TimeoutError,
        psycopg.OperationalError,
        psycopg.InterfaceError,
        psycopg.DataError,
    ):
        app.add_exception_handler(kind, _db_error)
