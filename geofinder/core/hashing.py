"""Content hashes: what tells an unchanged row from a changed one, whichever app stores it."""

from __future__ import annotations

import hashlib
import json


def content_hash(value: object) -> str:
    """MD5 of a JSON-serialisable value, independent of key order."""
    payload = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.md5(payload.encode("utf-8")).hexdigest()
