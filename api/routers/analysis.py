"""Site analysis."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import ConnDep, SettingsDep
from api.schemas import SiteAnalysisIn
from api.services import analysis

router = APIRouter(prefix="/api/v1/analysis", tags=["analysis"])


@router.post("/site")
def analyse_site(body: SiteAnalysisIn, conn: ConnDep, settings: SettingsDep) -> dict[str, Any]:
    """Which plans apply, which decision the site needs, setbacks, neighbours and fees."""
    return analysis.analyse(conn, settings, body)
