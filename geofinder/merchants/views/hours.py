"""The week editor on the pages (a place's dashboard, a proposal) and its live preview."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET

from geofinder.merchants.forms import hours_error
from geofinder.merchants.week_editor import DAY_LABELS, DAYS, WeekError, hours_from_week, week_from_hours
from geofinder.opening import evaluate, week_schedule
from geofinder.search.selectors import place_detail
from geofinder.territories.selectors import commune_codes_at_point

MAX_HOURS_LENGTH = 1000


def _label(field: str) -> str:
    if field.startswith("SH_"):
        return gettext("%(day)s (vacances scolaires)") % {"day": DAY_LABELS[field[3:]]}
    return str(DAY_LABELS.get(field, gettext("Jours fériés")))


def _located(error: WeekError) -> str:
    """The editor's error, after the day it is about."""
    return gettext("%(field)s : %(error)s") % {"field": _label(error.field), "error": error}


def hours_from_request(data) -> str:
    """The opening_hours value the week editor's fields of `data` (a QueryDict) make."""
    school = None
    if data.get("school_on"):
        school = {day: data.get(f"sh_{day}", "") for day in DAYS}
    return hours_from_week({day: data.get(f"day_{day}", "") for day in DAYS}, ph=data.get("ph", ""),
                           ph_ranges=data.get("ph_ranges", ""), school_days=school)


def apply_week(data, form) -> None:
    """With the week editor (mode "week"), its days make the form's opening_hours (a valid
    form's); a wrong day is named on the form."""
    if data.get("hours_mode") != "week" or not hasattr(form, "cleaned_data"):
        return
    try:
        form.cleaned_data["opening_hours"] = hours_from_request(data)
    except WeekError as error:
        form.add_error("opening_hours", _located(error))


def week_context(*, raw: str, data=None) -> dict:
    """The editor's state: from posted fields (`data`), else read back from `raw` (an editor
    that cannot read a value starts empty, in expert mode)."""
    if data is not None and "hours_mode" in data:
        mode, ph, ph_ranges = data.get("hours_mode"), data.get("ph", ""), data.get("ph_ranges", "")
        days = {day: data.get(f"day_{day}", "") for day in DAYS}
        school = {day: data.get(f"sh_{day}", "") for day in DAYS} if data.get("school_on") else None
    else:
        read = week_from_hours(raw or "")
        mode = "week" if read is not None else "raw"
        read = read or {}
        days = {day: read.get(day, "") for day in DAYS}
        ph, ph_ranges, school = read.get("ph", ""), read.get("ph_ranges", ""), read.get("school")
    return {
        "mode": mode, "ph": ph, "ph_ranges": ph_ranges, "school_on": school is not None,
        "days": [(day, str(DAY_LABELS[day]), days[day], (school or {}).get(day, "")) for day in DAYS],
    }


@require_GET
def hours_preview(request):
    """The status now and the next 7 days of an opening_hours value (or of the week editor's
    days) by the search's evaluator: at a place (`place`: its département, position and
    closures) or at a point (`lon`, `lat`: its département). JSON {"opening_hours", "error",
    "status", "days"}; a wrong value answers 400 with the error in French and its `field`."""
    raw = request.GET.get("opening_hours", "")
    if request.GET.get("hours_mode") == "week":
        try:
            raw = hours_from_request(request.GET)
        except WeekError as error:
            return JsonResponse({"opening_hours": None, "error": _located(error),
                                 "field": error.field}, status=400)
    if len(raw) > MAX_HOURS_LENGTH:
        return JsonResponse({"opening_hours": None, "error": gettext("%(n)s caractères au plus") % {"n": MAX_HOURS_LENGTH},
                             "field": "opening_hours"}, status=400)
    raw = raw.strip()
    if raw and (error := hours_error(raw)):
        return JsonResponse({"opening_hours": raw, "error": error, "field": "opening_hours"}, status=400)
    department, position, closures = None, None, ()
    place_id = request.GET.get("place", "")
    hit = place_detail(place_id=int(place_id)) if place_id.isdigit() and len(place_id) < 19 else None
    if hit is not None:
        department, position, closures = hit.department_code, (hit.lon, hit.lat), hit.closures
    else:
        point = _point(request.GET.get("lon", ""), request.GET.get("lat", ""))
        if point is not None:
            codes = commune_codes_at_point(lon=point[0], lat=point[1])
            department, position = (codes[1] if codes else None), point
    if not raw:
        return JsonResponse({"opening_hours": "", "error": None, "status": None, "days": []})
    now = timezone.now()
    status = evaluate(raw, at=now, department_code=department, closures=closures, position=position)
    days = [
        day
        for at in (now, now + timedelta(days=7))
        for day in week_schedule(raw, at=at, department_code=department, closures=closures, position=position)
    ]
    start = next((index for index, day in enumerate(days) if day["today"]), 0)
    answer, days = status.as_dict(), days[start : start + 7]
    if not (get_language() or "fr").startswith("fr"):  # the evaluator speaks French
        answer["label"] = _label_translated(answer, now)
        days = [{**day, "weekday": _weekday(date.fromisoformat(day["date"])),
                 "note": gettext(day["note"]) if day["note"] else ""} for day in days]
    return JsonResponse({"opening_hours": raw, "error": None, "status": answer, "days": days})


# The evaluator's fixed labels (geofinder/opening/labels.py), whose translations the map's
# scripts use too (geofinder/web/strings.py).
FIXED_LABELS = ("Horaires inconnus", "Ouvert 24h/24", "Ouvert · heure de fermeture inconnue", "Fermé · jour férié",
                "Fermé · fermeture exceptionnelle")
UNKNOWN_WITH_COMMENT = "Horaires inconnus · "


def _weekday(day: date) -> str:
    return str(DAY_LABELS[DAYS[day.weekday()]])


def _label_translated(status: dict, now: datetime) -> str:
    """The status's label in the active language, from its state and next change (as the map's
    script does, geofinder/web/static/web/js/opening.js)."""
    label = status["label"]
    if label in FIXED_LABELS:
        return gettext(label)
    if label.startswith(UNKNOWN_WITH_COMMENT):  # the value's comment, as written
        return f"{gettext('Horaires inconnus')} · {label.removeprefix(UNKNOWN_WITH_COMMENT)}"
    change = datetime.fromisoformat(status["next_change"]) if status["next_change"] else None
    if status["state"] == "open":
        if change is None:
            return gettext("Ouvert 24h/24")
        if change - now < timedelta(hours=24):
            return gettext("Ouvert · ferme à %(time)s") % {"time": f"{change:%H:%M}"}
        return gettext("Ouvert · ferme %(when)s") % {"when": _when(change, now)}
    if change is None:
        return gettext("Fermé")
    return gettext("Fermé · ouvre %(when)s") % {"when": _when(change, now)}


def _when(change: datetime, now: datetime) -> str:
    days = (change.date() - now.astimezone(change.tzinfo).date()).days
    time = f"{change:%H:%M}"
    if days <= 0:
        return gettext("à %(time)s") % {"time": time}
    if days == 1:
        return gettext("demain à %(time)s") % {"time": time}
    if days < 7:
        return gettext("%(day)s à %(time)s") % {"day": _weekday(change.date()), "time": time}
    return gettext("le %(date)s à %(time)s") % {"date": f"{change:%d/%m}", "time": time}


def _point(lon: str, lat: str) -> tuple[float, float] | None:
    try:
        point = float(lon), float(lat)
    except ValueError:
        return None
    if -180 <= point[0] <= 180 and -90 <= point[1] <= 90:
        return point
    return None
