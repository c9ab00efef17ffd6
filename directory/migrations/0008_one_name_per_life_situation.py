"""One name per life situation (issue 16): the door finder, the directory's filter,
search facets and service pages all show LifeSituation.name. The demo's names now
follow the pathways' titles, which were written for residents. A name an editor has
changed since is left alone."""

from django.db import migrations

# slug: {language: (old demo name, new name)}
RENAMED = {
    "aikuisen-monet-huolet": {
        "fi": ("Aikuisen monet huolet", "Monta huolta yhtä aikaa"),
        "sv": ("En vuxens många bekymmer", "Många bekymmer på en gång"),
        "en": ("An adult with many worries at once", "Many worries at once"),
    },
    "mielenterveys-ja-paihteet": {
        "sv": ("Psykisk hälsa och missbruk", "Psykisk hälsa och rusmedel"),
    },
    "ikaantyneen-kotona-asuminen": {
        "fi": ("Ikääntyneen kotona asuminen", "Ikääntyneen arki kotona"),
        "sv": ("Äldre personers boende hemma", "Äldres vardag hemma"),
        "en": ("An older person managing at home", "Managing at home in older age"),
    },
    "nuori-aikuistuu": {
        "en": ("A young person moving into adulthood", "Becoming an adult"),
    },
    "vauvaperhe": {
        "fi": ("Vauvaperhe", "Odotus ja vauva-arki"),
        "sv": ("Babyfamilj", "Väntan och vardag med baby"),
        "en": ("A family with a newborn", "Pregnancy and life with a baby"),
    },
}


def _rename(apps, forward):
    LifeSituation = apps.get_model("directory", "LifeSituation")
    for situation in LifeSituation.objects.filter(slug__in=RENAMED):
        changed = []
        for language, (old, new) in RENAMED[situation.slug].items():
            field = f"name_{language}"
            before, after = (old, new) if forward else (new, old)
            if getattr(situation, field) == before:
                setattr(situation, field, after)
                changed.append(field)
        if changed:
            situation.save(update_fields=changed)


def forwards(apps, schema_editor):
    _rename(apps, forward=True)


def backwards(apps, schema_editor):
    _rename(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [("directory", "0007_after_hours_and_area_organisers")]

    operations = [migrations.RunPython(forwards, backwards)]
