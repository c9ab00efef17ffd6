from django.core.management.base import BaseCommand

from directory.opendata.hsds import export_hsds


class Command(BaseCommand):
    help = (
        "Write the directory's public data as Open Referral HSDS 3.0 JSON to DIR: organizations.json, "
        "services.json (compiled objects), taxonomies.json and taxonomy_terms.json. Public data only: "
        "no contact people, direct numbers or professional instructions. See docs/directory.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="Directory to write to (created if missing).")

    def handle(self, *args, **options):
        counts = export_hsds(options["directory"], stream=self.stdout)
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count} objects")
