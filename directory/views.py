"""Views of the public directory pages, called from DirectoryIndexPage's routes.

Thin on purpose: they read with directory.selectors, turn records into dicts
with directory.presenters (directory.visibility decides what this user may see) and render.
"""

from django import forms
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

from directory import contracts, presenters, selectors, visibility
from directory.geography import place_for_postal_code
from directory.models import LifeSituation, Municipality, Sector

PAGE_SIZE = 20
LEAFLET_FILES = ("directory/vendor/leaflet/leaflet.js", "directory/vendor/leaflet/leaflet.css")


class BrowseForm(forms.Form):
    sector = forms.ModelChoiceField(
        Sector.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Sector"),
        empty_label=_("All sectors"),
    )
    situation = forms.ModelChoiceField(
        LifeSituation.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Life situation"),
        empty_label=_("All life situations"),
    )
    municipality = forms.ModelChoiceField(
        Municipality.objects.all(),
        to_field_name="code",
        required=False,
        label=_("Municipality"),
        empty_label=_("All municipalities"),
    )
    postal_code = forms.CharField(label=_("Or postal code"), required=False, max_length=10)
    entry_points = forms.BooleanField(label=_("Only places to turn to first"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if translation.get_language() == "sv":
            self.fields["municipality"].queryset = Municipality.objects.order_by("name_sv")

    def clean_postal_code(self):
        value = self.cleaned_data["postal_code"].strip()
        if value and place_for_postal_code(value) is None:
            raise forms.ValidationError(_("Unknown postal code. Give five digits, for example 80100."))
        return value

    def place(self):
        if self.cleaned_data.get("municipality"):
            return self.cleaned_data["municipality"]
        if self.cleaned_data.get("postal_code"):
            return place_for_postal_code(self.cleaned_data["postal_code"])
        return None


class MunicipalityForm(forms.Form):
    municipality = forms.ModelChoiceField(
        Municipality.objects.all(), to_field_name="code", label=_("Municipality"), empty_label=None
    )


def _render(request, page, template, context, *, status=200, professional=False):
    response = page.render(request, template=template, context_overrides=context)
    response.status_code = status
    if professional:
        # Never let a shared cache keep a page with professional-only data.
        patch_cache_control(response, private=True, no_store=True)
    return response


def _map_assets_available():
    """Leaflet comes from npm at install time; without it the pages show text only."""
    return all(finders.find(path) for path in LEAFLET_FILES)


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def browse(request, page):
    form = BrowseForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {
            "sector": form.cleaned_data.get("sector"),
            "life_situation": form.cleaned_data.get("situation"),
            "place": form.place(),
            "entry_points_only": form.cleaned_data.get("entry_points", False),
        }
    queryset = selectors.browse_services(**filters)
    page_obj = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    url_for = page.url_builder(request)
    place = filters.get("place")
    return _render(
        request,
        page,
        "directory/directory_index_page.html",
        {
            "form": form,
            "page_obj": page_obj,
            "services": [
                presenters.service_summary_data(service, url_for) for service in page_obj.object_list
            ],
            "place_name": place.name
            if isinstance(place, Municipality)
            else (place.municipality.name if place else ""),
            "has_filters": any(filters.values()),
            "query_without_page": _query_without_page(request),
            "network_url": page.get_url(request) + page.reverse_subpage("network")
            if visibility.can_see_professional_data(request.user)
            else None,
        },
    )


def service_detail(request, page, uid):
    service = selectors.public_service(uid)
    if service is None:
        raise Http404
    data = presenters.represent_service(service, request.user, url_for=page.url_builder(request))
    points = [entry["location"] for entry in data["locations"] if entry["location"]["latitude"] is not None]
    return _render(
        request,
        page,
        "directory/service_detail.html",
        {
            "service": data,
            # Open now, or when it opens next: with the name and the ways in, the first screen on a phone.
            "open_status": selectors.service_status(service),
            # Professionals: the places with contact people of their own, shown with the service's own.
            "contacts_at_locations": [
                entry for entry in data["locations"] if entry.get("professional", {}).get("contacts")
            ],
            "pathways": contracts.pathways_to(service),
            "map_points": points,
            "map_assets": _map_assets_available() and bool(points),
        },
        professional="professional" in data,
    )


def organisation_detail(request, page, uid):
    org = selectors.organisation_by_uid(uid)
    if org is None:
        raise Http404
    data = presenters.represent_organisation(org, request.user, url_for=page.url_builder(request))
    return _render(
        request,
        page,
        "directory/organisation_detail.html",
        {"organisation": data},
        professional="professional" in data,
    )


def location_detail(request, page, uid):
    location = selectors.location_by_uid(uid)
    if location is None:
        raise Http404
    url_for = page.url_builder(request)
    data = presenters.represent_location(location, request.user, url_for=url_for)
    points = [data] if data["latitude"] is not None else []
    context_points = (
        [
            presenters.location_brief(other, url_for)
            for other in selectors.other_locations_in_municipality(location)
        ]
        if points
        else []
    )
    return _render(
        request,
        page,
        "directory/location_detail.html",
        {
            "location": data,
            "map_points": points,
            "context_points": context_points,
            "context_municipality": data["municipality"]["name"] if data["municipality"] else "",
            "map_assets": _map_assets_available() and bool(points),
        },
    )


def team_detail(request, page, uid):
    team = selectors.team_by_uid(uid)
    if team is None:
        raise Http404
    data = presenters.represent_team(team, request.user, url_for=page.url_builder(request))
    return _render(
        request, page, "directory/team_detail.html", {"team": data}, professional="professional" in data
    )


def network_map(request, page):
    if not visibility.can_see_professional_data(request.user):
        return _render(request, page, "directory/professionals_only.html", {}, status=403)
    form = MunicipalityForm(request.GET or None)
    network = None
    if form.is_bound and form.is_valid():
        network = presenters.network_map_data(
            form.cleaned_data["municipality"], request.user, url_for=page.url_builder(request)
        )
    base = page.get_url(request) + page.reverse_subpage("network")
    areas = [
        {"name": m.name, "url": f"{base}?municipality={m.code}"}
        for m in selectors.municipalities_with_teams()
    ]
    return _render(
        request,
        page,
        "directory/network_map.html",
        {"form": form, "network": network, "areas": areas},
        professional=True,
    )
