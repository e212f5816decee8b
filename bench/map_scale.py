"""The map of a whole département: 50,000 SYNTHETIC places in Haute-Garonne (31) drawn in headless
Chromium, before (every place as a marker of leaflet.markercluster, the only way the map had to
show them all) and after (the overview: clusters counted by PostGIS per tile cell,
GET /api/v1/clusters/{z}/{x}/{y}/, markers only when zoomed in).

Measured for each: the time to the first render (navigation to the map drawn with every place
accounted for), the frame intervals and the main thread's long tasks (> 50 ms) while the reader
pans and zooms with the mouse, and, after, the tile requests' times. Results in
bench/results/map-scale-<date>.json.

Runs in its own database (`geofinder_bench_map` beside DATABASE_URL's, or BENCH_MAP_DATABASE_URL):
the real territories and categories, and --places synthetic places in département 31 (kept
between runs; generated again when their number differs). Never in the demo's database.
Usage: make bench-map  (BENCH_ARGS="--places 50000")
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from run import DJANGO_SETUP, PYTHON, bench_database_url, django_json, run, start_server, stop_server, write_results  # noqa: E402

CHROMIUM = os.environ.get("GEOFINDER_CHROMIUM", "/usr/bin/chromium")
DEPARTMENT = "31"
# Haute-Garonne's box (WGS84), framed by both pages.
BOX = (0.44, 42.69, 2.05, 43.92)
VIEWPORT = {"width": 1280, "height": 800}

# Frame intervals and long tasks, recorded from the first script on.
RECORDER = """
window.__frames = []; window.__long = [];
(() => { let last = performance.now();
  const tick = (t) => { window.__frames.push(t - last); last = t; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); })
    .observe({ type: "longtask", buffered: true }); })();
"""

# Before: every place of the département as a marker, as mapview.js draws results.
BEFORE_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/static/vendor/leaflet-1.9.4/leaflet.css">
<link rel="stylesheet" href="/static/vendor/leaflet.markercluster-1.5.3/MarkerCluster.css">
<link rel="stylesheet" href="/static/vendor/leaflet.markercluster-1.5.3/MarkerCluster.Default.css">
<style>html, body, #map { margin: 0; height: 100%; }</style></head><body><div id="map"></div>
<script src="/static/vendor/leaflet-1.9.4/leaflet.js"></script>
<script src="/static/vendor/leaflet.markercluster-1.5.3/leaflet.markercluster.js"></script>
<script>
const map = L.map("map", { zoomSnap: 0.5, maxZoom: 19 }).fitBounds([[BOX[1], BOX[0]], [BOX[3], BOX[2]]]);
const cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40, chunkedLoading: true });
map.addLayer(cluster);
const svg = '<svg viewBox="0 0 24 24" width="28" height="28"><circle cx="12" cy="12" r="10" fill="#0072B2"/></svg>';
fetch("/api/v1/export/places.geojson?territory=department:DEP").then((r) => r.text()).then((text) => {
  const features = text.split("\\n").filter((l) => l.startsWith('{"type":"Feature"')).map((l) => JSON.parse(l.replace(/,$/, "")));
  const markers = features.map((f) => L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]],
    { icon: L.divIcon({ className: "gf-marker", html: svg, iconSize: [28, 28] }), title: f.properties.name }));
  cluster.addLayers(markers, true);
  requestAnimationFrame(() => { window.__ready = markers.length; });
});
</script></body></html>"""



def prepare_database(env: dict) -> None:
    run(["bash", "scripts/ensure-db.sh"], env)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run([PYTHON, "manage.py", "createcachetable", "-v", "0"], env)
    run([PYTHON, "-c", DJANGO_SETUP + (
        "from django.core.management import call_command; from geofinder.places.models import Category;"
        "from geofinder.territories.models import Commune;"
        "Category.objects.exists() or call_command('load_categories', no_progress=True, verbosity=0);"
        "Commune.objects.exists() or call_command('load_territories', no_progress=True, verbosity=0);"
        "print('territories and categories loaded')"
    )], env)


def ensure_places(env: dict, places: int) -> None:
    code = (
        "import sys; sys.path.insert(0, 'bench');"
        "from geofinder.places.models import Place; from synthetic import SOURCE, synthetic_places_generate;"
        f"mine = Place.objects.filter(source=SOURCE, commune__department__code='{DEPARTMENT}').count();"
        "total = Place.objects.filter(source=SOURCE).count();"
        f"ok = mine == total == {places};"
        f"ok or synthetic_places_generate(count={places}, department='{DEPARTMENT}');"
        "print(json.dumps(Place.objects.filter(source=SOURCE).count()))"
    )
    print("synthetic places in département 31:", django_json(env, code), flush=True)


def frames_summary(page) -> dict:
    frames = page.evaluate("window.__frames.splice(0)")[1:]
    long_tasks = page.evaluate("window.__long.splice(0)")
    if not frames:
        return {}
    frames.sort()
    return {
        "frames": len(frames),
        "frame_ms_p50": round(statistics.median(frames), 1),
        "frame_ms_p95": round(frames[int(len(frames) * 0.95) - 1], 1),
        "frame_ms_max": round(frames[-1], 1),
        "frames_over_50ms": sum(f > 50 for f in frames),
        "long_tasks": len(long_tasks),
        "long_tasks_ms": round(sum(long_tasks)),
    }


def interact(page) -> dict:
    """Pans and zooms with the mouse, as a reader would: four drags, zoom in three steps on
    Toulouse, pans there, back out. Each step waits for the page to settle."""
    page.evaluate("window.__frames.splice(0); window.__long.splice(0)")
    started = time.perf_counter()
    cx, cy = VIEWPORT["width"] // 2, VIEWPORT["height"] // 2
    steps = [("drag", 200, 0), ("drag", -200, 120), ("drag", 0, -120), ("drag", 150, 80),
             ("wheel", -300), ("wheel", -300), ("wheel", -300), ("drag", 250, 0), ("drag", -250, 150),
             ("wheel", 300), ("wheel", 300), ("wheel", 300)]
    for step in steps:
        page.mouse.move(cx, cy)
        if step[0] == "drag":
            page.mouse.down()
            for k in range(1, 11):
                page.mouse.move(cx + step[1] * k / 10, cy + step[2] * k / 10)
            page.mouse.up()
        else:
            page.mouse.wheel(0, step[1])
        page.wait_for_timeout(400)
        page.wait_for_load_state("networkidle")
    summary = frames_summary(page)
    summary["interaction_s"] = round(time.perf_counter() - started, 2)
    return summary


def measure_before(browser, server: str) -> dict:
    page = browser.new_page(viewport=VIEWPORT)
    page.add_init_script(RECORDER)
    html = BEFORE_PAGE.replace("BOX", json.dumps(BOX)).replace("DEP", DEPARTMENT)
    page.route(f"{server}/bench-before/", lambda route: route.fulfill(body=html, content_type="text/html"))
    started = time.perf_counter()
    page.goto(f"{server}/bench-before/")
    page.wait_for_function("window.__ready !== undefined", timeout=600_000)
    first = time.perf_counter() - started
    result = {"markers": page.evaluate("window.__ready"), "first_render_s": round(first, 2),
              "dom_nodes": page.evaluate("document.querySelectorAll('*').length"),
              "js_heap_mb": round(page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0") / 1e6, 1),
              "load": frames_summary(page)}
    result["pan_zoom"] = interact(page)
    page.close()
    return result


def measure_after(browser, server: str) -> dict:
    page = browser.new_page(viewport=VIEWPORT)
    page.add_init_script(RECORDER)
    box = ",".join(str(v) for v in BOX)
    started = time.perf_counter()
    # "Rechercher dans cette zone" on the département's box: the list's page of results and
    # the overview of every place of the box.
    page.goto(f"{server}/?bbox={box}")
    page.wait_for_selector("#gf-map .gf-overview-cluster", timeout=120_000)
    first = time.perf_counter() - started
    page.wait_for_load_state("networkidle")
    # Settled: every tile of the view answered and drawn (networkidle: 500 ms without requests, included).
    settled = time.perf_counter() - started
    counted = page.evaluate(
        "[...document.querySelectorAll('#gf-map .gf-overview-cluster')].reduce((n, e) => n + Number(e.textContent), 0)"
    )
    result = {"clusters": page.locator("#gf-map .gf-overview-cluster").count(), "places_counted": counted,
              "first_render_s": round(first, 2), "settled_s": round(settled, 2),
              "dom_nodes": page.evaluate("document.querySelectorAll('*').length"),
              "js_heap_mb": round(page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0") / 1e6, 1),
              "load": frames_summary(page)}
    page.evaluate("performance.clearResourceTimings()")
    result["pan_zoom"] = interact(page)
    tiles = sorted(e["duration"] for e in page.evaluate(
        "performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/v1/clusters/'))"
        ".map((e) => ({duration: e.duration}))"))
    if tiles:
        result["tile_requests"] = {"count": len(tiles), "ms_p50": round(statistics.median(tiles), 1),
                                   "ms_p95": round(tiles[int(len(tiles) * 0.95) - 1], 1), "ms_max": round(tiles[-1], 1)}
    page.close()
    return result


def warm_up(server: str) -> None:
    """Every worker thread's first request loads the taxonomy and the gazetteer (seconds): not
    what either page costs. A few requests of each kind first."""
    box = ",".join(str(v) for v in BOX)
    paths = ["/api/v1/categories/", f"/api/v1/places/?bbox={box}&limit=30", "/api/v1/clusters/9/258/186/"]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda path: urllib.request.urlopen(server + path, timeout=120).read(), paths * 8))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--places", type=int, default=50_000)
    parser.add_argument("--port", type=int, default=8767)
    args = parser.parse_args()
    env = {**os.environ, "DATABASE_URL": bench_database_url("geofinder_bench_map", "BENCH_MAP_DATABASE_URL")}
    prepare_database(env)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
    ensure_places(env, args.places)
    server = start_server(env, args.port, 2, ("--worker-class", "gthread", "--threads", "4"), quiet=True)
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            url = f"http://127.0.0.1:{args.port}"
            warm_up(url)
            results = {"places": args.places, "department": DEPARTMENT, "viewport": VIEWPORT,
                       "after": measure_after(browser, url), "before": measure_before(browser, url)}
            browser.close()
    finally:
        stop_server(server)
    print(json.dumps(results, indent=2), flush=True)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    write_results(results, "map-scale")


if __name__ == "__main__":
    main()
