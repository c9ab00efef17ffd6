"""manage.py search_index rebuild|check|repair|clear-queue

Without ELASTICSEARCH_URL, `check` and `repair` first drop queued Elasticsearch
updates with a warning (service.drop_stale_pending): the database engine is
then the whole index, and rows left from an Elasticsearch that was removed
from the configuration would otherwise fail them forever. `clear-queue` drops
the queue whatever the configuration (e.g. before a rebuild of a replaced
cluster).
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from search import indexing, service


class Command(BaseCommand):
    help = "Rebuild, check or repair the search index."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "check", "repair", "clear-queue"])

    def handle(self, *args, action, **options):
        # Not self.check(): BaseCommand.check() runs Django's system checks.
        getattr(self, f"run_{action.replace('-', '_')}")()

    def run_clear_queue(self):
        count = service.clear_pending()
        self.stdout.write(f"Dropped {count} queued Elasticsearch updates.")
        if count and service.elasticsearch_engine() is not None:
            self.stdout.write(
                "Run `search_index repair` (or `rebuild`) so Elasticsearch catches up with the database."
            )

    def _drop_stale_queue(self):
        dropped = service.drop_stale_pending()
        if dropped:
            self.stderr.write(
                self.style.WARNING(
                    f"Dropped {dropped} queued Elasticsearch updates: ELASTICSEARCH_URL is not set, "
                    "the database engine is the whole index."
                )
            )

    def run_rebuild(self):
        progress = self._progress if sys.stderr.isatty() else None
        report = indexing.rebuild(progress=progress)
        if progress:
            sys.stderr.write("\n")
        self.stdout.write(f"Indexed {report.documents} documents in the database engine.")
        if report.elasticsearch_index:
            self.stdout.write(f"Elasticsearch: alias now points at {report.elasticsearch_index}.")
        if report.elasticsearch_error:
            raise CommandError(
                f"Elasticsearch index not rebuilt ({report.elasticsearch_error}); "
                "searches use the database engine. Run the rebuild again when Elasticsearch is back."
            )

    @staticmethod
    def _progress(done, total):
        # A plain progress line on a terminal (no dependency): "\r" rewrites it.
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()

    def run_check(self):
        self._drop_stale_queue()
        report = indexing.check()
        self._print_report(report)
        if not report.ok:
            raise CommandError(
                "The search index differs from the registered documents; run `search_index repair`."
            )
        self.stdout.write("The search index is up to date.")

    def run_repair(self):
        self._drop_stale_queue()
        before = indexing.repair()
        self._print_report(before, heading="Found")
        after = indexing.check()
        if not after.ok:
            self._print_report(after, heading="Still")
            raise CommandError("Some differences remain (is Elasticsearch reachable?).")
        self.stdout.write("Repaired; the search index is up to date.")

    def _print_report(self, report, heading=""):
        def show(label, keys):
            if keys:
                shown = ", ".join(keys[:10]) + (" …" if len(keys) > 10 else "")
                self.stdout.write(f"{heading} {label}: {len(keys)} ({shown})".strip())

        show("missing", report.missing)
        show("stale", report.stale)
        show("extra", report.extra)
        if report.pending_updates:
            self.stdout.write(f"{heading} pending Elasticsearch updates: {report.pending_updates}".strip())
        es = report.elasticsearch
        if es is not None:
            if es.get("error"):
                self.stdout.write(f"Elasticsearch unreachable: {es['error']}")
            else:
                show("missing in Elasticsearch", es.get("missing", []))
                show("stale in Elasticsearch", es.get("stale", []))
                show("extra in Elasticsearch", es.get("extra", []))
        if service.elasticsearch_engine() is None and heading == "":
            self.stdout.write("Engine: database.")
