"""The *what* matcher, against the real taxonomy loaded from data/categories.toml."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from geofinder.core.text import fold
from geofinder.imports.taxonomy import read_taxonomy
from geofinder.places.models import Category, CategoryFamily
from geofinder.search import what
from geofinder.search.intents import open_instant
from geofinder.search.what import (
    CategoryRef,
    What,
    category_by_slug,
    category_index,
    category_suggestions,
    clear_category_cache,
    content_words,
    resolve_what,
    singularize,
)
from tests.factories import CategoryFactory


@pytest.fixture(autouse=True)
def _fresh_index():
    """Each test builds the index from its own database state, and leaves none behind
    (categories added by a test are rolled back, the process cache would keep them)."""
    clear_category_cache()
    yield
    clear_category_cache()


def slugs(refs) -> list[str]:
    return [ref.slug for ref in refs]


# --- Pure helpers: no database --------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "singular"),
    [
        ("boulangeries", "boulangerie"),
        ("fleuristes", "fleuriste"),
        ("bijoux", "bijou"),
        ("bijou", "bijou"),
        ("jeux", "jeu"),
        ("chevaux", "cheval"),
        ("animaux", "animal"),
        ("travaux", "traval"),  # consistent on both sides, that is all matching needs
        ("gateaux", "gateau"),
        ("gateau", "gateau"),
        ("vis", "vis"),  # 3 letters or fewer: untouched
        ("jus", "jus"),
        ("bars", "bar"),
        ("express", "express"),
        ("coiffeur", "coiffeur"),
    ],
)
def test_singularize(word, singular):
    assert singularize(word) == singular


def test_content_words_fold_drop_stop_words_and_singularize():
    assert content_words("Pain et Viennoiseries") == ["pain", "viennoiserie"]
    assert content_words("Chez l'Épicier du coin") == ["epicier", "coin"]
    assert content_words("Cave à vins") == ["cave", "vin"]
    assert content_words("de la") == []


# What an answer's what block holds besides its categories when the text asked nothing more.
NOTHING_MORE = {"name_first": None, "filters": [], "not_understood": [], "message": None}


def test_what_as_dict_kinds():
    ref = CategoryRef(1, "boulangerie", "Boulangerie", "Bakery", "alimentation", "Alimentation")
    assert What("pain", (ref,), None).as_dict() == {
        "text": "pain",
        "kind": "category",
        "categories": [{"slug": "boulangerie", "label": "Boulangerie"}],
        "suggestions": [],
        **NOTHING_MORE,
    }
    assert What("boulangrie", (), "boulangrie", (ref,)).as_dict() == {
        "text": "boulangrie",
        "kind": "name",
        "categories": [],
        "suggestions": [{"slug": "boulangerie", "label": "Boulangerie"}],
        **NOTHING_MORE,
    }
    assert What("", (), None).as_dict()["kind"] == "all"


# --- Against the real taxonomy --------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("boulangerie", ["boulangerie"]),
        ("boulangeries", ["boulangerie"]),
        ("Pain", ["boulangerie"]),
        ("viennoiseries", ["boulangerie"]),
        ("plombier", ["plombier"]),
        ("fleuriste", ["fleuriste"]),
        ("fleuristes", ["fleuriste"]),
        ("boucherie", ["boucherie-charcuterie"]),
        ("coiffeur", ["coiffeur"]),
        ("resto", ["restaurant"]),
        ("bijoux", ["bijouterie"]),
        ("bijou", ["bijouterie"]),
        ("gâteaux", ["patisserie"]),
        ("animaux", ["animalerie"]),
        ("jeux vidéo", ["jeux-video"]),
        # accents and case
        ("BOULANGERIE", ["boulangerie"]),
        ("Pâtisserie", ["patisserie"]),
        ("patisserie", ["patisserie"]),
        ("ÉLECTRICIEN", ["electricien"]),
        # English label, slug
        ("Bakery", ["boulangerie"]),
        ("boucherie-charcuterie", ["boucherie-charcuterie"]),
        # whole multi-word phrases
        ("fruits et légumes", ["primeur"]),
        ("cave à vin", ["caviste"]),
        ("salon de coiffure", ["coiffeur"]),
        # several categories, taxonomy order, deduplicated
        ("Boulangerie pâtisserie", ["boulangerie", "patisserie"]),
        ("pâtisserie boulangerie", ["boulangerie", "patisserie"]),
        ("pain et viennoiserie", ["boulangerie"]),
        # stop words, extra words
        ("chez le boucher", ["boucherie-charcuterie"]),
        ("une boulangerie près de chez moi", ["boulangerie"]),
        # longest phrase wins, no overlap
        ("restaurant italien", ["pizzeria"]),
        ("épicerie bio", ["magasin-bio"]),
        ("épicerie", ["epicerie"]),
        # "magasin" only counts when nothing more precise is named
        ("magasin de chaussures", ["chaussures"]),
        ("magasin", ["grand-magasin"]),
    ],
)
def test_resolve_what_categories(text, expected):
    resolved = resolve_what(text)
    assert slugs(resolved.categories) == expected
    assert resolved.name_query is None
    assert resolved.suggestions == ()
    assert resolved.as_dict()["kind"] == "category"


@pytest.mark.django_db
def test_category_refs_carry_labels_and_family():
    bakery = Category.objects.get(slug="boulangerie")
    assert resolve_what("  pain ").categories == (
        CategoryRef(bakery.id, "boulangerie", "Boulangerie", "Bakery", "alimentation", "Alimentation"),
    )
    assert resolve_what("  pain ").text == "pain"


@pytest.mark.django_db
@pytest.mark.parametrize("text", [None, "", "   ", "!!"])
def test_empty_text_means_every_category(text):
    resolved = resolve_what(text)
    assert resolved.categories == ()
    assert resolved.name_query is None
    assert resolved.suggestions == ()
    assert resolved.as_dict() == {"text": (text or "").strip(), "kind": "all", "categories": [], "suggestions": [],
                                  **NOTHING_MORE}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "name_query"),
    [("Chez Marcel", "chez marcel"), ("Paul", "paul"), ("L'Atelier d'Émilie", "l atelier d emilie")],
)
def test_shop_names_fall_back_to_name_search(text, name_query):
    resolved = resolve_what(text)
    assert resolved.categories == ()
    assert resolved.name_query == name_query
    assert resolved.suggestions == ()  # "marcel" is 2 edits from "marche": not a suggestion
    assert resolved.as_dict()["kind"] == "name"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "suggested"),
    [
        ("boulangrie", "boulangerie"),  # a missing letter
        ("boulagnerie", "boulangerie"),  # two letters swapped
        ("glaceir", "glacier"),  # a swap is one typo: within the budget of a 7-letter word
        ("plombir", "plombier"),
        ("coifeur", "coiffeur"),
        ("fleurist", "fleuriste"),
        ("boulangrie paul", "boulangerie"),  # a typo among other words
    ],
)
def test_typos_are_suggested_not_applied(text, suggested):
    resolved = resolve_what(text)
    assert resolved.categories == ()
    assert resolved.name_query == text
    assert slugs(resolved.suggestions)[0] == suggested
    assert resolved.as_dict()["suggestions"][0]["slug"] == suggested


@pytest.mark.django_db
def test_category_suggestions_for_autocomplete():
    assert slugs(category_suggestions("boul")) == ["boulangerie"]
    assert slugs(category_suggestions("pizz")) == ["pizzeria"]
    # a word inside a label or synonym: Pâtisserie, then Épicerie fine ("pâtes fraîches")
    assert slugs(category_suggestions("pât")) == ["patisserie", "epicerie-fine"]
    # a full word, plural included, comes first
    assert slugs(category_suggestions("boulangeries"))[0] == "boulangerie"
    # labels starting with the text before synonyms starting with it
    assert slugs(category_suggestions("b", limit=3)) == ["boulangerie", "boucherie-charcuterie", "burger"]
    assert len(category_suggestions("b")) == 5
    assert category_suggestions("") == []
    assert category_suggestions("zzzzzz") == []


@pytest.mark.django_db
def test_every_taxonomy_name_resolves_to_its_own_category():
    """The singulariser and stop words never make two categories' names collide."""
    _families, categories = read_taxonomy()
    listing: dict[str, list[str]] = {}  # a synonym → the categories listing it, in taxonomy order
    for entry in categories:
        for synonym in entry["synonyms"]:
            if entry["slug"] not in listing.setdefault(fold(synonym), []):
                listing[fold(synonym)].append(entry["slug"])
    for entry in categories:
        for text in [entry["slug"], entry["label"], entry["label_en"], *entry["synonyms"]]:
            # A synonym of several categories means all of them ("bar": café-bar and pub).
            expected = listing[fold(text)] if text in entry["synonyms"] else [entry["slug"]]
            assert slugs(resolve_what(text).categories) == expected, text
            # one-word names take a plural "s" ("hi-fi" is two words once folded)
            if len(fold(text).split()) == 1 and len(text) >= 3 and text[-1] not in "sxz":
                assert slugs(resolve_what(text + "s").categories) == expected, text + "s"


@pytest.mark.django_db
def test_category_by_slug():
    assert category_by_slug("fleuriste").label == "Fleuriste"
    assert category_by_slug("fleuriste").family_slug == "maison-loisirs"
    assert category_by_slug("no-such-category") is None


@pytest.mark.django_db
def test_index_is_built_with_one_query_then_resolving_is_in_memory(django_assert_num_queries):
    with django_assert_num_queries(1):
        index = category_index()
    assert len(index.categories) == len(read_taxonomy()[1])  # every category of data/categories.toml
    assert slugs(index.categories[:3]) == ["boulangerie", "patisserie", "boucherie-charcuterie"]
    with django_assert_num_queries(0):
        assert category_index() is index
        resolve_what("boulangerie pâtisserie")
        resolve_what("boulangrie")
        category_suggestions("boul")
        category_by_slug("boulangerie")


def _new_category(family: CategoryFamily) -> Category:
    return CategoryFactory.build(
        slug="escape-game", label="Escape game", label_en="Escape room", family=family,
        synonyms=["jeu d'évasion"], position=200,
    )


@pytest.mark.django_db
def test_cache_cleared_when_a_category_is_saved():
    assert resolve_what("escape game").categories == ()
    _new_category(CategoryFamily.objects.get(slug="maison-loisirs")).save()
    assert slugs(resolve_what("jeux d'évasion").categories) == ["escape-game"]
    assert category_by_slug("escape-game").family_label == "Maison et loisirs"


@pytest.mark.django_db
def test_cache_kept_until_cleared_or_expired(monkeypatch):
    assert category_by_slug("escape-game") is None
    # bulk_create sends no signal, like a change made by another process
    Category.objects.bulk_create([_new_category(CategoryFamily.objects.get(slug="maison-loisirs"))])
    assert category_by_slug("escape-game") is None
    clear_category_cache()
    assert category_by_slug("escape-game").label == "Escape game"

    Category.objects.filter(slug="escape-game").update(label="Jeu d'évasion")
    assert category_by_slug("escape-game").label == "Escape game"
    monkeypatch.setattr(what._index, "ttl_s", -1.0)  # every index has expired
    assert category_by_slug("escape-game").label == "Jeu d'évasion"


@pytest.mark.django_db
def test_the_typo_search_stops_at_its_time_budget(monkeypatch):
    assert [c.slug for c in what.category_suggestions("boulangrie")][:1] == ["boulangerie"]
    monkeypatch.setattr(what, "FUZZY_BUDGET_S", -1.0)  # spent before the first probe
    assert "boulangerie" not in [c.slug for c in what.category_suggestions("boulangrie")]


# --- A shop's name before the category words inside it (issue 13, item 5) -----------------


@pytest.mark.django_db
def test_the_coffee_shop_is_not_tea():
    """"The" before other words, written without the accent of "thé", is the English article."""
    resolved = resolve_what("The Coffee Shop")
    assert slugs(resolved.categories) == ["cafe-bar"]  # "coffee shop"; not the tea merchant
    assert resolved.name_first == "the coffee shop"
    assert resolved.unread == ()
    # "thé" written as such, alone, or after other words, is still tea.
    for text in ("thé", "the", "Thé vert", "salon de the"):
        assert "torrefacteur" in slugs(resolve_what(text).categories), text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "categories", "name_first", "unread"),
    [
        ("Simply Market", ["marche"], "simply market", ["simply"]),
        ("Carrefour Market", ["marche"], "carrefour market", ["carrefour"]),
        ("L'Alliance", ["bijouterie"], "l alliance", []),
        # a taxonomy name as a whole is category words only: no name looked for
        ("bar", ["cafe-bar", "pub"], None, []),
        ("boulangeries", ["boulangerie"], None, []),
        ("fruits et légumes", ["primeur"], None, []),
        ("plat à emporter", ["traiteur"], None, []),
    ],
)
def test_a_text_read_as_categories_keeps_its_name(text, categories, name_first, unread):
    resolved = resolve_what(text)
    assert slugs(resolved.categories) == categories
    assert resolved.name_query is None  # the category search is not narrowed to the name
    assert resolved.name_first == name_first
    assert [word.word for word in resolved.unread] == unread
    # Whether names came first is for the search to say (geofinder.search.named).
    assert resolved.as_dict()["name_first"] is None


@pytest.mark.django_db
def test_bar_means_bars_and_pubs():
    assert slugs(resolve_what("bar").categories) == ["cafe-bar", "pub"]
    assert slugs(resolve_what("bars").categories) == ["cafe-bar", "pub"]
    # the more precise phrases keep their own category
    assert slugs(resolve_what("bar à bière").categories) == ["pub"]
    assert slugs(resolve_what("bar à vin").categories) == ["cafe-bar"]
    assert slugs(resolve_what("pub").categories) == ["pub"]


# --- Words of intent ------------------------------------------------------------------------

PARIS = ZoneInfo("Europe/Paris")
WEDNESDAY_3PM = datetime(2026, 3, 4, 15, 0, tzinfo=PARIS)  # a Wednesday


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "categories", "open_at", "words"),
    [
        ("ouvert", [], WEDNESDAY_3PM, "ouvert"),
        ("ouvert maintenant", [], WEDNESDAY_3PM, "ouvert maintenant"),
        ("open now", [], WEDNESDAY_3PM, "open now"),
        ("boulangerie ouverte", ["boulangerie"], WEDNESDAY_3PM, "ouverte"),
        ("ouvert dimanche", [], datetime(2026, 3, 8, 11, 0, tzinfo=PARIS), "ouvert dimanche"),
        ("boulangeries ouvertes le dimanche", ["boulangerie"], datetime(2026, 3, 8, 11, 0, tzinfo=PARIS),
         "ouvertes le dimanche"),
        ("fleuriste dimanche", ["fleuriste"], datetime(2026, 3, 8, 11, 0, tzinfo=PARIS), "dimanche"),
        ("ouvert demain", [], datetime(2026, 3, 5, 11, 0, tzinfo=PARIS), "ouvert demain"),
    ],
)
def test_opening_words_become_the_open_filter(text, categories, open_at, words):
    resolved = resolve_what(text, now=WEDNESDAY_3PM)
    assert slugs(resolved.categories) == categories
    assert resolved.open_at == open_at
    assert resolved.name_query is None and resolved.unread == ()
    (intent,) = resolved.as_dict()["filters"]
    assert intent["filter"] == "open" and intent["words"] == words
    assert datetime.fromisoformat(intent["open_at"]) == open_at
    assert resolved.as_dict()["message"].startswith("Filtres lus dans la recherche : ouvert")


@pytest.mark.parametrize(
    ("now", "value", "expected"),
    [
        # another day: that day at 11:00
        (WEDNESDAY_3PM, "dimanche", datetime(2026, 3, 8, 11, 0, tzinfo=PARIS)),
        (WEDNESDAY_3PM, "mardi", datetime(2026, 3, 10, 11, 0, tzinfo=PARIS)),
        # that very day: at 11:00 before 11, now until 19:00, next week's after
        (datetime(2026, 3, 8, 8, 30, tzinfo=PARIS), "dimanche", datetime(2026, 3, 8, 11, 0, tzinfo=PARIS)),
        (datetime(2026, 3, 8, 16, 0, tzinfo=PARIS), "dimanche", datetime(2026, 3, 8, 16, 0, tzinfo=PARIS)),
        (datetime(2026, 3, 8, 20, 0, tzinfo=PARIS), "dimanche", datetime(2026, 3, 15, 11, 0, tzinfo=PARIS)),
        # "aujourd'hui" stays today, "demain" is tomorrow, whatever the hour
        (datetime(2026, 3, 8, 20, 0, tzinfo=PARIS), "today", datetime(2026, 3, 8, 20, 0, tzinfo=PARIS)),
        (datetime(2026, 3, 8, 20, 0, tzinfo=PARIS), "tomorrow", datetime(2026, 3, 9, 11, 0, tzinfo=PARIS)),
        # across the spring DST change (29 March 2026): 11:00 local time, +02:00
        (datetime(2026, 3, 27, 12, 0, tzinfo=PARIS), "dimanche", datetime(2026, 3, 29, 11, 0, tzinfo=PARIS)),
    ],
)
def test_open_instant_of_a_day(now, value, expected):
    at = open_instant(value, now)
    assert at == expected
    assert at.utcoffset() == expected.utcoffset()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "categories", "services"),
    [
        ("livraison", [], ["delivery"]),
        ("fleuriste livraison", ["fleuriste"], ["delivery"]),
        ("livraison de fleurs", ["fleuriste"], ["delivery"]),  # the synonym, and the intent inside it
        ("à emporter", [], ["takeaway"]),
        ("pizza à emporter", ["pizzeria"], ["takeaway"]),
        ("click and collect", [], ["click_and_collect"]),
        ("Click & Collect", [], ["click_and_collect"]),
        ("retrait en magasin", [], ["click_and_collect"]),
        ("coiffeur sur rendez-vous", ["coiffeur"], ["appointment"]),
        ("traiteur livraison à emporter", ["traiteur"], ["delivery", "takeaway"]),
    ],
)
def test_service_words_become_the_services_filter(text, categories, services):
    resolved = resolve_what(text)
    assert slugs(resolved.categories) == categories
    assert list(resolved.services) == services
    assert [f["value"] for f in resolved.as_dict()["filters"]] == services
    assert resolved.name_query is None and resolved.unread == ()


@pytest.mark.django_db
def test_intents_are_taken_out_of_a_name():
    resolved = resolve_what("Chez Marcel livraison")
    assert resolved.name_query == "chez marcel"
    assert resolved.services == ("delivery",)
    assert resolved.kind == "name"


@pytest.mark.django_db
def test_words_not_understood_come_back_with_a_reason():
    resolved = resolve_what("boulangerie xyzzy")
    assert slugs(resolved.categories) == ["boulangerie"]
    assert resolved.as_dict()["not_understood"] == [
        {"word": "xyzzy", "reason": "ni une catégorie, ni un critère connu : mot ignoré"}
    ]
    assert "« xyzzy »" in resolved.as_dict()["message"]
    # a criterion no place records is never a filter pretending to check it
    terrace = resolve_what("restaurant terrasse")
    assert terrace.services == () and terrace.open_at is None
    assert terrace.as_dict()["not_understood"] == [
        {"word": "terrasse", "reason": "les fiches ne disent pas si le lieu a une terrasse"}
    ]
    # words of no meaning for the search are not worth a note
    assert resolve_what("une boulangerie près de chez moi").unread == ()
