"""/.well-known/security.txt (RFC 9116): where to report a vulnerability.

The contact is OVI_SECURITY_CONTACT (a mailto:/https: address or a bare e-mail
address), else the site settings' feedback e-mail (Settings → Site settings in
the admin). Without either there is nothing to say: 404. The file is public and
the same for everyone, so the page cache may keep it; Expires is a year ahead
of today, as the RFC asks for a date less than a year away.
"""

import datetime

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe
from wagtail.models import Site

from portal.models import SiteSettings

VALID_DAYS = 364


def security_contact(request):
    contact = settings.OVI_SECURITY_CONTACT.strip()
    if not contact:
        site = Site.find_for_request(request)
        contact = SiteSettings.for_site(site).feedback_email.strip() if site else ""
    if contact and ":" not in contact:
        contact = f"mailto:{contact}"
    return contact


@require_safe
def security_txt(request):
    contact = security_contact(request)
    if not contact:
        raise Http404("No security contact configured")
    expires = (timezone.now() + datetime.timedelta(days=VALID_DAYS)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.astimezone(datetime.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: fi, sv, en",
        f"Canonical: {request.build_absolute_uri('/.well-known/security.txt')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
