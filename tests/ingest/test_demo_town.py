import shapely

from api.ingest.demo import town as demo


def test_generator_is_deterministic_and_sized() -> None:
    a = demo.generate(2000, seed=3)
    b = demo.generate(2000, seed=3)
    assert [p for p, _ in a.parcels] == [p for p, _ in b.parcels]
    assert all(x.equals_exact(y, 0) for (_, x), (_, y) in zip(a.parcels, b.parcels, strict=True))
    private = [p for p, _ in a.parcels if p not in a.units]
    assert 1800 <= len(private) <= 2200


def test_generator_has_noise_multi_parcel_units_and_every_owner_kind() -> None:
    t = demo.generate(5000, seed=1)
    assert 0.01 < t.extras["noisy_parcels"] / len(t.parcels) < 0.06
    ids = [p for p, _ in t.parcels]
    assert len(ids) - len(set(ids)) == t.extras["multi_parcel_units"] > 0
    assert {o["kind"] for o in t.owners} >= {"person", "estate", "company", "association"}
    kinds = {p[6:10] for p in t.units}
    assert {"9901", "9903", "9909"} <= kinds
    assert any(r["state"] for r in t.roads)
    # noise: some private parcels overlap or leave gaps of 2-30 cm against a neighbour
    tree = shapely.STRtree([g for _, g in t.parcels])
    gaps = 0
    for i, (_, g) in enumerate(t.parcels[:800]):
        for j in tree.query(g, predicate="dwithin", distance=0.31):
            d = g.distance(t.parcels[j][1])
            if i != j and 0.015 < d < 0.31:
                gaps += 1
    assert gaps > 0
