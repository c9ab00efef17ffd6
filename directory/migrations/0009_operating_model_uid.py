"""Teams and services link to their operating model by the model's stable uid (issue 14).

The uid of an operating model is its Wagtail `translation_key`, shared by its language
versions. The existing links by slug are carried over by looking the slug up among the
Finnish operating model pages in Wagtail's own page table (`wagtailcore.Page`, which the
directory already depends on for its index page): no import of, and no migration
dependency on, models_library, so the directory's migrations keep the one-way arrows
(docs/decisions.md, "Links by uid"). A slug that names no operating model page is
reported and left unlinked. 0010 then removes the slug fields.
"""

import sys

from django.db import migrations, models

MODEL_PAGE = {"content_type__app_label": "models_library", "content_type__model": "operatingmodelpage"}


def _model_pages(apps):
    Page = apps.get_model("wagtailcore", "Page")
    return Page.objects.filter(locale__language_code="fi", **MODEL_PAGE).order_by("path")


def slugs_to_uids(apps, schema_editor):
    linked = [apps.get_model("directory", name) for name in ("Service", "Team")]
    slugs = set()
    for model in linked:
        slugs.update(
            model.objects.exclude(operating_model_slug="").values_list("operating_model_slug", flat=True)
        )
    if not slugs:
        return
    uids = {}
    for slug, uid in _model_pages(apps).filter(slug__in=slugs).values_list("slug", "translation_key"):
        uids.setdefault(slug, uid)
    for model in linked:
        for slug, uid in uids.items():
            model.objects.filter(operating_model_slug=slug).update(operating_model_uid=uid)
    unknown = sorted(slugs - set(uids))
    if unknown:
        sys.stderr.write(
            "directory 0009: no operating model has the slug "
            + ", ".join(unknown)
            + "; the services and teams that named it are left without a model.\n"
        )


def uids_to_slugs(apps, schema_editor):
    linked = [apps.get_model("directory", name) for name in ("Service", "Team")]
    uids = set()
    for model in linked:
        uids.update(
            model.objects.exclude(operating_model_uid=None).values_list("operating_model_uid", flat=True)
        )
    if not uids:
        return
    slugs = dict(_model_pages(apps).filter(translation_key__in=uids).values_list("translation_key", "slug"))
    for model in linked:
        for uid, slug in slugs.items():
            model.objects.filter(operating_model_uid=uid).update(operating_model_slug=slug)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("directory", "0008_one_name_per_life_situation"),
    ]

    operations = [
        migrations.AddField(
            model_name="service",
            name="operating_model_uid",
            field=models.UUIDField(
                blank=True,
                db_index=True,
                help_text="The operating model the service follows, in the models library.",
                null=True,
                verbose_name="operating model",
            ),
        ),
        migrations.AddField(
            model_name="team",
            name="operating_model_uid",
            field=models.UUIDField(
                blank=True,
                db_index=True,
                help_text="The operating model the team follows, in the models library.",
                null=True,
                verbose_name="operating model",
            ),
        ),
        migrations.RunPython(slugs_to_uids, uids_to_slugs),
    ]
