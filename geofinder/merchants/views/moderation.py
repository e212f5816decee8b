"""Moderation: the queue of a moderator's territory, a proposal's per-field diff, claims, the
decisions (with their emailed reason) and each place's history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods

from geofinder.merchants.forms import DecisionForm
from geofinder.merchants.models import Claim, Proposal
from geofinder.merchants.selectors import (
    can_moderate,
    moderation_queue,
    moderator_of,
    place_department_code,
    place_history,
    proposal_diff,
)
from geofinder.merchants.services import claim_decide, proposal_decide
from geofinder.places.merging import place_split
from geofinder.places.models import Place
from geofinder.places.selectors import place_sources

FORBIDDEN = gettext_lazy("Vous ne modérez pas le territoire de ce commerce.")


@login_required
def queue(request):
    if moderator_of(request.user) is None:
        return HttpResponseForbidden(gettext("Réservé aux modérateurs."))
    claims, proposals = moderation_queue(user=request.user)
    return render(request, "merchants/moderation_queue.html", {"claims": claims, "proposals": proposals})


def _decide(request, *, department_code: str, decide, template: str, context: dict):
    if not can_moderate(user=request.user, department_code=department_code):
        return HttpResponseForbidden(str(FORBIDDEN))
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                decide(approve=form.cleaned_data["decision"] == "approve", reason=form.cleaned_data["reason"])
            except PermissionDenied as error:
                return HttpResponseForbidden(str(error))
            return redirect("merchants:moderation")
        return render(request, template, {**context, "form": form}, status=400)
    return render(request, template, {**context, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def proposal(request, proposal_id: int):
    found = get_object_or_404(Proposal.objects.select_related("user", "place__commune__department"), pk=proposal_id)
    department = place_department_code(found.place) if found.place_id else found.department_code
    return _decide(
        request, department_code=department, template="merchants/moderation_proposal.html",
        context={"proposal": found, "diff": proposal_diff(found),
                 "history": place_history(found.place) if found.place_id else []},
        decide=lambda approve, reason: proposal_decide(proposal=found, moderator=request.user, approve=approve,
                                                       reason=reason, absolute=request.build_absolute_uri),
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim(request, claim_id: int):
    found = get_object_or_404(Claim.objects.select_related("user", "place__commune__department"), pk=claim_id)
    return _decide(
        request, department_code=place_department_code(found.place), template="merchants/moderation_claim.html",
        context={"claim": found},
        decide=lambda approve, reason: claim_decide(claim=found, moderator=request.user, approve=approve,
                                                    reason=reason, absolute=request.build_absolute_uri),
    )


@login_required
def history(request, place_id: int):
    place = get_object_or_404(Place.objects.select_related("commune__department"), pk=place_id)
    if not can_moderate(user=request.user, department_code=place_department_code(place)):
        return HttpResponseForbidden(str(FORBIDDEN))
    context = {"place": place, "history": place_history(place), "sources": place_sources(place_id=place.pk),
               "split": request.GET.get("separe")}
    return render(request, "merchants/moderation_history.html", context)


@login_required
@require_http_methods(["POST"])
def split_source(request, place_id: int):
    """Split a source merged into the place off it (geofinder/places/merging.py): it gets its
    own place again. The moderator of the place's territory only."""
    place = get_object_or_404(Place.objects.select_related("commune__department"), pk=place_id)
    if not can_moderate(user=request.user, department_code=place_department_code(place)):
        return HttpResponseForbidden(str(FORBIDDEN))
    source = request.POST.get("source", "")
    done = place_split(place_id=place.pk, source=source) if ":" in source else []
    if not done:
        return HttpResponseBadRequest(gettext("Cette source n’est pas fusionnée dans ce commerce."))
    new_place = done[0][1]
    return redirect(f"{reverse('merchants:moderation_history', args=[place.pk])}?separe={new_place.pk if new_place else ''}")
