from django.contrib import messages
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from models_library import rules
from models_library.models import OperatingModelPage, Programme, Topic


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
