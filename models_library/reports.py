"""The moderators' admin report of operating models that need a review, with CSV and XLSX export.

Registered (URLs and the Reports menu item) in models_library.wagtail_hooks.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page

from directory.spreadsheet import FormulaSafeCsvMixin
from models_library import review
from models_library.models import DevelopmentTeamPage, OperatingModelPage


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def describe_for_review(pages):
    """The model pages with the report's values attached (also used by the e-mail digest)."""
    pages = list(pages)
    teams = dict(
        DevelopmentTeamPage.objects.filter(
            path__in={page.path[: -Page.steplen] for page in pages}
        ).values_list("path", "title")
    )
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    for page in pages:
        page.team = teams.get(page.path[: -Page.steplen], "")
        page.reviewer_name = ""
        if page.last_reviewed_by is not None:
            page.reviewer_name = (
                page.last_reviewed_by.get_full_name().strip() or page.last_reviewed_by.get_username()
            )
        page.review_due = review.review_due_date(page.last_reviewed)
        page.last_reviewed_text = (
            date_format(page.last_reviewed, "j.n.Y") if page.last_reviewed else _("Never")
        )
        page.review_due_text = date_format(page.review_due, "j.n.Y") if page.review_due else _("Now")
        page.admin_url = base_url + edit_url(page)
    return pages


class ModelsNeedingReviewView(FormulaSafeCsvMixin, ReportView):
    page_title = _("Models needing review")
    header_icon = "time"
    model = OperatingModelPage
    index_url_name = "models_library_review_report"
    index_results_url_name = "models_library_review_report_results"
    no_results_message = _("Every published model has been reviewed within the last 24 months.")
    columns = [
        TitleColumn("title", label=_("Model"), get_url=edit_url),
        Column("team", label=_("Development team")),
        Column("last_reviewed_text", label=_("Last reviewed")),
        Column("reviewer_name", label=_("Reviewed by")),
        Column("review_due_text", label=_("Review due")),
    ]
    list_export = ["title", "team", "last_reviewed", "reviewer_name", "review_due", "admin_url"]
    export_headings = {
        "title": _("Model"),
        "team": _("Development team"),
        "last_reviewed": _("Last reviewed"),
        "reviewer_name": _("Reviewed by"),
        "review_due": _("Review due"),
        "admin_url": _("Edit in the admin"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not review.is_moderator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self):
        return f"models-needing-review-{timezone.localdate().isoformat()}"

    def get_base_queryset(self):
        return review.models_needing_review()

    def get_queryset(self):
        # A list, so the table and the export show the same decorated pages.
        return describe_for_review(super().get_queryset())


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return review.is_moderator(request.user)
