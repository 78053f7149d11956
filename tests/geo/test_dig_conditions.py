"""The usual conditions of a dig permit, from hand-made phases and findings."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import shapely

from api import rulesets
from api.settings import RULESETS_DIR
from geo import excavation as ex
from geo.errors import InvalidInput

DAY = dt.date(2027, 5, 3)


def _phase(n: int, carriageway: bool, plan: str | None) -> ex.Phase:
    box = shapely.box(0, 10 * n, 4, 10 * n + 2)
    return ex.Phase(n, [box], DAY, DAY + dt.timedelta(days=4), carriageway, plan)


def test_one_phase_has_no_phase_references_and_ends_with_the_guarantee() -> None:
    rules = rulesets.rules_for(RULESETS_DIR, "244", DAY).excavation
    said = ex.standard([_phase(1, False, None)], [], rules)
    assert [c["key"] for c, _ in said] == ["dig_condition.cables", "dig_condition.inspections"]
    assert said[-1][0]["years"] == rules.guarantee_years and all(w is None for _, w in said)


def test_several_phases_name_the_phases_each_condition_is_about() -> None:
    rules = dataclasses.replace(
        rulesets.rules_for(RULESETS_DIR, "244", DAY).excavation, guarantee_years=3
    )
    phases = [_phase(1, True, "LM-2"), _phase(2, False, None), _phase(3, True, "LM-7")]
    findings = [
        {"code": "access_affected", "phase": 1},
        {"code": "access_affected", "phase": 3},
        {"code": "access_affected", "phase": 3, "side": "opposite"},
        {"code": "clash", "phase": 2},
        {"code": "lead_time", "phase": 1},  # answered by no condition
    ]
    said = ex.standard(phases, findings, rules)
    got = [(c["key"], c.get("plan"), w and (w["key"], w["phases"])) for c, w in said]
    assert got == [
        ("dig_condition.cables", None, None),
        ("dig_condition.traffic_plan", "LM-2", ("dig_condition.phase", "1")),
        ("dig_condition.traffic_plan", "LM-7", ("dig_condition.phase", "3")),
        ("dig_condition.access", None, ("dig_condition.phases", "1, 3")),
        ("dig_condition.opposite_parking", None, ("dig_condition.phase", "3")),
        ("dig_condition.coordinate", None, ("dig_condition.phase", "2")),
        ("dig_condition.inspections", None, None),
    ]
    assert said[-1][0]["years"] == 3


def test_a_step_records_conditions_with_an_approval_and_a_reason_with_a_refusal() -> None:
    assert ex.decision("approved", [" a ", "", "  ", "b"], None) == (["a", "b"], None)
    assert ex.decision("approved", None, " why ") == (None, "why")  # for the timeline
    assert ex.decision("refused", None, "  why ") == (None, "why")
    for new, conditions, reason in (("refused", None, " "), ("started", ["a"], None)):
        with pytest.raises(InvalidInput):
            ex.decision(new, conditions, reason)
