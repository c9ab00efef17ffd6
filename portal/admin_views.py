from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from directory.models import WellbeingCounty
from directory.spreadsheet import csv_response
from portal.coverage import county_coverage, coverage_csv_filename, coverage_csv_header, coverage_csv_rows


class PathwayCoverageView(WagtailAdminTemplateMixin, TemplateView):
    page_title = _("One-door coverage")
    header_icon = "site"
    template_name = "portal/admin/pathway_coverage.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("directory.change_service"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "csv":
            county = WellbeingCounty.objects.filter(code=request.GET.get("county", "")).first()
            if county is not None:
                return csv_response(
                    coverage_csv_filename(county), coverage_csv_header(), coverage_csv_rows(county)
                )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counties = list(WellbeingCounty.objects.order_by("name_fi"))
        chosen = next((c for c in counties if c.code == self.request.GET.get("county")), None)
        context.update(counties=counties, county=chosen, rows=county_coverage(chosen) if chosen else [])
        return context
