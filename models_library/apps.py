from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModelsLibraryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "models_library"
    verbose_name = _("Operating models library")

    def ready(self):
        from directory.contracts import OPERATING_MODELS
        from models_library.usage import LibraryOperatingModels
        from search import contracts

        contracts.provide(OPERATING_MODELS, LibraryOperatingModels())

        from models_library.search_documents import register_sources

        register_sources()

        from wagtail.signals import task_approved

        from models_library.review import record_review_on_approval

        task_approved.connect(
            record_review_on_approval, dispatch_uid="models_library.record_review_on_approval"
        )
