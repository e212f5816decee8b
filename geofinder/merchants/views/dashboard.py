"""The merchant's dashboard: their places, claims and proposals; each place's fields, week of
opening hours (with a live preview), exceptional closures and announcements."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from geofinder.merchants.forms import AnnouncementForm, ClosureForm, PlaceForm, hours_error
from geofinder.merchants.models import Claim, Proposal
from geofinder.merchants.selectors import is_manager, managed_places
from geofinder.merchants.services import manager_change
from geofinder.merchants.values import current_values, needs_review
from geofinder.merchants.week_editor import DAY_LABELS, DAYS, WeekError, hours_from_week, week_from_hours
from geofinder.opening import evaluate, week_schedule
from geofinder.places.edits import Author, announcement_add, announcement_remove, place_closure_add, place_closure_remove
from geofinder.places.models import Announcement, Place, PlaceClosure
from geofinder.places.provenance import merchant_fields
from geofinder.search.selectors import place_detail


@login_required
def dashboard(request):
    return render(request, "merchants/dashboard.html", {
        "places": managed_places(user=request.user),
        "claims": Claim.objects.filter(user=request.user).select_related("place").order_by("-created_at"),
        "proposals": Proposal.objects.filter(user=request.user).order_by("-created_at"),
    })


def _managed(request, place_id: int) -> Place:
    """The place, if the signed-in user manages it: 404 for no place, 403 for another's."""
    place = Place.objects.filter(pk=place_id).select_related("category", "commune__department").first()
    if place is None:
        raise Http404("no such place")
    if not is_manager(user=request.user, place=place):
        raise PermissionError
    return place


def _week_initial(raw: str) -> dict:
    days = week_from_hours(raw or "")
    return {"mode": "week" if days is not None else "raw", "days": days or {day: "" for day in DAYS},
            "ph": (days or {}).get("ph", ""), "ph_ranges": (days or {}).get("ph_ranges", "")}


def _hours_from_post(post, form: PlaceForm) -> None:
    """With the week editor (mode "week"), its days make the opening_hours value; a wrong day
    is named on the form."""
    if post.get("hours_mode") != "week":
        return
    try:
        raw = hours_from_week({day: post.get(f"day_{day}", "") for day in DAYS}, ph=post.get("ph", ""),
                              ph_ranges=post.get("ph_ranges", ""))
    except WeekError as error:
        form.add_error("opening_hours", f"{DAY_LABELS.get(error.field, 'Jours fériés')} : {error}")
        return
    form.cleaned_data["opening_hours"] = raw


@login_required
@require_http_methods(["GET", "POST"])
def place_edit(request, place_id: int):
    try:
        place = _managed(request, place_id)
    except PermissionError:
        return HttpResponseForbidden("Vous ne gérez pas ce commerce.")
    status, written, proposal = 200, None, None
    if request.method == "POST":
        form = PlaceForm(request.POST)
        if form.is_valid():
            _hours_from_post(request.POST, form)
        if form.is_valid() and not form.errors:
            written, proposal = manager_change(user=request.user, place=place, values=form.values(),
                                               confirm=request.POST.getlist("confirm"))
            place.refresh_from_db()
        else:
            status = 400
        week = {"mode": request.POST.get("hours_mode", "raw"), "days": {d: request.POST.get(f"day_{d}", "") for d in DAYS},
                "ph": request.POST.get("ph", ""), "ph_ranges": request.POST.get("ph_ranges", "")}
    else:
        form = PlaceForm(initial=current_values(place))
        week = _week_initial(place.opening_hours)
    return render(request, "merchants/place.html", {
        "tile_url": settings.GEOFINDER_TILE_URL, "place": place, "form": form, "week": week, "days": [(d, DAY_LABELS[d], week["days"].get(d, "")) for d in DAYS],
        "written": written, "proposal": proposal,
        "reviewed": [name for name in form.fields if needs_review(name)],
        "confirmed": merchant_fields(place.provenance),
        "closures": PlaceClosure.objects.filter(place=place).order_by("start"),
        "announcements": Announcement.objects.filter(place=place).order_by("start"),
        "closure_form": ClosureForm(prefix="closure"), "announcement_form": AnnouncementForm(prefix="announcement"),
        "pending": Proposal.objects.filter(place=place, status=Proposal.Status.SUBMITTED),
    }, status=status)


@login_required
@require_POST
def closure_edit(request, place_id: int):
    try:
        place = _managed(request, place_id)
    except PermissionError:
        return HttpResponseForbidden("Vous ne gérez pas ce commerce.")
    if request.POST.get("remove"):
        closure = get_object_or_404(PlaceClosure, pk=request.POST["remove"], place=place)
        place_closure_remove(closure=closure, author=Author(request.user.pk))
        return redirect("merchants:place", place_id=place.pk)
    form = ClosureForm(request.POST, prefix="closure")
    if not form.is_valid():
        return render(request, "merchants/form_errors.html", {"form": form, "place": place}, status=400)
    place_closure_add(place=place, author=Author(request.user.pk), **form.cleaned_data)
    return redirect("merchants:place", place_id=place.pk)


@login_required
@require_POST
def announcement_edit(request, place_id: int):
    try:
        place = _managed(request, place_id)
    except PermissionError:
        return HttpResponseForbidden("Vous ne gérez pas ce commerce.")
    if request.POST.get("remove"):
        announcement = get_object_or_404(Announcement, pk=request.POST["remove"], place=place)
        announcement_remove(announcement=announcement, author=Author(request.user.pk))
        return redirect("merchants:place", place_id=place.pk)
    form = AnnouncementForm(request.POST, prefix="announcement")
    if not form.is_valid():
        return render(request, "merchants/form_errors.html", {"form": form, "place": place}, status=400)
    announcement_add(place=place, author=Author(request.user.pk), **form.cleaned_data)
    return redirect("merchants:place", place_id=place.pk)


@require_GET
def hours_preview(request):
    """The status now and the next 7 days of an opening_hours value (or of the week editor's
    days), by the search's evaluator, at a place's position and with its closures when `place`
    is given: JSON {"opening_hours", "error", "week"}; a wrong value answers 400 with the error
    in French."""
    raw = request.GET.get("opening_hours", "")
    if request.GET.get("hours_mode") == "week":
        try:
            raw = hours_from_week({day: request.GET.get(f"day_{day}", "") for day in DAYS},
                                  ph=request.GET.get("ph", ""), ph_ranges=request.GET.get("ph_ranges", ""))
        except WeekError as error:
            return JsonResponse({"opening_hours": None, "error": f"{DAY_LABELS.get(error.field, 'Jours fériés')} : {error}",
                                 "field": error.field}, status=400)
    if len(raw) > 1000:
        return JsonResponse({"opening_hours": None, "error": "1000 caractères au plus", "field": "opening_hours"}, status=400)
    raw = raw.strip()
    if raw and (error := hours_error(raw)):
        return JsonResponse({"opening_hours": raw, "error": error, "field": "opening_hours"}, status=400)
    department, position, closures = "31", None, ()
    place_id = request.GET.get("place", "")
    hit = place_detail(place_id=int(place_id)) if place_id.isdigit() and len(place_id) < 19 else None
    if hit is not None:
        department, position, closures = hit.department_code, (hit.lon, hit.lat), hit.closures
    now = timezone.now()
    if not raw:
        return JsonResponse({"opening_hours": "", "error": None, "status": None, "days": []})
    status = evaluate(raw, at=now, department_code=department, closures=closures, position=position)
    days = [
        day
        for at in (now, now + timedelta(days=7))
        for day in week_schedule(raw, at=at, department_code=department, closures=closures, position=position)
    ]
    start = next((index for index, day in enumerate(days) if day["today"]), 0)
    return JsonResponse({"opening_hours": raw, "error": None, "status": status.as_dict(), "days": days[start : start + 7]})
