"""The "Ilmoita virheestä" (report an error) form: /ilmoita-virheesta/?record=<kind>:<uid>.

The form lives on its own page, never on the record pages themselves: a form
with a CSRF token sets Django's CSRF cookie, and an answer that sets a cookie is
never put in the shared page cache (portal/caching.py). So the record pages (and
the pathway result) stay cacheable with a plain link, and this page is always
rendered fresh with a working token for an anonymous visitor. Every answer of
this page says `Cache-Control: private, no-store`.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from portal import feedback
from portal.models.feedback import CONTACT_MAX_LENGTH, TEXT_MAX_LENGTH

HONEYPOT_FIELD = "website"
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()-]{4,24}$")


class ErrorReportForm(forms.Form):
    text = forms.CharField(
        label=_("What is wrong?"),
        help_text=_(
            "For example a wrong phone number, address or opening time. Do not write about your own "
            "health or other personal matters here: this is not a way to contact the service."
        ),
        max_length=TEXT_MAX_LENGTH,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        error_messages={
            "required": _("Tell us what is wrong."),
            "min_length": _("Tell us a little more about what is wrong."),
            "max_length": _("Keep it to %(limit_value)d characters or fewer (now %(show_value)d)."),
        },
    )
    contact = forms.CharField(
        label=_("Your e-mail address or phone number (optional)"),
        help_text=_(
            "Only if the editors may ask you for more details. "
            "It is deleted when the report has been handled."
        ),
        max_length=CONTACT_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
        error_messages={
            "max_length": _("Keep it to %(limit_value)d characters or fewer (now %(show_value)d).")
        },
    )
    # The honeypot: hidden from people (and assistive technology), filled in by bots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not re.search(r"\w", text):
            raise ValidationError(_("Tell us what is wrong."), code="required")
        return text

    def clean_contact(self):
        value = self.cleaned_data["contact"].strip()
        if not value:
            return ""
        if "@" in value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError(
                    _("Give a valid e-mail address, for example nimi@esimerkki.fi."), code="invalid"
                ) from None
        elif not PHONE_RE.match(value):
            raise ValidationError(
                _("Give an e-mail address or a phone number, for example 040 123 4567."), code="invalid"
            )
        return value


def _private(response):
    patch_cache_control(response, private=True, no_store=True)
    return response


def _source_url(request, value):
    """Where the visitor came from (a page of this site), or "" for anything else."""
    if (
        value
        and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()})
        and value.startswith("/")
    ):
        return value[:500]
    return ""


def _target_or_404(request, reference):
    target = feedback.find_target(reference)
    if target is None:
        raise Http404(_("No such record in the directory."))
    return target


def _context(request, target, form, reference, source):
    return {
        "form": form,
        "target": target,
        "kind_label": target.record._meta.verbose_name,
        "record_reference": reference,
        "source_url": source,
        "back_url": source or feedback.record_url(target, request),
        "honeypot_field": HONEYPOT_FIELD,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def report_error(request):
    data = request.POST if request.method == "POST" else request.GET
    reference = data.get("record", "")
    target = _target_or_404(request, reference)
    source = _source_url(request, data.get("next", ""))

    if request.method != "POST":
        form = ErrorReportForm()
        return _private(
            TemplateResponse(
                request, "portal/report_error.html", _context(request, target, form, reference, source)
            )
        )

    if feedback.rate_limited(request):
        context = _context(request, target, ErrorReportForm(request.POST), reference, source)
        context["rate_limited"] = True
        return _private(TemplateResponse(request, "portal/report_error.html", context, status=429))
    feedback.count_attempt(request)

    thanks = (
        reverse("report-error-thanks")
        + "?"
        + urlencode({"record": reference, **({"next": source} if source else {})})
    )
    if request.POST.get(HONEYPOT_FIELD):
        # A bot: it gets the same thank-you as a person, and nothing is stored.
        return _private(redirect(thanks))

    form = ErrorReportForm(request.POST)
    if not form.is_valid():
        return _private(
            TemplateResponse(
                request,
                "portal/report_error.html",
                _context(request, target, form, reference, source),
                status=400,
            )
        )
    feedback.submit_report(
        target,
        text=form.cleaned_data["text"],
        contact=form.cleaned_data["contact"],
        source_url=source,
        language=translation.get_language() or "",
    )
    return _private(redirect(thanks))


@require_safe
def report_error_thanks(request):
    reference = request.GET.get("record", "")
    target = _target_or_404(request, reference)
    source = _source_url(request, request.GET.get("next", ""))
    return _private(
        TemplateResponse(
            request,
            "portal/report_error_thanks.html",
            {"target": target, "back_url": source or feedback.record_url(target, request)},
        )
    )
