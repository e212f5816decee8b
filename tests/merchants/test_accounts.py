"""Accounts: sign-up confirmed by a single-use link, login, password reset; rate limits, honeypot,
no account enumeration, CSRF."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.merchants.conftest import PASSWORD, link_in, make_user

pytestmark = pytest.mark.django_db

SIGNUP = "/compte/inscription/"
LOGIN = "/compte/connexion/"
RESET = "/compte/mot-de-passe/"


def signup(client, email="nouvelle@example.org", **extra):
    return client.post(SIGNUP, {"email": email, "password1": PASSWORD, "password2": PASSWORD, **extra})


def test_signup_sends_a_single_use_link_that_activates_and_signs_in(client, mailoutbox):
    response = signup(client, "Nouvelle@Example.org")
    assert response.status_code == 302
    user = get_user_model().objects.get(email="nouvelle@example.org")
    assert not user.is_active
    [message] = mailoutbox
    assert message.to == ["nouvelle@example.org"] and "Confirmez" in message.subject
    link = link_in(message)
    assert client.get(link).status_code == 200  # a page with a button: opening the link changes nothing
    user.refresh_from_db()
    assert not user.is_active
    assert client.post(link).status_code == 302
    user.refresh_from_db()
    assert user.is_active
    assert client.get("/espace/").status_code == 200  # signed in
    assert client.post(link).status_code == 400  # used up


def test_signup_says_the_same_for_an_address_that_has_an_account(client, mailoutbox):
    make_user("deja@example.org")
    first = signup(client, "deja@example.org")
    second = signup(client, "personne@example.org")
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert get_user_model().objects.filter(email="deja@example.org").count() == 1
    # The owner of the address learns it, not the visitor.
    assert "déjà" in mailoutbox[0].body and mailoutbox[0].to == ["deja@example.org"]


def test_a_filled_honeypot_creates_nothing(client, mailoutbox):
    response = signup(client, site_web_confirmation="http://spam.example")
    assert response.status_code == 400
    assert not get_user_model().objects.filter(email="nouvelle@example.org").exists() and not mailoutbox


def test_a_wrong_signup_keeps_what_was_typed_and_names_each_field(client):
    response = client.post(SIGNUP, {"email": "pas-une-adresse", "password1": "court", "password2": "autre"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="pas-une-adresse"' in page
    assert 'href="#id_email"' in page and 'href="#id_password2"' in page


def test_login_with_email_and_a_wrong_password_or_an_unknown_address_say_the_same(client):
    make_user("connue@example.org")
    wrong = client.post(LOGIN, {"username": "connue@example.org", "password": "faux"})
    unknown = client.post(LOGIN, {"username": "inconnue@example.org", "password": "faux"})
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    ok = client.post(LOGIN, {"username": "Connue@example.org", "password": PASSWORD})
    assert ok.status_code == 302


def test_logins_are_rate_limited_per_address_and_ip(client, settings):
    settings.GEOFINDER_RATE_LOGIN = "3/h"
    make_user("cible@example.org")
    statuses = [client.post(LOGIN, {"username": "cible@example.org", "password": "faux"}).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    # Even the right password waits: the limit is on attempts.
    assert client.post(LOGIN, {"username": "cible@example.org", "password": PASSWORD}).status_code == 429


def test_signups_and_resets_are_rate_limited(client, settings):
    settings.GEOFINDER_RATE_SIGNUP = settings.GEOFINDER_RATE_RESET = "2/h"
    assert [signup(client, f"s{i}@example.org").status_code for i in range(3)] == [302, 302, 429]
    assert [client.post(RESET, {"email": "x@example.org"}).status_code for _ in range(3)] == [302, 302, 429]


def test_password_reset_answers_the_same_and_its_link_works_once(client, mailoutbox):
    make_user("oubli@example.org")
    unknown = client.post(RESET, {"email": "personne@example.org"})
    known = client.post(RESET, {"email": "oubli@example.org"})
    assert unknown.status_code == known.status_code == 302 and unknown["Location"] == known["Location"]
    [message] = mailoutbox
    assert message.to == ["oubli@example.org"]
    link = client.get(link_in(message), follow=True)  # Django puts the token in the session
    form_url = link.redirect_chain[-1][0]
    new = "Un autre mot de passe long 7"
    assert client.post(form_url, {"new_password1": new, "new_password2": new}).status_code == 302
    assert Client().login(username="oubli@example.org", password=new)
    assert "plus valable" in Client().get(link_in(message), follow=True).content.decode()


def test_forms_refuse_a_post_without_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    assert signup(client).status_code == 403


def test_signing_up_again_before_confirming_sends_a_new_link(client, mailoutbox):
    signup(client, "lente@example.org")
    signup(client, "lente@example.org")
    assert get_user_model().objects.filter(email="lente@example.org").count() == 1
    assert [m.subject for m in mailoutbox] == [mailoutbox[0].subject] * 2 and "Confirmez" in mailoutbox[1].subject
    assert client.post(link_in(mailoutbox[1])).status_code == 302
