from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModelsLibraryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "models_library"
    verbose_name = _("Operating models library")

    def ready(self):
        from directory.operating_models import register_resolver, register_stage_reader
        from models_library.usage import resolve_for_directory, stage_for_directory

        register_resolver(resolve_for_directory)
        register_stage_reader(stage_for_directory)

        from models_library.search_documents import register_sources

        register_sources()

        from wagtail.signals import task_approved

        from models_library.review import record_review_on_approval

        task_approved.connect(
            record_review_on_approval, dispatch_uid="models_library.record_review_on_approval"
        )
