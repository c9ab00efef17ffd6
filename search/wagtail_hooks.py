from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Synonym


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = _("Search synonyms")
    add_to_admin_menu = False
    list_display = ["term", "synonyms", "language", "one_way"]
    list_filter = ["language", "one_way"]
    search_fields = ["term", "synonyms", "source"]


register_snippet(SynonymViewSet)
