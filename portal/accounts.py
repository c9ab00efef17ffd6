"""Professionals' sign-in on the public site: sign-in, sign-out, password reset by
e-mail and login protection (django-axes plus a per-address limit on password
reset). See docs/security.md, "Sign-in and login protection".

- Sign-in and sign-out are pages in Ovi's own look and language under the
  i18n URL patterns (/kirjaudu/, /sv/kirjaudu/, /en/kirjaudu/). After signing in
  the user goes back to `next` (same host only) or to the home page of the
  language; never to the admin unless they may use it
  (`wagtailadmin.access_admin`). Sign-out is a POST with a CSRF token.
- Every answer of these pages is `Cache-Control: private, no-store`: they carry
  a CSRF token or per-user data and are never put in the page cache
  (portal/caching.py).
- Password reset uses Django's views and tokens; the answer is the same whether
  or not the address belongs to an account. At most RESET_LIMIT requests per
  client address (and per e-mail address) in RESET_WINDOW.
- Lock-out (django-axes) covers every authenticate(): this page, /admin/login/
  and /django-admin/login/. `lockout_response` is its page: HTTP 429.
"""

import hashlib
import logging
from functools import wraps

from axes.backends import AxesStandaloneBackend
from axes.utils import reset
from django import forms
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.cache import cache
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from portal.client import client_address

logger = logging.getLogger(__name__)

RESET_LIMIT = 5
RESET_WINDOW = 15 * 60  # seconds
ADMIN_PREFIXES = ("/admin/", "/django-admin/")


# --- cache headers ------------------------------------------------------------------------


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


def private(view):
    @wraps(view)
    def inner(request, *args, **kwargs):
        return _private(view(request, *args, **kwargs))

    return inner


# --- where to go after signing in ---------------------------------------------------------


def home_url():
    """The home page of the active language (/, /sv/, /en/)."""
    return reverse("wagtail_serve", args=[""])


def may_use_admin(user):
    return user.is_active and user.has_perm("wagtailadmin.access_admin")


def safe_next(request, user=None):
    """`next` from the request when it is a path on this site (and not the admin for
    a user without admin rights, nor the sign-in pages themselves); else None."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    path = target.split("?", 1)[0].split("#", 1)[0]
    if path.startswith(ADMIN_PREFIXES) and not (user is not None and may_use_admin(user)):
        return None
    account_paths = {reverse("login"), reverse("logout")}
    if path in account_paths:
        return None
    return target


# --- forms -------------------------------------------------------------------------------


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=254,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("The username or password is not correct. Check them and try again."),
        "inactive": _("This account is not in use."),
    }


class ResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def send_mail(self, *args, **kwargs):
        # A mail server outage must not tell the visitor whether the address exists.
        try:
            super().send_mail(*args, **kwargs)
        except Exception:
            logger.exception("Could not send a password reset e-mail")


class NewPasswordForm(SetPasswordForm):
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


# --- views -------------------------------------------------------------------------------


def sso_context():
    """Whether the "Sign in with the county's ID" button is shown (single sign-on,
    configured separately; portal/accounts/includes/sso_button.html)."""
    return {"sso_enabled": bool(getattr(settings, "OVI_SSO_ENABLED", False))}


@method_decorator(private, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "portal/accounts/login.html"
    form_class = SignInForm
    redirect_authenticated_user = False

    def get_redirect_url(self):
        user = self.request.user if self.request.user.is_authenticated else None
        return safe_next(self.request, user) or ""

    def get_default_redirect_url(self):
        return home_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(sso_context())
        context["next_value"] = safe_next(self.request) or ""
        return context


@require_http_methods(["GET", "POST"])
@private
def sign_out(request):
    """GET: a page with the sign-out button; POST (with CSRF): sign out and go back."""
    if request.method == "POST":
        target = safe_next(request) or home_url()
        auth.logout(request)
        return redirect(target)
    return TemplateResponse(request, "portal/accounts/logout.html", {"next_value": safe_next(request) or ""})


def _counter_key(kind, value):
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]
    return f"password-reset-rate:{kind}:{digest}"


def _count(kind, value):
    """Add one to the counter of `value` in this window and return it (0 if the cache is out)."""
    key = _counter_key(kind, value)
    try:
        cache.add(key, 0, timeout=RESET_WINDOW)
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RESET_WINDOW)
        return 1
    except Exception:  # a cache outage must not stop password resets
        logger.exception("Rate limit of password resets unavailable")
        return 0


@method_decorator(private, name="dispatch")
class ResetRequestView(auth_views.PasswordResetView):
    template_name = "portal/accounts/password_reset_form.html"
    email_template_name = "portal/emails/password_reset.txt"
    subject_template_name = "portal/emails/password_reset_subject.txt"
    form_class = ResetRequestForm
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        if _count("address", client_address(request)) > RESET_LIMIT:
            form = self.get_form()
            return TemplateResponse(
                request, self.template_name, self.get_context_data(form=form, rate_limited=True), status=429
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # Per e-mail address too (no mail bombing of one person); silently, so the
        # answer never tells whether the address has an account.
        if _count("email", form.cleaned_data["email"].strip().lower()) > RESET_LIMIT:
            return redirect(self.get_success_url())
        return super().form_valid(form)


@method_decorator(private, name="dispatch")
class ResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "portal/accounts/password_reset_done.html"


@method_decorator(private, name="dispatch")
class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The owner proved access to the mailbox: lift a lock-out of the account
        # (not of the address).
        reset(username=form.user.get_username())
        return response


@method_decorator(private, name="dispatch")
class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "portal/accounts/password_reset_complete.html"


# --- login protection --------------------------------------------------------------------


class LoginProtectionBackend(AxesStandaloneBackend):
    """django-axes' check before every authentication backend.

    Every sign-in form (this site's, /admin/login/, /django-admin/login/) passes
    the request, so each is counted and locked. Calls without a request (the
    test client's login(), the shell) come from no remote client and have no
    address to count: they are let through to the next backend instead of
    failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the lock-out page in Ovi's look and language, HTTP 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else None
    response = TemplateResponse(
        request,
        "portal/accounts/locked_out.html",
        {"cooloff_minutes": minutes, "reset_url": reverse("password_reset")},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response.render()
    return _private(response)
