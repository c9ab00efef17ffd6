from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "directory"
    verbose_name = _("Service directory")

    def ready(self):
        from directory.search_documents import provide_search_contracts, register_sources

        register_sources()
        provide_search_contracts()

        from directory.geography import connect_place_names

        connect_place_names()
