"""The API against its own OpenAPI schema, fuzzed by schemathesis with a fixed seed.

Every operation of /api/v1/schema/ gets requests generated from the schema, valid ones and ones
that break it (wrong types, out of range, too long, control characters), sent over HTTP to a
real gunicorn on the test database. No answer may be a server error, and every answer must agree
with the schema: a documented status code, the documented media type and headers, a body valid
against the documented JSON Schema.

Left out, with the reason: `positive_data_acceptance` (a value valid for the schema may name
nothing: an unknown category slug, a commune that does not exist, a département without that
code; a 400 naming it is right) and `unsupported_method` (DRF answers 405 for the methods an
operation has not, as it should, but the check also sends OPTIONS, which DRF answers 200).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance, unsupported_method

from tests.servers import geofinder_server

EXAMPLES = 100  # per operation and generation mode
# But exports: each valid one streams up to the whole directory (some 10,000 places).
EXPORT_EXAMPLES = 25
OPERATIONS = [
    "/api/v1/places/",
    "/api/v1/places/{place_id}/",
    "/api/v1/categories/",
    "/api/v1/territories/{kind}/{code}/",
    "/api/v1/geocode/",
    "/api/v1/export/places.{fmt}",
    "/api/v1/clusters/{z}/{x}/{y}/",
]


@pytest.fixture(scope="module")
def server(django_db_setup, tmp_path_factory):
    from django.db import connection

    env = {"DJANGO_DEBUG": "false", "GEOFINDER_NETWORK": "false", "GEOFINDER_TILE_URL": ""}
    with (tmp_path_factory.mktemp("fuzz") / "gunicorn.log").open("w") as log:
        with geofinder_server(connection.settings_dict, env=env, workers=2, threads=4, log=log) as url:
            yield url


# A request breaking the schema is rejected with a 400 naming the parameter, a 404 (a path
# parameter naming nothing), or gunicorn's 414/431 in the API's JSON (a request line or headers
# too long for it to read).
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"negative_data_rejection": {"expected-statuses": ["400", "404", "414", "431"]}}}
)


@pytest.fixture(scope="module")
def api_schema(server):
    return schemathesis.openapi.from_url(f"{server}/api/v1/schema/", config=CONFIG)


def test_every_operation_is_fuzzed(api_schema):
    paths = {result.ok().path for result in api_schema.get_all_operations()}
    assert paths == set(OPERATIONS)


# The categories take no parameter but DRF's `format`: schemathesis finds no request breaking
# the schema to send them (Unsatisfiable).
CASES = [
    (path, mode)
    for path in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if (path, mode) != ("/api/v1/categories/", GenerationMode.NEGATIVE)
]


@pytest.mark.parametrize(("path", "mode"), CASES, ids=[f"{path}-{mode}" for path, mode in CASES])
def test_api_answers_as_its_schema_says(api_schema, server, path, mode):
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXPORT_EXAMPLES if "export" in path else EXAMPLES,
        derandomize=True,  # the same requests at every run
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def answers_as_documented(case):
        case.call_and_validate(
            base_url=server, excluded_checks=[positive_data_acceptance, unsupported_method], timeout=30
        )

    answers_as_documented()
