"""Places made for the map tests, through the one write path (places_upsert)."""

import itertools

import pytest

from geofinder.imports.report import ImportReport
from geofinder.places.models import Place
from geofinder.places.records import PlaceRecord
from geofinder.places.services import places_upsert
from geofinder.territories.models import Commune

_ids = itertools.count(1)


@pytest.fixture
def make_place(db):
    """make_place(name=..., category=..., commune="31254", lon=..., lat=..., **record fields) → Place."""

    def make(*, name: str, category: str = "boulangerie", commune: str = "31254",
             lon: float = 1.5206, lat: float = 43.5391, **fields) -> Place:
        source_id = f"map-test-{next(_ids)}"
        record = PlaceRecord(
            source_id=source_id, name=name, category=category, lon=lon, lat=lat,
            commune_id=Commune.objects.get(code=commune).pk, **fields,
        )
        places_upsert(source="osm", records=[record], report=ImportReport(name="map-test"))
        return Place.objects.get(source="osm", source_id=source_id)

    return make
