"""Street-excavation rules (domain.md section 4): dig areas, findings, lifecycle, fees."""

from geo.excavation.conditions import standard
from geo.excavation.dig import (
    KINDS,
    Phase,
    cells_near,
    check_period,
    dig_area,
    drawn_line,
    lead_time_short,
)
from geo.excavation.fees import fee
from geo.excavation.findings import (
    NOT_GRANTABLE,
    Check,
    PhaseRows,
    for_phase,
    grantable,
    needs_opposite,
)
from geo.excavation.lifecycle import (
    NEXT_STATES,
    STATES,
    check_step_date,
    decision,
    guarantee_end,
    inspections,
    transition,
)

__all__ = [
    "NOT_GRANTABLE",
    "grantable",
    "KINDS",
    "NEXT_STATES",
    "STATES",
    "Check",
    "Phase",
    "PhaseRows",
    "cells_near",
    "check_period",
    "dig_area",
    "drawn_line",
    "fee",
    "for_phase",
    "check_step_date",
    "decision",
    "guarantee_end",
    "inspections",
    "lead_time_short",
    "needs_opposite",
    "standard",
    "transition",
]
