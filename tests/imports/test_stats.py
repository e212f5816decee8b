import json
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_stats_json_meets_the_set_up_acceptance():
    out = StringIO()
    call_command("stats", json=True, stdout=out)
    stats = json.loads(out.getvalue())
    assert stats["regions"] == 18
    assert stats["departments"] == 101
    assert stats["communes"] >= 35000
    assert stats["postal_codes"] >= 39000
    assert stats["categories"] >= 60
    assert stats["places_per_source"]["alimconfiance"] >= 9800
    assert set(stats["places_per_family"]) >= {"alimentation", "cafes-restaurants", "producteurs"}
    assert sum(stats["places_per_family"].values()) == stats["places"]
