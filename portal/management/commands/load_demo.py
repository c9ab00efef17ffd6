from django.core.management.base import BaseCommand

from portal.demo import load_all


class Command(BaseCommand):
    help = "Load the demo content. Safe to run again: it creates what is missing and changes nothing else."

    def handle(self, *args, **options):
        load_all()
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
