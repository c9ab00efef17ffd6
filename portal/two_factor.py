"""Optional two-step verification (TOTP) for accounts that sign in with a password.

A user turns it on at /kirjaudu/kaksivaiheinen/ with an authenticator app
(django-otp's TOTP devices, RFC 6238). From then on a session of that user is
not let anywhere, the admin included, until the session has given a code from
the app: `SecondFactorMiddleware` sends it to /kirjaudu/vahvista/ first.
Because the check is on the session and not on one sign-in form, it holds for
every way in (this site's sign-in, /admin/login/, /django-admin/login/).

- OVI_REQUIRE_TWO_FACTOR (setting, off by default): a user who may use the
  admin and has not turned it on is sent to turn it on before the admin opens.
- Wrong codes slow down: django-otp doubles the wait after each failure
  (OTP_TOTP_THROTTLE_FACTOR), and a code is never accepted twice.
- Single sign-on users verify at their identity provider; they have no
  password here, and this page is not offered to them.
See docs/security.md, "Two-step verification".
"""

import base64
from urllib.parse import quote

import django_otp
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts import ADMIN_PREFIXES, home_url, may_use_admin, private, safe_next, sign_out

DEVICE_NAME = "Ovi"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the authenticator app"),
        help_text=_("Six digits. A new code appears every 30 seconds."),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "size": 8,
            }
        ),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit():
            raise forms.ValidationError(_("The code has only digits."))
        allowed, details = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(
                _("Too many wrong codes. Wait a moment and try again with a new code.")
            )
        # verify_token records a failure (for the wait) or the code's use (so it is
        # not accepted twice); both must be saved whatever happens next.
        with transaction.atomic():
            verified = self.device.verify_token(code)
        if not verified:
            raise forms.ValidationError(_("The code is not correct. Check the app and try again."))
        return code


def confirmed_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def verify_url(request):
    return f"{reverse('two_factor_verify')}?next={quote(request.get_full_path())}"


def may_turn_on(user):
    """Accounts that sign in with a password here (not single sign-on)."""
    return user.is_authenticated and user.has_usable_password()


@require_http_methods(["GET", "POST"])
@private
def verify(request):
    """The second step of signing in: a code from the app."""
    user = request.user
    if not user.is_authenticated:
        return redirect(reverse("login"))
    device = confirmed_device(user)
    if device is None or user.is_verified():
        return redirect(safe_next(request, user) or home_url())
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        django_otp.login(request, device)
        return redirect(safe_next(request, user) or home_url())
    return TemplateResponse(
        request,
        "portal/accounts/two_factor_verify.html",
        {"form": form, "next_value": safe_next(request, user) or ""},
    )


@require_http_methods(["GET", "POST"])
@private
@login_required
def manage(request):
    """Turn two-step verification on (scan the key, confirm one code) or off (one code)."""
    user = request.user
    if not may_turn_on(user):
        return redirect(home_url())
    device = confirmed_device(user)
    if device is not None:
        form = CodeForm(request.POST or None, device=device)
        if request.method == "POST" and form.is_valid():
            TOTPDevice.objects.filter(user=user).delete()
            return redirect(reverse("two_factor") + "?off=1")
        return TemplateResponse(
            request,
            "portal/accounts/two_factor.html",
            {"form": form, "enabled": True, "turned_on": "on" in request.GET},
        )
    # One unconfirmed device per user holds the key being set up, so the key does
    # not change between showing it and confirming the first code.
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if pending is None:
        pending = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None, device=pending)
    if request.method == "POST" and form.is_valid():
        pending.confirmed = True
        pending.save(update_fields=["confirmed"])
        django_otp.login(request, pending)
        return redirect(safe_next(request, user) or reverse("two_factor") + "?on=1")
    secret = base64.b32encode(pending.bin_key).decode().rstrip("=")
    return TemplateResponse(
        request,
        "portal/accounts/two_factor.html",
        {
            "form": form,
            "enabled": False,
            "turned_off": "off" in request.GET,
            "required": getattr(settings, "OVI_REQUIRE_TWO_FACTOR", False) and may_use_admin(user),
            "next_value": safe_next(request, user) or "",
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "config_url": pending.config_url,
        },
    )


class SecondFactorMiddleware:
    """A session of a user with two-step verification on goes nowhere but the
    code page (and sign-out) until it has given a code; with
    OVI_REQUIRE_TWO_FACTOR, an admin user without it is sent to turn it on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or view_func in (verify, sign_out, manage):
            return None
        # One query per request of a signed-in, unverified user, on purpose: caching
        # "no device" in the session would let a session opened before the user turned
        # two-step verification on (a stolen one, say) go on without a code.
        if not user.is_verified() and confirmed_device(user) is not None:
            return redirect(verify_url(request))
        if (
            getattr(settings, "OVI_REQUIRE_TWO_FACTOR", False)
            and request.path.startswith(ADMIN_PREFIXES)
            and may_turn_on(user)
            and may_use_admin(user)
            and not user.is_verified()
        ):
            return redirect(f"{reverse('two_factor')}?next={quote(request.get_full_path())}")
        return None
