"""The coverage report on the public site, for planners who have no admin rights:
signed-in professionals (directory.visibility.can_see_professional_data) only.

An anonymous visitor is sent to the sign-in page (and comes back after it); a
signed-in user who is not a professional gets 403. Every answer is
`Cache-Control: private, no-store`: the report names the doors nobody has verified
and is not for shared caches.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from directory.models import WellbeingCounty
from directory.spreadsheet import csv_response
from directory.visibility import can_see_professional_data
from portal.coverage import county_coverage, coverage_csv_filename, coverage_csv_header, coverage_csv_rows


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


def professionals_only(view):
    @wraps(view)
    def inner(request, *args, **kwargs):
        if not request.user.is_authenticated:
            login_url = getattr(settings, "WAGTAIL_FRONTEND_LOGIN_URL", None) or reverse("wagtailcore_login")
            return _private(redirect_to_login(request.get_full_path(), login_url))
        if not can_see_professional_data(request.user):
            raise PermissionDenied
        return _private(view(request, *args, **kwargs))

    return inner


@require_GET
@professionals_only
def coverage_index(request):
    counties = WellbeingCounty.objects.order_by("name_fi")
    return TemplateResponse(request, "portal/coverage_index.html", {"counties": counties})


@require_GET
@professionals_only
def coverage_county(request, code):
    county = get_object_or_404(WellbeingCounty, code=code)
    return TemplateResponse(
        request,
        "portal/coverage_county.html",
        {
            "county": county,
            "rows": county_coverage(county),
            "counties": WellbeingCounty.objects.order_by("name_fi"),
        },
    )


@require_GET
@professionals_only
def coverage_county_csv(request, code):
    county = get_object_or_404(WellbeingCounty, code=code)
    return csv_response(coverage_csv_filename(county), coverage_csv_header(), coverage_csv_rows(county))
