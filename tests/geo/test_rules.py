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
    with pytest.raises(RulesetError, match=r"versions\[0\] needs effective_from = YYYY-MM-DD"):
        moment = dt.datetime(2025, 1, 1, 12, 0)  # TOML's 2025-01-01T12:00 is no day
        validate_document("x.toml", {"versions": [{"effective_from": moment}]})


def test_versions_apply_by_date(tmp_path: Path) -> None:
    doc = {
        "hearing": {"period_days": 7},
        "versions": [{"effective_from": dt.date(2026, 1, 1), "hearing": {"period_days": 14}}],
    }
    assert resolve("t", NATIONAL, doc, dt.date(2025, 12, 31)).hearing.period_days == 7
    assert resolve("t", NATIONAL, doc, dt.date(2026, 1, 1)).hearing.period_days == 14


def test_rules_of_any_day_equal_the_rules_resolved_on_that_very_day(tmp_path: Path) -> None:
    """Rules are cached by the version in force, not by day: no day may get another's rules.

    A municipality whose own version starts on a day the default's do not (2026-03-15), beside
    the shipped files. Every day around each change, and far before and after, is compared
    with the rules resolved on exactly that day without the cache.
    """
    for f in RULESETS_DIR.glob("*.toml"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "999.toml").write_text(
        'code = "999"\nname = "Testi"\nname_sv = "Test"\n\n[hearing]\nperiod_days = 9\n\n'
        '[sources]\n"hearing.period_days" = "test"\n\n'
        "[[versions]]\neffective_from = 2026-03-15\n\n[versions.hearing]\nperiod_days = 21\n\n"
        '[versions.sources]\n"hearing.period_days" = "test, from 2026-03-15"\n',
        encoding="utf-8",
    )
    exact = rulesets._rules_for.__wrapped__  # the uncached resolution on the given day
    folder = tmp_path.resolve()
    changes = {dt.date(2026, 3, 15)} | {  # and every version's day in the shipped files
        v["effective_from"]
        for _, doc in rulesets.load_all(RULESETS_DIR).values()
        for v in doc.get("versions", [])
    }
    days = [dt.date(1999, 12, 31), dt.date(2000, 1, 1), dt.date(2040, 1, 1)]
    for change in sorted(changes):
        days += [change + dt.timedelta(days=k) for k in (-1, 0, 1)]
    # every file's code, "91" as a caller may write it, and 555 (no file: the default's rules)
    for code in [*rulesets.known_codes(tmp_path), "91", "555", None]:
        for day in days:
            assert rulesets.rules_for(tmp_path, code, day) == exact(folder, code, day, False), (
                code,
                day,
            )
    around = [dt.date(2026, 3, 15) + dt.timedelta(days=k) for k in (-1, 0, 1)]
    periods = [rulesets.rules_for(tmp_path, "999", d).hearing.period_days for d in around]
    assert periods == [9, 21, 21]  # the day before the version, its first day, the day after
    assert rulesets.rules_for(tmp_path, "999", dt.date(2026, 3, 15)).effective_from == dt.date(
        2026, 3, 15
    )
