"""Reads of the merchants' and moderators' pages: who manages or moderates what, the queue,
and the per-field comparison of a proposal with the place as it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from geofinder.merchants.models import Claim, Manager, Moderator, Proposal
from geofinder.merchants.values import FIELD_LABELS, current_values
from geofinder.places.models import Announcement, Place, PlaceClosure
from geofinder.places.provenance import field_source


def is_manager(*, user, place: Place) -> bool:
    """Whether `user` is a verified manager of `place`."""
    return bool(user.is_authenticated) and Manager.objects.filter(user=user, place=place).exists()


def managed_places(*, user) -> QuerySet[Place]:
    return Place.objects.filter(managers__user=user).select_related("category", "commune").order_by("name")


def moderator_of(user) -> Moderator | None:
    if not user.is_authenticated:
        return None
    return Moderator.objects.filter(user=user).first()


def place_department_code(place: Place) -> str:
    return place.commune.department.code


def can_moderate(*, user, department_code: str) -> bool:
    """Whether `user` moderates the places of département `department_code`."""
    moderator = moderator_of(user)
    if moderator is None:
        return False
    return moderator.everywhere or moderator.departments.filter(code=department_code).exists()


def _in_scope(moderator: Moderator, *, place_path: str, new_department: bool) -> Q:
    if moderator.everywhere:
        return Q()
    codes = list(moderator.departments.values_list("code", flat=True))
    condition = Q(**{f"{place_path}commune__department__code__in": codes})
    if new_department:
        condition |= Q(place__isnull=True, department_code__in=codes)
    return condition


def moderation_queue(*, user) -> tuple[list[Claim], list[Proposal]]:
    """The claims waiting for a moderator and the submitted proposals, of `user`'s territory,
    oldest first (empty for a user who moderates nothing)."""
    moderator = moderator_of(user)
    if moderator is None:
        return [], []
    claims = Claim.objects.filter(_in_scope(moderator, place_path="place__", new_department=False),
                                  status=Claim.Status.PENDING)
    proposals = Proposal.objects.filter(_in_scope(moderator, place_path="place__", new_department=True),
                                        status=Proposal.Status.SUBMITTED)
    return (
        list(claims.select_related("user", "place__commune__department")),
        list(proposals.select_related("user", "place__commune__department")),
    )


@dataclass(frozen=True)
class FieldDiff:
    """One field of a proposal beside the place's current value and where that comes from."""

    field: str
    label: str
    current: str
    source: str  # "osm", "merchant"…, or "" for a new place
    source_at: datetime | None
    proposed: str

    @property
    def changed(self) -> bool:
        return self.current != self.proposed


def proposal_diff(proposal: Proposal) -> list[FieldDiff]:
    """Each field the proposal gives, current value (and its source) beside the proposed one."""
    place = proposal.place
    current = current_values(place) if place is not None else {}
    rows = []
    for field, proposed in proposal.values.items():
        if field not in FIELD_LABELS:
            continue
        source, at = "", None
        provenance_field = "location" if field in ("lon", "lat") else field
        if place is not None:
            found = field_source(provenance=place.provenance, field=provenance_field, place_source=place.source,
                                 created_at=place.created_at)
            source, at = found.source, found.at
        rows.append(FieldDiff(field, FIELD_LABELS[field], _text(current.get(field, "")), source, at, _text(proposed)))
    return rows


def _text(value) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


def place_history(place: Place) -> list[dict]:
    """Every recorded change of `place` by a person, newest first: who, when, why, and each
    field's value before and after (django-simple-history), its closures and announcements
    added or removed included."""
    records = list(place.history.select_related("history_user").order_by("-history_date", "-history_id"))
    rows = []
    for newer, older in zip(records, [*records[1:], None]):
        changes = []
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=["provenance", "verified_at"])
            changes = [(change.field, _text(change.old), _text(change.new)) for change in delta.changes]
        rows.append(_row(newer, changes))
    for model, what in ((PlaceClosure, _closure_text), (Announcement, _announcement_text)):
        for record in model.history.filter(place_id=place.pk).select_related("history_user"):
            label = "fermeture" if model is PlaceClosure else "annonce"
            old, new = ("", what(record)) if record.history_type == "+" else (what(record), "")
            rows.append(_row(record, [(label, old, new)]))
    rows.sort(key=lambda row: row["when"], reverse=True)
    return rows


def _row(record, changes) -> dict:
    return {
        "when": record.history_date,
        "who": record.history_user.email if record.history_user else "",
        "reason": getattr(record, "history_change_reason", "") or "",
        "changes": changes,
    }


def _closure_text(record) -> str:
    return f"{record.start:%d/%m/%Y} → {record.end:%d/%m/%Y} {record.reason}".strip()


def _announcement_text(record) -> str:
    return f"{record.title} ({record.start:%d/%m/%Y} → {record.end:%d/%m/%Y}) : {record.text}"
