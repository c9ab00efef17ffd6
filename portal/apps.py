from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from directory.pathway_links import register_provider as register_pathways_to_service
        from models_library.usage import register_provider as register_model_usage
        from portal.pathways import pathways_to_service, pathways_using_model

        register_model_usage(pathways_using_model)
        register_pathways_to_service(pathways_to_service)

        from portal.search_documents import register_sources

        register_sources()

        from portal.caching import connect_signals

        connect_signals()
