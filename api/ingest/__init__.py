"""Ingest: read GIS and CSV files, check them, and load them whole or not at all."""

from api.ingest.areas import import_areas
from api.ingest.base import ImportRefused, Rejection, Summary
from api.ingest.buildings import import_buildings
from api.ingest.owners import import_owners
from api.ingest.parcels import import_parcels
from api.ingest.roads import import_roads
from api.ingest.services import import_from_service, is_service
from api.ingest.water import import_water

__all__ = [
    "ImportRefused",
    "Rejection",
    "Summary",
    "import_areas",
    "import_buildings",
    "import_from_service",
    "import_owners",
    "import_parcels",
    "import_roads",
    "import_water",
    "is_service",
]
