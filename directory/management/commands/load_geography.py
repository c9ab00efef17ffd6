from django.core.management.base import BaseCommand

from directory.geography import load_geography


class Command(BaseCommand):
    help = "Load regions, wellbeing services counties, municipalities and postal codes from directory/data/."

    def handle(self, *args, **options):
        for name, counts in load_geography().items():
            self.stdout.write(f"{name}: {counts['created']} created, {counts['updated']} updated")
