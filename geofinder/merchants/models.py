"""Merchants who manage their places, what they propose, and the moderators who review it.

A user (Django's auth: the email is the username) manages a place once a claim of theirs is
verified, by a single-use link sent to an email address already on record for the place or by a
moderator; a place may have several managers and a manager several places. What a verified
manager changes is written at once or waits for a moderator (settings.GEOFINDER_MERCHANT_FIELDS);
what waits is a Proposal, as is a new place. Moderators may be limited to départements.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Manager(models.Model):
    """A verified manager of a place."""

    class Method(models.TextChoices):
        EMAIL = "email", _("Lien envoyé à l'adresse connue du commerce")
        MODERATOR = "moderator", _("Vérifié par un modérateur")
        PROPOSAL = "proposal", _("A proposé ce commerce, approuvé par un modérateur")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="managed")
    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="managers")
    method = models.CharField(max_length=12, choices=Method.choices)
    verified_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "place"], name="manager_unique_user_place")]


class Claim(models.Model):
    """"C'est mon commerce" : a user's claim to manage a place, until verified or rejected."""

    class Status(models.TextChoices):
        EMAIL_SENT = "email_sent", _("Lien envoyé, en attente de confirmation")
        PENDING = "pending", _("En attente d'un modérateur")
        VERIFIED = "verified", _("Vérifiée")
        REJECTED = "rejected", _("Refusée")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claims")
    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="claims")
    status = models.CharField(max_length=12, choices=Status.choices)
    siret = models.CharField(max_length=14, blank=True)
    role = models.CharField(max_length=120, blank=True)
    message = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status"], name="claim_status")]


class Proposal(models.Model):
    """A new place, or changes to a place that need review, as the user typed them.

    `values` holds the form's fields as text (a draft keeps what was typed, even incomplete);
    `kind` NEW has no place until approved."""

    class Kind(models.TextChoices):
        NEW = "new", _("Nouveau commerce")
        CHANGE = "change", _("Modification")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("En attente d'un modérateur")
        APPROVED = "approved", _("Approuvée")
        REJECTED = "rejected", _("Refusée")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    place = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.CASCADE, related_name="proposals")
    # Where a new place is (its commune's département decides who moderates it).
    department_code = models.CharField(max_length=3, blank=True)
    values = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status"], name="proposal_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="new") | Q(place__isnull=False), name="proposal_change_has_place"
            ),
        ]


class Moderator(models.Model):
    """A moderator (a CCI's, a chambre de métiers', a département's staff): of the places of
    `departments`, or of all of them with `everywhere`."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderator")
    departments = models.ManyToManyField("territories.Department", blank=True, related_name="+")
    everywhere = models.BooleanField(default=False)
    organisation = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"
