import datetime as dt

import pytest
import shapely
from shapely.geometry import box

from geo import hearing
from geo import neighbours as contact
from geo.rules import HearingRules


def _shared(site: shapely.Geometry, other: shapely.Geometry, tol: float) -> shapely.Geometry:
    return other.boundary.intersection(site.buffer(tol))


def test_corner_contact_is_a_point() -> None:
    site, other = box(0, 0, 10, 10), box(10, 10, 20, 20)
    c = contact.classify(_shared(site, other, 0.5), shapely.Point(10, 10), 0.5, 1.0)
    assert c.kind == "point"


def test_corner_contact_with_a_gap_is_still_a_point() -> None:
    site, other = box(0, 0, 10, 10), box(10.2, 10.1, 20, 20)
    c = contact.classify(
        _shared(site, other, 0.5), shapely.Point(10, 10), 0.5, 1.0, gap_m=site.distance(other)
    )
    assert c.kind == "point"


def test_edge_contact_measures_the_shared_length() -> None:
    site, other = box(0, 0, 10, 10), box(10.1, 2, 20, 9)  # 7 m shared, 0.1 m gap
    c = contact.classify(_shared(site, other, 0.5), shapely.Point(10, 5), 0.5, 1.0, gap_m=0.1)
    assert c.kind == "edge"
    assert abs(c.shared_boundary_m - 7.0) < 0.05


def test_letters_estate_once_coowners_each_and_one_per_addressee() -> None:
    ns = [
        {
            "property_id": "A",
            "relation": "adjacent",
            "owners": [
                {"kind": "person", "name": "Aino", "address": "Tie 1"},
                {"kind": "person", "name": "Matti", "address": "Tie 1"},
            ],
        },
        {
            "property_id": "B",
            "relation": "adjacent",
            "owners": [{"kind": "estate", "name": "Virtasen kuolinpesä", "contact_name": "Liisa"}],
        },
        {
            "property_id": "C",
            "relation": "opposite",
            "owners": [{"kind": "person", "name": "Aino", "address": "Tie 1"}],
        },
    ]
    rules = HearingRules(
        fee_per_letter_eur=56.0,
        period_days=7,
        delivery_days=7,
        public_notice_over=10,
        road_authority_name="ELY",
        reply_address="",
        reply_email="",
    )
    t = hearing.totals(ns, rules, dt.date(2026, 3, 2), dt.date(2026, 3, 2))
    assert t["letters"] == 3
    assert t["hearing_cost_eur"] == 168.0
    assert t["hearing_deadline"] == "2026-03-16"
    assert t["earliest_decision_date"] == "2026-03-17"


def test_an_edge_over_two_reached_plots_is_an_edge_along_each() -> None:
    """Review of stop 52: a neighbour's 1.6 m edge lying 0.8 m along each of two plots a
    drawing reaches into was said as two boundary points (each part under the rule file's 1 m
    edge) while its row said "edge", 1.6 m. Hand-computed: the boundary within the 0.5 m
    tolerance runs 2.6 m (y 8.7 to 11.3), less the 0.5 m run-off at each end; cut at each
    plot's tolerance (y 10.5 and 9.5), each part runs 1.8 m, less the run-offs: 0.8 m."""
    tol, edge_min = 0.5, 1.0
    a, b = box(0, 0, 10, 10), box(0, 10, 10, 20)  # the reached plots, one above the other
    shared = shapely.LineString([(10, 8.7), (10, 11.3)])  # the neighbour's edge along both
    whole = contact.classify(shared, shared, tol, edge_min)
    assert (whole.kind, whole.shared_boundary_m) == ("edge", 1.6)
    each = contact.each_reached(whole, shared, ["a", "b"], {"a": a, "b": b}, tol, edge_min)
    assert [(pid, c.kind, c.shared_boundary_m) for pid, c in each] == [
        ("a", "edge", 0.8),
        ("b", "edge", 0.8),
    ]
    # a corner contact stays a point on each
    corner = contact.classify(None, shapely.Point(10, 10), tol, edge_min)
    each = contact.each_reached(corner, None, ["a", "b"], {"a": a, "b": b}, tol, edge_min)
    assert [c.kind for _, c in each] == ["point", "point"]


def test_a_neighbour_of_the_own_plot_running_on_along_a_reached_plot_has_each_contact() -> None:
    """Stop 53's walkthrough: a neighbour bordering both the applicant's plot and the plot the
    drawing reaches into was said to share its whole boundary with the site (220.6 m, while
    the site's perimeter is 165 m). Hand-made: the own plot and the reached one side by side,
    20 m each; a neighbour along the top of both shares 40 m, 20 m with each (the boundary
    within the 0.5 m tolerance less the run-off at each end). The parts add up to the whole."""
    tol, edge_min = 0.5, 1.0
    own, reached = box(0, 0, 20, 20), box(20, 0, 40, 20)
    site = shapely.union(own, reached)

    def parts(
        other: shapely.Geometry, rest: shapely.Geometry = own
    ) -> list[tuple[str | None, str, float]]:
        gap = shapely.distance(site, other)
        shared = _shared(site, other, tol)
        whole = contact.classify(shared, shared, tol, edge_min, gap)
        reach = contact.reach_of({"r": reached}, rest, tol)
        cut = contact.along_reach(whole, shared, reach, tol, edge_min, gap)
        if cut:
            assert sum(c.shared_boundary_m for _, c in cut) == pytest.approx(
                whole.shared_boundary_m, abs=0.011
            )
        return [(pid, c.kind, c.shared_boundary_m) for pid, c in cut]

    assert parts(box(0, 20, 40, 40)) == [(None, "edge", 20.0), ("r", "edge", 20.0)]
    # along the reached plot from the own plot's corner: a boundary point with the site
    assert parts(box(20, 20, 40, 40)) == [(None, "point", 0.0), ("r", "edge", 20.0)]
    # 0.3 m off the site: the whole 40 m less the reached plot's (its cut end reaches
    # sqrt(0.5² - 0.3²) = 0.4 m back, of which the run-off of 0.2 m is taken off)
    assert parts(box(0, 20.3, 40, 40)) == [(None, "edge", 19.8), ("r", "edge", 20.2)]
    # running on 0.8 m past the corner (under the rule file's 1 m edge), or along the own
    # plot only: the site's ordinary reason
    assert parts(box(0, 20, 20.8, 40)) == []
    assert parts(box(0, 20, 20, 40)) == []
    # the drawing reaches into the plot up to the neighbour (x 20 to 30): what borders the
    # drawing is the site's (stop 54's review: it was counted with the plot's too, 30 + 20 m)
    drawn = shapely.union(own, box(10, 5, 30, 20))
    assert parts(box(0, 20, 40, 40), drawn) == [(None, "edge", 30.0), ("r", "edge", 10.0)]
    assert parts(box(0, 20, 30.8, 40), drawn) == []
    assert parts(box(25, 20, 40, 40), drawn) == [(None, "edge", 5.0), ("r", "edge", 10.0)]
    # the reasons: the contact with the site, then the reached plot's
    shared = _shared(site, box(0, 20, 40, 40), tol)
    whole = contact.classify(shared, shared, tol, edge_min)
    lot = "24400100200002"
    _, _, message = contact.reached_reasons(
        "edge",
        contact.along_reach(
            whole, shared, contact.reach_of({lot: reached}, own, tol), tol, edge_min
        ),
    )
    assert message == {
        "key": "reason.and",
        "a": {"key": "reason.edge_own", "m": 20.0},
        "b": {"key": "reason.edge_reached", "m": 20.0, "plot": "244-1-20-2"},
        "code": "edge",
    }


def test_an_opposite_unit_about_as_near_the_own_plot_is_not_said_to_face_the_reach() -> None:
    """Stop 52's walkthrough: a unit 19.99 m across from the reached plot and 20.00 m from the
    applicant's own was said to face the reached plot. Hand-made: a reached plot west of the
    own one, a street south of both; a unit straight across from the reached plot faces it,
    one across the corner between them faces both."""
    tol = 0.5
    reached = {"r": box(0, 0, 20, 30)}
    rest = box(20, 0, 40, 30)  # the drawing with its own plot
    across = box(0, -40, 12, -20)  # 20 m south of the reached plot, 21.5 m from the rest
    line = (6.0, 0.0, 6.0, -20.0)
    assert contact.faced_reach(line, across, reached, rest, tol) == "r"
    corner = box(10, -40, 30, -20)  # 20 m from both
    assert contact.faced_reach((15.0, 0.0, 15.0, -20.0), corner, reached, rest, tol) is None
    # nor a crossing that starts within the tolerance of the rest
    assert contact.faced_reach((19.8, 0.0, 11.8, -20.0), across, reached, rest, tol) is None
