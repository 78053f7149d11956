"""Report an inaccuracy: a flag or finding a user says is wrong, for the officers to read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.http.auth import UserDep
from api.http.deps import ConnDep, SettingsDep
from api.schemas.problem import errors
from api.schemas.reports import (
    FlagReportCreated,
    FlagReportIn,
    FlagReports,
    FlagReportState,
    State,
)
from api.services import reports

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])


@router.post("", status_code=201, responses=errors(422))
def report(
    body: FlagReportIn, conn: ConnDep, settings: SettingsDep, user: UserDep
) -> FlagReportCreated:
    """Report an inaccurate flag (open to anyone; a signed-in reporter is recorded)."""
    return reports.create(conn, settings, body, user)


@router.get("", responses=errors(401, 403))
def list_reports(
    conn: ConnDep,
    user: UserDep,
    state: Annotated[State | None, Query(description="open, accepted or rejected")] = None,
) -> FlagReports:
    """Reports of the officer's municipality (an admin's: all), newest first."""
    return reports.list_for(conn, user, state)


@router.post("/{report_id}/state", responses=errors(401, 403, 404, 422))
def decide(
    report_id: int, body: FlagReportState, conn: ConnDep, user: UserDep
) -> FlagReportCreated:
    """Accept or reject a report (the municipality's officers; admins any)."""
    return reports.set_state(conn, user, report_id, body.state)
