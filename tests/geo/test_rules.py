import datetime as dt
from pathlib import Path

import pytest

from api import rulesets
from api.settings import RULESETS_DIR
from geo.rules import RulesetError, resolve, validate_document

NATIONAL = rulesets.load_all(RULESETS_DIR)["default"][1]


def test_shipped_rulesets_validate() -> None:
    codes = rulesets.known_codes(RULESETS_DIR)
    assert {"405", "320", "285", "244"} <= set(codes)


def test_lappeenranta_letter_fee_and_national_defaults() -> None:
    r = rulesets.rules_for(RULESETS_DIR, "405", dt.date(2026, 3, 1))
    assert r.hearing.fee_per_letter_eur == 56.0
    assert r.hearing.period_days == 7
    assert r.neighbours.adjacent_tolerance_m == 0.5


def test_regime_dependent_default_applies_to_every_municipality() -> None:
    assert (
        rulesets.rules_for(RULESETS_DIR, "405", dt.date(2024, 6, 1)).setbacks.boundary_min_m == 5.0
    )
    assert (
        rulesets.rules_for(RULESETS_DIR, "405", dt.date(2025, 6, 1)).setbacks.boundary_min_m == 4.0
    )


def test_unknown_key_is_an_error_naming_file_and_key() -> None:
    with pytest.raises(
        RulesetError, match=r"x\.toml: unknown key\(s\) in \[hearing\]: fee_per_leter_eur"
    ):
        validate_document("x.toml", {"hearing": {"fee_per_leter_eur": 56}})


def test_wrong_type_and_order() -> None:
    with pytest.raises(RulesetError, match="must be a number"):
        validate_document("x.toml", {"hearing": {"fee_per_letter_eur": "56"}})
    with pytest.raises(RulesetError, match="date order"):
        validate_document(
            "x.toml",
            {
                "versions": [
                    {"effective_from": dt.date(2025, 1, 1)},
                    {"effective_from": dt.date(2024, 1, 1)},
                ]
            },
        )


def test_versions_apply_by_date(tmp_path: Path) -> None:
    doc = {
        "hearing": {"period_days": 7},
        "versions": [{"effective_from": dt.date(2026, 1, 1), "hearing": {"period_days": 14}}],
    }
    assert resolve("t", NATIONAL, doc, dt.date(2025, 12, 31)).hearing.period_days == 7
    assert resolve("t", NATIONAL, doc, dt.date(2026, 1, 1)).hearing.period_days == 14
