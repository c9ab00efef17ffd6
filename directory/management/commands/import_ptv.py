from django.core.management.base import BaseCommand, CommandError

from directory import audit
from directory.opendata.importing import ImportFileError
from directory.opendata.ptv import import_ptv

from .import_hsds import write_report


class Command(BaseCommand):
    help = (
        "Import Suomi.fi Palvelutietovaranto (PTV) Open API v11 JSON files: organisations, services and "
        "service channels (a JSON list, or a page with 'itemList'). Records are matched by PTV id, so a "
        "re-run updates instead of duplicating. One transaction: if any record is rejected nothing is "
        "written, unless --skip-invalid is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Write the valid records even when some are rejected (the rejected ones are still reported).",
        )
        audit.add_user_argument(parser)

    def handle(self, *args, **options):
        user = audit.user_from_option(options["user"])
        try:
            with audit.acting(user, source="import_ptv", file=" ".join(options["files"])):
                report = import_ptv(
                    options["files"], skip_invalid=options["skip_invalid"], stream=self.stdout
                )
        except ImportFileError as error:
            raise CommandError(f"{error}. Nothing was written.") from None
        write_report(self, report)
