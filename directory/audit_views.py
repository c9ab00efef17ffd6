"""Reports → Site history, limited to the directory records the user may edit.

Wagtail's own report (wagtail.admin.views.reports.audit_logging.LogEntriesView)
shows every log entry of every model the user has any permission on, so an
editor of organisation A would read the names, actions and editors of
organisation B's services, teams and contact people. This view is the same
report with the entries of organisation-scoped directory records narrowed to
the records the user may edit (directory.permissions), the same rule as the
record's own history view. Directory admins and superusers see everything.
portal/urls.py routes /admin/reports/site-history/ here, ahead of Wagtail's
admin URLs.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.models import ModelLogEntry

from directory.permissions import editable_organisation_ids, scope_to_editable


def organisation_scoped_models():
    """The directory models whose records belong to an organisation."""
    models = apps.get_app_config("directory").get_models()
    return [model for model in models if hasattr(model, "organisation_lookup")]


def scope_log_entries(queryset, user):
    """Log entries (of ModelLogEntry) without those of directory records `user` may not edit."""
    if editable_organisation_ids(user) is None or not issubclass(queryset.model, ModelLogEntry):
        return queryset
    for model in organisation_scoped_models():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        visible = (
            scope_to_editable(model._default_manager.all(), user)
            .annotate(pk_text=Cast("pk", output_field=CharField()))
            .values("pk_text")
        )
        queryset = queryset.exclude(Q(content_type=content_type) & ~Q(object_id__in=visible))
    return queryset


class ScopedLogEntriesView(LogEntriesView):
    def filter_queryset(self, queryset):
        # Called once per log model with that model's entries (see LogEntriesView.get_filtered_queryset).
        return scope_log_entries(super().filter_queryset(queryset), self.request.user)


site_history = never_cache(require_admin_access(ScopedLogEntriesView.as_view()))
site_history_results = never_cache(require_admin_access(ScopedLogEntriesView.as_view(results_only=True)))
