"""The public pages: "Ajouter mon commerce" (a proposal, saved as a draft, then submitted) and
"C'est mon commerce ? Mettre à jour" (a claim of a place)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from geofinder.merchants.forms import ClaimForm, ProposalForm
from geofinder.merchants.limits import TOO_MANY, over_limit
from geofinder.merchants.models import Claim, Proposal
from geofinder.merchants.selectors import is_manager
from geofinder.merchants.services import claim_confirm, claim_start, proposal_save, proposal_submit
from geofinder.merchants.tokens import claim_token
from geofinder.merchants.views.hours import apply_week, week_context
from geofinder.places.models import Place


def _mask(email: str) -> str:
    """"contact@boulangerie.fr" → "c•••••@boulangerie.fr": the claimant sees where the link
    goes without learning the address."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••••@{domain}"


def _proposal_page(request, *, form, proposal, week, status=200, saved=False):
    context = {"form": form, "proposal": proposal, "week": week, "saved": saved,
               "tile_url": settings.GEOFINDER_TILE_URL}
    return render(request, "merchants/proposal.html", context, status=status)


def _typed(post, form) -> dict:
    """What was typed, as it was (a draft keeps it even when wrong)."""
    typed = {field: post.get(field, "") for field in form.fields if field != ProposalForm.HONEYPOT}
    typed["secondary_categories"] = post.getlist("secondary_categories")
    for service in ("click_and_collect", "delivery", "takeaway", "appointment"):
        typed[service] = bool(post.get(service))
    return typed


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request, proposal_id: int | None = None):
    """A new place: "save" keeps the draft as typed (even with errors); "submit" checks it and
    sends it to the moderators. Opening hours by the week editor or the expert field."""
    proposal = None
    if proposal_id is not None:
        proposal = get_object_or_404(Proposal, pk=proposal_id, user=request.user, kind=Proposal.Kind.NEW)
    if proposal is not None and proposal.status != Proposal.Status.DRAFT:
        return render(request, "merchants/proposal_sent.html", {"proposal": proposal})
    if request.method == "GET":
        values = proposal.values if proposal else {}
        return _proposal_page(request, form=ProposalForm(initial=values or None), proposal=proposal,
                              week=week_context(raw=values.get("opening_hours", "")))
    form = ProposalForm(request.POST)
    week = week_context(raw=request.POST.get("opening_hours", ""), data=request.POST)
    if over_limit(request, group="proposal", rate=settings.GEOFINDER_RATE_PROPOSAL):
        form.is_valid()
        form.add_error(None, TOO_MANY)
        return _proposal_page(request, form=form, proposal=proposal, week=week, status=429)
    valid = form.is_valid()
    apply_week(request.POST, form)
    valid = valid and not form.errors
    if request.POST.get(ProposalForm.HONEYPOT):
        return _proposal_page(request, form=form, proposal=proposal, week=week, status=400)
    if request.POST.get("action") == "submit" and valid:
        proposal = proposal_save(user=request.user, values=form.values(), proposal=proposal)
        proposal_submit(proposal=proposal, user=request.user)
        return redirect("merchants:proposal", proposal_id=proposal.pk)
    if request.POST.get("action") == "save":
        values = form.values() if valid else _typed(request.POST, form)
        proposal = proposal_save(user=request.user, values=values, proposal=proposal)
        if valid:
            return redirect("merchants:proposal", proposal_id=proposal.pk)
    return _proposal_page(request, form=form, proposal=proposal, week=week, status=200 if valid else 400,
                          saved=proposal is not None)


@login_required
@require_http_methods(["GET", "POST"])
def claim(request, place_id: int):
    """"C'est mon commerce ?": a manager goes to the place's dashboard; anyone else claims it."""
    place = get_object_or_404(Place, pk=place_id)
    if is_manager(user=request.user, place=place):
        return redirect("merchants:place", place_id=place.pk)
    pending = Claim.objects.filter(user=request.user, place=place,
                                   status__in=[Claim.Status.EMAIL_SENT, Claim.Status.PENDING]).first()
    form = ClaimForm(request.POST or None, place_has_email=bool(place.email))
    context = {"form": form, "place": place, "pending": pending, "masked_email": _mask(place.email) if place.email else ""}
    if request.method == "POST":
        if over_limit(request, group="claim", rate=settings.GEOFINDER_RATE_CLAIM):
            form.is_valid()
            form.add_error(None, TOO_MANY)
            return render(request, "merchants/claim.html", context, status=429)
        if form.is_valid():
            data = form.cleaned_data
            made = claim_start(user=request.user, place=place, by_email=data["method"] == ClaimForm.METHOD_EMAIL,
                               siret=data["siret"], role=data["role"], message=data["message"],
                               absolute=request.build_absolute_uri)
            return render(request, "merchants/claim_sent.html", {**context, "claim": made})
        return render(request, "merchants/claim.html", context, status=400)
    return render(request, "merchants/claim.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def claim_link(request, claim_id: int, token: str):
    """The link sent to the place's address: a button confirms (a GET alone changes nothing).
    Only the claimant, signed in, can use it; once used or expired, it is void."""
    found = Claim.objects.filter(pk=claim_id, user=request.user, status=Claim.Status.EMAIL_SENT).first()
    if found is None or not claim_token.check_token(found, token):
        return render(request, "merchants/link_invalid.html", status=400)
    if request.method == "POST":
        claim_confirm(claim=found)
        return redirect("merchants:place", place_id=found.place_id)
    return render(request, "merchants/claim_confirm.html", {"claim": found})
