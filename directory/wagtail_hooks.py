"""The directory in the Wagtail admin: a "Directory" menu of snippets, editing limited
to the editor's own organisations, and the report of records not verified in 12 months."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from directory import audit
from directory.admin_views import IncomingLinksView, ScopedSnippetViewSet, UnverifiedRecordsReportView
from directory.contracts import operating_model_stage
from directory.models import (
    ContactPerson,
    Language,
    LifeSituation,
    Location,
    Organisation,
    OrganisationEditor,
    Sector,
    Service,
    ServiceAtLocation,
    ServiceChannel,
    ServiceClass,
    TargetGroup,
    Team,
)
from directory.permissions import (
    AdminOnlyCreationPolicy,
    OrganisationScopedPermissionPolicy,
    editable_organisation_ids,
)

# Register the policies before the viewsets so Wagtail's admin (menus, buttons,
# choosers' permission checks) uses them everywhere.
register_permission_policy(Organisation, AdminOnlyCreationPolicy(Organisation))
for _model in (Service, ServiceChannel, Location, ServiceAtLocation, ContactPerson, Team):
    register_permission_policy(_model, OrganisationScopedPermissionPolicy(_model))


class OrganisationViewSet(ScopedSnippetViewSet):
    model = Organisation
    search_document_type = "organisation"
    icon = "group"
    list_display = ["name_fi", "organisation_type", "business_id", "last_verified_on"]
    list_filter = ["organisation_type", "sectors"]
    search_fields = ["name_fi", "name_sv", "name_en", "business_id"]


class ServiceViewSet(ScopedSnippetViewSet):
    model = Service
    search_document_type = "service"
    icon = "clipboard-list"
    list_display = ["name_fi", "organisation", "status", "is_entry_point", "last_verified_on"]
    list_filter = ["status", "is_entry_point", "sectors", "life_situations"]
    search_fields = ["name_fi", "name_sv", "name_en", "summary_fi"]


class ServiceChannelViewSet(ScopedSnippetViewSet):
    model = ServiceChannel
    icon = "mail"
    list_display = ["service", "kind", "phone_number", "email", "url"]
    list_filter = ["kind"]
    search_fields = ["service__name_fi", "phone_number", "email", "url"]


class LocationViewSet(ScopedSnippetViewSet):
    model = Location
    search_document_type = "location"
    icon = "site"
    list_display = ["name_fi", "street_address_fi", "postal_code", "municipality", "last_verified_on"]
    search_fields = ["name_fi", "name_sv", "street_address_fi", "postal_code"]


class ServiceAtLocationViewSet(ScopedSnippetViewSet):
    model = ServiceAtLocation
    icon = "pick"
    list_display = ["service", "location", "last_verified_on"]
    search_fields = ["description_fi"]


class ContactPersonViewSet(ScopedSnippetViewSet):
    model = ContactPerson
    search_document_type = "contact_person"
    icon = "user"
    list_display = ["name", "title_fi", "organisation", "last_verified_on"]
    search_fields = ["name", "title_fi", "email"]


def _operating_model_title(record):
    """The Finnish title of the model a record follows (published or not: editors see it)."""
    found = operating_model_stage(record.operating_model_uid)
    return found.title if found is not None else ""


class TeamViewSet(ScopedSnippetViewSet):
    model = Team
    search_document_type = "team"
    icon = "group"
    list_display = [
        "name_fi",
        "team_type",
        "organisation",
        Column("operating_model_uid", label=_("operating model"), accessor=_operating_model_title),
        "last_verified_on",
    ]
    list_filter = ["team_type"]
    search_fields = ["name_fi", "name_sv", "name_en"]


class OrganisationEditorViewSet(SnippetViewSet):
    """Who edits which organisation's records: managed by directory admins."""

    model = OrganisationEditor
    icon = "key"
    list_display = ["user", "organisation"]
    search_fields = ["user__username", "organisation__name_fi"]


def vocabulary_viewset(vocabulary, icon="tag", list_display=("name_fi", "name_sv", "name_en")):
    return type(
        f"{vocabulary.__name__}ViewSet",
        (SnippetViewSet,),
        {
            "model": vocabulary,
            "icon": icon,
            "list_display": list(list_display),
            "search_fields": ["name_fi", "name_sv", "name_en"],
        },
    )


class DirectoryGroup(SnippetViewSetGroup):
    menu_label = _("Directory")
    menu_icon = "folder-open-1"
    menu_order = 250
    items = (
        OrganisationViewSet,
        ServiceViewSet,
        ServiceChannelViewSet,
        LocationViewSet,
        ServiceAtLocationViewSet,
        TeamViewSet,
        ContactPersonViewSet,
        OrganisationEditorViewSet,
        vocabulary_viewset(Sector),
        vocabulary_viewset(LifeSituation),
        vocabulary_viewset(TargetGroup),
        vocabulary_viewset(Language, list_display=("code", "name_fi", "name_sv", "name_en")),
        vocabulary_viewset(ServiceClass, list_display=("code", "name_fi")),
    )


register_snippet(DirectoryGroup)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(
            "reports/directory-unverified/",
            UnverifiedRecordsReportView.as_view(),
            name="directory_unverified_report",
        ),
        path(
            "reports/directory-unverified/results/",
            UnverifiedRecordsReportView.as_view(results_only=True),
            name="directory_unverified_report_results",
        ),
    ]


class UnverifiedReportMenuItem(MenuItem):
    def is_shown(self, request):
        return any(
            request.user.has_perm(f"directory.change_{model._meta.model_name}")
            for model in (Organisation, Service, Location, ServiceAtLocation, Team, ContactPerson)
        )


@hooks.register("register_reports_menu_item")
def register_unverified_report_menu_item():
    return UnverifiedReportMenuItem(
        _("Directory: not verified in 12 months"),
        reverse("directory_unverified_report"),
        name="directory-unverified",
        icon_name="warning",
        order=1300,
    )


@hooks.register("register_log_actions")
def register_audit_log_actions(actions):
    # The audit trail of imports and verification (directory.audit).
    audit.register_log_actions(actions)


@hooks.register("register_admin_urls")
def register_incoming_links_urls():
    return [path("directory/incoming-links/", IncomingLinksView.as_view(), name="directory_incoming_links")]


class IncomingLinksMenuItem(MenuItem):
    """For directory editors and admins: links other organisations' records make to theirs."""

    def is_shown(self, request):
        ids = editable_organisation_ids(request.user)
        return ids is None or bool(ids)


@hooks.register("register_reports_menu_item")
def register_incoming_links_menu_item():
    return IncomingLinksMenuItem(
        _("Directory: links from other organisations"),
        reverse("directory_incoming_links"),
        name="directory-incoming-links",
        icon_name="link",
        order=1310,
    )
