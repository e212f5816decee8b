"""The merchants' pages and messages, French first (at /) and English (under /en/, the site's
language switch): the same form error in both, and what was typed kept in both."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from tests.merchants.test_pages import BAKERY, edit_url, form_of

pytestmark = pytest.mark.django_db

LANGUAGES = {
    "fr": {"prefix": "", "url": "Saisissez une adresse web commençant par http:// ou https://.",
           "hours": "« lundi 8h-12h » inattendu au caractère 1 ; attendu : un jour de la semaine, une date", "label": "Horaires d&#x27;ouverture",
           "summary": "Corrigez les champs signalés", "day": "Mardi : « 14:00-09:00 » : la fin doit suivre le début",
           "passwords": "Les deux mots de passe diffèrent.", "closure": "La fin doit être le jour du début ou après.",
           "preview": "Lundi : « midi » n&#x27;est pas une plage horaire", "forbidden": "Vous ne gérez pas ce commerce."},
    "en": {"prefix": "/en", "url": "Enter a web address starting with http:// or https://.",
           "hours": "unexpected &quot;lundi 8h-12h&quot; at character 1; expected a weekday, a date", "label": "Opening hours",
           "summary": "Please correct these fields", "day": "Tuesday: &quot;14:00-09:00&quot;: the end must come after",
           "passwords": "The two passwords differ.", "closure": "The end must be on or after the start day.",
           "preview": "Monday: &quot;midi&quot; is not a time range", "forbidden": "You do not manage this business."},
}


@pytest.fixture(params=sorted(LANGUAGES))
def language(request):
    return LANGUAGES[request.param]


def test_a_proposal_that_fails_names_its_errors_in_the_pages_language_and_keeps_what_was_typed(
        client, merchant, language):
    client.force_login(merchant)
    typed = {**BAKERY, "website": "javascript:alert(1)", "opening_hours": "lundi 8h-12h", "action": "save"}
    response = client.post(f"{language['prefix']}/ajouter-mon-commerce/", typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert language["url"] in page and language["hours"] in page and language["label"] in page
    assert language["summary"] in page
    for value in ("Boulangerie d'essai (inventée)", "lundi 8h-12h", "javascript:alert(1)", "1 rue de l'Essai", "31670"):
        assert f'value="{escape(value)}"' in page or f">\n{escape(value)}</textarea>" in page, value
    other = LANGUAGES["en" if language is LANGUAGES["fr"] else "fr"]
    assert other["url"] not in page


def test_the_week_editors_error_names_the_day_in_the_pages_language(client, merchant, managed31, language):
    client.force_login(merchant)
    response = client.post(f"{language['prefix']}{edit_url(managed31)}",
                           form_of(managed31, day_Tu="14h-9h") | {"hours_mode": "week"})
    assert response.status_code == 400
    page = response.content.decode()
    assert language["day"] in page and 'value="14h-9h"' in page


def test_the_hours_preview_answers_in_the_pages_language(client, language):
    response = client.get(f"{language['prefix']}/espace/horaires/apercu/", {"hours_mode": "week", "day_Mo": "midi"})
    assert response.status_code == 400
    assert escape(response.json()["error"]).startswith(language["preview"])


def test_sign_up_errors_in_both_languages_keep_the_address(client, language):
    response = client.post(f"{language['prefix']}/compte/inscription/", {
        "email": "nouvelle@example.org", "password1": "Un mot de passe assez long 42", "password2": "autre chose 42"})
    assert response.status_code == 400
    page = response.content.decode()
    assert language["passwords"] in page and 'value="nouvelle@example.org"' in page
    assert "Un mot de passe assez long" not in page  # passwords are never sent back


def test_a_closure_error_in_both_languages_keeps_the_reason(client, merchant, managed31, language):
    client.force_login(merchant)
    today = timezone.localdate()
    response = client.post(f"{language['prefix']}/espace/commerce/{managed31.pk}/fermetures/", {
        "closure-start": today + timedelta(days=9), "closure-end": today + timedelta(days=7),
        "closure-reason": "travaux <b>"})
    assert response.status_code == 400
    page = response.content.decode()
    assert language["closure"] in page and 'value="travaux &lt;b&gt;"' in page


def test_another_managers_place_is_refused_in_the_pages_language(client, other_merchant, managed31, language):
    client.force_login(other_merchant)
    response = client.get(f"{language['prefix']}{edit_url(managed31)}")
    assert response.status_code == 403 and language["forbidden"] in response.content.decode()


ENGLISH_DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}


def test_the_hours_preview_says_the_status_and_the_days_in_english_under_en(client, managed31):
    always = client.get("/en/espace/horaires/apercu/", {"opening_hours": "24/7", "place": managed31.pk}).json()
    assert always["status"]["label"] == "Open 24/7"
    assert {day["weekday"] for day in always["days"]} == ENGLISH_DAYS
    # Whatever the hour the test runs at: an English label built from the state and next change.
    week = client.get("/en/espace/horaires/apercu/", {
        "hours_mode": "week", "day_Mo": "09:00-12:00", "day_Th": "14:00-18:00", "place": managed31.pk}).json()
    label = week["status"]["label"]
    assert label.startswith(("Open · closes ", "Closed · opens ")), label
    assert not any(word in label for word in ("ferme", "ouvre", "demain", "lundi", "jeudi")), label
    assert {day["weekday"] for day in week["days"]} == ENGLISH_DAYS
    # French at /: the evaluator's own words.
    french = client.get("/espace/horaires/apercu/", {"opening_hours": "24/7", "place": managed31.pk}).json()
    assert french["status"]["label"] == "Ouvert 24h/24" and "lundi" in {day["weekday"] for day in french["days"]}


def test_a_closure_is_noted_in_english_in_the_preview(client, managed31):
    from geofinder.places.models import PlaceClosure

    today = timezone.localdate()
    PlaceClosure.objects.create(place=managed31, start=today, end=today + timedelta(days=8), reason="travaux")
    body = client.get("/en/espace/horaires/apercu/", {"opening_hours": "Mo-Su 08:00-20:00", "place": managed31.pk}).json()
    assert body["status"]["label"] == "Closed · exceptional closure"
    assert {day["note"] for day in body["days"]} == {"Exceptional closure"}
