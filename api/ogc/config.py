"""pygeoapi's configuration, built from the project's settings object.

pygeoapi normally reads a YAML file named by PYGEOAPI_CONFIG at import time; here the same
document is a dict made from `api.settings.Settings` when /ogc is first used, so RAJAPISTE_*
variables are the only configuration. Every collection reads one view of the `ogc` schema
(sql/migrations/0060_ogc_views.sql) and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pyproj import Transformer
from sqlalchemy.engine import make_url

from api.settings import Settings
from geo import crs as crs_mod

SCHEMA = "ogc"
READER_ROLE = "rajapiste_ogc"
PROVIDER = "api.ogc.provider.PublicViewProvider"
TILE_PROVIDER = "api.ogc.provider.PublicTileProvider"
MVT = {"name": "mvt", "mimetype": "application/vnd.mapbox-vector-tile"}
MAX_ZOOM = 22  # the vector tile sets' zoom levels: 0 to this
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
STORAGE_CRS = f"http://www.opengis.net/def/crs/EPSG/0/{crs_mod.STORAGE_SRID}"
# pygeoapi writes every link from its configured base URL; the adapter replaces this
# placeholder with the address the request came to (or RAJAPISTE_OGC_URL).
BASE_PLACEHOLDER = "http://ogc.rajapiste.invalid/ogc"


def epsg_uri(code: int) -> str:
    """The OGC URI of an EPSG code (OGC API - Features Part 2)."""
    return f"http://www.opengis.net/def/crs/EPSG/0/{code}"


@dataclass(frozen=True)
class Collection:
    """One public collection: its id, the view it reads, and its titles in fi/sv/en."""

    id: str
    id_field: str
    title: tuple[str, str, str]
    description: tuple[str, str, str]
    keywords: tuple[str, ...] = ()


COLLECTIONS: tuple[Collection, ...] = (
    Collection(
        "parcels",
        "id",
        ("Palstat", "Skiften", "Parcels"),
        (
            "Kiinteistöjen palstat tunnuksineen ja yleisten alueiden tyyppeineen",
            "Fastigheternas skiften med beteckning och typ av allmänt område",
            "Parcels of the property units, with ids and public-area types",
        ),
        ("cadastre", "parcel", "kiinteistö"),
    ),
    Collection(
        "property_units",
        "property_id",
        ("Kiinteistöt", "Fastigheter", "Property units"),
        (
            "Rekisteriyksiköt (palstojen yhdiste)",
            "Registerenheter (skiftena sammanslagna)",
            "Register units (the union of their parcels)",
        ),
        ("cadastre", "kiinteistö"),
    ),
    Collection(
        "buildings",
        "id",
        ("Rakennukset", "Byggnader", "Buildings"),
        ("Rakennusten pohjat", "Byggnadernas fotavtryck", "Building footprints"),
        ("building",),
    ),
    Collection(
        "roads",
        "id",
        ("Tiet", "Vägar", "Roads"),
        ("Tieviivat nimineen", "Vägmittlinjer med namn", "Road centrelines with names"),
        ("road",),
    ),
    Collection(
        "road_areas",
        "id",
        ("Tiealueet", "Vägområden", "Road areas"),
        ("Valtion tiealueet", "Statens vägområden", "State road areas"),
        ("road",),
    ),
    Collection(
        "water_areas",
        "id",
        ("Vesialueet", "Vattenområden", "Water areas"),
        ("Meri, järvet ja joet", "Hav, sjöar och älvar", "Sea, lakes and rivers"),
        ("water",),
    ),
    Collection(
        "shorelines",
        "id",
        ("Rantaviivat", "Strandlinjer", "Shorelines"),
        ("Rantaviivat", "Strandlinjer", "Shorelines"),
        ("water", "shore"),
    ),
    Collection(
        "shore_zone",
        "id",
        ("Rantavyöhyke", "Strandzon", "Shore zone"),
        (
            "Rantavyöhyke oletusleveydellä (100 m)",
            "Strandzonen med standardbredd (100 m)",
            "The shore zone at the default width (100 m)",
        ),
        ("shore",),
    ),
    Collection(
        "plan_areas",
        "id",
        ("Kaava-alueet", "Planområden", "Plan areas"),
        (
            "Asema- ja yleiskaavat, rakennusalat, suunnittelutarvealueet, ranta-alueet",
            "Detalj- och generalplaner, byggnadsytor, områden med planeringsbehov, strandområden",
            "Detailed and master plans, building areas, planning-need and shore areas",
        ),
        ("plan", "kaava"),
    ),
    Collection(
        "excavation_areas",
        "id",
        ("Kaivutyöt", "Grävarbeten", "Excavation works"),
        (
            "Kaivu- ja aluevuokraluvat päivämäärineen (ei hakijoita)",
            "Grävnings- och områdestillstånd med datum (utan sökande)",
            "Excavation and area-use permits with their dates (no applicants)",
        ),
        ("excavation", "kaivulupa"),
    ),
)
COLLECTION_IDS = frozenset(c.id for c in COLLECTIONS)
LANGUAGES = ("fi", "sv", "en")


def _i18n(texts: tuple[str, str, str]) -> dict[str, str]:
    return dict(zip(LANGUAGES, texts, strict=True))


def crs_list(settings: Settings) -> list[str]:
    """The CRSs every collection offers for output and bbox: CRS84, EPSG:3067, the configured."""
    return [CRS84, STORAGE_CRS, *(epsg_uri(c) for c in settings.ogc_crs_codes())]


@lru_cache(maxsize=1)
def finland_bbox_crs84() -> list[float]:
    """Finland's box (geo.crs) in CRS84: the spatial extent every collection announces."""
    tr = Transformer.from_crs(crs_mod.STORAGE_SRID, 4326, always_xy=True)
    x0, y0, x1, y1 = tr.transform_bounds(*crs_mod.FINLAND_BOX_3067, densify_pts=21)
    return [round(float(v), 4) for v in (x0, y0, x1, y1)]


def connection(
    database_url: str, role: str | None, statement_timeout_ms: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The database as pygeoapi's `data` (where) and `options` (session settings).

    Its sessions have the service's statement timeout: a slow /ogc page is cancelled (504)
    like any other request instead of holding a connection.
    """
    url = make_url(database_url)
    data = {
        "host": url.host or str(url.query.get("host") or "localhost"),
        "port": url.port or 5432,
        "dbname": url.database,
        "user": url.username,
        "password": url.password,
        "search_path": [SCHEMA],
    }
    # Sessions are read-only; as the reader role they can read the ogc views and nothing else.
    session = [
        "default_transaction_read_only=on",
        "jit=off",
        f"statement_timeout={statement_timeout_ms}",
    ]
    if role:
        session.append(f"role={role}")
    return data, {"options": " ".join(f"-c {s}" for s in session)}


def _resource(
    c: Collection, data: dict[str, Any], options: dict[str, Any], crs: list[str]
) -> dict[str, Any]:
    source = {"data": data, "id_field": c.id_field, "table": c.id, "geom_field": "geom"}
    return {
        "type": "collection",
        "title": _i18n(c.title),
        "description": _i18n(c.description),
        "keywords": list(c.keywords),
        "links": [],
        "extents": {"spatial": {"bbox": finland_bbox_crs84(), "crs": CRS84}},
        "providers": [
            {
                "type": "feature",
                "name": PROVIDER,
                **source,
                "options": options,
                "storage_crs": STORAGE_CRS,
                "crs": crs,
            },
            {
                "type": "tile",
                "name": TILE_PROVIDER,
                **source,
                "options": {**options, "zoom": {"min": 0, "max": MAX_ZOOM}},
                "storage_crs": STORAGE_CRS,
                "format": MVT,
            },
        ],
    }


def pygeoapi_config(settings: Settings, database_url: str, role: str | None) -> dict[str, Any]:
    """The whole pygeoapi configuration document for these settings."""
    data, options = connection(database_url, role, settings.statement_timeout_ms)
    crs = crs_list(settings)
    limits = {
        "default_items": settings.ogc_page_size,
        "max_items": settings.ogc_max_items,
        "on_exceed": "throttle",
    }
    return {
        "server": {
            "bind": {"host": settings.host, "port": settings.port},
            "url": BASE_PLACEHOLDER,
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": ["fi", "sv", "en"],
            "limits": limits,
            "pretty_print": False,
            "admin": False,
            # only for pygeoapi's HTML pages, which /ogc does not serve
            "map": {"url": "", "attribution": ""},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": _i18n(("Rajapiste", "Rajapiste", "Rajapiste")),
                "description": _i18n(
                    (
                        "Rajapisteen julkiset paikkatiedot (OGC API - Features)",
                        "Rajapistes offentliga geodata (OGC API - Features)",
                        "Rajapiste's public spatial data (OGC API - Features)",
                    )
                ),
                "keywords": ["cadastre", "permits", "Finland"],
                "keywords_type": "theme",
                "terms_of_service": "",
                "url": "https://rajapiste.invalid",
            },
            "license": {
                "name": "CC BY 4.0 (NLS data © Maanmittauslaitos)",
                "url": "https://creativecommons.org/licenses/by/4.0/",
            },
            "provider": {"name": "Rajapiste", "url": "https://rajapiste.invalid"},
            "contact": {"name": "Rajapiste"},
        },
        "resources": {c.id: _resource(c, data, options, crs) for c in COLLECTIONS},
    }
