"""The HSDS 3.0 API under /api/hsds/ (DESIGN.md, stable contracts).

Read-only JSON, public data only, whoever asks: the objects are the export's
(directory.opendata.hsds), so a professional signed in gets exactly what an
anonymous client gets. Lists are paginated the HSDS way:

    {"total_items", "total_pages", "page_number", "size", "first_page",
     "last_page", "empty", "contents": [...]}

with `page` (from 1) and `per_page` (1 to 100, default 50). Bad paging
parameters are a 400, an unknown id a 404, both as
{"error": {"code", "message"}} like the other Ovi APIs. Services are those
residents see (active and temporarily closed). See docs/directory.md.
"""

import math
import re
import uuid

from django.views.decorators.http import require_GET

from directory.choices import PUBLIC_SERVICE_STATUSES
from directory.models import ServiceAtLocation, ServiceChannel
from directory.opendata.hsds import HsdsSerializer, organisations, public_services_with_locations
from search.json_api import json_error, json_response

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
WHOLE_NUMBER = re.compile(r"[0-9]{1,7}")


class BadParameter(Exception):
    pass


def _not_found(what, identifier):
    return json_error("not_found", f"No {what} with id {identifier!r}.", 404)


def _whole_number(request, name, default, maximum=None):
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    # ASCII digits only ("²".isdigit() is true) and at most 7 of them: int() of
    # thousands of digits is slow or refused (Python's int max_str_digits).
    if not WHOLE_NUMBER.fullmatch(raw) or int(raw) < 1:
        raise BadParameter(f"{name} must be a whole number of 1 or more.")
    if maximum is not None and int(raw) > maximum:
        raise BadParameter(f"{name} must be at most {maximum}.")
    return int(raw)


def _uuid_parameter(request, name):
    raw = request.GET.get(name)
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise BadParameter(f"{name} must be a UUID.") from None


def _page(request, total, fetch):
    """An HSDS page: `fetch(start, stop)` gives the objects of the requested slice."""
    page = _whole_number(request, "page", 1)
    size = _whole_number(request, "per_page", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    start = (page - 1) * size
    contents = fetch(start, start + size) if start < total else []
    total_pages = math.ceil(total / size)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def _listing(view):
    """Turn BadParameter into a 400."""

    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadParameter as error:
            return json_error("invalid_parameter", str(error), 400)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return require_GET(wrapper)


def _parse_id(value):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


@require_GET
def api_root(request):
    return json_response(
        {
            "version": "3.0",
            "endpoints": [
                "services",
                "organizations",
                "taxonomies",
                "taxonomy_terms",
                "service_at_locations",
            ],
        }
    )


# Services -----------------------------------------------------------------------------------------


@_listing
def services(request):
    queryset = public_services_with_locations()
    organisation = _uuid_parameter(request, "organization_id")
    if organisation is not None:
        queryset = queryset.filter(organisation__uid=organisation)
    serializer = HsdsSerializer()
    return json_response(
        _page(
            request,
            queryset.count(),
            lambda start, stop: [serializer.service_object(service) for service in queryset[start:stop]],
        )
    )


@require_GET
def service_detail(request, identifier):
    uid = _parse_id(identifier)
    service = public_services_with_locations().filter(uid=uid).first() if uid else None
    if service is None:
        return _not_found("service", identifier)
    return json_response(HsdsSerializer().service_object(service))


# Organisations ------------------------------------------------------------------------------------


@_listing
def organizations(request):
    queryset = organisations()
    serializer = HsdsSerializer()
    return json_response(
        _page(
            request,
            queryset.count(),
            lambda start, stop: [serializer.organization_object(org) for org in queryset[start:stop]],
        )
    )


@require_GET
def organization_detail(request, identifier):
    uid = _parse_id(identifier)
    org = organisations().filter(uid=uid).first() if uid else None
    if org is None:
        return _not_found("organization", identifier)
    return json_response(HsdsSerializer().organization_object(org))


# Taxonomies ---------------------------------------------------------------------------------------


@_listing
def taxonomies(request):
    items = HsdsSerializer.taxonomy_objects()
    return json_response(_page(request, len(items), lambda start, stop: items[start:stop]))


@require_GET
def taxonomy_detail(request, identifier):
    found = next((item for item in HsdsSerializer.taxonomy_objects() if item["id"] == identifier), None)
    return json_response(found) if found else _not_found("taxonomy", identifier)


@_listing
def taxonomy_terms(request):
    items = HsdsSerializer().taxonomy_term_objects()
    taxonomy = _uuid_parameter(request, "taxonomy_id")
    if taxonomy is not None:
        items = [item for item in items if item["taxonomy_id"] == str(taxonomy)]
    return json_response(_page(request, len(items), lambda start, stop: items[start:stop]))


@require_GET
def taxonomy_term_detail(request, identifier):
    found = next(
        (item for item in HsdsSerializer().taxonomy_term_objects() if item["id"] == identifier), None
    )
    return json_response(found) if found else _not_found("taxonomy term", identifier)


# Services at locations ----------------------------------------------------------------------------


def _entry_keys():
    """(entry id, service pk) of every service_at_location of the public services:
    the services at locations and the channels (virtual locations), sorted by id."""
    public = {"service__status__in": PUBLIC_SERVICE_STATUSES}
    # No ORDER BY (the models order by their service's name, a join): sorted here by id.
    keys = list(ServiceAtLocation.objects.filter(**public).order_by().values_list("uid", "service_id"))
    keys += ServiceChannel.objects.filter(**public).order_by().values_list("uid", "service_id")
    return sorted((str(uid), service_pk) for uid, service_pk in keys)


def _entries(keys):
    serializer = HsdsSerializer()
    wanted = {uid for uid, _service in keys}
    service_pks = {service_pk for _uid, service_pk in keys}
    found = {}
    for service in public_services_with_locations().filter(pk__in=service_pks):
        for entry in serializer.service_at_location_objects(serializer.service_object(service)):
            if entry["id"] in wanted:
                found[entry["id"]] = entry
    return [found[uid] for uid, _service in keys if uid in found]


@_listing
def service_at_locations(request):
    keys = _entry_keys()
    return json_response(_page(request, len(keys), lambda start, stop: _entries(keys[start:stop])))


@require_GET
def service_at_location_detail(request, identifier):
    uid = _parse_id(identifier)
    keys = []
    if uid is not None:
        public = {"uid": uid, "service__status__in": PUBLIC_SERVICE_STATUSES}
        for model in (ServiceAtLocation, ServiceChannel):
            keys += [
                (str(uid), pk) for pk in model.objects.filter(**public).values_list("service_id", flat=True)
            ]
    entries = _entries(keys)
    return json_response(entries[0]) if entries else _not_found("service_at_location", identifier)
