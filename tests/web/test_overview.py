"""The map's overview in a real headless Chromium: at département zoom, every restaurant of the
view counted by cell (clusters from GET /api/v1/clusters/…, not only the page of results the
list shows); zoomed in, the places themselves as markers titled with their names."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Paris and the départements around it (min lon, min lat, max lon, max lat): the test data's
# restaurants are densest there.
PARIS_AREA = "2.0,48.6,2.7,49.1"


def tile_answers(page) -> list[dict]:
    answers: list[dict] = []
    page.on("response", lambda r: "/api/v1/clusters/" in r.url and r.ok and answers.append(r))
    return answers


LARGEST_CLUSTER_CLICK = """(clusters) => {
    if (!clusters.length) return;  // redrawn just now: the next turn looks again
    const count = (cluster) => parseInt(cluster.innerText, 10);
    clusters.reduce((a, b) => (count(b) > count(a) ? b : a)).click();
}"""


def test_clusters_at_departement_zoom_and_markers_zoomed_in(page, sites):
    responses = tile_answers(page)
    page.goto(f"{sites.geofinder}/?category=restaurant&bbox={PARIS_AREA}")
    clusters = page.locator("#gf-map .gf-overview-cluster")
    expect(clusters.first).to_be_visible()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#gf-results .gf-result")).to_have_count(30)  # the list: one page
    counts = [int(text) for text in clusters.all_inner_texts()]
    # Every restaurant of the tiles shown is counted, far more than the list's page.
    told = sum(r.json()["count"] for r in responses if "category=restaurant" in r.url)
    assert sum(counts) == told > 30
    assert page.locator("#gf-map .gf-overview-point").count() == 0

    # Zoom in on the largest cluster (each click: two zoom levels) until the places show.
    for _ in range(5):
        if page.locator("#gf-map .gf-overview-point").count():
            break
        # Found and clicked in one step in the page: tiles still arriving may redraw the clusters
        # between a reading of their counts and a click by index. Dispatched, not clicked at its
        # position: the results' own markers (above the overview) may cover it.
        clusters.evaluate_all(LARGEST_CLUSTER_CLICK)
        page.wait_for_timeout(500)
        page.wait_for_load_state("networkidle")
    points = page.locator("#gf-map .gf-overview-point")
    expect(points.first).to_be_attached()
    expect(clusters).to_have_count(0)
    # Markers carry the place's name as text (their title), as the results' markers do.
    assert all(title for title in points.evaluate_all("(ms) => ms.map((m) => m.title)"))
    assert page.console_errors == [] and page.outside_requests == []
