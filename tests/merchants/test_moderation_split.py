"""The moderator's action that undoes a merge of sources (geofinder/places/merging.py): a
moderator of the place's territory splits a joined source off it; another cannot."""

import pytest

from geofinder.places.models import Place, PlaceSource
from tests.merchants.conftest import moderator_of
from tests.places.test_merging import SIRET, three_sources  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def test_a_moderator_of_31_splits_a_merged_source_off_and_sees_it(client, three_sources):  # noqa: F811
    bakery = Place.objects.get(source="sirene", source_id=SIRET)
    client.force_login(moderator_of("moderation31@example.org", "31"))
    page = client.get(f"/moderation/commerce/{bakery.pk}/historique/").content.decode()
    assert "même SIRET" in page and "nom et distance" in page and "Séparer" in page
    response = client.post(f"/moderation/commerce/{bakery.pk}/separer/", {"source": "osm:node/9900000001"})
    assert response.status_code == 302
    osm = Place.objects.get(source="osm", source_id="node/9900000001")
    assert response["Location"].endswith(f"?separe={osm.pk}")
    assert [ps.source for ps in PlaceSource.objects.filter(place=bakery).order_by("id")] == ["sirene", "alimconfiance"]
    assert "Source séparée" in client.get(response["Location"]).content.decode()
    again = client.post(f"/moderation/commerce/{bakery.pk}/separer/", {"source": "osm:node/9900000001"})
    assert again.status_code == 400


def test_a_moderator_of_81_cannot_split_a_place_in_31(client, three_sources):  # noqa: F811
    bakery = Place.objects.get(source="sirene", source_id=SIRET)
    client.force_login(moderator_of("moderation81@example.org", "81"))
    assert client.post(f"/moderation/commerce/{bakery.pk}/separer/", {"source": "osm:node/9900000001"}).status_code == 403
    assert bakery.sources.count() == 3
    assert client.get(f"/moderation/commerce/{bakery.pk}/separer/").status_code in (403, 405)
