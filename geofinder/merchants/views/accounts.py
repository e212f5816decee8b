"""Accounts: sign-up with email confirmation, log in and out, password reset (Django's views)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from geofinder.merchants.forms import HoneypotMixin, SignupForm
from geofinder.merchants.limits import TOO_MANY, over_limit
from geofinder.merchants.services import account_activate, account_signup
from geofinder.merchants.tokens import account_activation_token


@require_http_methods(["GET", "POST"])
def signup(request):
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if over_limit(request, group="signup", rate=settings.GEOFINDER_RATE_SIGNUP, account_field="email"):
            form.add_error(None, TOO_MANY)
            status = 429
        elif form.is_valid():
            account_signup(email=form.cleaned_data["email"], password=form.cleaned_data["password1"],
                           absolute=request.build_absolute_uri)
            return redirect("merchants:signup_sent")
        else:
            status = 400
    return render(request, "merchants/signup.html", {"form": form}, status=status)


def signup_sent(request):
    return render(request, "merchants/signup_sent.html")


def _user_of(uidb64: str):
    try:
        return get_user_model().objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        return None


@require_http_methods(["GET", "POST"])
def activate(request, uidb64: str, token: str):
    """The link of the confirmation email: a page with a button (a GET alone changes nothing,
    so that mail scanners that open links do not use it up), which activates and signs in."""
    user = _user_of(uidb64)
    valid = user is not None and not user.is_active and account_activation_token.check_token(user, token)
    if not valid:
        return render(request, "merchants/link_invalid.html", status=400)
    if request.method == "POST":
        account_activate(user=user)
        auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("merchants:dashboard")
    return render(request, "merchants/activate.html")


class LoginForm(HoneypotMixin, AuthenticationForm):
    """Django's login form, the email as the username (an unknown address and a wrong password
    get the same message)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = gettext("Adresse électronique")

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class LoginView(auth_views.LoginView):
    template_name = "merchants/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if over_limit(request, group="login", rate=settings.GEOFINDER_RATE_LOGIN, account_field="username"):
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, TOO_MANY)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ResetForm(HoneypotMixin, PasswordResetForm):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset: the same answer whether the address has an account or not."""

    template_name = "merchants/password_reset.html"
    form_class = ResetForm
    email_template_name = "merchants/email/password_reset.txt"
    subject_template_name = "merchants/email/password_reset_subject.txt"
    success_url = reverse_lazy("merchants:password_reset_done")

    def post(self, request, *args, **kwargs):
        if over_limit(request, group="reset", rate=settings.GEOFINDER_RATE_RESET, account_field="email"):
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, TOO_MANY)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "merchants/password_reset_confirm.html"
    success_url = reverse_lazy("merchants:password_reset_complete")


def password_reset_done(request):
    return render(request, "merchants/password_reset_done.html")


def password_reset_complete(request):
    return render(request, "merchants/password_reset_complete.html")


@require_http_methods(["POST"])
def logout(request):
    auth.logout(request)
    return redirect("web:home")
