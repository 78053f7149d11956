"""The audit trail of personal-data reads, for admins."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from api.http.auth import UserDep
from api.http.deps import ConnDep
from api.schemas.audit import AuditLog
from api.schemas.problem import errors
from api.services import audit
from api.services.policy import require_role

router = APIRouter(prefix="/api/v1", tags=["privacy"])


@router.get("/audit", responses=errors(401, 403, 422))
def audit_log(
    user: UserDep,
    conn: ConnDep,
    from_: Annotated[
        dt.date | None, Query(alias="from", description="first day (Helsinki time)")
    ] = None,
    to: Annotated[dt.date | None, Query(description="last day, included")] = None,
    user_email: Annotated[
        str | None, Query(alias="user", description="the reader's e-mail")
    ] = None,
    property_id: Annotated[str | None, Query(description="a unit shown, in any form")] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> AuditLog:
    """Who read whose owner data, when and where (admins only)."""
    require_role(user, "admin")
    return audit.entries(conn, from_, to, user_email, property_id, limit)
