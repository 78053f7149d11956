"""Hearing dates (issue 9): the Act on the calculation of time limits 150/1930 5 §, public notice
by the number of neighbours (MRA 65 §), the per-letter fee's conditions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from api import rulesets
from api.settings import RULESETS_DIR
from geo import hearing, timelimits
from geo.rules import HearingRules

RULES = HearingRules(
    period_days=7,
    delivery_days=7,
    fee_per_letter_eur=Decimal("56"),
    public_notice_over=10,
    road_authority_name="ELY",
    reply_address="",
    reply_email="",
)
D = dt.date


@pytest.mark.parametrize(
    "day,name",
    [
        (D(2025, 12, 24), "Christmas Eve"),
        (D(2025, 6, 20), "Midsummer Eve"),
        (D(2026, 6, 19), "Midsummer Eve"),
        (D(2026, 12, 6), "Independence Day"),
        (D(2026, 5, 1), "May Day"),
        (D(2026, 1, 6), "Epiphany"),
        (D(2026, 3, 21), "Saturday"),
        (D(2026, 3, 22), "Sunday"),
    ],
)
def test_days_off_include_the_acts_eves(day: dt.date, name: str) -> None:
    assert timelimits.why_not_working(day) is not None, name
    assert timelimits.why_not_working(D(2026, 3, 23)) is None  # an ordinary Monday


def test_the_holidays_package_lists_both_eves() -> None:
    import holidays

    fi = holidays.country_holidays("FI", years=2025)
    # holidays lists them; timelimits adds them anyway should a version not
    assert D(2025, 12, 24) in fi and D(2025, 6, 20) in fi


@pytest.mark.parametrize(
    "sent,deadline,earliest",
    [
        (D(2025, 12, 10), D(2025, 12, 29), D(2025, 12, 30)),  # 24.12 Christmas Eve → Mon 29.12
        (D(2025, 12, 3), D(2025, 12, 17), D(2025, 12, 18)),  # a Wednesday: no move
        (D(2026, 6, 5), D(2026, 6, 22), D(2026, 6, 23)),  # Midsummer Eve 19.6 → Mon 22.6
        (D(2026, 3, 7), D(2026, 3, 23), D(2026, 3, 24)),  # a Saturday → Monday
        (D(2026, 3, 6), D(2026, 3, 20), D(2026, 3, 23)),  # a Friday: decision the next Monday
    ],
)
def test_deadline_moves_to_the_next_working_day(
    sent: dt.date, deadline: dt.date, earliest: dt.date
) -> None:
    t = hearing.totals([], RULES, sent, sent)
    assert (t["hearing_deadline"], t["earliest_decision_date"]) == (
        deadline.isoformat(),
        earliest.isoformat(),
    )
    nominal = sent + dt.timedelta(days=14)
    assert t["deadline_moved_from"] == (None if nominal == deadline else nominal.isoformat())


def _neighbours(n: int, owners: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"property_id": f"P{i}", "relation": "adjacent", "owners": owners} for i in range(n)]


ONE = [{"kind": "person", "name": "Aino", "address": "Tie 1"}]
TWO = [*ONE, {"kind": "person", "name": "Matti", "address": "Tie 1"}]
ELY = {
    "property_id": "authority",
    "relation": "authority",
    "owners": [{"kind": "state", "name": "ELY"}],
}


def test_public_notice_counts_neighbours_not_letters() -> None:
    eleven_one_owner = hearing.totals(_neighbours(11, ONE), RULES, D(2026, 3, 2), D(2026, 3, 2))
    assert eleven_one_owner["letters"] == 1 and eleven_one_owner["public_notice_allowed"]
    ten_co_owned = hearing.totals(_neighbours(10, TWO) + [ELY], RULES, D(2026, 3, 2), D(2026, 3, 2))
    assert ten_co_owned["letters"] == 3 and ten_co_owned["neighbours"] == 10
    assert not ten_co_owned["public_notice_allowed"]
    unknown = hearing.totals(_neighbours(2, []), RULES, D(2026, 3, 2), D(2026, 3, 2))
    assert (
        unknown["public_notice_allowed"]
        and "without a known owner" in unknown["public_notice_reason"]
    )


def test_lappeenranta_charges_five_neighbour_letters_not_the_ely_letter() -> None:
    r = rulesets.rules_for(RULESETS_DIR, "405", D(2026, 3, 1))
    rows = [
        {
            "property_id": f"P{i}",
            "relation": "adjacent",
            "owners": [{"kind": "person", "name": f"N{i}"}],
        }
        for i in range(5)
    ] + [ELY]
    count = len(hearing.letters(rows))
    n, note = hearing.charged_letters(count, 1, r.hearing, r.fees, {"deviation"}, "authority")
    t = hearing.totals(rows, r.hearing, D(2026, 3, 2), D(2026, 3, 1), n, note)
    assert count == 6 and t["letters_charged"] == 5
    assert t["hearing_cost_eur"] == 5 * Decimal("56") and "road authority" in t["hearing_cost_note"]
    for kinds, by in (({"building_permit"}, "authority"), ({"deviation"}, "applicant")):
        assert hearing.charged_letters(count, 1, r.hearing, r.fees, kinds, by)[0] == 0


@pytest.mark.parametrize(
    ("filed", "basis"),
    [(D(2024, 12, 31), "(MRA 65 §)"), (D(2025, 1, 1), "(RakL 63 §)")],
)
def test_a_public_notice_cites_the_section_of_the_filing_date(filed: dt.date, basis: str) -> None:
    """The Building Act (751/2023) replaced MRA 65 § with RakL 63 § for cases filed from 2025."""
    sent = D(2026, 3, 2)  # letters of a case filed in 2024 still go out under its regime
    many = hearing.totals(_neighbours(11, ONE), RULES, sent, filed)
    unknown = hearing.totals(_neighbours(2, []), RULES, sent, filed)
    assert many["public_notice_reason"].endswith(basis)
    assert unknown["public_notice_reason"].endswith(basis)
    assert hearing.notice_message(11, 0, RULES, filed)["basis"] == basis.strip("()")
    few = hearing.totals(_neighbours(10, ONE), RULES, sent, filed)
    assert "each is heard by letter" in few["public_notice_reason"]
