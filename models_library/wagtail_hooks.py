from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from models_library import privacy, rules
from models_library.models import OperatingModelPage, Programme, Topic
from models_library.reports import ModelsNeedingReviewView, ModeratorMenuItem


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name_fi", "name_sv", "name_en", "slug"]
    search_fields = ["name_fi", "name_sv", "name_en"]


class ProgrammeViewSet(SnippetViewSet):
    model = Programme
    icon = "folder-open-inverse"
    list_display = ["name_fi", "slug"]
    search_fields = ["name_fi", "name_sv", "name_en"]


class LibraryVocabularies(SnippetViewSetGroup):
    menu_label = gettext_lazy("Models library")
    menu_icon = "doc-full"
    items = (TopicViewSet, ProgrammeViewSet)


register_snippet(LibraryVocabularies)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_similar_models(request, page):
    """Saving warns when another model has a near-identical name: it may be the same model."""
    if not isinstance(page.specific, OperatingModelPage):
        return
    similar = rules.similar_models(page.title, exclude_key=page.translation_key)
    if similar:
        messages.warning(
            request,
            format_html(
                "{} {}",
                _("Check that this is not a duplicate. Models with similar names already exist:"),
                format_html_join(", ", "“{}”", ((other.title,) for other in similar[:5])),
            ),
        )


@hooks.register("on_serve_page")
def check_canonical_view_restrictions(callback):
    """A page is as private as its canonical (Finnish) page: Wagtail checks the
    restrictions of the page and its ancestors; this also checks those of the
    Finnish page it translates (an operating model's Swedish page shows the
    Finnish sections). Answers as Wagtail does: the password form, or the login."""

    def inner(page, request, serve_args, serve_kwargs):
        restrictions = privacy.restrictions_for(page)
        for restriction in restrictions:
            if restriction.accept_request(request):
                continue
            if restriction.restriction_type == privacy.PASSWORD:
                form = PasswordViewRestrictionForm(
                    instance=restriction, initial={"return_url": request.get_full_path()}
                )
                action_url = reverse("wagtailcore_authenticate_with_password", args=[restriction.id, page.id])
                response = page.serve_password_required_response(request, form, action_url)
            else:
                login_url = getattr(settings, "WAGTAIL_FRONTEND_LOGIN_URL", None)
                response = redirect_to_login(
                    request.get_full_path(), login_url or reverse("wagtailcore_login")
                )
            add_never_cache_headers(response)
            return response
        response = callback(page, request, serve_args, serve_kwargs)
        if restrictions:
            add_never_cache_headers(response)
        return response

    return inner


@hooks.register("register_admin_urls")
def register_review_report_urls():

    return [
        path(
            "models-library/review/", ModelsNeedingReviewView.as_view(), name="models_library_review_report"
        ),
        path(
            "models-library/review/results/",
            ModelsNeedingReviewView.as_view(results_only=True),
            name="models_library_review_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_review_report_menu_item():

    return ModeratorMenuItem(
        gettext_lazy("Models needing review"),
        reverse("models_library_review_report"),
        name="models-needing-review",
        icon_name="time",
        order=1150,
    )
