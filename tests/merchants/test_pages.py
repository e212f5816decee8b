"""Proposals, claims, the dashboard and moderation, through the pages; permissions."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from geofinder.opening import public_holidays
from geofinder.merchants.models import Claim, Manager, Moderator, Proposal
from geofinder.places.models import Place
from tests.merchants.conftest import link_in

pytestmark = pytest.mark.django_db

PROPOSE = "/ajouter-mon-commerce/"
PARIS = ZoneInfo("Europe/Paris")
BAKERY = {
    "name": "Boulangerie d'essai (inventée)", "category": "boulangerie", "street": "1 rue de l'Essai",
    "postcode": "31670", "city": "Labège", "lon": "1.5206", "lat": "43.5391", "phone": "05 61 00 00 00",
    "website": "boulangerie-essai.example", "opening_hours": "Mo-Sa 07:00-19:30; PH off", "status": "active",
}


def edit_url(place):
    return f"/espace/commerce/{place.pk}/"


def form_of(place, **changes):
    from geofinder.merchants.values import current_values

    values = {key: value for key, value in current_values(place).items() if value not in (False, None)}
    values.update(changes)
    values["hours_mode"] = "raw"
    return values


def next_weekday_at(hour: int) -> datetime:
    """An instant at `hour` Paris time on a coming Tuesday that is no public holiday in 31."""
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() != 1 or day in public_holidays(day.year, department_code="31"):
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=PARIS)


# --- proposals ------------------------------------------------------------------------------


def test_a_proposal_with_errors_is_saved_as_a_draft_keeping_what_was_typed(client, merchant):
    client.force_login(merchant)
    typed = {**BAKERY, "website": "javascript:alert(1)", "opening_hours": "lundi 8h-12h", "action": "save"}
    response = client.post(PROPOSE, typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_website"' in page and 'href="#id_opening_hours"' in page  # each wrong field named
    assert "au format OpenStreetMap" in page  # in French
    assert "Boulangerie d&#x27;essai (inventée)" in page and "lundi 8h-12h" in page  # kept
    draft = Proposal.objects.get(user=merchant)
    assert draft.status == Proposal.Status.DRAFT and draft.values["website"] == "javascript:alert(1)"
    # Submitting is refused until it is right; nothing goes to the moderators.
    response = client.post(f"{PROPOSE}{draft.pk}/", {**typed, "action": "submit"})
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT


def test_url_fields_take_http_and_https_only(client, merchant):
    client.force_login(merchant)
    for url in ("javascript:alert(1)", "data:text/html,x", "ftp://example.org/"):
        response = client.post(PROPOSE, {**BAKERY, "website": url, "action": "submit"})
        assert response.status_code == 400 and "website" in response.context["form"].errors


def test_a_proposal_needs_an_account():
    from django.test import Client

    response = Client().get(PROPOSE)
    assert response.status_code == 302 and response["Location"].startswith("/compte/connexion/")


def test_proposed_then_approved_by_the_moderator_of_its_departement_it_is_found_open(
    client, merchant, moderator31, moderator81, mailoutbox
):
    client.force_login(merchant)
    response = client.post(PROPOSE, {**BAKERY, "action": "submit"})
    assert response.status_code == 302
    proposal = Proposal.objects.get(user=merchant)
    assert proposal.status == Proposal.Status.SUBMITTED and proposal.department_code == "31"
    assert not Place.objects.filter(name=BAKERY["name"]).exists()  # nothing public yet

    client.force_login(moderator81)
    assert client.get("/moderation/").context["proposals"] == []
    assert client.post(f"/moderation/proposition/{proposal.pk}/", {"decision": "approve"}).status_code == 403
    client.force_login(moderator31)
    assert [p.pk for p in client.get("/moderation/").context["proposals"]] == [proposal.pk]
    page = client.get(f"/moderation/proposition/{proposal.pk}/")
    assert page.status_code == 200 and "Boulangerie d&#x27;essai" in page.content.decode()
    assert client.post(f"/moderation/proposition/{proposal.pk}/", {"decision": "approve"}).status_code == 302

    place = Place.objects.get(name=BAKERY["name"])
    assert place.source == "merchant" and place.website == "https://boulangerie-essai.example"
    assert Manager.objects.filter(user=merchant, place=place).exists()
    assert mailoutbox[-1].to == [merchant.email] and "acceptée" in mailoutbox[-1].body
    inside = next_weekday_at(10).isoformat(timespec="minutes")
    body = client.get("/api/v1/places/", {"what": "boulangerie", "near": "1.5206,43.5391", "open": inside}).json()
    assert place.pk in [feature["id"] for feature in body["features"]]
    outside = next_weekday_at(21).isoformat(timespec="minutes")
    body = client.get("/api/v1/places/", {"what": "boulangerie", "near": "1.5206,43.5391", "open": outside}).json()
    assert place.pk not in [feature["id"] for feature in body["features"]]


def test_a_rejection_is_emailed_with_its_reason(client, merchant, moderator31, mailoutbox):
    client.force_login(merchant)
    client.post(PROPOSE, {**BAKERY, "action": "submit"})
    proposal = Proposal.objects.get(user=merchant)
    client.force_login(moderator31)
    missing = client.post(f"/moderation/proposition/{proposal.pk}/", {"decision": "reject"})
    assert missing.status_code == 400 and "reason" in missing.context["form"].errors
    client.post(f"/moderation/proposition/{proposal.pk}/", {"decision": "reject", "reason": "Adresse introuvable"})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED
    assert "Motif : Adresse introuvable" in mailoutbox[-1].body


# --- claims ---------------------------------------------------------------------------------


def test_a_claim_by_the_link_sent_to_the_places_address(client, merchant, other_merchant, place31, mailoutbox):
    Place.objects.filter(pk=place31.pk).update(email="contact@commerce-invente.example")
    client.force_login(merchant)
    page = client.get(f"/commerce/{place31.pk}/mettre-a-jour/").content.decode()
    assert "c•••••@commerce-invente.example" in page and "contact@commerce" not in page
    response = client.post(f"/commerce/{place31.pk}/mettre-a-jour/", {"method": "email"})
    assert response.status_code == 200
    [message] = mailoutbox
    assert message.to == ["contact@commerce-invente.example"]  # the address on record, not the claimant's
    link = link_in(message)
    # Someone else with the link gets nothing; the claimant confirms with a button.
    client.force_login(other_merchant)
    assert client.post(link).status_code == 400
    client.force_login(merchant)
    assert client.get(link).status_code == 200 and not Manager.objects.filter(place=place31).exists()
    assert client.post(link).status_code == 302
    assert Manager.objects.filter(user=merchant, place=place31, method="email").exists()
    assert client.post(link).status_code == 400  # single use


def test_an_unverified_claim_changes_nothing_public(client, merchant, place31):
    client.force_login(merchant)
    client.post(f"/commerce/{place31.pk}/mettre-a-jour/",
                {"method": "moderator", "siret": "12345678901234", "role": "gérante", "message": "C'est moi"})
    assert Claim.objects.get(user=merchant).status == Claim.Status.PENDING
    before = client.get(f"/api/v1/places/{place31.pk}/").json()["properties"]
    response = client.post(edit_url(place31), form_of(place31, phone="06 00 00 00 00", name="Autre nom"))
    assert response.status_code == 403
    after = client.get(f"/api/v1/places/{place31.pk}/").json()["properties"]
    assert after["phone"] == before["phone"] and after["name"] == before["name"]
    assert after["verified_at"] is None and Place.objects.get(pk=place31.pk).history.count() == 0


def test_a_moderator_verifies_a_claim_of_their_departement_only(client, merchant, place31, moderator31, moderator81,
                                                               mailoutbox):
    client.force_login(merchant)
    client.post(f"/commerce/{place31.pk}/mettre-a-jour/", {"method": "moderator", "siret": "12345678901234"})
    claim = Claim.objects.get(user=merchant)
    client.force_login(moderator81)
    assert client.get(f"/moderation/revendication/{claim.pk}/").status_code == 403
    assert client.post(f"/moderation/revendication/{claim.pk}/", {"decision": "approve"}).status_code == 403
    assert not Manager.objects.exists()
    client.force_login(moderator31)
    page = client.get(f"/moderation/revendication/{claim.pk}/").content.decode()
    assert "12345678901234" in page
    client.post(f"/moderation/revendication/{claim.pk}/", {"decision": "approve"})
    assert Manager.objects.filter(user=merchant, place=place31).exists()
    assert mailoutbox[-1].to == [merchant.email]


# --- dashboard ------------------------------------------------------------------------------


def test_a_manager_cannot_change_another_place(client, merchant, managed31, place81):
    client.force_login(merchant)
    assert client.get(edit_url(place81)).status_code == 403
    assert client.post(edit_url(place81), form_of(place81, phone="06 00 00 00 00")).status_code == 403
    assert client.post(f"/espace/commerce/{place81.pk}/fermetures/",
                       {"closure-start": "2030-01-01", "closure-end": "2030-01-02"}).status_code == 403
    assert client.post(f"/espace/commerce/{place81.pk}/annonces/", {}).status_code == 403
    assert Place.objects.get(pk=place81.pk).phone != "06 00 00 00 00"


def test_a_manager_publishes_hours_at_once_and_the_name_waits_for_review(client, merchant, managed31):
    client.force_login(merchant)
    response = client.post(edit_url(managed31), form_of(
        managed31, name="Nouveau nom", phone="05 61 22 33 44", opening_hours="", hours_mode="week",
        day_Mo="", day_Tu="9h-12h, 14h-18h", day_We="09:00-12:00,14:00-18:00", day_Th="", day_Fr="", day_Sa="",
        day_Su="", ph="off",
    ) | {"hours_mode": "week"})
    assert response.status_code == 200
    place = Place.objects.get(pk=managed31.pk)
    assert place.opening_hours == "Tu-We 09:00-12:00,14:00-18:00; PH off"
    assert place.phone == "05 61 22 33 44" and place.name != "Nouveau nom"
    pending = Proposal.objects.get(place=place)
    assert pending.status == Proposal.Status.SUBMITTED and pending.values == {"name": "Nouveau nom"}
    detail = client.get(f"/api/v1/places/{place.pk}/").json()["properties"]
    assert detail["merchant_confirmed"] == ["phone", "opening_hours"] and detail["verified_at"]


def test_a_wrong_day_is_named_and_nothing_is_written(client, merchant, managed31):
    client.force_login(merchant)
    response = client.post(edit_url(managed31), form_of(managed31, day_Tu="14h-9h") | {"hours_mode": "week"})
    assert response.status_code == 400
    assert "Mardi" in response.context["form"].errors["opening_hours"][0]
    assert 'value="14h-9h"' in response.content.decode()


def test_closures_and_announcements_from_the_dashboard(client, merchant, managed31):
    client.force_login(merchant)
    today = timezone.localdate()
    week = [today + timedelta(days=n) for n in (7, 9)]
    assert client.post(f"/espace/commerce/{managed31.pk}/fermetures/",
                       {"closure-start": week[0], "closure-end": week[1], "closure-reason": "congés"}).status_code == 302
    wrong = client.post(f"/espace/commerce/{managed31.pk}/annonces/", {
        "announcement-kind": "promotion", "announcement-title": "Trop long", "announcement-text": "x" * 501,
        "announcement-start": today, "announcement-end": today})
    assert wrong.status_code == 400 and "text" in wrong.context["form"].errors
    client.post(f"/espace/commerce/{managed31.pk}/annonces/", {
        "announcement-kind": "event", "announcement-title": "<b>Dégustation</b>",
        "announcement-text": "Samedi <script>alert(1)</script>", "announcement-start": today,
        "announcement-end": today + timedelta(days=2)})
    detail = client.get(f"/api/v1/places/{managed31.pk}/").json()["properties"]
    assert detail["closures"] == [{"start": week[0].isoformat(), "end": week[1].isoformat(), "reason": "congés"}]
    assert detail["announcements"][0]["title"] == "<b>Dégustation</b>"  # data in JSON, never markup
    page = client.get(edit_url(managed31)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_the_hours_preview_evaluates_a_value_or_the_week_in_french(client, managed31):
    bad = client.get("/espace/horaires/apercu/", {"opening_hours": "lundi 8h-12h"})
    assert bad.status_code == 400 and "au format OpenStreetMap" in bad.json()["error"]
    week = client.get("/espace/horaires/apercu/", {
        "hours_mode": "week", "day_Mo": "09:00-12:00", "day_Tu": "09:00-12:00", "ph": "off", "place": managed31.pk})
    body = week.json()
    assert body["opening_hours"] == "Mo-Tu 09:00-12:00; PH off" and body["status"]["state"] in ("open", "closed")
    assert len(body["days"]) == 7 and body["days"][0]["today"]
    wrong_day = client.get("/espace/horaires/apercu/", {"hours_mode": "week", "day_We": "midi"})
    assert wrong_day.status_code == 400 and wrong_day.json()["field"] == "We"


def test_the_history_shows_who_changed_what_to_moderators_of_the_place_only(client, merchant, managed31, moderator31,
                                                                         moderator81):
    client.force_login(merchant)
    client.post(edit_url(managed31), form_of(managed31, phone="05 61 99 99 99"))
    client.force_login(moderator81)
    assert client.get(f"/moderation/commerce/{managed31.pk}/historique/").status_code == 403
    client.force_login(merchant)
    today = timezone.localdate()
    client.post(f"/espace/commerce/{managed31.pk}/fermetures/",
                {"closure-start": today, "closure-end": today, "closure-reason": "inventaire <i>"})
    client.force_login(moderator31)
    page = client.get(f"/moderation/commerce/{managed31.pk}/historique/").content.decode()
    assert merchant.email in page and "05 61 99 99 99" in page
    assert "inventaire &lt;i&gt;" in page and "fermeture" in page


def test_the_moderator_command_limits_a_moderator_to_departements(capsys):
    from django.core.management import CommandError, call_command

    from geofinder.merchants.selectors import can_moderate

    call_command("moderator", "add", "CCI31@example.org", "--department", "31", "--organisation", "CCI 31")
    user = Moderator.objects.get().user
    assert user.email == "cci31@example.org"
    assert can_moderate(user=user, department_code="31") and not can_moderate(user=user, department_code="81")
    with pytest.raises(CommandError, match="unknown"):
        call_command("moderator", "add", "x@example.org", "--department", "999")


def test_a_moderator_of_31_cannot_moderate_a_place_in_81(client, merchant, place81, moderator31):
    client.force_login(merchant)
    client.post(f"/commerce/{place81.pk}/mettre-a-jour/", {"method": "moderator", "siret": "12345678901234"})
    claim = Claim.objects.get(place=place81)
    client.force_login(moderator31)
    assert client.get("/moderation/").context["claims"] == []
    assert client.get(f"/moderation/revendication/{claim.pk}/").status_code == 403
    assert client.post(f"/moderation/revendication/{claim.pk}/", {"decision": "approve"}).status_code == 403
    assert client.get(f"/moderation/commerce/{place81.pk}/historique/").status_code == 403
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PENDING and not Manager.objects.filter(place=place81).exists()


def test_a_proposal_takes_its_hours_from_the_week_editor_with_school_holidays(client, merchant):
    client.force_login(merchant)
    week = {f"day_{day}": "08:00-19:00" for day in ("Mo", "Tu", "We", "Th", "Fr")}
    school = {f"sh_{day}": "09:00-12:00" for day in ("Mo", "Tu", "We", "Th", "Fr")}
    response = client.post(PROPOSE, {**BAKERY, "opening_hours": "", "hours_mode": "week", **week, "school_on": "1",
                                     **school, "ph": "off", "action": "save"})
    assert response.status_code == 302
    values = Proposal.objects.get(user=merchant).values
    assert values["opening_hours"] == "Mo-Fr 08:00-19:00; SH Mo-Fr 09:00-12:00; SH Sa-Su off; PH off"
    page = client.get(response["Location"]).content.decode()
    assert 'name="sh_Mo" value="09:00-12:00"' in page and 'name="school_on" value="1" checked' in page


def test_without_a_pin_the_position_comes_from_the_address(client, merchant, moderator31):
    client.force_login(merchant)
    response = client.post(PROPOSE, {**BAKERY, "lon": "", "lat": "", "action": "submit"})
    assert response.status_code == 302
    proposal = Proposal.objects.get(user=merchant)
    assert proposal.department_code == "31" and proposal.values["location_precision"] in ("postcode", "commune")
    client.force_login(moderator31)
    client.post(f"/moderation/proposition/{proposal.pk}/", {"decision": "approve"})
    place = Place.objects.get(name=BAKERY["name"])
    assert place.commune.code == "31254" and place.location_precision == proposal.values["location_precision"]


def test_an_address_that_is_nowhere_is_named(client, merchant):
    client.force_login(merchant)
    response = client.post(PROPOSE, {**BAKERY, "lon": "", "lat": "", "postcode": "", "city": "Xyzzyville-sur-Rien",
                                     "action": "submit"})
    assert response.status_code == 400 and "city" in response.context["form"].errors
    half = client.post(PROPOSE, {**BAKERY, "lat": "", "action": "submit"})
    assert half.status_code == 400 and "lat" in half.context["form"].errors


def test_a_closure_from_the_dashboard_closes_the_place_with_the_french_label(client, merchant, managed31):
    client.force_login(merchant)
    client.post(edit_url(managed31), form_of(managed31, opening_hours="24/7"))
    assert client.get(f"/api/v1/places/{managed31.pk}/").json()["properties"]["opening"]["state"] == "open"
    today = timezone.localdate()
    client.post(f"/espace/commerce/{managed31.pk}/fermetures/", {
        "closure-start": today, "closure-end": today + timedelta(days=1), "closure-reason": "travaux"})
    opening = client.get(f"/api/v1/places/{managed31.pk}/").json()["properties"]["opening"]
    assert opening["state"] == "closed" and "fermeture exceptionnelle" in opening["label"].lower()
    now = timezone.localtime().replace(second=0, microsecond=0).isoformat()
    found = client.get("/api/v1/places/", {"category": managed31.category.slug, "near": f"{managed31.location.x},"
                                           f"{managed31.location.y}", "open": now[:16]}).json()
    assert managed31.pk not in [feature["id"] for feature in found["features"]]


def test_proposals_and_claims_are_rate_limited_and_refuse_a_filled_honeypot(client, settings, merchant, place31):
    settings.GEOFINDER_RATE_PROPOSAL = settings.GEOFINDER_RATE_CLAIM = "2/h"
    client.force_login(merchant)
    statuses = [client.post(PROPOSE, {**BAKERY, "action": "save"}).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    claim_url = f"/commerce/{place31.pk}/mettre-a-jour/"
    trap = client.post(claim_url, {"method": "moderator", "siret": "12345678901234",
                                   "site_web_confirmation": "http://spam.example"})
    assert trap.status_code == 400 and not Claim.objects.exists()
    assert client.post(claim_url, {"method": "moderator", "siret": "12345678901234"}).status_code == 200
    assert client.post(claim_url, {"method": "moderator", "siret": "12345678901234"}).status_code == 429
    assert Claim.objects.count() == 1
