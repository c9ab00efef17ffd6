from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from models_library.privacy import visible
from portal.blocks import BodyBlock
from portal.models.pathways import PathwayIndexPage, PathwayPage


class HomePage(Page):
    """The root of one language's site tree."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        user = getattr(request, "user", None)
        finder = visible(PathwayIndexPage.objects.child_of(self).live(), user).first()
        if finder is not None:
            context["door_finder"] = finder
            context["pathways"] = (
                visible(PathwayPage.objects.child_of(finder).live(), user)
                .select_related("life_situation")
                .order_by("path")
            )
        return context


class StandardPage(Page):
    """Editorial page: about, accessibility statement, privacy notice and the like."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["portal.HomePage", "portal.StandardPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from portal import accessibility  # noqa: PLC0415 cycle: portal.accessibility imports portal.models

        if accessibility.is_statement(self):
            # The statement's required parts, kept true by tests (portal/accessibility.py).
            context["accessibility_statement"] = accessibility.statement_context(request)
        return context

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")
