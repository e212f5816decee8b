"""Shared helpers for the geofinder.opening tests (no database needed)."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
REUNION = ZoneInfo("Indian/Reunion")
UTC = timezone.utc


def paris(*args: int) -> datetime:
    """An aware Europe/Paris datetime (not for ambiguous or skipped times)."""
    return datetime(*args, tzinfo=PARIS)


def utc(*args: int) -> datetime:
    """An aware UTC datetime."""
    return datetime(*args, tzinfo=UTC)
