"""Y-tunnus (Finnish business ID) and coordinate validation."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from directory.validators import is_valid_business_id, normalise_business_id, validate_business_id

from .factories import LocationFactory, OrganisationFactory


@pytest.mark.parametrize(
    "value", ["0201256-6", "3221317-4", "0242746-2", "0169048-8", "0169583-6", " 0112038-9 "]
)
def test_valid_business_ids(value):
    assert is_valid_business_id(value)
    validate_business_id(value)


@pytest.mark.parametrize(
    "value",
    [
        "0201256-7",  # wrong check digit
        "0000006-0",  # weighted sum leaves remainder 1: never issued, whatever the check digit
        "0000006-1",
        "02012566",  # no hyphen
        "0201256",
        "AB01256-6",
        "",
    ],
)
def test_invalid_business_ids(value):
    assert not is_valid_business_id(value)
    with pytest.raises(ValidationError):
        validate_business_id(value)


def test_old_six_digit_business_ids_get_their_leading_zero():
    assert normalise_business_id("201256-6") == "0201256-6"
    assert is_valid_business_id("201256-6")


@pytest.mark.django_db
def test_organisation_form_validation_rejects_a_bad_business_id():
    organisation = OrganisationFactory.build(business_id="0201256-7")

    with pytest.raises(ValidationError) as error:
        organisation.full_clean()

    assert "business_id" in error.value.message_dict


@pytest.mark.django_db
def test_organisation_cannot_be_its_own_ancestor():
    parent = OrganisationFactory()
    child = OrganisationFactory(parent=parent)
    parent.parent = child

    with pytest.raises(ValidationError) as error:
        parent.full_clean()

    assert "parent" in error.value.message_dict


@pytest.mark.django_db
def test_location_postal_code_gives_the_municipality_and_coordinates_must_be_in_finland():
    location = LocationFactory(postal_code="33720")  # Hervanta, Tampere

    assert location.municipality.name_fi == "Tampere"
    assert location.post_office == "Tampere"

    location.latitude, location.longitude = Decimal("29.806100"), Decimal("62.617800")  # swapped
    with pytest.raises(ValidationError) as error:
        location.full_clean()
    assert {"latitude", "longitude"} <= set(error.value.message_dict)

    location.latitude, location.longitude = Decimal("62.617800"), Decimal("29.806100")
    location.postal_code = "00000"
    with pytest.raises(ValidationError) as error:
        location.full_clean()
    assert "postal_code" in error.value.message_dict
