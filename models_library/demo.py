"""Demo content of the library: the index and team pages, editorial groups and
workflow, and the five operating models the product grew from.

portal.demo calls ensure_library(homes); it is idempotent like the rest of load_demo.
"""

import datetime
import uuid
from pathlib import Path

from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowTask

from models_library.exchange import import_document, load_file
from models_library.models import DevelopmentTeamPage, ModelsLibraryIndexPage, OperatingModelPage
from models_library.models.pages import REVIEW_INTERVAL_DAYS

DEMO_FILE = Path(__file__).resolve().parent / "demo" / "operating_models.json"
NAMESPACE = uuid.UUID("0c1a7d1e-5d0b-4f5e-8f8a-3f8d7f1b9a21")

MODERATORS = "Toimintamallien moderaattorit"
WORKFLOW_NAME = "Toimintamallien tarkastus"

INDEX = {
    "fi": {
        "title": "Toimintamallit",
        "slug": "toimintamallit",
        "intro": "Kuvaukset siitä, miten eri alojen ammattilaiset tekevät työtä yhdessä. Löydä malli, vertaa ja ota käyttöön.",
    },
    "sv": {
        "title": "Verksamhetsmodeller",
        "slug": "verksamhetsmodeller",
        "intro": "Beskrivningar av hur yrkespersoner från olika sektorer arbetar tillsammans. Hitta, jämför och ta i bruk.",
    },
    "en": {
        "title": "Operating models",
        "slug": "operating-models",
        "intro": "Descriptions of how professionals from different sectors work together. Find, compare and adopt a model.",
    },
}

# (slug, Finnish, Swedish, English names) of the development teams in the demo.
TEAMS = [
    (
        "pohjois-karjala",
        "Pohjois-Karjalan kehittäjät",
        "Utvecklarna i Norra Karelen",
        "North Karelia developers",
    ),
    ("pohjois-savo", "Pohjois-Savon kehittäjät", "Utvecklarna i Norra Savolax", "North Savo developers"),
    ("pirkanmaa", "Pirkanmaan kehittäjät", "Utvecklarna i Birkaland", "Pirkanmaa developers"),
    (
        "varsinais-suomi",
        "Varsinais-Suomen kehittäjät",
        "Utvecklarna i Egentliga Finland",
        "Southwest Finland developers",
    ),
]


def team_group_name(slug):
    return f"Kehittäjätiimi: {slug}"


def ensure_library(homes, ensure_page):
    """Create the library pages under each home page; `ensure_page` is portal.demo's upsert."""
    locales = {code: home.locale for code, home in homes.items()}
    index = {
        code: ensure_page(
            homes[code],
            ModelsLibraryIndexPage,
            key=uuid.uuid5(NAMESPACE, "index"),
            locale=locales[code],
            **INDEX[code],
        )
        for code in homes
    }
    teams = {}
    for slug, fi, sv, en in TEAMS:
        names = {"fi": fi, "sv": sv, "en": en}
        for code in homes:
            page = ensure_page(
                index[code],
                DevelopmentTeamPage,
                key=uuid.uuid5(NAMESPACE, f"team:{slug}"),
                locale=locales[code],
                title=names[code],
                slug=slug,
                intro="",
            )
            if code == "fi":
                teams[slug] = page
    ensure_editorial_setup(index["fi"], teams)
    return index


def ensure_editorial_setup(index, teams):
    """A group per team that edits drafts in its own part, and moderators who review and publish."""
    moderators, _ = Group.objects.get_or_create(name=MODERATORS)
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    moderators.permissions.add(admin_access)
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=moderators,
            page=index,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    for slug, team in teams.items():
        group, _ = Group.objects.get_or_create(name=team_group_name(slug))
        group.permissions.add(admin_access)
        for codename in ("add_page", "change_page"):
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=team,
                permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
            )
    task = GroupApprovalTask.objects.filter(name=WORKFLOW_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=WORKFLOW_NAME)
        task.groups.set([moderators])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    # workflow_tasks is a cluster relation whose manager would not save on its own.
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=Page.objects.get(pk=index.pk), defaults={"workflow": workflow})


# How many days before the demo is loaded a moderator last reviewed each demo
# model. The file itself carries no review dates: nobody has reviewed the models
# on a site that imports it. Rantakylä stays unreviewed, so the demo shows the
# "needs review" flag honestly: its source is a 2017 experiment written on a
# template whose figures turned out to be layout placeholders.
DEMO_REVIEW_AGE_DAYS = {
    "posote-20": 45,
    "minun-tiimini": 160,
    "ylojarven-monialainen-palveluprosessi": 320,
    "sote-integroitu-tyoparimalli": 90,
}


def load_demo_models():
    document = load_file(DEMO_FILE)
    set_demo_review_dates(document)
    return import_document(document)


def set_demo_review_dates(document, today=None):
    """Give the reviewed demo models a review date relative to today.

    A model whose current review is still valid keeps it, so loading the demo
    again (on any day) changes nothing, and a review made in the demo stays.
    """
    today = today or timezone.localdate()
    current = dict(
        OperatingModelPage.objects.filter(locale__language_code="fi").values_list("slug", "last_reviewed")
    )
    for record in document["models"]:
        age = DEMO_REVIEW_AGE_DAYS.get(record["slug"])
        if age is None:
            continue
        reviewed = current.get(record["slug"])
        if reviewed is None or (today - reviewed).days > REVIEW_INTERVAL_DAYS:
            reviewed = today - datetime.timedelta(days=age)
        record.setdefault("evidence", {})["last_reviewed"] = reviewed.isoformat()
    return document
