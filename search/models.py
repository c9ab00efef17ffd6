"""Search tables.

- Synonym: admin-editable synonyms (a Wagtail snippet): the built-in ones
  and the residents' vocabulary (search/data/residents_vocabulary.json).
- SearchEntry: one indexed document of the database engine, with its
  analysed terms. The full-text side tables (an FTS5 virtual table on SQLite,
  tsvector columns on PostgreSQL) are created by migration 0002 and kept in
  step by search.engines.database. When Elasticsearch is the engine this
  table is still written: it is the fallback when Elasticsearch is down and
  the source the update queue replays from.
- SearchTerm: the vocabulary of the index (typo tolerance, did-you-mean,
  compound splitting).
- FacetLabel: display labels of facet values, per language.
- PendingIndexUpdate: Elasticsearch updates that could not be applied yet,
  one row per document key.
- WorkerHeartbeat: the task workers (`manage.py db_worker`) alive, for the
  recovery of tasks a dead worker left running and for /readyz.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

LANGUAGE_CHOICES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]


class Synonym(models.Model):
    term = models.CharField(
        _("term"),
        max_length=1000,
        help_text=_("A word or phrase; in a one-way mapping several, separated by commas."),
    )
    synonyms = models.TextField(
        _("synonyms"),
        help_text=_(
            "Words or phrases that mean the same as the term, separated by commas. "
            "Synonyms work both ways unless the mapping is one way; inflected forms are found too."
        ),
    )
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, default="fi")
    one_way = models.BooleanField(
        _("one way"),
        default=False,
        help_text=_(
            "Only the term finds the synonyms: a search for a synonym does not find the term. "
            "For residents' everyday words that lead to the words services use. "
            "The term may list several words or phrases, separated by commas."
        ),
    )
    source = models.CharField(
        _("source"),
        max_length=500,
        blank=True,
        help_text=_("The public source the mapping rests on: its name and address."),
    )

    class Meta:
        ordering = ["language", "term"]
        unique_together = [("language", "term")]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")

    def __str__(self):
        return f"{self.term} {'→' if self.one_way else '↔'} {self.synonyms}"


class SearchEntry(models.Model):
    key = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=50, db_index=True)
    uid = models.CharField(max_length=64)
    visibility = models.CharField(max_length=20)
    boost = models.FloatField(default=1.0)
    # The SearchDocument as a dict (SearchDocument.to_dict()).
    document = models.JSONField()
    # What filtering and faceting need, kept small: facets, area, locations, open hours.
    attributes = models.JSONField()
    # {"fi": {"title": "...", "text": "...", "pro": "...", "prefix": "..."}, ...}:
    # space-separated analysed terms, as stored in the full-text side table.
    terms = models.JSONField()
    content_hash = models.CharField(max_length=64)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")

    def __str__(self):
        return self.key


class SearchTerm(models.Model):
    language = models.CharField(max_length=2)
    term = models.CharField(max_length=100)
    # How many documents have the term in their public fields, and in any field.
    # Typo correction and "did you mean" for anonymous users only look at the
    # public count, so they never reveal a professional-only word.
    public_count = models.IntegerField(default=0)
    total_count = models.IntegerField(default=0)

    class Meta:
        unique_together = [("language", "term")]


class FacetLabel(models.Model):
    facet = models.CharField(max_length=50)
    value = models.CharField(max_length=200)
    labels = models.JSONField(default=dict)  # {"fi": ..., "sv": ..., "en": ...}

    class Meta:
        unique_together = [("facet", "value")]


class PendingIndexUpdate(models.Model):
    INDEX = "index"
    DELETE = "delete"
    ACTION_CHOICES = [(INDEX, "index"), (DELETE, "delete")]

    # One row per key: a replay sends the key's current database entry, so a
    # second row would only send the same thing again. Queuing a key again
    # replaces its row by a new one (a higher id), so a replay that read the old
    # row before the change does not remove the new one (search.service).
    key = models.CharField(max_length=255, unique=True)
    action = models.CharField(max_length=10, choices=ACTION_CHOICES)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("pending search index update")
        verbose_name_plural = _("pending search index updates")

    def __str__(self):
        return f"{self.action} {self.key}"


class WorkerHeartbeat(models.Model):
    """A task worker's lease: `manage.py db_worker` writes `last_seen` every few
    seconds from a thread of its own. A RUNNING task whose worker has not been
    seen for the lease time is put back in the queue by the next worker (see
    search/management/commands/db_worker.py). Rows of workers that stopped
    cleanly are removed; those of dead workers stay a day, so /readyz can say
    when a worker was last seen."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.IntegerField(null=True)
    started = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("task worker heartbeat")
        verbose_name_plural = _("task worker heartbeats")

    def __str__(self):
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


# --- the database engine's filter tables ----------------------------------------------
# Narrow copies of what filters, facet counts and sorting read, one set per
# SearchEntry, written and removed by search.engines.database together with the
# entry. With them SQL does that work instead of Python reading every matched
# entry's JSON, which at national scale (~160,000 entries) took seconds for broad
# queries: the wide entry rows are slow to scan. No database foreign keys (rows
# are written in bulk and removed by the engine); as models they are emptied
# with the entries by a test flush.


class SearchRow(models.Model):
    entry_id = models.BigIntegerField(primary_key=True)
    key = models.CharField(max_length=255)
    public = models.BooleanField()
    boost = models.FloatField()
    # Passes "serves my area" wherever the user is: not tied to a place, or nationwide.
    anywhere = models.BooleanField()
    always_open = models.BooleanField()
    # Normalised titles (query.document_attributes), for sorting.
    title_fi = models.TextField()
    title_sv = models.TextField()
    title_en = models.TextField()


class SearchValue(models.Model):
    """A facet value of an entry ("municipality", "091"), or a place its area lists
    ("@area", "m:091" for a municipality, "c:14" for a county)."""

    entry_id = models.BigIntegerField()
    name = models.CharField(max_length=60)
    value = models.TextField()

    class Meta:
        indexes = [
            models.Index(fields=["name", "value", "entry_id"], name="ovi_search_value_lookup"),
            models.Index(fields=["entry_id", "name", "value"], name="ovi_search_value_entry"),
        ]


class SearchOpenInterval(models.Model):
    """Opening hours as minutes of the week, [start, end) (OpenHours.normalised_intervals),
    cut at midnights: "open now" reads one day's intervals."""

    entry_id = models.BigIntegerField(db_index=True)
    day = models.SmallIntegerField()  # 0 = Monday
    start_minute = models.IntegerField()
    end_minute = models.IntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["day", "start_minute", "end_minute", "entry_id"], name="ovi_search_open_now"
            ),
        ]


class SearchPoint(models.Model):
    entry_id = models.BigIntegerField(db_index=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
