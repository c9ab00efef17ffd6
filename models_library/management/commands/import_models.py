from django.core.management.base import BaseCommand, CommandError

from directory import audit
from models_library.exchange import ImportRejected, import_document, load_file


class Command(BaseCommand):
    help = (
        "Import operating models from FILE (docs/operating-models-format.md). The whole file is "
        "validated first; if any record is invalid nothing is written and every error is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        audit.add_user_argument(parser)

    def handle(self, *args, file, **options):
        user = audit.user_from_option(options["user"])
        try:
            with audit.acting(user, source="import_models", file=file):
                report = import_document(load_file(file))
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(f"  {error}")
            raise CommandError(
                f"{file} was rejected with {len(rejected.errors)} error(s); nothing was imported."
            ) from None
        self.stdout.write(
            f"created {len(report.created)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}"
        )
