"""The messages merchants and moderators receive, French first then English, plain text,
sent through Django's email framework (settings: EMAIL_BACKEND; a file per message in
var/mail without SMTP)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def send(*, template: str, to: str, context: dict) -> None:
    """Render merchants/email/<template>.txt (its first line is the subject) and send it."""
    text = render_to_string(f"merchants/email/{template}.txt", context)
    subject, _, body = text.strip().partition("\n")
    send_mail(subject.strip(), body.strip() + "\n", settings.DEFAULT_FROM_EMAIL, [to])
