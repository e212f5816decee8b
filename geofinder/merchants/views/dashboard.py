"""The merchant's dashboard: their places, claims and proposals; each place's fields, week of
opening hours (with a live preview), exceptional closures and announcements."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from geofinder.merchants.forms import AnnouncementForm, ClosureForm, PlaceForm
from geofinder.merchants.models import Claim, Proposal
from geofinder.merchants.selectors import is_manager, managed_places
from geofinder.merchants.services import manager_change
from geofinder.merchants.values import current_values, needs_review
from geofinder.merchants.views.hours import apply_week, week_context
from geofinder.places.edits import Author, announcement_add, announcement_remove, place_closure_add, place_closure_remove
from geofinder.places.models import Announcement, Place, PlaceClosure
from geofinder.places.provenance import merchant_fields


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


@login_required
@require_http_methods(["GET", "POST"])
def place_edit(request, place_id: int):
    try:
        place = _managed(request, place_id)
    except PermissionError:
        return HttpResponseForbidden(gettext("Vous ne gérez pas ce commerce."))
    status, written, proposal = 200, None, None
    if request.method == "POST":
        form = PlaceForm(request.POST)
        if form.is_valid():
            apply_week(request.POST, form)
        if form.is_valid() and not form.errors:
            written, proposal = manager_change(user=request.user, place=place, values=form.values(),
                                               confirm=request.POST.getlist("confirm"))
            place.refresh_from_db()
        else:
            status = 400
        week = week_context(raw=request.POST.get("opening_hours", ""), data=request.POST)
    else:
        form = PlaceForm(initial=current_values(place))
        week = week_context(raw=place.opening_hours)
    return render(request, "merchants/place.html", {
        "tile_url": settings.GEOFINDER_TILE_URL, "place": place, "form": form, "week": week,
        "written": written, "proposal": proposal,
        "reviewed": [name for name in form.fields if needs_review(name)],
        "confirmed": merchant_fields(place.provenance),
        "closures": PlaceClosure.objects.filter(place=place).order_by("start"),
        "announcements": Announcement.objects.filter(place=place).order_by("start"),
        "closure_form": ClosureForm(prefix="closure"), "announcement_form": AnnouncementForm(prefix="announcement"),
        "pending": Proposal.objects.filter(place=place, status=Proposal.Status.SUBMITTED),
    }, status=status)


def _dated_item_edit(request, place_id: int, *, model, form_class, prefix: str, add, remove):
    """Add a dated item (a closure, an announcement) of a managed place from its form, or remove
    one (`remove`: its id); the form's errors answered 400 with what was typed."""
    try:
        place = _managed(request, place_id)
    except PermissionError:
        return HttpResponseForbidden(gettext("Vous ne gérez pas ce commerce."))
    author = Author(request.user.pk)
    if request.POST.get("remove"):
        remove(get_object_or_404(model, pk=request.POST["remove"], place=place), author=author)
        return redirect("merchants:place", place_id=place.pk)
    form = form_class(request.POST, prefix=prefix)
    if not form.is_valid():
        return render(request, "merchants/form_errors.html", {"form": form, "place": place}, status=400)
    add(place=place, author=author, **form.cleaned_data)
    return redirect("merchants:place", place_id=place.pk)


@login_required
@require_POST
def closure_edit(request, place_id: int):
    return _dated_item_edit(
        request, place_id, model=PlaceClosure, form_class=ClosureForm, prefix="closure", add=place_closure_add,
        remove=lambda closure, author: place_closure_remove(closure=closure, author=author),
    )


@login_required
@require_POST
def announcement_edit(request, place_id: int):
    return _dated_item_edit(
        request, place_id, model=Announcement, form_class=AnnouncementForm, prefix="announcement",
        add=announcement_add,
        remove=lambda announcement, author: announcement_remove(announcement=announcement, author=author),
    )
