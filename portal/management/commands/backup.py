"""manage.py backup DIR [--keep N]: the database and uploaded media (docs/backup.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, create_backup, prune_backups


class Command(BaseCommand):
    help = (
        "Write a backup of the database and the uploaded media (MEDIA_ROOT) into DIR, which must be new "
        "or empty: database dump, media.tar.gz and manifest.json. See docs/backup.md."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="New directory to write the backup into.")
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help="After a successful backup, delete all but the N newest Ovi backups in DIR's parent.",
        )

    def handle(self, *args, directory, keep=None, **options):
        log = self.stderr.write if options["verbosity"] > 1 else (lambda message: None)
        try:
            manifest = create_backup(directory, log=log)
            if keep is not None:
                for path in prune_backups(Path(directory).resolve().parent, keep, log=log):
                    self.stdout.write(f"Removed old backup {path}")
        except BackupError as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{name} {count}" for name, count in manifest["counts"].items())
        self.stdout.write(f"Counts: {counts}; media files {manifest['media_files']}")
        self.stdout.write(self.style.SUCCESS(f"Backup written to {directory}"))
