from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from models_library.usage import register_provider
        from portal.pathways import pathways_using_model

        register_provider(pathways_using_model)
