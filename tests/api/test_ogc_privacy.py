"""No personal data anywhere under /ogc: owners, accounts, applicants, drafts, the database password.

Owners, a submitted and a draft dig permit are loaded with names no other data has; then
every document /ogc serves (every page of every collection, single features, schemas,
tiles) is searched for them. The reader role /ogc uses cannot even read the tables behind.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import Any

import pytest
import shapely
from shapely.geometry import mapping
from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError

from api.ogc import config as ogc_config
from api.storage import cluster
from geo.crs import from_storage
from tests.conftest import TEST_USERS, fi_today, needs_nls

pytestmark = needs_nls

SECRETS = {
    "name": "Salainen Omistaja Qx7",
    "contact_name": "Yhteyshenkilö Zq9",
    "address": "Piilokuja 17 B 42",
    "postal_code": "00999",
    "city": "Salakylä",
    "email": "qx7@piilo.invalid",
}
APPLICANT, DRAFT_APPLICANT, DESCRIPTION = "Hakija Vq3", "Luonnos Hk8", "Kuvaus Wk5"


@pytest.fixture(scope="module")
def owned(engine: Any, nls: Any, demo: Any) -> Iterator[list[str]]:
    """Units given an owner with the secret name and address (removed afterwards)."""
    with engine.begin() as conn:
        units = (
            conn.execute(
                text(
                    "(SELECT property_id FROM property_unit WHERE municipality = '091' AND kind = 'private'"
                    " ORDER BY property_id LIMIT 2) UNION ALL (SELECT property_id FROM property_unit"
                    " WHERE municipality = '244' AND kind = 'private' ORDER BY property_id LIMIT 1)"
                )
            )
            .scalars()
            .all()
        )
        ids = (
            conn.execute(
                text(
                    "INSERT INTO personal.owner (property_id, kind, name, contact_name, address,"
                    " postal_code, city, email) SELECT u, 'person', :name, :contact_name, :address,"
                    " :postal_code, :city, :email FROM unnest(CAST(:units AS text[])) u RETURNING id"
                ),
                {**SECRETS, "units": list(units)},
            )
            .scalars()
            .all()
        )
    yield list(units)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM personal.owner WHERE id = ANY(:ids)"), {"ids": list(ids)})


@pytest.fixture(scope="module")
def permits(contractor_client: Any, engine: Any, owned: list[str]) -> Iterator[dict[str, int]]:
    """A submitted and a draft dig permit with secret applicants, on an owned unit."""
    with engine.connect() as conn:
        wkb = conn.execute(
            text("SELECT ST_AsBinary(geom) FROM property_unit WHERE property_id = :p"),
            {"p": owned[-1]},
        ).scalar_one()
    c = shapely.from_wkb(bytes(wkb)).representative_point()
    dig = mapping(from_storage(shapely.box(c.x - 1, c.y - 1, c.x + 1, c.y + 1), 4326))
    start = str(fi_today() + dt.timedelta(days=40))
    made = {}
    for name, applicant, query in (
        ("submitted", APPLICANT, ""),
        ("draft", DRAFT_APPLICANT, "?draft=true"),
    ):
        body = {
            "municipality": "244",
            "applicant": applicant,
            "description": DESCRIPTION,
            "phases": [{"areas": [dig], "start": start, "end": start}],
        }
        r = contractor_client.post(f"/api/v1/excavations{query}", json=body)
        assert r.status_code == 201, r.text
        made[name] = r.json()["id"]
    yield made
    with engine.begin() as conn:
        conn.execute(
            text("DELETE FROM excavation_permit WHERE id = ANY(:ids)"), {"ids": list(made.values())}
        )


def _pages(client: Any, url: str) -> Iterator[Any]:
    while url:
        r = client.get(url)
        assert r.status_code == 200, (url, r.text)
        yield r
        url = next((lk["href"] for lk in r.json()["links"] if lk["rel"] == "next"), "")


def _tile_of(client: Any, collection: str, lon: float, lat: float) -> Any:
    z = 15
    x = int((lon + 180) / 360 * 2**z)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * 2**z)
    return client.get(f"/ogc/collections/{collection}/tiles/WebMercatorQuad/{z}/{y}/{x}")


def _everything(client: Any, owned: list[str], permits: dict[str, int]) -> Iterator[Any]:
    """Every document /ogc serves for the loaded data."""
    for path in (
        "/ogc/",
        "/ogc/conformance",
        "/ogc/openapi",
        "/ogc/collections",
        "/ogc/TileMatrixSets",
    ):
        yield client.get(path)
    for c in ogc_config.COLLECTION_IDS:
        for sub in ("", "/queryables", "/schema", "/tiles", "/tiles/WebMercatorQuad"):
            yield client.get(f"/ogc/collections/{c}{sub}")
        yield from _pages(client, f"/ogc/collections/{c}/items?limit=10000")
    for pid in owned:
        unit = client.get(f"/ogc/collections/property_units/items/{pid}")
        yield unit
        lon, lat = shapely.geometry.shape(unit.json()["geometry"]).representative_point().coords[0]
        for c in ("parcels", "property_units", "excavation_areas"):
            yield _tile_of(client, c, lon, lat)


def test_no_personal_data_under_ogc(
    client: Any, engine: Any, settings: Any, owned: list[str], permits: dict[str, int]
) -> None:
    with engine.connect() as conn:  # the loaded secrets are really in the database
        assert conn.execute(
            text("SELECT count(*) FROM personal.owner WHERE name = :n"), {"n": SECRETS["name"]}
        ).scalar_one() == len(owned)
    password = cluster.layout(settings).password_file.read_text().strip()
    # (a postal code's digits can occur inside coordinates: the other fields are distinctive)
    secrets = [v for k, v in SECRETS.items() if k != "postal_code"]
    secrets += [APPLICANT, DRAFT_APPLICANT, DESCRIPTION, password]
    secrets += [email for email, _role, _m in TEST_USERS.values()]
    seen = 0
    for r in _everything(client, owned, permits):
        assert r.status_code in (200, 204), (r.url, r.status_code)
        body = r.content.decode("utf-8", "replace").lower()
        for secret in secrets:
            assert secret.lower() not in body, (secret, r.url)
        seen += len(r.content)
    assert seen > 1_000_000  # the crawl read the data, not just error pages


def test_works_show_dates_but_no_applicant_and_no_drafts(
    client: Any, permits: dict[str, int]
) -> None:
    works = [
        f
        for r in _pages(client, "/ogc/collections/excavation_areas/items?limit=10000")
        for f in r.json()["features"]
    ]
    mine = [f for f in works if f["properties"]["permit_id"] == permits["submitted"]]
    assert len(mine) == 1
    assert mine[0]["properties"]["starts_on"] == str(fi_today() + dt.timedelta(days=40))
    assert not [f for f in works if f["properties"]["permit_id"] == permits["draft"]]
    assert not {"applicant", "description", "created_by"} & set(mine[0]["properties"])


def test_the_reader_role_reads_the_views_and_nothing_else(client: Any, app: Any, nls: Any) -> None:
    client.get("/ogc/")  # builds the app's pygeoapi configuration
    ogc = app.state.ogc
    provider = ogc.config["resources"]["parcels"]["providers"][0]
    assert provider["data"]["search_path"] == ["ogc"]
    assert "role=rajapiste_ogc" in provider["options"]["options"]
    eng = create_engine(cluster.database_url(ogc.settings), connect_args=dict(provider["options"]))
    try:
        with eng.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM ogc.parcels")).scalar_one() > 0
        for table in (
            "personal.owner",
            "account.app_user",
            "audit.disclosure",
            "excavation_permit",
            "parcel",
        ):
            with eng.connect() as conn, pytest.raises(ProgrammingError, match="permission denied"):
                conn.execute(text(f"SELECT 1 FROM {table} LIMIT 1"))
    finally:
        eng.dispose()
