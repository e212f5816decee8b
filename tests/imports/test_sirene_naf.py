import pytest

from geofinder.imports.errors import SourceError
from geofinder.imports.sirene.naf import naf_nomenclature, read_naf_categories
from geofinder.imports.taxonomy import read_taxonomy

SLUGS = {category["slug"] for category in read_taxonomy()[1]}


def test_every_code_of_the_mapping_is_a_naf_sous_classe_and_every_slug_a_category():
    mapping = read_naf_categories(categories=SLUGS)
    nomenclature = naf_nomenclature()
    assert len(nomenclature) == 732
    assert set(mapping) <= set(nomenclature)
    assert mapping["43.22A"].category == "plombier"
    assert mapping["43.22A"].label.startswith("Travaux d'installation d'eau")
    assert mapping["96.02A"].category == "coiffeur"
    assert mapping["10.71C"].category == "boulangerie"
    assert mapping["45.20A"].category == "garagiste"
    assert mapping["47.62Z"].category == "tabac-presse"
    # Left out on purpose: wholesale, works on public roads, market stalls.
    assert not {"46.74A", "43.21B", "47.81Z"} & set(mapping)


def _mapping(tmp_path, body: str):
    path = tmp_path / "naf.toml"
    path.write_text(body, encoding="utf-8")
    return read_naf_categories(categories=SLUGS, path=path)


def test_a_code_outside_the_nomenclature_is_refused_at_load_time(tmp_path):
    with pytest.raises(SourceError, match=r"'43\.22Q': not in INSEE's NAF rév. 2 nomenclature"):
        _mapping(tmp_path, '[[family]]\nnaf = "43"\nreview = "r"\n[family.codes]\n"43.22Q" = "plombier"\n')


def test_an_unknown_category_and_a_missing_review_are_refused(tmp_path):
    with pytest.raises(SourceError, match="unknown category plumber"):
        _mapping(tmp_path, '[[family]]\nnaf = "43"\nreview = "r"\n[family.codes]\n"43.22A" = "plumber"\n')
    with pytest.raises(SourceError, match="has no review"):
        _mapping(tmp_path, '[[family]]\nnaf = "43"\n[family.codes]\n"43.22A" = "plombier"\n')
    with pytest.raises(SourceError, match="mapped twice"):
        _mapping(
            tmp_path,
            '[[family]]\nnaf = "a"\nreview = "r"\n[family.codes]\n"43.22A" = "plombier"\n'
            '[[family]]\nnaf = "b"\nreview = "r"\n[family.codes]\n"43.22A" = "chauffagiste"\n',
        )
