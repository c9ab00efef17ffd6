"""Admin views of the directory: organisation-scoped snippet views and choosers,
the "not verified in 12 months" report and the links from other organisations."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.snippets.views import chooser as snippet_chooser_views
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from directory import links, selectors
from directory.access import choosable_records
from directory.permissions import can_edit_record, editable_organisation_ids, scope_to_editable
from directory.visibility import can_see_professional_data
from search import service
from search.localization import DEFAULT_LANGUAGE, LANGUAGE_CODES


class OrganisationScopedObjectMixin:
    """Every view that loads one record answers 404 for records outside the user's
    organisations, whatever the model permissions say. get_object() is where all of
    Wagtail's object views (edit, delete, history, revisions, ...) load the record."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if (
            obj is not None
            and getattr(obj, "pk", None) is not None
            and not can_edit_record(self.request.user, obj)
        ):
            raise Http404
        return obj


def _scoped(view_class):
    return type(f"Scoped{view_class.__name__}", (OrganisationScopedObjectMixin, view_class), {})


class ChoosableScopeMixin:
    """A chooser lists, and accepts, only the records directory.access lets the user
    choose: what they may link (editors), or what they may see (other staff)."""

    def get_object_list(self):
        return choosable_records(super().get_object_list(), self.request.user)

    def get_object(self, pk):
        return choosable_records(self.model_class._default_manager.all(), self.request.user).get(pk=pk)

    def get_objects(self, pks):
        return choosable_records(self.model_class._default_manager.filter(pk__in=pks), self.request.user)


def _choosable(view_class):
    return type(f"Choosable{view_class.__name__}", (ChoosableScopeMixin, view_class), {})


class ScopedChooserViewSet(SnippetChooserViewSet):
    choose_view_class = _choosable(snippet_chooser_views.ChooseView)
    choose_results_view_class = _choosable(snippet_chooser_views.ChooseResultsView)
    chosen_view_class = _choosable(snippet_chooser_views.SnippetChosenView)
    chosen_multiple_view_class = _choosable(snippet_chooser_views.SnippetChosenMultipleView)


class AnalysedSearchIndexView(snippet_views.IndexView):
    """A listing whose search box uses the site search's analysis (one search
    everywhere): a record matches when the search service finds its document
    for the words (inflections, compounds, synonyms, typos, any language), or
    when one of the viewset's `search_fields` contains the text as typed (for
    what analysis does not cover: a business ID, an e-mail address, part of a
    word while typing, records that are not searchable documents, such as a
    discontinued service). The user sees professional data as the directory's
    visibility rules allow; the listing stays limited to their records."""

    search_document_type = None  # the search document type of the viewset's model

    def search_queryset(self, queryset):
        as_typed = super().search_queryset(queryset)
        if not self.is_searching or not self.search_document_type:
            return as_typed
        language = (translation.get_language() or "fi")[:2]
        uids = service.matching_uids(
            self.search_query,
            self.search_document_type,
            language=language if language in LANGUAGE_CODES else DEFAULT_LANGUAGE,
            professional=can_see_professional_data(self.request.user),
        )
        return queryset.filter(Q(pk__in=as_typed.values("pk")) | Q(uid__in=uids))


class ScopedSnippetViewSet(SnippetViewSet):
    """A snippet viewset whose listing and object views are limited to the records
    of the user's organisations (all records for directory admins), and whose
    chooser lists only what the user may choose (directory.access). Its listing's
    search is the site search's (`search_document_type`, AnalysedSearchIndexView)."""

    chooser_viewset_class = ScopedChooserViewSet
    index_view_class = AnalysedSearchIndexView
    search_document_type = None

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(search_document_type=self.search_document_type, **kwargs)

    copy_view_class = _scoped(snippet_views.CopyView)
    edit_view_class = _scoped(snippet_views.EditView)
    delete_view_class = _scoped(snippet_views.DeleteView)
    usage_view_class = _scoped(snippet_views.UsageView)
    history_view_class = _scoped(snippet_views.HistoryView)
    inspect_view_class = _scoped(snippet_views.InspectView)
    revisions_view_class = _scoped(snippet_views.PreviewRevisionView)
    revisions_compare_view_class = _scoped(snippet_views.RevisionsCompareView)
    revisions_unschedule_view_class = _scoped(snippet_views.RevisionsUnscheduleView)
    unpublish_view_class = _scoped(snippet_views.UnpublishView)
    preview_on_edit_view_class = _scoped(snippet_views.PreviewOnEditView)
    lock_view_class = _scoped(snippet_views.LockView)
    unlock_view_class = _scoped(snippet_views.UnlockView)

    def get_queryset(self, request):
        return scope_to_editable(self.model._default_manager.all(), request.user)


class UnverifiedRecordsReportView(ReportView):
    """Directory records nobody has verified in the last 12 months, oldest first."""

    page_title = _("Directory records not verified in 12 months")
    header_icon = "warning"
    index_url_name = "directory_unverified_report"
    index_results_url_name = "directory_unverified_report_results"
    paginate_by = 50
    list_export = ["record_type", "title", "organisation", "last_verified_on", "last_verified_by"]
    export_headings = {
        "record_type": _("Type"),
        "title": _("Record"),
        "organisation": _("Organisation"),
        "last_verified_on": _("Last verified"),
        "last_verified_by": _("Verified by"),
    }
    columns = [
        TitleColumn("title", label=_("Record"), url_name=None, get_url=lambda row: row.edit_url),
        Column("record_type", label=_("Type")),
        Column("organisation", label=_("Organisation")),
        DateColumn("last_verified_on", label=_("Last verified")),
        Column("last_verified_by", label=_("Verified by")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not any(
            request.user.has_perm(f"directory.change_{model._meta.model_name}")
            for model in selectors.UNVERIFIED_MODELS
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self):
        return "directory-unverified-records"

    def get_queryset(self):
        return [ReportRow(record) for record in selectors.unverified_records(self.request.user)]


class ReportRow:
    """One report line, whatever the model."""

    def __init__(self, record):
        self.record = record
        self.pk = f"{record._meta.model_name}-{record.pk}"
        self.title = str(record)
        self.record_type = str(record._meta.verbose_name).capitalize()
        self.organisation = str(record.owner_organisation)
        self.last_verified_on = record.last_verified_on
        self.last_verified_by = str(record.last_verified_by or "")
        self.edit_url = reverse(record.snippet_viewset.get_url_name("edit"), args=[record.pk])

    def __str__(self):
        return self.title


class IncomingLinksView(WagtailAdminTemplateMixin, TemplateView):
    """Links from other organisations' records to the user's records, each removable
    (directory.links): the other side of "links are removable from both sides"."""

    template_name = "directory/admin/incoming_links.html"
    page_title = _("Links from other organisations")
    header_icon = "link"

    def dispatch(self, request, *args, **kwargs):
        ids = editable_organisation_ids(request.user)
        if ids is not None and not ids:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["links"] = links.incoming_links(self.request.user)
        context["remove_url"] = reverse("directory_incoming_links")
        return context

    def post(self, request, *args, **kwargs):
        incoming = links.find_incoming_link(request.user, request.POST.get("link", ""))
        if incoming is None:
            raise Http404
        description = links.remove_link(incoming, request.user)
        messages.success(
            request,
            _("The link from “%(record)s” to “%(linked)s” was removed.") % description,
        )
        return redirect("directory_incoming_links")
