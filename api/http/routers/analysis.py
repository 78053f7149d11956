"""Site analysis."""

from __future__ import annotations

from fastapi import APIRouter

from api.http.auth import CallerDep
from api.http.deps import ConnDep, SettingsDep
from api.http.lang import LangDep
from api.schemas.analysis import SiteAnalysis
from api.schemas.problem import errors
from api.schemas.requests import SiteAnalysisIn
from api.services import analysis, privacy

router = APIRouter(prefix="/api/v1/analysis", tags=["analysis"])


@router.post("/site", responses=errors(401, 404, 422))
def analyse_site(
    body: SiteAnalysisIn, conn: ConnDep, settings: SettingsDep, caller: CallerDep, lang: LangDep
) -> SiteAnalysis:
    """Which plans apply, which decision the site needs, setbacks, neighbours, fees and coverage.

    A site with no parcel data under it answers 422 with code `outside_data`.
    """
    doc = analysis.analyse(conn, settings, body, lang)
    return privacy.disclose_analysis(conn, caller, doc)
