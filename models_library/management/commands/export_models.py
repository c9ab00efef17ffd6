import json

from django.core.management.base import BaseCommand

from models_library.exchange import export_document


class Command(BaseCommand):
    help = "Write every operating model to FILE in the Ovi JSON format (docs/operating-models-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the JSON file to write, or - for standard output.")

    def handle(self, *args, file, **options):
        text = json.dumps(export_document(), ensure_ascii=False, indent=2) + "\n"
        if file == "-":
            self.stdout.write(text, ending="")
            return
        with open(file, "w", encoding="utf-8") as handle:
            handle.write(text)
        self.stderr.write(f"Wrote {file}")
