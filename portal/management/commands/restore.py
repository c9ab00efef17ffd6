"""manage.py restore DIR [--force] [--check]: restore a backup (docs/backup.md)."""

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, check_restored, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup written by `manage.py backup` into the configured, empty database and MEDIA_ROOT; "
        "then migrate, rebuild the search index and compare the counts with the backup's manifest. "
        "See docs/backup.md."
    )
    # The system checks may open the database before the restore has put it in place.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="Directory written by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "Restore even though the database is not empty, replacing everything in it. SQLite: the "
                "current file is kept as NAME.replaced-<time>. PostgreSQL: schema public is dropped first."
            ),
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Restore nothing: only compare the current database and media with the backup's manifest.",
        )

    def handle(self, *args, directory, force=False, check=False, **options):
        log = self.stderr.write if options["verbosity"] > 1 else (lambda message: None)
        try:
            if check:
                counts = check_restored(directory)
            else:
                report = restore_backup(directory, force=force, log=log)
                counts = report.counts
                if report.replaced_database:
                    self.stdout.write(f"The replaced database is kept as {report.replaced_database}")
                self.stdout.write(f"Restored {report.media_files} media files.")
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("Counts: " + ", ".join(f"{name} {count}" for name, count in counts.items()))
        if check:
            self.stdout.write(self.style.SUCCESS(f"The database and media match the backup in {directory}."))
        else:
            message = f"Restored from {directory}; the counts match its manifest."
            self.stdout.write(self.style.SUCCESS(message))
