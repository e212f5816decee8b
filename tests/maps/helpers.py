"""Reading back what a rendered map embeds."""

import json
import re
from html.parser import HTMLParser

_MARKERS = re.compile(r"var markers = (\[.*?\])\.map\(", re.DOTALL)
_OPENING = re.compile(r'<script type="application/json" id="gf-opening">(.*?)</script>', re.DOTALL)


def marker_rows(html: str) -> list[list]:
    """Every [id, lat, lon, popup HTML, tooltip HTML] embedded, all layers together."""
    return [row for block in _MARKERS.findall(html) for row in json.loads(block)]


def popups_by_id(html: str) -> dict[int, str]:
    return {row[0]: row[3] for row in marker_rows(html)}


def opening_data(html: str) -> dict:
    return json.loads(_OPENING.search(html).group(1))


class TagCounter(HTMLParser):
    """Tags as a browser's parser sees them (script contents are not parsed as HTML)."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict]]:
    counter = TagCounter()
    counter.feed(html)
    return counter.tags
