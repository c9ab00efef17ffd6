"""Pages of the operating models library.

An operating model's content lives on its Finnish page, the canonical one.
Its Swedish and English translations are pages of their own (Wagtail i18n) that
carry a translated title and short description; every other section is shown
from the canonical page, in Finnish, so the language versions cannot drift apart.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index

from directory.visibility import can_see_professional_data
from models_library import sections
from models_library.choices import INACTIVE_STAGES, AdoptionStatus, EvidenceLevel, PersonKind, Relation, Stage
from models_library.forms import OperatingModelPageForm
from models_library.privacy import visible
from search.localization import DEFAULT_LANGUAGE, LocalizedFields, LocalizedText, localized

REVIEW_INTERVAL_DAYS = 730  # a model not reviewed for 24 months "needs review"


class LocalizedTextsMixin:
    """`texts.<field>`: the field in the active language where the object has it
    (`title_sv`), else the Finnish text, which says it is Finnish
    (search.localization.localized). A model's sections exist only in Finnish, so on
    a Swedish or English page each of them is marked lang="fi" where it is shown
    (`{% lang_attr model.texts.core_idea %}`), and nothing else is."""

    @property
    def texts(self):
        return LocalizedFields(self)


class ModelsLibraryIndexPage(RoutablePageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["models_library.DevelopmentTeamPage", "models_library.OperatingModelPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("operating models library")

    @path("")
    def listing(self, request):
        from models_library.views import library_listing  # noqa: PLC0415 cycle: models_library.views imports the models

        return library_listing(request, self)

    @path("vertaa/")
    def compare(self, request):
        from models_library.views import compare_models  # noqa: PLC0415 cycle: models_library.views imports the models

        return compare_models(request, self)


class DevelopmentTeamPage(Page):
    """A development team's or programme's part of the library.

    Page permissions are granted per team page, so a team edits only its own models.
    """

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["models_library.ModelsLibraryIndexPage"]
    subpage_types = ["models_library.OperatingModelPage"]

    class Meta:
        verbose_name = _("development team")
        verbose_name_plural = _("development teams")

    def get_context(self, request, *args, **kwargs):

        context = super().get_context(request, *args, **kwargs)
        models = visible(OperatingModelPage.objects.child_of(self).live(), getattr(request, "user", None))
        context["models"] = models.specific().order_by("title")
        return context


class OperatingModelTag(TaggedItemBase):
    content_object = ParentalKey(
        "models_library.OperatingModelPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class OperatingModelPage(LocalizedTextsMixin, Page):
    # Basic information
    short_description = models.CharField(
        _("short description"),
        max_length=300,
        blank=True,
        help_text=_("At most 300 characters, in plain language."),
    )
    programme = models.ForeignKey(
        "models_library.Programme",
        verbose_name=_("programme or project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="models",
    )
    municipalities = ParentalManyToManyField(
        "directory.Municipality", verbose_name=_("municipalities"), blank=True, related_name="+"
    )
    regions = ParentalManyToManyField(
        "directory.Region", verbose_name=_("regions"), blank=True, related_name="+"
    )
    wellbeing_counties = ParentalManyToManyField(
        "directory.WellbeingCounty",
        verbose_name=_("wellbeing services counties"),
        blank=True,
        related_name="+",
    )
    funders = ParentalManyToManyField(
        "models_library.Funder", verbose_name=_("funders"), blank=True, related_name="+"
    )
    funders_other = models.CharField(_("other funder"), max_length=200, blank=True)
    described_on = models.DateField(_("created"), null=True, blank=True)
    modified_on = models.DateField(_("last modified"), null=True, blank=True)
    stage = models.CharField(
        _("development stage"), max_length=20, choices=Stage.choices, default=Stage.IN_DEVELOPMENT
    )
    topics = ParentalManyToManyField(
        "models_library.Topic", verbose_name=_("topics"), blank=True, related_name="+"
    )
    tags = ClusterTaggableManager(through=OperatingModelTag, blank=True, verbose_name=_("tags"))
    target_groups = ParentalManyToManyField(
        "directory.TargetGroup", verbose_name=_("target groups"), blank=True, related_name="+"
    )

    # The description's sections: each TextField below is one Section of
    # models_library.sections, which says where it is shown, exported and searched
    # (a test checks that the two lists agree).
    core_idea = models.TextField(_("core idea"), blank=True)
    operating_environment = models.TextField(_("operating environment"), blank=True)
    target_group_insight = models.TextField(_("target group and client insight"), blank=True)
    conditions_for_adoption = models.TextField(_("conditions for working and adoption"), blank=True)
    evaluation_results = models.TextField(_("evaluation results"), blank=True)
    tips_for_adopters = models.TextField(_("tips for adopters"), blank=True)

    starting_point = models.TextField(_("starting point and needs"), blank=True)
    developer_group = models.TextField(_("developer group and co-development"), blank=True)
    intended_change = models.TextField(_("intended change"), blank=True)
    measuring_change = models.TextField(_("measuring the change"), blank=True)

    what_was_tried = models.TextField(_("what was tried"), blank=True)
    what_was_learned = models.TextField(_("what was learned"), blank=True)
    what_took_root = models.TextField(_("what took root and is worth sharing"), blank=True)
    effects_on_clients = models.TextField(_("effects on clients"), blank=True)
    effects_on_economy = models.TextField(_("effects on the economy"), blank=True)
    successes = models.TextField(_("what succeeded"), blank=True)

    # Evidence
    evidence_level = models.CharField(
        _("evaluation level"), max_length=30, choices=EvidenceLevel.choices, default=EvidenceLevel.DESCRIBED
    )
    evidence_indicators = models.TextField(
        _("indicators used"), blank=True, help_text=_("One indicator per line.")
    )
    # Set when a moderator approves the model in the review workflow
    # (models_library.review), or by an import; never typed in by an editor.
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_image_alt = models.CharField(
        _("cover image alternative text"),
        max_length=250,
        blank=True,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )

    base_form_class = OperatingModelPageForm
    parent_page_types = ["models_library.ModelsLibraryIndexPage", "models_library.DevelopmentTeamPage"]
    subpage_types = []

    basic_panels = Page.content_panels + [
        FieldPanel("short_description"),
        MultiFieldPanel(
            [
                InlinePanel("implementers", label=_("Where implemented")),
                FieldPanel("municipalities"),
                FieldPanel("regions"),
                FieldPanel("wellbeing_counties"),
            ],
            heading=_("Area"),
        ),
        MultiFieldPanel(
            [FieldPanel("funders"), FieldPanel("funders_other"), FieldPanel("programme")],
            heading=_("Funding and programme"),
        ),
        InlinePanel("people", label=_("Authors and contact people")),
        FieldRowPanel([FieldPanel("described_on"), FieldPanel("modified_on")]),
        FieldPanel("stage"),
        FieldPanel("topics"),
        FieldPanel("tags"),
        FieldPanel("target_groups"),
        MultiFieldPanel([FieldPanel("cover_image"), FieldPanel("cover_image_alt")], heading=_("Cover image")),
    ]
    # The description's sections (models_library.sections), one panel each.
    description_panels = [
        FieldPanel(name) for name in sections.field_names(sections.in_group(sections.DESCRIPTION))
    ]
    development_panels = [
        FieldPanel(name)
        for name in sections.field_names(
            sections.in_group(sections.DEVELOPMENT) + sections.in_group(sections.LESSONS)
        )
    ]
    process_panels = [
        InlinePanel("steps", label=_("Process steps")),
        InlinePanel("roles", label=_("Roles")),
        InlinePanel("figures", label=_("Key figures")),
    ]
    evidence_panels = [
        FieldPanel("evidence_level"),
        FieldPanel("evidence_indicators"),
        FieldRowPanel(
            [FieldPanel("last_reviewed", read_only=True), FieldPanel("last_reviewed_by", read_only=True)]
        ),
        InlinePanel("adoptions", label=_("Adoptions")),
        InlinePanel("related_models", label=_("Related models")),
        InlinePanel("links", label=_("Links")),
        InlinePanel("attachments", label=_("Attachments")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(basic_panels, heading=_("Basic information")),
            ObjectList(description_panels, heading=_("Description")),
            ObjectList(development_panels, heading=_("Development and lessons")),
            ObjectList(process_panels, heading=_("Process and roles")),
            ObjectList(evidence_panels, heading=_("Evidence and links")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("short_description"),
        *(index.SearchField(section.field) for section in sections.SECTIONS if section.admin_search),
        index.AutocompleteField("title"),
        index.FilterField("locale"),
    ]

    class Meta:
        verbose_name = _("operating model")
        verbose_name_plural = _("operating models")

    @property
    def uid(self):
        """The stable identifier of the model, shared by its language versions."""
        return self.translation_key

    @property
    def keywords(self):
        """The keywords as one text. They are tagged on the Finnish page, which holds the
        model's content, so they are Finnish (and marked so on other languages' pages)."""
        return LocalizedText(", ".join(tag.name for tag in self.tags.all()), DEFAULT_LANGUAGE)

    @property
    def canonical(self):
        """The Finnish page, which holds the model's content."""
        if self.locale.language_code == "fi":
            return self
        finnish = self.get_translation_or_none(Locale.objects.filter(language_code="fi").first())
        return finnish.specific if finnish else self

    # The review fields belong to the page, not to a revision: a review is
    # recorded after the approved revision is published, and neither editing an
    # older draft nor reverting to a revision may undo it.
    REVIEW_FIELDS = ("last_reviewed", "last_reviewed_by")

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        obj.last_reviewed = self.last_reviewed
        obj.last_reviewed_by_id = self.last_reviewed_by_id
        return obj

    @property
    def is_active(self):
        """False for a paused or ended model: doors that follow it do not present its steps."""
        return self.stage not in INACTIVE_STAGES

    @property
    def needs_review(self):
        if self.last_reviewed is None:
            return True
        return (timezone.localdate() - self.last_reviewed) > datetime.timedelta(days=REVIEW_INTERVAL_DAYS)

    @property
    def section_groups(self):
        """{group key: ShownGroup} of the description's sections with their texts, in
        order, for the page's template (models_library.sections)."""
        return sections.shown_groups(self)

    @property
    def indicator_list(self):
        return [line.strip() for line in self.evidence_indicators.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        if self.cover_image_id and not self.cover_image_alt.strip():
            raise ValidationError({"cover_image_alt": _("A cover image needs an alternative text.")})
        role_slugs = {role.slug for role in self.roles.all()}
        for step in self.steps.all():
            unknown = set(step.role_slugs) - role_slugs
            if unknown:
                raise ValidationError(
                    _("Process step “%(step)s” names roles that are not defined: %(roles)s")
                    % {"step": step.title, "roles": ", ".join(sorted(unknown))}
                )

    def get_context(self, request, *args, **kwargs):
        from models_library.selectors import model_detail_context  # noqa: PLC0415 cycle: models_library.selectors imports the models

        context = super().get_context(request, *args, **kwargs)
        context.update(model_detail_context(self, getattr(request, "user", None)))
        # Contact people are professional-only data, like the directory's (DESIGN.md).
        context["show_contacts"] = can_see_professional_data(request.user)
        return context


class ImplementingOrganisation(Orderable):
    page = ParentalKey(OperatingModelPage, on_delete=models.CASCADE, related_name="implementers")
    name = models.CharField(_("organisation"), max_length=200)
    business_id = models.CharField(_("business ID"), max_length=9, blank=True)

    panels = [FieldPanel("name"), FieldPanel("business_id")]

    def __str__(self):
        return self.name


class ModelPerson(LocalizedTextsMixin, Orderable):
    page = ParentalKey(OperatingModelPage, on_delete=models.CASCADE, related_name="people")
    kind = models.CharField(_("kind"), max_length=10, choices=PersonKind.choices, default=PersonKind.AUTHOR)
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("job title"), max_length=150, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    panels = [FieldPanel("kind"), FieldPanel("name"), FieldPanel("title"), FieldPanel("organisation")]


class ProcessStep(LocalizedTextsMixin, Orderable):
    page = ParentalKey(OperatingModelPage, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("title"), max_length=200)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("For professionals: what happens in the step.")
    )
    # What a resident is told about the step (docs/models-library.md): plain language,
    # in every language. Residents never see `description`.
    resident_text = models.TextField(
        _("text for residents"),
        blank=True,
        help_text=_(
            "What the resident is told about this step, in plain language. Residents see only this text "
            "(or, without it, only the step's title); professionals also see the description."
        ),
    )
    resident_text_sv = models.TextField(_("text for residents (Swedish)"), blank=True)
    resident_text_en = models.TextField(_("text for residents (English)"), blank=True)
    time_limit_days = models.PositiveIntegerField(
        _("time limit (days)"), null=True, blank=True, help_text=_("Only where the model sets one.")
    )
    time_limit_text = models.CharField(
        _("time limit as text"),
        max_length=150,
        blank=True,
        help_text=_("For example “within 3 working days”."),
    )
    responsible_roles = models.CharField(
        _("responsible roles"),
        max_length=300,
        blank=True,
        help_text=_("Identifiers of the model's roles, separated by commas."),
    )
    participants = models.TextField(_("participants"), blank=True)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("title_sv"), FieldPanel("title_en")]),
        FieldPanel("description"),
        FieldPanel("resident_text"),
        FieldRowPanel([FieldPanel("resident_text_sv"), FieldPanel("resident_text_en")]),
        FieldRowPanel([FieldPanel("time_limit_days"), FieldPanel("time_limit_text")]),
        FieldPanel("responsible_roles"),
        FieldPanel("participants"),
    ]

    @property
    def role_slugs(self):
        return [slug.strip() for slug in self.responsible_roles.split(",") if slug.strip()]

    @property
    def localized_title(self):
        return localized(self, "title")

    @property
    def localized_resident_text(self):
        """(text, language code) of the resident text in the active language, falling back
        to Finnish; ("", None) when the step has none."""
        text = localized(self, "resident_text")
        return (text, text.lang) if text else ("", None)


class ModelRole(LocalizedTextsMixin, Orderable):
    page = ParentalKey(OperatingModelPage, on_delete=models.CASCADE, related_name="roles")
    slug = models.SlugField(_("identifier"), max_length=60)
    name = models.CharField(_("name"), max_length=150)
    name_sv = models.CharField(_("name (Swedish)"), max_length=150, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    description = models.TextField(_("what the role does"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("slug"), FieldPanel("name")]),
        FieldRowPanel([FieldPanel("name_sv"), FieldPanel("name_en")]),
        FieldPanel("description"),
    ]

    @property
    def localized_name(self):
        return localized(self, "name")


class KeyFigure(LocalizedTextsMixin, Orderable):
    page = ParentalKey(OperatingModelPage, on_delete=models.CASCADE, related_name="figures")
    value = models.CharField(_("number"), max_length=30)
    label = models.CharField(_("label"), max_length=150)
    label_sv = models.CharField(_("label (Swedish)"), max_length=150, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=150, blank=True)
    # A published key figure needs a source or a period (models_library.rules).
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where the number comes from, for example “the pilot's own follow-up”."),
    )
    period = models.CharField(
        _("period"),
        max_length=100,
        blank=True,
        help_text=_("When it was counted, for example “2023” or “1–6/2024”."),
    )

    panels = [
        FieldPanel("value"),
        FieldPanel("label"),
        FieldRowPanel([FieldPanel("label_sv"), FieldPanel("label_en")]),
        FieldRowPanel([FieldPanel("source"), FieldPanel("period")]),
    ]

    @property
    def localized_label(self):
        return localized(self, "label")


class Adoption(LocalizedTextsMixin, Orderable):
    page = ParentalKey(OperatingModelPage, on_delete=models.CASCADE, related_name="adoptions")
    area = models.CharField(_("area"), max_length=150)
    municipality = models.ForeignKey(
        "directory.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AdoptionStatus.choices, default=AdoptionStatus.IN_USE
    )

    panels = [
        FieldRowPanel([FieldPanel("area"), FieldPanel("municipality")]),
        FieldPanel("organisation"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("status")]),
    ]


class RelatedModel(Orderable):
    page = ParentalKey(OperatingModelPage, on_delete=models.CASCADE, related_name="related_models")
    target = models.ForeignKey(
        OperatingModelPage, verbose_name=_("model"), on_delete=models.CASCADE, related_name="+"
    )
    relation = models.CharField(
        _("relation"), max_length=12, choices=Relation.choices, default=Relation.RELATED
    )

    panels = [FieldPanel("target"), FieldPanel("relation")]


class ModelLink(LocalizedTextsMixin, Orderable):
    page = ParentalKey(OperatingModelPage, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"))

    panels = [FieldPanel("title"), FieldPanel("url")]


class ModelAttachment(Orderable):
    page = ParentalKey(OperatingModelPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("document")]
