"""The network geocoder (territories/geocoder.py) against a local stand-in for the BAN: closed
unless GEOFINDER_NETWORK is on, a timeout per call, a budget of calls per request. No internet."""

import json
import threading
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

import pytest

from geofinder.imports.geocoding import Geocoder
from geofinder.places.models import Place
from geofinder.territories.gazetteer import APPROXIMATE, where_resolve
from geofinder.territories.geocoder import GeocodingUnavailable, address_geocode, geocoding_budget
from tests.servers import local_http_server

pytestmark = pytest.mark.django_db

ADDRESS = "12 rue de la Paix, 31670 Labège"
# The point the stand-in answers: in Labège (31254), near La Poste's point of 31670.
ANSWER = (1.5210, 43.5400)
ANSWER_LABEL = "12 Rue de la Paix 31670 Labège"
SEARCH = "/api/v1/places/"


class FakeBan:
    """What the stand-in does and what it was asked (the `q` of each /search request)."""

    def __init__(self):
        self.queries: list[str] = []
        self.mode = "answer"  # "answer", "nothing" (no feature), "error" (HTTP 500) or "hang"
        self.release = threading.Event()  # ends a "hang"


@pytest.fixture
def ban(settings):
    fake = FakeBan()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            url = urlsplit(self.path)
            fake.queries.append(parse_qs(url.query).get("q", [""])[0])
            if fake.mode == "hang":
                fake.release.wait()  # nothing until the test is over: the client gives up first
                return
            if fake.mode == "error":
                self.send_error(500)
                return
            features = [] if fake.mode == "nothing" else [{
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": list(ANSWER)},
                "properties": {"label": ANSWER_LABEL, "score": 0.97, "type": "housenumber"},
            }]
            body = json.dumps({"type": "FeatureCollection", "features": features}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    with local_http_server(Handler) as url:
        settings.GEOFINDER_GEOCODER = "ban"
        settings.GEOFINDER_GEOCODER_URL = url
        settings.GEOFINDER_NETWORK = True
        try:
            yield fake
        finally:
            fake.release.set()


def test_an_address_is_found_through_the_service(ban):
    found = where_resolve(text=ADDRESS)
    assert (found.kind, found.label, found.lon, found.lat) == ("address", ANSWER_LABEL, *ANSWER)
    assert (found.commune_code, found.department_code) == ("31254", "31")
    assert ban.queries == ["12 rue de la Paix, 31670 Labège"]


def test_network_off_never_reaches_the_service(ban, settings):
    settings.GEOFINDER_NETWORK = False
    with pytest.raises(GeocodingUnavailable, match="GEOFINDER_NETWORK is off"):
        address_geocode(street="12 rue de la Paix", postcode="31670", city="Labège")
    # Even asked for explicitly, the network stays closed.
    found = where_resolve(text=ADDRESS, network=True)
    assert (found.kind, found.commune_code, found.label) == ("postcode", "31254", f"31670 Labège ({APPROXIMATE})")
    found, reason = Geocoder(network=True).locate(street="12 rue de la Paix", postcode="99999", city="Nulle Part")
    assert found is None and "network geocoding disabled" in reason
    assert ban.queries == []


def test_a_search_request_with_the_network_off_stays_local(ban, settings, client):
    settings.GEOFINDER_NETWORK = False
    body = client.get(SEARCH, {"what": "boulangeries", "where": ADDRESS}).json()
    assert (body["where"]["kind"], body["where"]["label"]) == ("postcode", f"31670 Labège ({APPROXIMATE})")
    assert ban.queries == []


def test_a_service_slower_than_the_timeout_is_given_up(ban, settings):
    ban.mode = "hang"  # the stand-in never answers while the test runs
    settings.GEOFINDER_GEOCODER_TIMEOUT_S = 0.5
    with pytest.raises(GeocodingUnavailable, match="the geocoder failed"):
        address_geocode(street="12 rue de la Paix", postcode="31670", city="Labège")
    # The search falls back on the local gazetteer.
    found = where_resolve(text=ADDRESS)
    assert (found.kind, found.label) == ("postcode", f"31670 Labège ({APPROXIMATE})")
    assert len(ban.queries) == 2


def test_a_failing_service_falls_back_on_the_gazetteer_or_rejects_the_row(ban):
    ban.mode = "error"
    assert where_resolve(text=ADDRESS).label == f"31670 Labège ({APPROXIMATE})"
    found, reason = Geocoder(network=True).locate(street="12 rue de la Paix", postcode="99999", city="Nulle Part")
    assert found is None and reason.startswith("no coordinates and the geocoder failed:")
    assert len(ban.queries) == 2


def test_an_address_the_service_does_not_know_is_its_locality(ban):
    ban.mode = "nothing"
    assert where_resolve(text=ADDRESS).label == f"31670 Labège ({APPROXIMATE})"
    found, reason = Geocoder(network=True).locate(street="1 rue Inconnue", postcode="99999", city="Nulle Part")
    assert found is None and reason == "no coordinates and address not found: 1 rue Inconnue, 99999 Nulle Part"


def test_within_a_budget_the_calls_past_it_stay_local(ban):
    with geocoding_budget(1):
        first = where_resolve(text=ADDRESS)
        second = where_resolve(text="3 rue de la Paix, 31670 Labège")
        with pytest.raises(GeocodingUnavailable, match="budget of this request spent"):
            address_geocode(street="3 rue de la Paix", postcode="31670", city="Labège")
    assert first.kind == "address"
    assert (second.kind, second.label) == ("postcode", f"31670 Labège ({APPROXIMATE})")
    assert ban.queries == ["12 rue de la Paix, 31670 Labège"]
    # Past the block, no budget again (commands have none).
    assert where_resolve(text=ADDRESS).kind == "address"


def test_a_budget_of_none_makes_no_call(ban):
    with geocoding_budget(0):
        assert where_resolve(text=ADDRESS).label == f"31670 Labège ({APPROXIMATE})"
    assert ban.queries == []


def test_each_request_has_its_own_budget(ban, settings, client):
    settings.GEOFINDER_GEOCODER_BUDGET = 1
    for _ in range(2):
        body = client.get(SEARCH, {"what": "boulangeries", "where": ADDRESS}).json()
        assert (body["where"]["kind"], body["where"]["label"]) == ("address", ANSWER_LABEL)
    assert len(ban.queries) == 2
    settings.GEOFINDER_GEOCODER_BUDGET = 0
    body = client.get(SEARCH, {"what": "boulangeries", "where": ADDRESS}).json()
    assert body["where"]["label"] == f"31670 Labège ({APPROXIMATE})"
    assert len(ban.queries) == 2


def test_imports_have_no_budget_but_the_timeout(ban):
    geocoder = Geocoder(network=True)
    for number in (1, 2, 3):
        found, reason = geocoder.locate(street=f"{number} rue de la Paix", postcode="99999", city="Nulle Part")
        assert reason == "" and found is not None
        assert (found.lon, found.lat, found.precision, found.label) == (*ANSWER, Place.LocationPrecision.ADDRESS, ANSWER_LABEL)
    assert ban.queries == [f"{n} rue de la Paix, 99999 Nulle Part" for n in (1, 2, 3)]
