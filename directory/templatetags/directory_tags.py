"""Template tags of the directory's public pages."""

import datetime

from django import template
from django.utils import dateformat, translation

from directory.models.base import VERIFICATION_INTERVAL_MONTHS, verification_is_due

register = template.Library()


def local_date(value: datetime.date) -> str:
    """A date as people write it in the active language: 3.11.2026 in Finnish and
    Finland Swedish, 3 November 2026 in English."""
    if (translation.get_language() or "fi").startswith("en"):
        return dateformat.format(value, "j F Y")
    return f"{value.day}.{value.month}.{value.year}"


@register.inclusion_tag("directory/includes/freshness.html")
def freshness(last_verified_on):
    """When a record was last verified, and a plain warning when that was over
    12 months ago or never (the same rule as DirectoryRecord.needs_verification)."""
    return {
        "verified_on": last_verified_on,
        "date_text": local_date(last_verified_on) if last_verified_on else "",
        "stale": verification_is_due(last_verified_on),
        "months": VERIFICATION_INTERVAL_MONTHS,
    }
