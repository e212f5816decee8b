#!/usr/bin/env python
"""Page timings in headless Chromium (issue 17's closing note): `python bench/page_timings.py URL`.

URL is a running geofinder with the demo data (e.g. `make serve`, or a server on a test
database). Measured on a 390×844 window, each run in a fresh browser context (cold cache):

- first results: from the navigation's start to the first result in the list, for the map page
  opened with a search (`/?category=boulangerie&where=Labège`) and for the embed of a
  territory (`/embed/?territory=department:31&categories=restaurant`);
- shared link: from the navigation's start to a link after "Voir plus" shown whole (three
  pages, 90 results) with its place's detail open.

Times are the page's own `performance.now()` when the element appears (polled each frame). The
median and the extremes of `--runs` runs are printed as JSON; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics

from playwright.sync_api import sync_playwright

PHONE = {"width": 390, "height": 844}
CASES = {
    "first_results_map_page": ("/?category=boulangerie&where=Lab%C3%A8ge", "() => document.querySelector('#gf-results .gf-result')"),
    "first_results_territory_embed": (
        "/embed/?territory=department:31&categories=restaurant", "() => document.querySelector('#gf-results .gf-result')"),
}
SHARED = "() => document.querySelectorAll('#gf-results .gf-result').length >= 90 && !document.querySelector('#gf-detail').hidden"


def timed(browser, url: str, condition: str) -> float:
    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit")
        page.wait_for_function(condition, polling="raf", timeout=60_000)
        return page.evaluate("performance.now()")
    finally:
        context.close()


def shared_link(browser, base: str) -> str:
    """A link after two "Voir plus" and a place of the third page selected."""
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{base}/?category=restaurant&near=2.3488,48.8534")
    more = page.get_by_role("button", name="Voir plus de résultats")
    for count in (60, 90):
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('#gf-results .gf-result').length >= {count}")
    page.locator("#gf-results .gf-result").nth(75).click()
    page.wait_for_function("() => new URLSearchParams(location.search).has('place')")
    url = page.url
    context.close()
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="base URL of a running geofinder, e.g. http://127.0.0.1:8000")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--chromium", default=os.environ.get("GEOFINDER_CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args()
    base = args.url.rstrip("/")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--headless", "--no-sandbox"])
        link = shared_link(browser, base)
        cases = {name: (base + path, condition) for name, (path, condition) in CASES.items()}
        cases["shared_link_3_pages_and_detail"] = (link, SHARED)
        figures = {}
        for name, (url, condition) in cases.items():
            timed(browser, url, condition)  # warm the server (its process caches), not measured
            runs = [timed(browser, url, condition) for _ in range(args.runs)]
            figures[name] = {"median_ms": round(statistics.median(runs)), "min_ms": round(min(runs)),
                             "max_ms": round(max(runs)), "runs": args.runs}
        browser.close()
    print(json.dumps({"viewport": PHONE, "load_average": os.getloadavg(), "shared_link": link, **figures}, indent=2))


if __name__ == "__main__":
    main()
