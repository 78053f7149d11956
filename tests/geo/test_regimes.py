"""Legal regimes and shores (issue 9): MRL vs RakL site rules on both sides of each threshold,
statutory exceptions that say why, shore areas, whose shore numbers, periods, road authorities.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import LineString, box

from api import rulesets
from api.settings import RULESETS_DIR
from geo import regime, siteplan
from geo.rules import RulesetError, validate_document

D2024 = dt.date(2024, 6, 1)
D2025 = dt.date(2025, 6, 1)
NEIGHBOUR = "09100100010002"


def run(site: Any, buildings: list[Any], ctx: Any, day: dt.date, code: str = "285") -> dict:
    rules = rulesets.rules_for(RULESETS_DIR, code, day)
    return siteplan.analyse(site, buildings, ctx, rules, regime.for_date(day))


def codes(res: dict) -> set[str]:
    return {f["code"] for f in res["flags"]}


def bldg(x0: float, y0: float, use: str = "dwelling", floor: float = 100, h: float = 6) -> Any:
    return siteplan.Building(box(x0, y0, x0 + 10, y0 + 10), use, floor, h)


@pytest.mark.parametrize(
    "width,day,flagged",
    [
        (30, D2024, True),  # 1 500 m² under MRL: below 2 000 m²
        (30, D2025, False),  # 1 500 m² under RakL: at least 1 000 m²
        (40, D2024, False),  # 2 000 m² under MRL
        (39.9, D2024, True),
        (19.9, D2025, True),  # 995 m² under RakL
    ],
)
def test_site_area_minimum_by_regime(width: float, day: dt.date, flagged: bool) -> None:
    res = run(box(0, 0, width, 50), [], siteplan.Context(), day)
    assert ("site_area_below_minimum" in codes(res)) is flagged
    if flagged:
        f = next(f for f in res["flags"] if f["code"] == "site_area_below_minimum")
        want = ("MRL 116 §", 2000.0) if day < regime.SPLIT_DATE else ("RakL 45 §", 1000.0)
        assert (f["legal_basis"], f["minimum_m2"]) == want


def test_site_area_minimum_does_not_apply_in_a_detailed_plan() -> None:
    ctx = siteplan.Context(plans=[siteplan.PlanArea("detailed-plan", box(-50, -50, 100, 100))])
    assert "site_area_below_minimum" not in codes(run(box(0, 0, 30, 50), [], ctx, D2024))


@pytest.mark.parametrize("gap,ok", [(9.0, False), (10.0, True), (11.0, True)])
def test_mrl_ten_metres_to_a_neighbours_building(gap: float, ok: bool) -> None:
    site = box(0, 0, 50, 50)
    # the house's east wall at x = 35, the neighbour's building `gap` m east of it
    other = box(35 + gap, 10, 35 + gap + 10, 20)
    ctx = siteplan.Context(other_buildings=[(other, NEIGHBOUR)])
    res = run(site, [bldg(25, 10)], ctx, D2024)
    row = next(r for r in res["setbacks"] if r["rule"] == "neighbour_building")
    assert row["measured_m"] == pytest.approx(gap) and row["required_m"] == 10.0
    assert row["ok"] is ok and row["source"].startswith("MRA 57 §")
    consent = [f for f in res["flags"] if f.get("rule") == "neighbour_building"]
    if ok:
        assert not consent
    else:
        assert consent[0]["consent_from"] == NEIGHBOUR and consent[0]["legal_basis"] == "MRA 57 §"


def test_the_ten_metre_rule_is_mrls_only_and_not_in_detailed_plans() -> None:
    site, other = box(0, 0, 50, 50), box(44, 10, 54, 20)
    ctx = siteplan.Context(other_buildings=[(other, NEIGHBOUR)])
    rakl = run(site, [bldg(25, 10)], ctx, D2025)
    assert not [r for r in rakl["setbacks"] if r["rule"] == "neighbour_building"]
    ctx.plans = [siteplan.PlanArea("detailed-plan", box(-50, -50, 100, 100))]
    planned = run(site, [bldg(25, 10)], ctx, D2024)
    assert not [r for r in planned["setbacks"] if r["rule"] == "neighbour_building"]


@pytest.mark.parametrize("in_plan,ok,required", [(False, False, 5.0), (True, True, 4.0)])
def test_mrl_boundary_floor_applies_outside_plans_only(
    in_plan: bool, ok: bool, required: float
) -> None:
    ctx = siteplan.Context(units=[(NEIGHBOUR, box(-40, 0, 0, 40))])
    if in_plan:
        ctx.plans = [siteplan.PlanArea("detailed-plan", box(-100, -100, 100, 100))]
    res = run(box(0, 0, 40, 60), [bldg(4.5, 15, h=6)], ctx, D2024)
    row = next(r for r in res["setbacks"] if r["rule"] == "boundary")
    assert (row["ok"], row["required_m"]) == (ok, required)
    assert ("MRA 57 §" in row["source"]) is (not in_plan)


SHORE = LineString([(-100, 80), (200, 80)])  # 40 m north of a 40 × 40 site


@pytest.mark.parametrize(
    "use,existing,raised,basis",
    [
        ("sauna", True, False, "AKL 72 § 3 mom"),
        ("sauna", False, True, None),
        ("dwelling", True, True, None),
    ],
)
def test_shore_flag_exception_says_why(
    use: str, existing: bool, raised: bool, basis: str | None
) -> None:
    ctx = siteplan.Context(shorelines=[SHORE], existing_dwelling=existing)
    res = run(box(0, 0, 40, 40), [bldg(5, 5, use=use, floor=15)], ctx, D2025)
    assert ("shore_zone_without_shore_plan" in codes(res)) is raised
    if raised:
        f = next(f for f in res["flags"] if f["code"] == "shore_zone_without_shore_plan")
        assert "not an exception" in f["reason"] and f["exemption"] is None
        assert ("no existing dwelling" in f["reason"]) is (not existing)
    else:
        lifted = next(e for e in res["exemptions"] if e["code"] == "shore_zone_without_shore_plan")
        assert lifted["legal_basis"] == basis and lifted["raised"] is False
        assert "72 §" in lifted["source"] and lifted["buildings"] == [0]


def test_shore_exception_cites_mrl_before_2025() -> None:
    ctx = siteplan.Context(shorelines=[SHORE], existing_dwelling=True)
    res = run(box(0, 0, 40, 40), [bldg(5, 5, use="outbuilding", floor=15)], ctx, D2024)
    assert res["exemptions"][0]["legal_basis"] == "MRL 72 § 3 mom"


@pytest.mark.parametrize("existing,raised", [(True, False), (False, True)])
def test_planning_need_exception(existing: bool, raised: bool) -> None:
    ctx = siteplan.Context(
        plans=[siteplan.PlanArea("planning-need", box(-100, -100, 200, 200))],
        existing_dwelling=existing,
    )
    res = run(box(0, 0, 40, 40), [bldg(5, 5, use="sauna", floor=12)], ctx, D2025)
    assert ("planning_need_area" in codes(res)) is raised
    if not raised:
        assert res["exemptions"][0]["legal_basis"] == "RakL 46 § 2 mom"


@pytest.mark.parametrize("with_area,flagged", [(True, True), (False, False)])
def test_shore_area_polygon_counts_beyond_the_zone(with_area: bool, flagged: bool) -> None:
    far = LineString([(-100, 190), (300, 190)])  # 150 m from the site: outside the 100 m zone
    plans = [siteplan.PlanArea("shore-area", box(-50, -50, 300, 300), name="Rantavyöhyke Y")]
    ctx = siteplan.Context(shorelines=[far], plans=plans if with_area else [])
    res = run(box(0, 0, 40, 40), [], ctx, D2025)
    assert ("shore_zone_without_shore_plan" in codes(res)) is flagged
    if flagged:
        f = res["flags"][0]
        assert f["shore_area"] == "Rantavyöhyke Y" and "shore area" in f["reason"]


def _setback_source(rules_dir: Path, code: str) -> dict[str, Any]:
    rules = rulesets.rules_for(rules_dir, code, D2025)
    ctx = siteplan.Context(shorelines=[LineString([(-100, 60), (200, 60)])])
    res = siteplan.analyse(box(0, 0, 40, 40), [bldg(5, 5)], ctx, rules, regime.for_date(D2025))
    return next(r for r in res["setbacks"] if r["rule"] == "shoreline")


def test_shore_setbacks_say_whose_numbers(tmp_path: Path) -> None:
    row = _setback_source(RULESETS_DIR, "285")
    assert row["numbers_from"] == "national default (example: Kirkkonummi's building ordinance)"
    assert "Kotka" not in row["source"] and row["required_m"] == 50.0
    folder = tmp_path / "rules"
    folder.mkdir()
    shutil.copy(RULESETS_DIR / "default.toml", folder / "default.toml")
    (folder / "999.toml").write_text(
        'code = "999"\nname = "Testilä"\n[shore.setback_m]\ndwelling = 30.0\ndefault = 20.0\n'
        '[sources]\n"shore.setback_m" = "Testilän rakennusjärjestys 2025, 9 §"\n',
        encoding="utf-8",
    )
    own = _setback_source(folder, "999")
    assert own["numbers_from"] == "Testilä: Testilän rakennusjärjestys 2025, 9 §"
    assert own["required_m"] == 30.0


def test_appeal_and_validity_periods_by_regime() -> None:
    mrl = rulesets.rules_for(RULESETS_DIR, "405", D2024)
    rakl = rulesets.rules_for(RULESETS_DIR, "405", D2025)
    for r in (mrl, rakl):
        d = r.decisions
        assert (d.rectification_days, d.appeal_days) == (14, 30)
        assert (d.permit_start_years, d.permit_finish_years, d.deviation_valid_years) == (3, 5, 2)
    assert "MRL 187 §" in mrl.source("decisions.rectification_days")
    assert "Hallintolaki" in rakl.source("decisions.rectification_days")
    assert rakl.effective("decisions.appeal_days") == regime.SPLIT_DATE


CENTRES = ("Pirkanmaa", "Pohjois-Pohjanmaa", "Uudenmaa", "Lapin", "Kaakkois-Suomen")


@pytest.mark.parametrize(
    "code,centre",
    [
        ("244", "Pohjois-Pohjanmaan ELY-keskus"),
        ("091", "Uudenmaan ELY-keskus"),
        ("285", "Kaakkois-Suomen ELY-keskus"),
        ("405", "Kaakkois-Suomen ELY-keskus"),
        ("320", "Lapin ELY-keskus"),
    ],
)
def test_each_municipality_names_its_ely_centre(code: str, centre: str) -> None:
    r = rulesets.rules_for(RULESETS_DIR, code, D2025)
    assert r.hearing.road_authority_name.startswith(centre)
    assert r.source("hearing.road_authority_name")


def test_the_default_names_no_particular_ely_centre() -> None:
    name = rulesets.rules_for(RULESETS_DIR, "999", D2025).hearing.road_authority_name
    assert "ELY" in name and not any(c in name for c in CENTRES)


def test_an_exception_entry_must_be_complete() -> None:
    doc = {"exemptions": {"shore": {"x": {"uses": ["sauna"], "source": "s"}}}}
    with pytest.raises(RulesetError, match=r"exemptions\.shore\.x: .*missing"):
        validate_document("x.toml", doc)
    with pytest.raises(RulesetError, match="must be a number"):
        validate_document("x.toml", {"fees": {"foreman_eur": "60"}})
    ok = {"fees": {"foreman_eur": False}, "sources": {"fees": "taksa"}}  # false: not in the tariff
    validate_document("x.toml", ok)


def test_every_citation_is_said_in_swedish_and_english() -> None:
    """No Finnish abbreviation or word is left in a Swedish or English citation, and the
    section numbers stay as they are; Finnish and any other text are unchanged."""
    import re

    from geo import regime

    finnish = re.compile(r"\b(MRL|MRA|RakL|AKL|ja|Laki|asetus)\b|suunnittelutarve")
    for cited in regime.CITATIONS:
        assert regime.said_in("fi", cited) == cited
        for lang in ("sv", "en"):
            said = regime.said_in(lang, cited)
            assert not finnish.search(said), (lang, said)
            assert re.findall(r"\d+", said) == re.findall(r"\d+", cited), (lang, said)
    assert regime.said_in("sv", "Helsingin rakennusjärjestys 12 §") == (
        "Helsingin rakennusjärjestys 12 §"
    )
    assert regime.said_in("sv", "RakL 63 §") == "bygglagen 63 §"


def test_a_rule_files_citations_are_said_in_swedish_and_english() -> None:
    """Every exception's citation in every rule file, in every version: no Finnish
    abbreviation or "mom" left in Swedish or English, the numbers as they are. Text around a
    citation (a source's explanation) is not a citation and stays as it is."""
    import re
    from pathlib import Path

    from api import rulesets
    from geo import regime

    folder = Path(rulesets.__file__).parent
    finnish = re.compile(r"\b(MRL|MRA|RakL|AKL|ja)\b|\bmom\b(?!\.)")  # sv: "3 mom."
    cited = set()
    for code in (None, *rulesets.known_codes(folder)):
        for day in (dt.date(2024, 6, 1), dt.date(2025, 6, 1), dt.date(2026, 6, 1)):
            ex = rulesets.rules_for(folder, code, day).exemptions
            for e in (*ex.shore.values(), *ex.planning_need.values()):
                cited |= {e.legal_basis_mrl, e.legal_basis_rakl}
    assert "AKL 72 § 3 mom" in cited and "MRL 137 § 2 mom" in cited
    for c in sorted(cited):
        for lang in ("sv", "en"):
            said = regime.said_in(lang, c)
            assert not finnish.search(said), (lang, c, said)
            assert re.findall(r"\d+", said) == re.findall(r"\d+", c), (lang, said)
    assert regime.said_in("sv", "AKL 72 § 3 mom; MRL 137 § 2 mom") == (
        "områdesanvändningslagen 72 § 3 mom.; MBL 137 § 2 mom."
    )
    assert regime.said_in("en", "AKL 72 § 3 mom") == "Land Use Act 72 §, subsection 3"
    assert regime.said_in("sv", "AKL 72 § 3 mom: ranta") == "AKL 72 § 3 mom: ranta"
