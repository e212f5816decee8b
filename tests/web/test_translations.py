"""The compiled English catalogue (committed django.mo) says what django.po says."""

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "geofinder" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def unquote(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n")


def po_entries(text: str) -> dict[str, str]:
    """msgid → msgstr of a .po file (without plural forms or contexts, which it does not use)."""
    entries: dict[str, str] = {}
    for block in text.split("\n\n"):
        parts = re.findall(r'^(msgid|msgstr) ((?:".*"\n?)+)', block + "\n", re.M)
        fields = {name: unquote("".join(re.findall(r'"(.*)"', value))) for name, value in parts}
        if fields.get("msgid"):
            entries[fields["msgid"]] = fields["msgstr"]
    return entries


def test_the_compiled_catalogue_matches_the_po_file():
    entries = po_entries(PO.read_text())
    assert len(entries) > 100
    with translation.override("en"):
        stale = {msgid: msgstr for msgid, msgstr in entries.items() if translation.gettext(msgid) != msgstr}
    assert stale == {}, "run `manage.py compilemessages` (django.mo is older than django.po)"
    assert all(entries.values()), "every French string has its English translation"
