"""The audit trail document: who read whose owner data, when, where."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel


class AuditEntry(BaseModel):
    """One response that held personal owner data: the reader, the endpoint, the units."""

    id: int
    at: dt.datetime
    user_id: int | None
    user_email: str
    role: str
    endpoint: str
    property_ids: list[str]
    application_id: int | None = None


class AuditLog(BaseModel):
    """Audit rows, newest first; `truncated` when the limit cut the list."""

    entries: list[AuditEntry]
    truncated: bool
