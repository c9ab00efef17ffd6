from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from directory.contracts import PATHWAYS_TO_SERVICE
        from models_library.contracts import PAGES_USING_MODEL
        from portal.pathways import PathwayLinks
        from search import contracts

        contracts.provide(PAGES_USING_MODEL, PathwayLinks())
        contracts.provide(PATHWAYS_TO_SERVICE, PathwayLinks())

        from portal.search_documents import register_sources

        register_sources()

        from portal.openapi import DoorsApi

        contracts.register(contracts.API_DESCRIPTIONS, DoorsApi())

        from portal.caching import connect_signals

        connect_signals()
