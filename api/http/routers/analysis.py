"""Site analysis."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import Connection

from api.http.auth import CallerTokenDep
from api.http.deps import SettingsDep, with_conn
from api.http.lang import LangDep
from api.schemas.analysis import SiteAnalysis
from api.schemas.problem import errors
from api.schemas.requests import SiteAnalysisIn
from api.services import analysis, privacy

router = APIRouter(prefix="/api/v1/analysis", tags=["analysis"])


@router.post("/site", responses=errors(401, 404, 422))
async def analyse_site(
    request: Request,
    body: SiteAnalysisIn,
    settings: SettingsDep,
    who: CallerTokenDep,
    lang: LangDep,
) -> SiteAnalysis:
    """Which plans apply, which decision the site needs, setbacks, neighbours, fees and coverage.

    A site with no parcel data under it answers 422 with code `outside_data`.
    """

    def work(conn: Connection) -> SiteAnalysis:
        caller = who.resolve(conn)
        return privacy.disclose_analysis(conn, caller, analysis.analyse(conn, settings, body, lang))

    return await with_conn(request, work)  # one hop, no BEGIN (deps.with_conn)
