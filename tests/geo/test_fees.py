"""Fees from each municipality's own tariff (issue 9), every expected euro computed here by
hand from the tariff text in domain.md §5 / N8 — never from the rule files' tables.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from shapely.geometry import box

from api import rulesets
from api.settings import RULESETS_DIR
from geo import siteplan
from geo.siteplan.fees import FeeCase

DAY = dt.date(2026, 3, 1)
BELOW_MINIMUM = {"code": "site_area_below_minimum", "decision": "poikkeamispäätös"}
PLANNING_NEED = {"code": "planning_need_area", "decision": "suunnittelutarveratkaisu"}
MINOR = {"code": "minor_deviation_possible", "decision": "vähäinen poikkeaminen"}


def rules(code: str) -> Any:
    return rulesets.rules_for(RULESETS_DIR, code, DAY)


def b(use: str, floor: float) -> siteplan.Building:
    return siteplan.Building(box(0, 0, 10, 10), use, floor, 5.0)


def lines(doc: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [x for x in doc["lines"] if x["code"] == code]


def total(doc: dict[str, Any], code: str) -> D:
    return sum((x["eur"] for x in lines(doc, code)), D(0))


def test_kotka_house_and_shed_pay_one_base_fee() -> None:
    # Kotka: dwelling 300 € + 4.30 €/m², outbuilding 210 € + 2.60 €/m²; applied for together,
    # only the main building's base fee.
    doc = siteplan.fees([b("dwelling", 140), b("outbuilding", 20)], [], rules("285"))
    assert total(doc, "building_permit") == D("300") + 140 * D("4.30") + 20 * D("2.60")
    assert total(doc, "building_permit") == D("954.00")
    # the shed on its own pays its own base fee: 210 + 20 × 2.60
    alone = siteplan.fees([b("outbuilding", 20)], [], rules("285"))
    assert total(alone, "building_permit") == D("262.00")
    # every line names its code, source and effective date
    for line in doc["lines"]:
        assert line["source"] and line["effective_from"] == "2025-01-01"


def test_kotka_rounds_half_up_to_cents() -> None:
    # shelter 150 € + 2.15 €/m² × 2.3 m² = 154.945 €: half-up gives 154.95 (a float gives 154.94)
    doc = siteplan.fees([b("shelter", 2.3)], [], rules("285"))
    assert total(doc, "building_permit") == D("154.95")
    assert round(150 + 2.15 * 2.3, 2) == 154.94  # why money is never a float


def test_kotka_start_meeting_foremen_and_surveyor() -> None:
    buildings = [b("dwelling", 140), b("outbuilding", 20), b("outbuilding", 10)]
    doc = siteplan.fees(buildings, [], rules("285"), FeeCase(foremen=2))
    assert total(doc, "start_meeting") == D("110")
    assert total(doc, "foreman") == 2 * D("60")
    # city surveyor: 400 € a dwelling, 195 € an outbuilding, 140 € a small (< 15 m²) storage
    assert [x["eur"] for x in lines(doc, "surveying")] == [D("400"), D("195"), D("140")]
    # only outbuildings: no start meeting unless asked for
    sheds = siteplan.fees([b("outbuilding", 20)], [], rules("285"))
    assert not lines(sheds, "start_meeting") and total(sheds, "foreman") == D("60")


@pytest.mark.parametrize("who,eur", [("board", "420"), ("inspector", "270")])
def test_kotka_deviation_by_who_decides(who: str, eur: str) -> None:
    doc = siteplan.fees([], [BELOW_MINIMUM], rules("285"), FeeCase(decided_by=who))
    assert total(doc, "deviation") == D(eur) and lines(doc, "deviation")[0]["decided_by"] == who


@pytest.mark.parametrize(
    "who,alone,together", [("board", "420", "630"), ("inspector", "270", "420")]
)
def test_kotka_planning_need_alone_and_with_a_deviation(
    who: str, alone: str, together: str
) -> None:
    case = FeeCase(decided_by=who)
    doc = siteplan.fees([], [PLANNING_NEED], rules("285"), case)
    assert total(doc, "planning_need") == D(alone) and not lines(doc, "deviation")
    both = siteplan.fees([], [PLANNING_NEED, BELOW_MINIMUM], rules("285"), case)
    assert total(both, "deviation") == D(together) and not lines(both, "planning_need")
    assert lines(both, "deviation")[0]["includes"] == ["planning_need"]


def test_kotka_minor_deviation_and_kind() -> None:
    assert total(siteplan.fees([], [MINOR], rules("285")), "minor_deviation") == D("100")
    by_kind = siteplan.fees([], [], rules("285"), FeeCase(kind="minor_deviation"))
    assert total(by_kind, "minor_deviation") == D("100")


def test_kemijarvi_deviation_granted_and_refused_with_the_heavy_case_range() -> None:
    # Kemijärvi: 550 € granted, 275 € refused, up to +30 % for heavy cases; hearing included.
    granted = siteplan.fees([], [], rules("320"), FeeCase(kind="deviation"))
    line = lines(granted, "deviation")[0]
    assert line["eur"] == D("550") and line["eur_max"] == D("550") * D("1.30")
    assert "hearing" in line["note"]
    refused = siteplan.fees([], [], rules("320"), FeeCase(kind="deviation", outcome="refused"))
    line = lines(refused, "deviation")[0]
    assert line["eur"] == D("275.00") and line["eur_max"] == D("275") * D("1.30")
    assert refused["total_eur"] == D("275.00") and refused["total_max_eur"] == D("357.50")


def test_kemijarvi_has_no_planning_need_or_permit_fee() -> None:
    doc = siteplan.fees([b("dwelling", 100)], [PLANNING_NEED], rules("320"))
    assert doc["lines"] == [] and doc["total_eur"] is None and doc["configured"]
    missing = {m["code"] for m in doc["not_configured"]}
    assert {"planning_need", "building_permit"} <= missing and not doc["complete"]


def test_lappeenranta_letters_only_when_the_authority_hears_a_deviation() -> None:
    # 56 € a letter when the authority hears in deviation / planning-need cases; 5 neighbours'
    # letters and the ELY centre's letter: the ELY letter is not charged.
    r = rules("405")
    heard = FeeCase(kind="deviation", letters=6, road_letters=1)
    doc = siteplan.fees([], [], r, heard)
    hearing = lines(doc, "hearing_by_authority")[0]
    assert hearing["eur"] == 5 * D("56") and hearing["quantity"] == 5
    dev = lines(doc, "deviation")[0]
    assert dev["eur"] == D("580") and dev["eur_max"] == D("2000")
    applicant = FeeCase(kind="deviation", letters=6, road_letters=1, heard_by="applicant")
    assert not lines(siteplan.fees([], [], r, applicant), "hearing_by_authority")
    permit = FeeCase(kind="building_permit", letters=6, road_letters=1)
    assert not lines(siteplan.fees([], [], r, permit), "hearing_by_authority")
    refused = siteplan.fees([], [], r, FeeCase(kind="planning_need", outcome="refused"))
    line = lines(refused, "planning_need")[0]
    assert line["eur"] == D("290.00") and line["eur_max"] == D("1000.00")  # 50 %


@pytest.mark.parametrize("code", ["091", "244", "092"])
def test_no_tariff_no_euros(code: str) -> None:
    doc = siteplan.fees([b("dwelling", 140)], [BELOW_MINIMUM], rules(code), FeeCase(letters=4))
    assert doc["configured"] is False and doc["tariff"] is None
    assert doc["lines"] == [] and doc["total_eur"] is None
    assert "no tariff configured" in doc["note"]


def test_the_default_file_prices_nothing() -> None:
    national = rulesets.rules_for(RULESETS_DIR, None, DAY)
    f = national.fees
    assert f.building_base_eur is None and f.deviation_eur == {} and f.minor_deviation_eur is None
    assert national.excavation.flat_fee_eur is None and national.excavation.daily_fee_bands == {}


def test_a_tariff_applies_from_its_effective_date() -> None:
    # The files hold the tariffs as published, from 1.1.2025: a 2024 filing gets no euros.
    before = rulesets.rules_for(RULESETS_DIR, "320", dt.date(2024, 6, 1))
    doc = siteplan.fees([], [], before, FeeCase(kind="deviation"))
    assert doc["configured"] is False and doc["total_eur"] is None
