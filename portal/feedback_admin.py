"""Error reports in the Wagtail admin: a task list for the editors of the reported
record's organisation. Editors see only their organisations' reports (and their
sub-organisations', as directory.permissions scopes records); directory admins
see all. Nobody adds reports here (they come from the public form); editors set
the status, directory admins may also delete."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from directory.admin_views import OrganisationScopedObjectMixin
from directory.permissions import can_edit_record, scope_to_editable
from directory.roles import is_directory_admin, is_directory_editor
from portal import feedback
from portal.models import ErrorReport


class ErrorReportPermissionPolicy(BasePermissionPolicy):
    """Not Django's model permissions: being a directory editor (linked to an
    organisation) or admin is what counts, narrowed per report to the organisations."""

    def user_has_permission(self, user, action):
        if action in ("view", "change"):
            return is_directory_admin(user) or is_directory_editor(user)
        if action == "delete":
            return is_directory_admin(user)
        return False

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and can_edit_record(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return scope_to_editable(self.model._default_manager.all(), user)

    def users_with_any_permission(self, actions):

        return get_user_model().objects.none()


class ErrorReportIndexView(generic.IndexView):
    def get_base_queryset(self):
        return scope_to_editable(super().get_base_queryset(), self.request.user).select_related(
            "organisation"
        )


class ErrorReportEditView(OrganisationScopedObjectMixin, generic.EditView):
    def save_instance(self):
        feedback.prepare_status_change(self.form.instance, self.request.user)
        return super().save_instance()


def _scoped(view_class):
    return type(f"ErrorReport{view_class.__name__}", (OrganisationScopedObjectMixin, view_class), {})


class ErrorReportViewSet(ModelViewSet):
    model = ErrorReport
    icon = "warning"
    menu_label = _("Error reports")
    menu_order = 250
    add_to_admin_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = ErrorReportIndexView
    edit_view_class = ErrorReportEditView
    delete_view_class = _scoped(generic.DeleteView)
    history_view_class = _scoped(history.HistoryView)
    usage_view_class = _scoped(usage.UsageView)
    list_filter = ["status", "target_kind"]
    list_export = []
    list_display = [
        "target_name",
        DateColumn("created_at", label=_("Received")),
        Column("get_target_kind_display", label=_("Record type")),
        Column("organisation", label=_("Organisation")),
        StatusTagColumn(
            "get_status_display", label=_("Status"), primary=lambda report: report.status == "new"
        ),
    ]
    ordering = ["-created_at"]
