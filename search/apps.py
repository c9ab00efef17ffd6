from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    label = "ovi_search"
    verbose_name = _("Search")

    def ready(self):
        from .analysers import invalidate_synonyms
        from .models import Synonym

        # Edited synonyms apply to the next search (queries expand synonyms;
        # nothing needs re-indexing).
        post_save.connect(invalidate_synonyms, sender=Synonym, dispatch_uid="ovi_search_synonym_saved")
        post_delete.connect(invalidate_synonyms, sender=Synonym, dispatch_uid="ovi_search_synonym_deleted")
