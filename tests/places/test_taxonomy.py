"""The taxonomy files: the OSM exclusions file is read with its reasons, and refused when malformed."""

import pytest

from geofinder.imports.errors import SourceError
from geofinder.places.taxonomy import read_osm_exclusions, read_taxonomy


def test_the_exclusions_file_gives_a_reason_for_each_tag():
    excluded = read_osm_exclusions()
    assert excluded["amenity=post_office"].startswith("a public service")
    assert excluded["shop=vacant"] == "an empty shop front: nothing is sold there"
    assert len(excluded) > 100


def test_categories_keep_the_conventions_of_the_file():
    families, categories = read_taxonomy()
    assert len(families) == 7
    for entry in categories:
        assert entry["slug"] == entry["slug"].lower() and " " not in entry["slug"], entry["slug"]
        assert entry["label"] and entry["label_en"] and entry["synonyms"], entry["slug"]
        assert all("=" in tag and "*" not in tag for tag in entry["osm"]), entry["slug"]


@pytest.mark.parametrize(
    "content, message",
    [
        ('[[excluded]]\ntags = ["shop=vacant"]\n', r"excluded #1 needs a reason and a list of tags"),
        ('[[excluded]]\nreason = "r"\ntags = ["shop"]\n', r"excluded #1: 'shop' is not a key=value tag"),
        ('[[excluded]]\nreason = "r"\ntags = ["shop=*"]\n', r"excluded #1: 'shop=\*' is not a key=value tag"),
        ('[[excluded]]\nreason = "r"\ntags = ["shop=yes"]\n[[excluded]]\nreason = "s"\ntags = ["shop=yes"]\n',
         r"'shop=yes' is excluded twice"),
        ("[[excluded]\n", "not valid TOML"),
    ],
)
def test_a_malformed_exclusions_file_is_refused_with_a_clear_message(tmp_path, content, message):
    path = tmp_path / "osm_exclusions.toml"
    path.write_text(content)
    with pytest.raises(SourceError, match=message):
        read_osm_exclusions(path)
