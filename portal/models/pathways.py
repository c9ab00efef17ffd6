"""One-door pathways: for a life situation, the door to knock on and what happens next.

Each language version is a full Wagtail translation: pathways are written for
residents, so every text exists in Finnish, Swedish and English. Which door a
resident gets is not stored here; it comes from the directory at request time
(portal.pathways.find_doors).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page
from wagtail.search import index


class PathwayIndexPage(RoutablePageMixin, Page):
    """The door finder: situation + place → the pathway page with the resident's door."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.PathwayPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("door finder")

    @path("")
    def finder(self, request):
        from portal.views import door_finder  # noqa: PLC0415 cycle: portal.views imports portal.models

        return door_finder(request, self)


class PathwayPage(Page):
    life_situation = models.ForeignKey(
        "directory.LifeSituation",
        verbose_name=_("life situation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    intro = models.TextField(_("plain-language explanation"))
    what_to_prepare = models.TextField(_("what to prepare"), blank=True, help_text=_("One item per line."))
    show_emergency_notice = models.BooleanField(
        _("show the emergency notice"),
        default=False,
        help_text=_("For situations that can be acute: 112 and the crisis line are always visible."),
    )
    professional_notes = models.TextField(
        _("notes for professionals"),
        blank=True,
        help_text=_("Shown only to logged-in professionals: whom to consult and how to refer."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("life_situation"),
        FieldPanel("intro"),
        FieldPanel("show_emergency_notice"),
        InlinePanel("default_steps", label=_("What usually happens next")),
        FieldPanel("what_to_prepare"),
        InlinePanel("rights", label=_("Your rights")),
        InlinePanel("alternatives", label=_("Other places to get help")),
        MultiFieldPanel([FieldPanel("professional_notes")], heading=_("For professionals")),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["portal.PathwayIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("pathway")
        verbose_name_plural = _("pathways")

    @property
    def preparation_items(self):
        return [line.strip() for line in self.what_to_prepare.splitlines() if line.strip()]

    def get_context(self, request, *args, **kwargs):
        from portal.views import pathway_context  # noqa: PLC0415 cycle: portal.views imports portal.models

        context = super().get_context(request, *args, **kwargs)
        context.update(pathway_context(request, self))
        return context


class PathwayStep(Orderable):
    """A step used when the resident's door follows no operating model in Ovi."""

    page = ParentalKey(PathwayPage, on_delete=models.CASCADE, related_name="default_steps")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    time = models.CharField(_("how long it may take"), max_length=200, blank=True)

    panels = [FieldPanel("title"), FieldPanel("description"), FieldPanel("time")]


class PathwayRight(Orderable):
    page = ParentalKey(PathwayPage, on_delete=models.CASCADE, related_name="rights")
    text = models.TextField(_("the right in plain words"))
    legal_basis = models.CharField(_("legal basis"), max_length=250)

    panels = [FieldPanel("text"), FieldPanel("legal_basis")]


class PathwayAlternative(Orderable):
    page = ParentalKey(PathwayPage, on_delete=models.CASCADE, related_name="alternatives")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    url = models.URLField(_("web address"), blank=True)
    is_chat = models.BooleanField(_("chat"), default=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("phone"),
        FieldPanel("url"),
        FieldPanel("is_chat"),
    ]
