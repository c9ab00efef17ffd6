from django.core.management.base import BaseCommand, CommandError

from directory import audit
from directory.opendata.hsds_import import import_hsds
from directory.opendata.importing import ImportFileError


class Command(BaseCommand):
    help = (
        "Import Open Referral HSDS 3.0 JSON from DIR (organizations.json, services.json and, when present, "
        "taxonomy_terms.json, as export_hsds writes them). Records are matched by id (Ovi uid): new ones are "
        "created, changed ones updated. One transaction: if any record is rejected nothing is written, "
        "unless --skip-invalid is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Write the valid records even when some are rejected (the rejected ones are still reported).",
        )
        audit.add_user_argument(parser)

    def handle(self, *args, **options):
        user = audit.user_from_option(options["user"])
        try:
            with audit.acting(user, source="import_hsds", file=options["directory"]):
                report = import_hsds(
                    options["directory"], skip_invalid=options["skip_invalid"], stream=self.stdout
                )
        except ImportFileError as error:
            raise CommandError(f"{error}. Nothing was written.") from None
        write_report(self, report)


def write_report(command, report):
    """Print an import report; fail (non-zero exit) when rejections stopped the import."""
    for line in report.lines():
        command.stdout.write(line)
    if not report.written:
        raise CommandError(
            f"{len(report.rejected)} record(s) rejected, so nothing was written. "
            "Fix them, or run again with --skip-invalid to write the valid ones."
        )
