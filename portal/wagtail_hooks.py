from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.admin_views import PathwayCoverageView
from portal.feedback_admin import ErrorReportPermissionPolicy, ErrorReportViewSet
from portal.models import ErrorReport, Menu


class MenuViewSet(SnippetViewSet):
    model = Menu
    icon = "list-ul"
    menu_label = _("Menus")
    list_display = ["__str__"]
    list_filter = ["placement", "locale"]


register_snippet(MenuViewSet)


@hooks.register("register_admin_urls")
def register_coverage_url():
    return [path("reports/pathway-coverage/", PathwayCoverageView.as_view(), name="pathway_coverage")]


class CoverageMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("directory.change_service")


@hooks.register("register_reports_menu_item")
def register_coverage_menu_item():
    return CoverageMenuItem(
        _("One-door coverage"),
        reverse("pathway_coverage"),
        name="pathway-coverage",
        icon_name="site",
        order=1310,
    )


# Error reports from the public "report an error" form (portal/feedback_admin.py).
register_permission_policy(ErrorReport, ErrorReportPermissionPolicy(ErrorReport))


@hooks.register("register_admin_viewset")
def register_error_report_viewset():
    return ErrorReportViewSet("errorreport")
