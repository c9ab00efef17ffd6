"""Validators for Finnish identifiers and coordinates."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BUSINESS_ID_PATTERN = re.compile(r"^(\d{6,7})-(\d)$")
BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)

# Mainland Finland and Åland with a margin: catches swapped latitude and longitude,
# the commonest coordinate mistake, and numbers in the wrong datum (e.g. ETRS-TM35FIN metres).
FINLAND_LATITUDE = (59.3, 70.2)
FINLAND_LONGITUDE = (19.0, 31.7)


def business_id_check_digit(digits: str):
    """Check digit of a Y-tunnus body of seven digits, or None when no check digit can exist."""
    remainder = sum(int(d) * w for d, w in zip(digits, BUSINESS_ID_WEIGHTS)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:  # such numbers are never issued
        return None
    return 11 - remainder


def normalise_business_id(value: str) -> str:
    """`1234567-8` form; old six-digit numbers get their leading zero back."""
    value = (value or "").strip().replace(" ", "")
    match = BUSINESS_ID_PATTERN.match(value)
    if not match:
        return value
    return f"{match.group(1).zfill(7)}-{match.group(2)}"


def is_valid_business_id(value: str) -> bool:
    match = BUSINESS_ID_PATTERN.match(normalise_business_id(value))
    if not match:
        return False
    return business_id_check_digit(match.group(1)) == int(match.group(2))


def validate_business_id(value):
    if not BUSINESS_ID_PATTERN.match(normalise_business_id(value)):
        raise ValidationError(
            _("Enter a business ID in the form 1234567-8."), code="invalid_business_id_format"
        )
    if not is_valid_business_id(value):
        raise ValidationError(
            _("This business ID has a wrong check digit. Check the number."), code="invalid_business_id"
        )


def validate_latitude(value):
    if value is not None and not FINLAND_LATITUDE[0] <= float(value) <= FINLAND_LATITUDE[1]:
        raise ValidationError(
            _("Latitude must be in Finland (WGS84 decimal degrees, for example 62.6010)."),
            code="latitude_out_of_range",
        )


def validate_longitude(value):
    if value is not None and not FINLAND_LONGITUDE[0] <= float(value) <= FINLAND_LONGITUDE[1]:
        raise ValidationError(
            _("Longitude must be in Finland (WGS84 decimal degrees, for example 29.7636)."),
            code="longitude_out_of_range",
        )
