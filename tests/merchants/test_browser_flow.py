"""The whole merchant flow in headless Chromium, against a gunicorn geofinder on the test
database: a visitor signs up (the emailed link, read from the file backend's folder), proposes a
bakery with its hours, a moderator of the département approves it, and the bakery is found
open by the API and shown on the map with its live status; the merchant adds a closure (the
preview says so for those days, and a search inside it leaves the bakery out) and
announcements (shown while they run, not after).

What the server writes is committed (it is another process): everything this test made is
deleted at its end, through Django in a subprocess (so that its cascades apply).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.conftest import CHROMIUM  # noqa: F401 (the browser fixture's binary)
from tests.servers import ROOT, database_url, free_port, geofinder_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PARIS = ZoneInfo("Europe/Paris")
LABEGE = "1.5206,43.5391"
DOMAIN = "flow.example"
BAKERY = "Boulangerie du test de bout en bout (inventée)"
PASSWORD = "Un mot de passe assez long 42"
HOURS = "Mo-Sa 07:00-19:30; PH off"


def manage(settings_dict: dict, *args: str) -> str:
    """`manage.py <args>` on the test database, in a subprocess (its writes are committed)."""
    env = {"DATABASE_URL": database_url(settings_dict), "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**_environ(), **env},
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return run.stdout


def _environ() -> dict:
    import os

    return {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


CLEANUP = f"""
from django.contrib.auth import get_user_model
from geofinder.places.models import Announcement, Place, PlaceClosure
ids = list(Place.history.filter(name={BAKERY!r}).values_list("id", flat=True).distinct())
Place.objects.filter(pk__in=ids).delete()
for model in (Place, PlaceClosure, Announcement):
    model.history.filter(**({{"id__in": ids}} if model is Place else {{"place_id__in": ids}})).delete()
get_user_model().objects.filter(email__endswith="@{DOMAIN}").delete()
"""


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, tmp_path_factory):
    """geofinder under gunicorn on the test database, its emails written to a folder."""
    from django.db import connection

    mail = tmp_path_factory.mktemp("mail")
    log = (tmp_path_factory.mktemp("server") / "gunicorn.log").open("w")
    env = {
        "DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost", "GEOFINDER_TILE_URL": "",
        "GEOFINDER_NETWORK": "false", "GEOFINDER_MAIL_DIR": str(mail),
    }
    with django_db_blocker.unblock():
        settings_dict = dict(connection.settings_dict)
    manage(settings_dict, "shell", "-c", CLEANUP)
    moderator = f"moderation31@{DOMAIN}"
    manage(settings_dict, "moderator", "add", moderator, "--department", "31", "--organisation", "CCI 31")
    manage(settings_dict, "shell", "-c", (
        "from django.contrib.auth import get_user_model; "
        f"u = get_user_model().objects.get(email={moderator!r}); u.set_password({PASSWORD!r}); u.save()"
    ))
    try:
        with geofinder_server(settings_dict, env=env, port=free_port(), workers=1, threads=4, log=log) as url:
            yield {"url": url, "mail": mail, "moderator": moderator}
    finally:
        manage(settings_dict, "shell", "-c", CLEANUP)
        log.close()


def last_link(mail: Path, to: str) -> str:
    """The first link of the newest message sent to `to` (Django's file backend)."""
    messages = sorted(mail.glob("*.log"), key=lambda path: path.stat().st_mtime)
    for path in reversed(messages):
        text = path.read_text(encoding="utf-8", errors="replace")
        for message in reversed(text.split("-" * 79)):
            if f"To: {to}" in message:
                return re.search(r"(https?://\S+)", message.split("\n\n", 1)[1]).group(1)
    raise AssertionError(f"no message to {to} in {mail}")


def api(url: str, path: str, **params) -> dict:
    with urllib.request.urlopen(f"{url}{path}?{urllib.parse.urlencode(params)}", timeout=30) as answer:
        return json.loads(answer.read())


def opening_day(start, days: int):
    """The first day of `days` from `start` that is Monday to Saturday and no public holiday."""
    from geofinder.opening import public_holidays

    for offset in range(days):
        day = start + timedelta(days=offset)
        if day.weekday() < 6 and day not in public_holidays(day.year, department_code="31"):
            return day
    return None


def new_page(browser):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                  else route.abort())
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


ARTIFACTS = ROOT / "var" / "test-artifacts" / "browser"


@pytest.fixture
def pages(browser):
    """New pages; each one's screenshot is saved after the test (var/test-artifacts/browser/)."""
    made = []

    def make():
        made.append(new_page(browser))
        return made[-1]

    yield make
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for number, page in enumerate(made):
        page.screenshot(path=str(ARTIFACTS / f"merchant-flow-{number}.png"), full_page=True)
        page.context.close()


def test_a_visitor_proposes_a_bakery_a_moderator_approves_it_and_residents_find_it(pages, server):
    url, mail = server["url"], server["mail"]
    visitor = f"boulangere@{DOMAIN}"

    # Sign-up, confirmed by the emailed link.
    page = pages()
    page.goto(f"{url}/")
    page.get_by_role("link", name="Ajouter mon commerce").click()
    page.get_by_role("link", name="Créer un compte").first.click()
    page.get_by_label("Adresse électronique").fill(visitor)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Mot de passe, encore").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("status")).to_contain_text("un message vient d’y être envoyé")
    page.goto(last_link(mail, visitor))
    page.get_by_role("button", name="Activer mon compte").click()
    expect(page).to_have_url(re.compile(r"/espace/$"))

    # The proposal, with its hours; a wrong website is named and what was typed is kept.
    page.get_by_role("link", name="Ajouter mon commerce").first.click()
    page.get_by_label("Nom", exact=True).fill(BAKERY)
    page.get_by_label("Catégorie", exact=True).select_option("boulangerie")
    page.get_by_label("Adresse (numéro et rue)").fill("1 rue de l'Essai")
    page.get_by_label("Code postal").fill("31670")
    page.get_by_label("Commune").fill("Labège")
    page.get_by_label("Longitude").fill("1.5206")
    page.get_by_label("Latitude").fill("43.5391")
    page.get_by_label("Site web").fill("javascript:alert(1)")
    # The hours through the week editor: its preview (the search's evaluator) writes the value.
    for day in ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi"):
        page.get_by_label(day, exact=True).fill("7h-19h30")
    page.get_by_label("Jours fériés", exact=True).select_option("off")
    expect(page.get_by_label("Horaires d'ouverture")).to_have_value(HOURS)
    expect(page.locator("#gf-preview-days li")).to_have_count(7)
    page.get_by_role("button", name="Envoyer au modérateur").click()
    expect(page.locator(".gf-form-summary")).to_contain_text("Site web")
    expect(page.get_by_label("Nom", exact=True)).to_have_value(BAKERY)
    page.get_by_label("Site web").fill("boulangerie-test.example")
    page.get_by_role("button", name="Envoyer au modérateur").click()
    expect(page.get_by_role("status")).to_contain_text("En attente d'un modérateur")
    assert api(url, "/api/v1/places/", what="boulangerie", near=LABEGE, verified="true")["count"] == 0

    # The moderator of 31 approves.
    moderation = pages()
    moderation.goto(f"{url}/compte/connexion/")
    moderation.get_by_label("Adresse électronique").fill(server["moderator"])
    moderation.get_by_label("Mot de passe").fill(PASSWORD)
    moderation.get_by_role("button", name="Se connecter").click()
    moderation.goto(f"{url}/moderation/")
    moderation.get_by_role("link", name=BAKERY).click()
    expect(moderation.locator("table.gf-diff")).to_contain_text(HOURS)
    moderation.get_by_label("Approuver").check()
    moderation.get_by_role("button", name="Décider").click()
    expect(moderation).to_have_url(re.compile(r"/moderation/$"))
    assert "acceptée" in Path(sorted(mail.glob("*.log"), key=lambda p: p.stat().st_mtime)[-1]).read_text()

    # Found by the API, open at an instant inside its hours, and on the map with its live status.
    day = opening_day(datetime.now(PARIS).date() + timedelta(days=1), 7)
    inside = datetime(day.year, day.month, day.day, 10, 0).isoformat(timespec="minutes")
    found = api(url, "/api/v1/places/", what="boulangerie", near=LABEGE, open=inside)
    bakery = next(f for f in found["features"] if f["properties"]["name"] == BAKERY)
    assert bakery["properties"]["source"] == "merchant" and bakery["properties"]["verified_at"]
    now_label = api(url, f"/api/v1/places/{bakery['id']}/")["properties"]["opening"]["label"]
    page.goto(f"{url}/?what=boulangerie&near={LABEGE}")
    item = page.locator(f"#gf-results .gf-result[data-id='{bakery['id']}']")
    expect(item).to_contain_text(BAKERY)
    expect(item.locator(".gf-opening-label")).to_have_text(now_label)

    # A closure: the preview shows it, a search inside it leaves the bakery out.
    page.goto(f"{url}/espace/")
    page.get_by_role("link", name=BAKERY).click()
    today = datetime.now(PARIS).date()
    closed = opening_day(today + timedelta(days=2), 3)
    page.get_by_label("Du", exact=True).fill((today + timedelta(days=2)).isoformat())
    page.get_by_label("Au (inclus)", exact=True).fill((today + timedelta(days=4)).isoformat())
    page.get_by_label("Motif (congés, travaux…)").fill("congés")
    page.get_by_role("button", name="Ajouter la fermeture").click()
    expect(page.locator("#gf-preview-days")).to_contain_text("Fermeture exceptionnelle")
    during = datetime(closed.year, closed.month, closed.day, 10, 0).isoformat(timespec="minutes")
    inside_closure = api(url, "/api/v1/places/", what="boulangerie", near=LABEGE, open=during)
    assert BAKERY not in [f["properties"]["name"] for f in inside_closure["features"]]
    detail = api(url, f"/api/v1/places/{bakery['id']}/")["properties"]
    assert detail["closures"][0]["reason"] == "congés"

    # Announcements: the one still running is shown, the one ended yesterday is not.
    for title, start, end in (("Galette offerte", today, today + timedelta(days=1)),
                              ("Fête passée", today - timedelta(days=5), today - timedelta(days=1))):
        page.get_by_label("Type").select_option("event")
        page.get_by_label("Titre").fill(title)
        page.get_by_label("Texte").fill(f"{title} <script>alert(1)</script>")
        page.get_by_label("Affichée du").fill(start.isoformat())
        page.get_by_label("au (inclus)", exact=True).fill(end.isoformat())
        page.get_by_role("button", name="Publier l’annonce").click()
    page.goto(f"{url}/?what=boulangerie&near={LABEGE}")
    page.locator(f"#gf-results .gf-result[data-id='{bakery['id']}']").click()
    panel = page.locator("#gf-detail")
    expect(panel.locator(".gf-announcements")).to_contain_text("Galette offerte <script>alert(1)</script>")
    expect(panel).not_to_contain_text("Fête passée")
    expect(panel.get_by_role("link", name="C’est mon commerce ? Mettre à jour")).to_be_visible()
    assert page.errors == [] and moderation.errors == []
