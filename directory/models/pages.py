"""The public face of the directory: one routable index page per language."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

# Route name -> path segment. The segments are Finnish in every language, as in
# the models library; the uid in the URL is what identifies the record.
DETAIL_ROUTES = {
    "service": "palvelu",
    "organisation": "organisaatio",
    "location": "toimipiste",
    "team": "tiimi",
}


class DirectoryIndexPage(RoutablePageMixin, Page):
    """Browse services by sector, life situation and municipality; detail pages of
    services, organisations, locations and teams; network maps for professionals.

    The records themselves are snippets, not pages: there are tens of thousands of
    them and they are imported (see docs/directory.md).
    """

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("service directory")
        verbose_name_plural = _("service directories")

    @path("")
    def browse(self, request):
        from directory import views  # noqa: PLC0415 cycle: directory.views imports directory.models

        return views.browse(request, self)

    @path("palvelu/<uuid:uid>/", name="service")
    def service(self, request, uid):
        from directory import views  # noqa: PLC0415 cycle: directory.views imports directory.models

        return views.service_detail(request, self, uid)

    @path("organisaatio/<uuid:uid>/", name="organisation")
    def organisation(self, request, uid):
        from directory import views  # noqa: PLC0415 cycle: directory.views imports directory.models

        return views.organisation_detail(request, self, uid)

    @path("toimipiste/<uuid:uid>/", name="location")
    def location(self, request, uid):
        from directory import views  # noqa: PLC0415 cycle: directory.views imports directory.models

        return views.location_detail(request, self, uid)

    @path("tiimi/<uuid:uid>/", name="team")
    def team(self, request, uid):
        from directory import views  # noqa: PLC0415 cycle: directory.views imports directory.models

        return views.team_detail(request, self, uid)

    @path("verkostokartta/", name="network")
    def network(self, request):
        from directory import views  # noqa: PLC0415 cycle: directory.views imports directory.models

        return views.network_map(request, self)

    def url_builder(self, request=None):
        """A function (kind, uid) -> URL of that record's page under this index."""
        base = self.get_url(request) or self.url or "/"
        routes = {
            kind: self.reverse_subpage(kind, kwargs={"uid": "00000000-0000-0000-0000-000000000000"})
            for kind in DETAIL_ROUTES
        }

        def url_for(kind, uid):
            route = routes.get(kind)
            if route is None or uid is None:
                return None
            return base + route.replace("00000000-0000-0000-0000-000000000000", str(uid))

        return url_for
