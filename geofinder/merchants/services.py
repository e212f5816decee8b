"""Writes of the merchants' and moderators' pages: accounts, claims, proposals, decisions.

Every change to a place goes through geofinder.places.edits (history and provenance); a
moderator decides only within their territory (PermissionDenied otherwise); a verified
manager changes their own places only (PermissionDenied otherwise).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext

from geofinder.merchants import emails
from geofinder.merchants.models import Claim, Manager, Proposal
from geofinder.merchants.selectors import can_moderate, is_manager, place_department_code
from geofinder.merchants.tokens import account_activation_token, claim_token
from geofinder.merchants.values import changed_values, needs_review, place_values
from geofinder.places.edits import Author, place_create_by_merchant, place_merchant_update
from geofinder.places.models import Place
from geofinder.territories.selectors import commune_at_point

# An absolute URL of a path, for links in emails (request.build_absolute_uri).
AbsoluteUrl = Callable[[str], str]


def _hours() -> int:
    return settings.PASSWORD_RESET_TIMEOUT // 3600


def _uid(pk: int) -> str:
    return urlsafe_base64_encode(force_bytes(pk))


# --- accounts -------------------------------------------------------------------------------


def account_signup(*, email: str, password: str, absolute: AbsoluteUrl) -> None:
    """Create an inactive account for `email` and send it its confirmation link (again, with
    the password typed now, for an account never confirmed). An address whose account is
    active gets a message saying so (with the password reset link) instead: the page answers
    the same either way, so it tells no one which addresses exist."""
    from django.urls import reverse

    User = get_user_model()
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and existing.is_active:
        emails.send(template="account_exists", to=email,
                    context={"reset_link": absolute(reverse("merchants:password_reset"))})
        return
    if existing is not None:  # never confirmed: a new link, with the password typed now
        user = existing
        user.set_password(password)
        user.save(update_fields=["password"])
    else:
        user = User.objects.create_user(username=email, email=email, password=password, is_active=False)
    link = absolute(reverse("merchants:activate", args=[_uid(user.pk), account_activation_token.make_token(user)]))
    emails.send(template="activate", to=email, context={"link": link, "hours": _hours()})


def account_activate(*, user) -> None:
    user.is_active = True
    user.save(update_fields=["is_active"])


# --- claims ---------------------------------------------------------------------------------


@transaction.atomic
def claim_start(*, user, place: Place, by_email: bool, siret: str = "", role: str = "", message: str = "",
                absolute: AbsoluteUrl) -> Claim:
    """A claim of `place` by `user`: with `by_email` and an address on record for the place, a
    single-use link is sent there (to the place's address, never to one the claimant gives);
    otherwise a moderator of the place's territory decides from the SIRET, role and message."""
    from django.urls import reverse

    by_email = by_email and bool(place.email)
    claim = Claim.objects.create(
        user=user, place=place, siret=siret, role=role, message=message,
        status=Claim.Status.EMAIL_SENT if by_email else Claim.Status.PENDING,
    )
    if by_email:
        link = absolute(reverse("merchants:claim_confirm", args=[claim.pk, claim_token.make_token(claim)]))
        emails.send(template="claim_link", to=place.email,
                    context={"link": link, "hours": _hours(), "place_name": place.name, "claimant": user.email})
    return claim


@transaction.atomic
def claim_confirm(*, claim: Claim) -> Manager:
    """The claim's link was opened: its user manages the place (the link is void after)."""
    claim.status, claim.decided_at = Claim.Status.VERIFIED, timezone.now()
    claim.save(update_fields=["status", "decided_at"])
    manager, _ = Manager.objects.get_or_create(user=claim.user, place=claim.place,
                                               defaults={"method": Manager.Method.EMAIL})
    return manager


@transaction.atomic
def claim_decide(*, claim: Claim, moderator, approve: bool, reason: str, absolute: AbsoluteUrl) -> None:
    """A moderator of the place's territory verifies or rejects a claim; the claimant is told
    by email, with the reason."""
    if not can_moderate(user=moderator, department_code=place_department_code(claim.place)):
        raise PermissionDenied(gettext("Vous ne modérez pas le territoire de ce commerce."))
    if claim.status not in (Claim.Status.PENDING, Claim.Status.EMAIL_SENT):
        raise PermissionDenied(gettext("Cette demande a déjà été traitée."))
    claim.status = Claim.Status.VERIFIED if approve else Claim.Status.REJECTED
    claim.decided_by, claim.decided_at, claim.reason = moderator, timezone.now(), reason
    claim.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    if approve:
        Manager.objects.get_or_create(user=claim.user, place=claim.place, defaults={"method": Manager.Method.MODERATOR})
    _tell(claim.user.email, approved=approve, reason=reason, what=f"gérer « {claim.place.name} »", absolute=absolute)


# --- proposals and managers' changes --------------------------------------------------------


def proposal_save(*, user, values: dict, proposal: Proposal | None = None) -> Proposal:
    """Save a new place's proposal as a draft (what was typed, checked or not)."""
    if proposal is None:
        proposal = Proposal(user=user, kind=Proposal.Kind.NEW)
    elif proposal.user_id != user.pk or proposal.status != Proposal.Status.DRAFT:
        raise PermissionDenied(gettext("Ce brouillon n’est pas le vôtre."))
    proposal.values = values
    proposal.save()
    return proposal


def proposal_submit(*, proposal: Proposal, user) -> Proposal:
    """Send a (checked) draft to the moderators of the département where the place is."""
    if proposal.user_id != user.pk or proposal.status != Proposal.Status.DRAFT:
        raise PermissionDenied(gettext("Ce brouillon n’est pas le vôtre."))
    commune = commune_at_point(lon=float(proposal.values["lon"]), lat=float(proposal.values["lat"]))
    proposal.department_code = commune.department.code if commune else ""
    proposal.status, proposal.submitted_at = Proposal.Status.SUBMITTED, timezone.now()
    proposal.save(update_fields=["department_code", "status", "submitted_at"])
    return proposal


def _proposal_department(proposal: Proposal) -> str:
    return place_department_code(proposal.place) if proposal.place_id else proposal.department_code


@transaction.atomic
def proposal_decide(*, proposal: Proposal, moderator, approve: bool, reason: str, absolute: AbsoluteUrl) -> Place | None:
    """A moderator of the territory approves (the values are written as the proposer's,
    approved by the moderator; the proposer of a new place manages it) or rejects a proposal;
    the proposer is told by email, with the reason."""
    if not can_moderate(user=moderator, department_code=_proposal_department(proposal)):
        raise PermissionDenied(gettext("Vous ne modérez pas le territoire de ce commerce."))
    if proposal.status != Proposal.Status.SUBMITTED:
        raise PermissionDenied(gettext("Cette proposition n’attend pas de décision."))
    place = proposal.place
    if approve:
        author = Author(proposal.user_id, approved_by=moderator.pk)
        values = place_values(proposal.values)
        if proposal.kind == Proposal.Kind.NEW:
            place = place_create_by_merchant(values=values, author=author, reason=reason or "proposition approuvée")
            proposal.place = place
            Manager.objects.get_or_create(user=proposal.user, place=place, defaults={"method": Manager.Method.PROPOSAL})
        else:
            place_merchant_update(place=place, values=values, author=author, reason=reason or "modification approuvée")
    proposal.status = Proposal.Status.APPROVED if approve else Proposal.Status.REJECTED
    proposal.decided_by, proposal.decided_at, proposal.reason = moderator, timezone.now(), reason
    proposal.save(update_fields=["place", "status", "decided_by", "decided_at", "reason"])
    name = proposal.values.get("name") or (place.name if place else "")
    what = f"nouveau commerce « {name} »" if proposal.kind == Proposal.Kind.NEW else f"modification de « {name} »"
    _tell(proposal.user.email, approved=approve, reason=reason, what=what, absolute=absolute)
    return place


@transaction.atomic
def manager_change(*, user, place: Place, values: dict, confirm: list[str] = ()) -> tuple[list[str], Proposal | None]:
    """A verified manager's changes to `place`: the fields a manager changes at once are
    written (merchant-confirmed), the others wait in a proposal for a moderator
    (settings.GEOFINDER_MERCHANT_*_FIELDS). Returns (the fields written, the proposal or None).
    PermissionDenied unless `user` manages `place`."""
    if not is_manager(user=user, place=place):
        raise PermissionDenied(gettext("Vous ne gérez pas ce commerce."))
    changed = changed_values(place, values)
    direct = {field: value for field, value in changed.items() if not needs_review(field)}
    reviewed = {field: value for field, value in changed.items() if needs_review(field)}
    confirm = [field for field in confirm if not needs_review(field)]
    written = place_merchant_update(place=place, values=place_values(direct), author=Author(user.pk),
                                    confirm=confirm) if (direct or confirm) else []
    proposal = None
    if reviewed:
        proposal = Proposal.objects.create(
            user=user, kind=Proposal.Kind.CHANGE, place=place, values=reviewed,
            status=Proposal.Status.SUBMITTED, submitted_at=timezone.now(),
        )
    return written, proposal


def _tell(to: str, *, approved: bool, reason: str, what: str, absolute: AbsoluteUrl) -> None:
    from django.urls import reverse

    emails.send(template="decision", to=to, context={
        "approved": approved, "reason": reason, "what": what, "dashboard": absolute(reverse("merchants:dashboard")),
    })


def password_reset_link(user, absolute: AbsoluteUrl) -> str:
    """The password reset link of `user` (Django's generator), for tests and emails."""
    from django.urls import reverse

    return absolute(reverse("merchants:password_reset_confirm",
                            args=[_uid(user.pk), default_token_generator.make_token(user)]))
