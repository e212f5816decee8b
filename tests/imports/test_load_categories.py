import json

import pytest
from django.core.management import CommandError, call_command

from geofinder.places.models import Category, CategoryFamily

pytestmark = pytest.mark.django_db


def test_the_taxonomy_has_at_least_60_categories_in_7_families():
    assert Category.objects.count() >= 60
    assert set(CategoryFamily.objects.values_list("slug", flat=True)) == {
        "alimentation", "artisans-batiment", "artisans-service", "equipement-personne",
        "maison-loisirs", "cafes-restaurants", "producteurs",
    }
    bakery = Category.objects.get(slug="boulangerie")
    assert bakery.label == "Boulangerie" and bakery.family.slug == "alimentation"
    assert "pain" in bakery.synonyms and "shop=bakery" in bakery.osm_tags
    assert "Boulangerie-Pâtisserie" in bakery.alimconfiance_labels
    assert Category.objects.get(slug="plombier").osm_tags == ["craft=plumber"]


def test_loading_twice_changes_nothing(tmp_path):
    call_command("load_categories", report=tmp_path / "r.json", no_progress=True, verbosity=0)
    report = json.loads((tmp_path / "r.json").read_text())
    assert (report["created"], report["updated"]) == (0, 0)
    assert report["unchanged"] == Category.objects.count()


def test_a_changed_label_updates_the_category(tmp_path):
    Category.objects.filter(slug="fleuriste").update(label="Fleurs")
    call_command("load_categories", report=tmp_path / "r.json", no_progress=True, verbosity=0)
    assert json.loads((tmp_path / "r.json").read_text())["updated"] == 1
    assert Category.objects.get(slug="fleuriste").label == "Fleuriste"


@pytest.mark.parametrize(
    "content, message",
    [
        ("[[category]\nslug=", "not valid TOML"),
        ('[[family]]\nslug = "a"\nlabel = "A"\n', r"family #1 \(a\) lacks label_en"),
        (
            '[[family]]\nslug="a"\nlabel="A"\nlabel_en="A"\n'
            '[[category]]\nslug="x"\nlabel="X"\nlabel_en="X"\nfamily="zzz"\nsynonyms=[]\nosm=[]\nalimconfiance=[]\n',
            "category 'x' has unknown family 'zzz'",
        ),
        (
            '[[family]]\nslug="a"\nlabel="A"\nlabel_en="A"\n'
            '[[category]]\nslug="x"\nlabel="X"\nlabel_en="X"\nfamily="a"\nsynonyms=[]\nosm=["shop=bakery"]\nalimconfiance=[]\n'
            '[[category]]\nslug="y"\nlabel="Y"\nlabel_en="Y"\nfamily="a"\nsynonyms=[]\nosm=["shop=bakery"]\nalimconfiance=[]\n',
            "'shop=bakery' is mapped by both 'x' and 'y'",
        ),
    ],
)
def test_a_malformed_taxonomy_is_refused_with_a_clear_message(tmp_path, content, message):
    path = tmp_path / "categories.toml"
    path.write_text(content)
    count = Category.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("load_categories", file=path, no_progress=True, verbosity=0)
    assert Category.objects.count() == count
