"""Rate limits of the forms anyone may post (django-ratelimit, settings.GEOFINDER_RATE_*): per
client IP and per account (the signed-in user, or the address typed in the form), counted in
the "ratelimit" cache for the period of the rate, then forgotten."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited


def client_ip(request) -> str:
    """The client's address: behind the TLS proxy (DJANGO_BEHIND_TLS_PROXY), the last entry of
    X-Forwarded-For, the one the proxy added (entries before it are the client's to forge);
    REMOTE_ADDR otherwise (settings.RATELIMIT_IP_META_KEY)."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


def _account_key(field: str | None):
    def key(group, request) -> str:
        if request.user.is_authenticated:
            return f"user:{request.user.pk}"
        return f"account:{(request.POST.get(field) or '').strip().lower()}" if field else f"ip:{client_ip(request)}"

    return key


def over_limit(request, *, group: str, rate: str, account_field: str | None = None) -> bool:
    """Count this POST against `rate` per IP and per account; True once either is exceeded."""
    if request.method != "POST":
        return False
    by_ip = is_ratelimited(request, group=f"{group}:ip", key="ip", rate=rate, method="POST", increment=True)
    by_account = is_ratelimited(request, group=f"{group}:account", key=_account_key(account_field), rate=rate,
                                method="POST", increment=True)
    return by_ip or by_account


TOO_MANY = _("Trop de tentatives depuis votre connexion ou pour ce compte : réessayez dans une heure.")
