"""Site analysis."""

from __future__ import annotations

from fastapi import APIRouter

from api.http.auth import CallerDep
from api.http.deps import ConnDep, SettingsDep
from api.schemas.analysis import SiteAnalysis
from api.schemas.problem import errors
from api.schemas.requests import SiteAnalysisIn
from api.services import analysis, privacy

router = APIRouter(prefix="/api/v1/analysis", tags=["analysis"])


@router.post("/site", responses=errors(401, 404, 422))
def analyse_site(
    body: SiteAnalysisIn, conn: ConnDep, settings: SettingsDep, caller: CallerDep
) -> SiteAnalysis:
    """Which plans apply, which decision the site needs, setbacks, neighbours and fees."""
    return privacy.disclose_analysis(conn, caller, analysis.analyse(conn, settings, body))
