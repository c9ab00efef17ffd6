"""JSON-ready representations of directory records, for the API.

They go through directory.presenters like every other output, then turn the
Python values into JSON types: UUIDs and dates as strings, times as "HH:MM",
coordinates as numbers. `user` decides whether the professional part is included.
"""

import datetime
import decimal
import uuid

from django.utils.functional import Promise

from directory import presenters
from directory.models import Location, Organisation, Service, Team


def to_json(value):
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, Promise):
        return str(value)
    return value


def serialize_service(service, user, *, url_for=None, at=None, operating_models=None):
    kwargs = {"url_for": url_for} if url_for else {}
    return to_json(
        presenters.represent_service(service, user, at=at, operating_models=operating_models, **kwargs)
    )


def serialize_organisation(org, user, *, url_for=None):
    kwargs = {"url_for": url_for} if url_for else {}
    return to_json(presenters.represent_organisation(org, user, **kwargs))


def serialize_location(location, user, *, url_for=None, at=None):
    kwargs = {"url_for": url_for} if url_for else {}
    return to_json(presenters.represent_location(location, user, at=at, **kwargs))


def serialize_team(team, user, *, url_for=None):
    kwargs = {"url_for": url_for} if url_for else {}
    return to_json(presenters.represent_team(team, user, **kwargs))


def serialize_service_summaries(services, *, url_for=None):
    """Listing entries: public fields only, whoever asks."""
    kwargs = {"url_for": url_for} if url_for else {}
    return [to_json(presenters.service_summary_data(service, **kwargs)) for service in services]


def serialize_record(record, user, **kwargs):
    """Any directory record by its type."""
    for model, serializer in (
        (Service, serialize_service),
        (Organisation, serialize_organisation),
        (Location, serialize_location),
        (Team, serialize_team),
    ):
        if isinstance(record, model):
            if serializer in (serialize_organisation, serialize_team):
                kwargs.pop("at", None)
            return serializer(record, user, **kwargs)
    raise TypeError(f"Not a directory record: {record!r}")
