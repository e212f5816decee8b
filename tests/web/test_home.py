import pytest

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_the_counts_in_french(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Communes" in html and "35357" in html
    assert "Commerces et artisans" in html
