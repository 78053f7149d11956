"""Site analysis by subject: plans and zones, setbacks, building right, derived flags, fees."""

from geo.siteplan.analyse import analyse
from geo.siteplan.fees import fees
from geo.siteplan.model import PLAN_KINDS, USES, Building, Context, PlanArea, check_buildings

__all__ = [
    "PLAN_KINDS",
    "USES",
    "Building",
    "Context",
    "PlanArea",
    "analyse",
    "check_buildings",
    "fees",
]
