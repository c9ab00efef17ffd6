"""URLs of the HSDS 3.0 API, included under /api/hsds/ by portal/urls.py.

HSDS paths have no trailing slash; one is accepted too."""

from django.urls import re_path

from directory import api

app_name = "hsds"

urlpatterns = [
    re_path(r"^$", api.api_root, name="root"),
    re_path(r"^services/?$", api.services, name="services"),
    re_path(r"^services/(?P<identifier>[^/]+)/?$", api.service_detail, name="service"),
    re_path(r"^organizations/?$", api.organizations, name="organizations"),
    re_path(r"^organizations/(?P<identifier>[^/]+)/?$", api.organization_detail, name="organization"),
    re_path(r"^taxonomies/?$", api.taxonomies, name="taxonomies"),
    re_path(r"^taxonomies/(?P<identifier>[^/]+)/?$", api.taxonomy_detail, name="taxonomy"),
    re_path(r"^taxonomy_terms/?$", api.taxonomy_terms, name="taxonomy_terms"),
    re_path(r"^taxonomy_terms/(?P<identifier>[^/]+)/?$", api.taxonomy_term_detail, name="taxonomy_term"),
    re_path(r"^service_at_locations/?$", api.service_at_locations, name="service_at_locations"),
    re_path(
        r"^service_at_locations/(?P<identifier>[^/]+)/?$",
        api.service_at_location_detail,
        name="service_at_location",
    ),
]
