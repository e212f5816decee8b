"""Helpers for the page tests."""

import json
import re


def script_config(response) -> dict:
    """The configuration a page passes to its script (json_script "gf-config")."""
    match = re.search(r'<script id="gf-config" type="application/json">(.*?)</script>', response.content.decode(), re.S)
    assert match, "the page passes its configuration with json_script"
    return json.loads(match.group(1))
