"""Pure rules of applications: states, the hearing per addressee, the clock, the checklist,
the difference of two analyses, the letter fee, and the map drawing's scale."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import shapely

from api import rulesets
from api.documents import sitemap
from api.settings import RULESETS_DIR
from geo import timelimits
from geo.applications import checklist, clock, diff, hearing, states
from geo.errors import Conflict, InvalidInput
from tests.api import casework as cw

HEL = rulesets.rules_for(RULESETS_DIR, "091", dt.date(2026, 3, 2))
LPR = rulesets.rules_for(RULESETS_DIR, "405", dt.date(2026, 3, 2))


def test_only_the_listed_steps_exist_and_the_authority_decides() -> None:
    assert states.who_moves("draft", "submitted") == "applicant"
    assert states.who_moves("hearing", "decided") == "authority"
    assert states.who_moves("decided", "legally_valid") == "authority"
    with pytest.raises(Conflict, match="cannot become 'legally_valid'"):
        states.who_moves("submitted", "legally_valid")
    with pytest.raises(Conflict, match="final"):
        states.who_moves("completed", "started")
    with pytest.raises(InvalidInput):
        states.who_moves("draft", "approved")
    assert not states.kind_allows("deviation", "legally_valid", "started")
    assert states.kind_allows("building_permit", "legally_valid", "started")


def test_an_appeal_is_recorded_by_the_authority_and_settled_three_ways() -> None:
    assert states.who_moves("decided", "appealed") == "authority"
    assert sorted(states.next_states("appealed")) == ["decided", "legally_valid", "refused"]
    with pytest.raises(Conflict, match="cannot become 'started'"):
        states.who_moves("appealed", "started")  # not before it is legally valid
    # lodged in time, it may reach the office after the case was recorded legally valid
    assert states.who_moves("legally_valid", "appealed") == "authority"
    assert states.who_moves("refused", "appealed") == "authority"  # the applicant appeals
    with pytest.raises(Conflict):
        states.who_moves("started", "appealed")
    # a refusal under appeal is decided again or stands; it never becomes legally valid
    assert not states.outcome_allows("refused", "appealed", "legally_valid")
    assert states.outcome_allows("granted", "appealed", "legally_valid")
    assert states.outcome_allows("refused", "appealed", "decided")


def test_limits_after_an_appeal_run_from_the_day_it_became_final() -> None:
    """Legally valid on leap day Tue 29.2.2028 after an appeal: started by 28.2.2031 (Fri),
    finished by 28.2.2033 (Mon); a deviation used by 28.2.2030 (Thu); a refusal has none.
    Worked out by hand."""
    rules = HEL.decisions
    v = clock.validity("building_permit", "granted", dt.date(2028, 2, 29), rules)
    assert (v.start_by, v.finish_by, v.valid_until) == (
        dt.date(2031, 2, 28),
        dt.date(2033, 2, 28),
        None,
    )
    v = clock.validity("deviation", "granted", dt.date(2028, 2, 29), rules)
    assert (v.start_by, v.valid_until) == (None, dt.date(2030, 2, 28))
    assert clock.validity("building_permit", "refused", dt.date(2028, 2, 29), rules) == (
        clock.Validity(None, None, None)
    )


def test_hearing_statuses_move_forward_and_answers_need_their_text() -> None:
    sent = dt.date(2026, 3, 2)
    ok = hearing.Change("answered_remarks", sent, "Varjostaa", False, "RakL 63 §")
    hearing.check_change("letter_sent", sent, ok)
    with pytest.raises(InvalidInput, match="needs the remarks"):
        hearing.check_change(
            "letter_sent", sent, hearing.Change("answered_remarks", sent, " ", False, "RakL 63 §")
        )
    with pytest.raises(Conflict, match=r"public notice .*\(RakL 63 §\)"):
        hearing.check_change(
            "letter_sent",
            sent,
            hearing.Change("heard_by_public_notice", sent, None, False, "RakL 63 §"),
        )
    hearing.check_change(
        "letter_sent", sent, hearing.Change("heard_by_public_notice", sent, None, True, "RakL 63 §")
    )
    with pytest.raises(Conflict):
        hearing.check_change(
            "open", sent, hearing.Change("reminded", sent, None, False, "RakL 63 §")
        )
    with pytest.raises(InvalidInput, match="before the letter"):
        hearing.check_change(
            "letter_sent",
            sent,
            hearing.Change("consented", sent - dt.timedelta(days=1), None, False, "RakL 63 §"),
        )
    day = sent + dt.timedelta(days=20)
    assert hearing.complete([("consented", None), ("heard_by_authority", None)], day)
    assert not hearing.complete([("consented", None), ("open", None)], day)  # no letter sent
    assert not hearing.complete([], day)
    # silence: a letter whose deadline passed counts as heard (nothing to remark), not before
    due = sent + dt.timedelta(days=14)
    assert hearing.complete([("consented", None), ("reminded", due)], due + dt.timedelta(days=1))
    assert not hearing.complete([("consented", None), ("reminded", due)], due)
    assert hearing.is_non_responder("letter_sent", sent, sent + dt.timedelta(days=1))
    assert not hearing.is_non_responder("consented", sent, sent + dt.timedelta(days=1))


def test_deadlines_and_the_earliest_decision_follow_an_independent_calendar() -> None:
    for sent in (
        dt.date(2025, 12, 10),
        dt.date(2026, 4, 1),
        dt.date(2026, 6, 5),
        dt.date(2026, 7, 1),
    ):
        due = cw.last_day(sent + dt.timedelta(days=14))
        assert hearing.deadline(sent, HEL.hearing) == due
        rows = [("letter_sent", due), ("answered_no_remarks", due + dt.timedelta(days=30))]
        assert hearing.earliest_decision(rows) == cw.last_day(due + dt.timedelta(days=1))
    assert hearing.deadline(dt.date(2025, 12, 10), HEL.hearing) == dt.date(
        2025, 12, 29
    )  # README's example


def test_one_letter_per_addressee_an_estate_through_its_contact_unknown_owner_alone() -> None:
    def n(pid: str, relation: str, owners: list[dict[str, str]]) -> dict[str, object]:
        return {
            "property_id": pid,
            "property_id_short": pid,
            "relation": relation,
            "contact": "edge",
            "shared_boundary_m": 12.34,
            "reason": "x",
            "owners": owners,
            "municipality": "091",
        }

    a = {"kind": "person", "name": "Aino", "address": "Katu 1"}
    estate = {"kind": "estate", "name": "Kuolinpesä K", "contact_name": "Kalle", "address": "Tie 2"}
    found = hearing.addressees(
        [n("1", "opposite", [a]), n("2", "adjacent", [a, estate]), n("3", "adjacent", [])],
        [{"name": "ELY", "reason": "state road", "road_name": "Tie 1", "letter": True}],
        {("2", "Aino"): "sv"},
        "RakL 63 §",
        100.0,
    )
    assert [(x.relation, x.name, x.property_ids) for x in found] == [
        ("adjacent", "Aino", ["2", "1"]),
        ("adjacent", "Kuolinpesä K", ["2"]),
        ("adjacent", None, ["3"]),
        ("authority", "ELY", []),
    ]
    assert found[0].language == "sv" and found[1].contact_name == "Kalle"
    assert "12,3 m" in found[0].reasons["fi"] and "12,3 m" in found[0].reasons["sv"]
    assert not found[2].address_known and [x.n for x in found] == [1, 2, 3, 4]


def test_a_recipient_across_a_border_is_one_addressee_per_municipality() -> None:
    """Who may see an owner follows the unit's municipality, so each town's units are a letter."""
    aino = {"kind": "person", "name": "Aino", "address": "Katu 1"}

    def n(pid: str, town: str) -> dict[str, object]:
        return {"property_id": pid, "relation": "adjacent", "owners": [aino], "municipality": town}

    found = hearing.addressees(
        [n("091-1", "091"), n("244-1", "244"), n("091-2", "091")], [], {}, "RakL 63 §", 100.0
    )
    assert [(x.municipality, x.property_ids) for x in found] == [
        ("091", ["091-1", "091-2"]),
        ("244", ["244-1"]),
    ]


def test_the_clock_by_who_decides_and_what_was_decided() -> None:
    posted = dt.date(2026, 3, 2)
    board = clock.decision_clock("deviation", "granted", "board", posted, posted, HEL.decisions)
    ends = cw.last_day(posted + dt.timedelta(days=30))
    assert (board.appeal_kind, board.appeal_ends_on, board.legally_valid_on) == (
        "appeal",
        ends,
        ends + dt.timedelta(days=1),
    )
    assert (
        board.valid_until == cw.last_day(cw.add_years(ends + dt.timedelta(days=1), 2))
        and board.start_by is None
    )
    officer = clock.decision_clock(
        "building_permit", "granted", "inspector", posted, posted, HEL.decisions
    )
    ends = cw.last_day(posted + dt.timedelta(days=14))
    valid = ends + dt.timedelta(days=1)
    assert officer.appeal_kind == "rectification" and officer.appeal_ends_on == ends
    # a limit ending on a day off moves to the next working day (Act 150/1930 5 §)
    assert (officer.start_by, officer.finish_by) == (
        cw.last_day(cw.add_years(valid, 3)),
        cw.last_day(cw.add_years(valid, 5)),
    )
    refused = clock.decision_clock(
        "building_permit", "refused", "board", posted, posted, HEL.decisions
    )
    assert refused.start_by is None and refused.valid_until is None
    # a period ending on Saturday moves to Monday
    on = dt.date(2026, 2, 28)  # + 14 days: Saturday 14.3.2026
    sat = clock.decision_clock("building_permit", "granted", "inspector", on, on, HEL.decisions)
    assert sat.appeal_moved_from == dt.date(2026, 3, 14) and sat.appeal_ends_on == dt.date(
        2026, 3, 16
    )
    assert timelimits.add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    with pytest.raises(InvalidInput):
        clock.decision_clock(
            "deviation", "granted", "board", posted, posted - dt.timedelta(days=1), HEL.decisions
        )


def test_a_dig_decision_stands_after_its_letter_and_the_claim_period() -> None:
    """A dig permit's decision sent by letter is deemed received on the 7th day (Hallintolaki
    59 §), a rectification claim within 14 days of that (domain.md §6), off days off."""
    on = dt.date(2026, 12, 3)  # received 10.12., + 14 days: Christmas Eve, a day off
    c = clock.notice_clock("excavation", on, on, "letter", HEL)
    # 24.12. Christmas Eve, 25.-26. Christmas, 27. a Sunday: the claim ends on Monday 28.12.
    assert (c.appeal_kind, c.appeal_moved_from) == ("rectification", dt.date(2026, 12, 24))
    assert (c.appeal_ends_on, c.legally_valid_on) == (dt.date(2026, 12, 28), dt.date(2026, 12, 29))
    assert (c.start_by, c.finish_by, c.valid_until) == (None, None, None)  # no building limits
    day = dt.date(2026, 3, 2)
    plain = clock.notice_clock("excavation", day, day, "letter", HEL)
    ends = cw.last_day(day + dt.timedelta(days=7 + 14))
    assert (plain.appeal_ends_on, plain.legally_valid_on) == (ends, ends + dt.timedelta(days=1))


def test_a_dig_decision_sent_later_or_electronically_runs_from_its_own_receipt() -> None:
    """The claim runs from the day the decision is deemed received: a letter's 7th day after it
    was sent, an electronic message's 3rd (13/2003 19 §); never sent before it was made."""
    made = dt.date(2026, 3, 2)  # a Monday
    later = clock.notice_clock("excavation", made, made + dt.timedelta(days=2), "letter", HEL)
    assert later.appeal_ends_on == cw.last_day(made + dt.timedelta(days=2 + 7 + 14))
    sent = clock.notice_clock("excavation", made, made, "electronic", HEL)
    # 2.3. + 3 = 5.3., + 14 = 19.3., a Thursday
    assert (sent.appeal_ends_on, sent.legally_valid_on) == (
        dt.date(2026, 3, 19),
        dt.date(2026, 3, 20),
    )
    assert clock.received_on(made, "electronic", HEL) == dt.date(2026, 3, 5)
    with pytest.raises(InvalidInput) as early:
        clock.notice_clock("excavation", made, made - dt.timedelta(days=1), "letter", HEL)
    assert early.value.i18n and early.value.i18n["key"] == "error.sent_before_decision"
    with pytest.raises(ValueError):
        clock.notice_clock("building_permit", made, made, "letter", HEL)


def test_the_checklist_follows_the_rule_file() -> None:
    rules = HEL.applications
    items = checklist.checklist(
        "building_permit", rules, in_detailed_plan=True, co_owned=True, heard_by="applicant"
    )
    codes = [i.code for i in items]
    assert codes == [
        "site_plan",
        "proof_of_ownership",
        "main_drawings",
        "power_of_attorney",
        "neighbour_hearing",
    ]
    assert items[0].scale == 200
    outside = checklist.checklist(
        "deviation", rules, in_detailed_plan=False, co_owned=False, heard_by="authority"
    )
    assert [i.code for i in outside] == ["site_plan", "proof_of_ownership"] and outside[
        0
    ].scale == 500
    assert checklist.missing(outside, ["site_plan"]) == ["proof_of_ownership"]
    assert checklist.checklist("excavation", rules, False, True, "applicant") == []


def test_the_difference_of_two_analyses_names_ids_and_codes_only() -> None:
    old = {
        "neighbours": [
            {
                "property_id": "a",
                "relation": "adjacent",
                "owners": [{"kind": "person", "name": "X"}],
            },
            {"property_id": "b", "relation": "opposite", "owners": []},
        ],
        "flags": [{"code": "fire_separation", "building": 0}],
    }
    new = {
        "neighbours": [
            {
                "property_id": "a",
                "relation": "affected",
                "owners": [{"kind": "person", "name": "Y"}],
            },
            {"property_id": "c", "relation": "adjacent", "reason": "r", "owners": []},
        ],
        "flags": [],
    }
    d = diff.analysis_diff(old, new)
    assert d["neighbours_added"] == [
        {
            "property_id": "c",
            "relation": "adjacent",
            "reason_code": None,
            "shown": "adjacent",
            "reason": "r",
        }
    ]
    assert d["neighbours_removed"] == [{"property_id": "b", "relation": "opposite"}]
    assert d["relations_changed"] == [
        {
            "property_id": "a",
            "relation_before": "adjacent",
            "relation_after": "affected",
            "shown_before": "adjacent",
            "shown_after": "affected",
        }
    ]
    assert d["owners_changed"] == ["a"] and d["flags_removed"] == [
        {"code": "fire_separation", "building": 0}
    ]
    assert "X" not in str(d) and not d["same"] and diff.analysis_diff(old, old)["same"]
    # review of stop 53: a plot the drawing has come to lie on is stored "adjacent" before and
    # after; it is a change all the same, and an added one says it is reached
    lies_on = {"property_id": "a", "relation": "adjacent", "reason_code": "reaches"}
    moved = diff.analysis_diff(old, {"neighbours": [lies_on, {**lies_on, "property_id": "d"}]})
    assert moved["relations_changed"] == [
        {
            "property_id": "a",
            "relation_before": "adjacent",
            "relation_after": "adjacent",
            "shown_before": "adjacent",
            "shown_after": "reaches",
        }
    ]
    assert [(n["property_id"], n["shown"]) for n in moved["neighbours_added"]] == [("d", "reaches")]


def test_authority_letters_are_billed_per_the_tariff() -> None:
    # Lappeenranta: 56 € a letter in deviation cases when the authority hears, not the road authority's
    assert hearing.letter_fee(9, 1, LPR.hearing, LPR.fees, {"deviation"}, "authority")[:2] == (
        8,
        Decimal("448.00"),
    )
    assert hearing.letter_fee(9, 1, LPR.hearing, LPR.fees, {"deviation"}, "applicant")[:2] == (
        0,
        Decimal("0.00"),
    )
    assert hearing.letter_fee(9, 1, LPR.hearing, LPR.fees, {"building_permit"}, "authority")[
        :2
    ] == (0, Decimal("0.00"))
    assert hearing.letter_fee(9, 1, HEL.hearing, HEL.fees, {"deviation"}, "authority")[:2] == (
        0,
        Decimal("0.00"),
    )


def test_the_map_is_drawn_at_a_true_scale_with_a_metric_bar() -> None:
    site = shapely.box(0, 0, 20, 30)
    assert sitemap.choose_scale(site.bounds, 170, 105, 8) == 500  # 36 x 46 m fit 85 x 52 m
    assert sitemap.choose_scale(shapely.box(0, 0, 150, 30).bounds, 170, 105, 8) == 1000
    assert sitemap.choose_scale(shapely.box(0, 0, 400, 30).bounds, 170, 105, 8) is None
    assert (
        sitemap.bar_metres(500) == 20
        and sitemap.bar_metres(1000) == 25
        and sitemap.bar_metres(2000) == 50
    )
    data = sitemap.MapData(
        site=site,
        units=(sitemap.Unit(shapely.box(20, 0, 40, 30), "recipient", "1-2-3-4"),),
        labels={"scale": "Asemakartta"},
    )
    drawing, scale = sitemap.draw(data, 170, 105)
    assert scale == 500 and abs(drawing.width - 170 * sitemap.MM) < 1e-6
    texts = [s.text for s in drawing.getContents() if hasattr(s, "text")]
    assert "Asemakartta 1:500" in texts and "N" in texts and "20 m" in texts
    # the bar's four segments together are 20 m at 1:500: 40 mm on paper
    bars = [r for r in drawing.getContents() if type(r).__name__ == "Rect" and r.height == 3]
    assert len(bars) == 4 and sum(r.width for r in bars) == pytest.approx(40 * sitemap.MM)


def test_year_limits_end_on_a_working_day() -> None:
    """Act 150/1930 5 §: a limit ending on a day off moves to the next working day.

    A board's deviation posted Tue 3.6.2025: appeal 30 days to Thu 3.7.2025, legally valid
    Fri 4.7.2025; valid 2 years to Sun 4.7.2027, so to Mon 5.7.2027 (worked out by hand).
    """
    rules = rulesets.rules_for(RULESETS_DIR, "091", dt.date(2025, 6, 3)).decisions
    posted = dt.date(2025, 6, 3)
    c = clock.decision_clock("deviation", "granted", "board", posted, posted, rules)
    assert c.legally_valid_on == dt.date(2025, 7, 4)
    assert c.valid_until == dt.date(2027, 7, 5)


def test_an_inspection_before_work_is_on_a_working_day() -> None:
    """Work starting on Monday 30.11.2026 is inspected on Friday 27.11, not on Sunday."""
    from geo import excavation as ex

    rules = rulesets.rules_for(RULESETS_DIR, "244", dt.date(2026, 11, 25)).excavation
    got = ex.inspections(dt.date(2026, 11, 30), dt.date(2026, 12, 4), None, rules)
    assert {"kind": "before_work", "date": "2026-11-27"} in got


def test_a_completion_inspection_is_on_a_working_day() -> None:
    """A period ending on Sunday 15.6.2025 is inspected on Monday 16.6; Friday's on Friday."""
    from geo import excavation as ex

    rules = rulesets.rules_for(RULESETS_DIR, "244", dt.date(2025, 6, 1)).excavation
    got = ex.inspections(dt.date(2025, 6, 2), dt.date(2025, 6, 15), None, rules)
    assert {"kind": "completion", "date": "2025-06-16"} in got
    got = ex.inspections(dt.date(2025, 6, 2), dt.date(2025, 6, 13), None, rules)
    assert {"kind": "completion", "date": "2025-06-13"} in got


def test_a_dig_on_a_state_road_is_not_the_municipalitys_to_grant() -> None:
    """Its state-road part is the ELY centre's permit (domain.md K3): grantable was True."""
    from geo import excavation as ex

    assert not ex.grantable([{"code": "state_road", "severity": "authority"}])
    assert not ex.grantable([{"code": "lead_time", "severity": "blocker"}])
    assert ex.grantable([{"code": "clash", "severity": "coordinate"}, {"severity": "notify"}])


def test_a_letters_reason_names_what_is_crossed_as_its_reader_reads_it() -> None:
    """A letter's reason named a crossed park unit by its 14-digit id ('09102299010100'), and a
    Swedish letter's street by its Finnish name."""
    park = {
        "relation": "opposite",
        "across": "park",
        "across_property_id": "09102299010100",
        "crossing_distance_m": 21.04,
    }
    fi = hearing.unit_reasons(park, "RakL 64 §", 0)["fi"]
    assert fi == "vastapäätä, puistokaistan yli (91-22-9901-100), 21,0 m"
    street = {
        "relation": "opposite",
        "across": "road",
        "across_name": "Mäkelänkatu",
        "across_name_sv": "Backasgatan",
        "crossing_distance_m": 30.0,
    }
    reasons = hearing.unit_reasons(street, "RakL 64 §", 0)
    # the list's words (sv.po reason.opposite with across.road): one wording in both
    assert reasons["sv"] == "mittemot, på andra sidan vägen/gatan Backasgatan, 30,0 m"
    assert reasons["fi"] == "vastapäätä, tien/kadun yli (Mäkelänkatu), 30,0 m"


def test_a_letter_says_which_reached_plot_an_opposite_unit_faces() -> None:
    """Stop 51's walkthrough: an opposite unit facing only the plot a drawing reaches into was
    reasoned with the crossing from that plot without naming it. A row written with its
    reasons keeps them in the letter."""
    row = {
        "relation": "opposite",
        "across": "road",
        "across_name": "Ruusukatu",
        "crossing_distance_m": 47.0,
        "reason_code": "opposite",
        "via_property_id": "24400100200002",
        "reason": "opposite 244-1-20-2 (which the drawn site reaches onto), across road Ruusukatu, 47.0 m",
        "reason_fi": "vastapäätä kiinteistöä 244-1-20-2, jolle piirros ulottuu, tien/kadun yli "
        "(Ruusukatu), 47,0 m",
        "reason_sv": "mittemot fastigheten 244-1-20-2 (som ritningen når in på), på andra sidan "
        "vägen/gatan Ruusukatu, 47,0 m",
    }
    said = hearing.unit_reasons(row, "RakL 64 §", 0)
    assert (said["fi"], said["sv"]) == (row["reason_fi"], row["reason_sv"])


def test_a_letter_says_why_a_unit_the_drawing_reaches_into_is_heard() -> None:
    """Stop 51's walkthrough: the list said the drawing lies on a lot, and the lot beyond it is
    heard because it borders that lot; the letters said each shares its whole boundary with
    the site. A row with such a reason keeps it; an ordinary shared edge is written as before."""
    reached = {
        "relation": "adjacent",
        "contact": "edge",
        "shared_boundary_m": 253.2,
        "reason_code": "reaches",
        "reason": "the drawn site reaches onto it: 42.6 m² of the drawing lie on it",
        "reason_fi": "piirretty rakennuspaikka ulottuu sen alueelle: piirroksesta 42,6 m² on sillä",
        "reason_sv": "den ritade byggplatsen når in på den: 42,6 m² av ritningen ligger på den",
    }
    beyond = {
        "relation": "adjacent",
        "contact": "edge",
        "shared_boundary_m": 38.8,
        "reason_code": "edge",
        "via_property_id": "09102206940024",
        "reason_fi": "yhteistä rajaa 38,8 m kiinteistön 91-22-694-24 kanssa, jolle piirros ulottuu",
        "reason_sv": "har 38,8 m gemensam gräns med fastigheten 91-22-694-24, som ritningen når in på",
    }
    for row in (reached, beyond):
        said = hearing.unit_reasons(row, "RakL 63 §", 0)
        assert (said["fi"], said["sv"]) == (row["reason_fi"], row["reason_sv"])
    plain = {**beyond, "via_property_id": None}
    assert hearing.unit_reasons(plain, "RakL 63 §", 0)["fi"] == (
        "yhteistä rajaa rakennuspaikan kanssa 38,8 m"
    )
    # stop 53's walkthrough: one bordering the site too names the plot in via_property_ids
    both = {
        **plain,
        "shared_boundary_m": 220.6,
        "via_property_ids": ["09102206940024"],
        "reason_fi": "yhteistä rajaa 50,2 m rakennuspaikan kanssa sekä yhteistä rajaa 170,4 m "
        "kiinteistön 91-22-694-24 kanssa, jolle piirros ulottuu",
        "reason_sv": "har 50,2 m gemensam gräns med byggplatsen och har 170,4 m gemensam gräns "
        "med fastigheten 91-22-694-24, som ritningen når in på",
    }
    said = hearing.unit_reasons(both, "RakL 63 §", 0)
    assert (said["fi"], said["sv"]) == (both["reason_fi"], both["reason_sv"])


def test_a_plot_the_drawing_lies_on_is_its_own_relation_and_comes_first() -> None:
    """Stop 52's note: a plot the drawn site reaches into was shown as a mere boundary
    neighbour. Its owner's addressee is `reached` and first, before the adjacent ones listed
    before it; an owner of no such plot is not; the stored relation stays "adjacent"."""

    def row(pid: str, code: str) -> dict[str, Any]:
        owner = {"kind": "person", "name": f"Owner {pid}", "address": "Katu 1"}
        return {
            "property_id": pid,
            "relation": "adjacent",
            "contact": "edge",
            "shared_boundary_m": 10.0,
            "reason_code": code,
            "reason": "r",
            "reason_fi": "r",
            "reason_sv": "r",
            "owners": [owner],
        }

    out = hearing.addressees(
        [row("1", "edge"), row("2", "point"), row("3", "reaches")], [], {}, "RakL 63 §", 0
    )
    assert [(a.property_ids, a.relation, a.reached) for a in out] == [
        (["3"], "adjacent", True),
        (["1"], "adjacent", False),
        (["2"], "adjacent", False),
    ]
    assert hearing.shown_relation("adjacent", "reaches") == "reaches"
    assert hearing.shown_relation("opposite", "reaches") == "opposite"
    assert hearing.shown_relation("adjacent", "edge") == "adjacent"


def test_a_reason_beside_its_relation_does_not_say_the_relation_again() -> None:
    """The officer's table and the HTML package said "vastapäätä | vastapäätä, tien/kadun yli
    …". The label is taken off a reason that opens with it as a whole word, and only then."""
    cases = {
        ("vastapäätä, tien/kadun yli (Kumpulantie), 18,0 m", "vastapäätä"): (
            "tien/kadun yli (Kumpulantie), 18,0 m"
        ),
        ("Mittemot, på andra sidan vägen/gatan X, 8,0 m", "mittemot"): (
            "på andra sidan vägen/gatan X, 8,0 m"
        ),
        ("lisätty käsin: kulkuyhteys", "lisätty käsin"): "kulkuyhteys",
        ("vastapäätä kiinteistöä 1-2-3-4, jolle …", "vastapäätä"): "kiinteistöä 1-2-3-4, jolle …",
        ("oppositely placed", "opposite"): "oppositely placed",  # not a whole word
        ("yhteistä rajaa 5,0 m", "rajanaapuri"): "yhteistä rajaa 5,0 m",
        ("vastapäätä", "vastapäätä"): "",
        ("", ""): "",
    }
    for (reason, label), want in cases.items():
        assert hearing.after_relation(reason, label) == want, (reason, label)
