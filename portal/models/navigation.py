from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable, TranslatableMixin


class Menu(TranslatableMixin, ClusterableModel):
    """A list of links shown in one place of the site shell, per language."""

    HEADER = "header"
    FOOTER = "footer"
    PLACEMENTS = [(HEADER, _("Header navigation")), (FOOTER, _("Footer"))]

    placement = models.CharField(_("placement"), max_length=20, choices=PLACEMENTS)

    panels = [FieldPanel("placement"), InlinePanel("items", label=_("Links"))]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("menu")
        verbose_name_plural = _("menus")
        constraints = [
            models.UniqueConstraint(fields=["placement", "locale"], name="unique_menu_per_locale"),
        ]

    def __str__(self):
        return f"{self.get_placement_display()} ({self.locale})"


class MenuItem(Orderable):
    menu = ParentalKey(Menu, on_delete=models.CASCADE, related_name="items")
    label = models.CharField(_("label"), max_length=80, blank=True)
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    link_url = models.URLField(_("external address"), blank=True)

    panels = [FieldPanel("label"), FieldPanel("link_page"), FieldPanel("link_url")]

    def clean(self):
        if bool(self.link_page) == bool(self.link_url):
            raise ValidationError(_("Choose either a page or an external address."))
        if self.link_url and not self.label:
            raise ValidationError({"label": _("An external link needs a label.")})

    @property
    def title(self):
        if self.label:
            return self.label
        return self.link_page.localized.title if self.link_page else ""

    def url(self, request=None):
        if self.link_page:
            return self.link_page.localized.get_url(request)
        return self.link_url


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Who runs this installation; shown in the footer and accessibility statement."""

    operator_name = models.CharField(_("operator"), max_length=200, blank=True)
    feedback_email = models.EmailField(_("feedback email"), blank=True)

    panels = [FieldPanel("operator_name"), FieldPanel("feedback_email")]

    class Meta:
        verbose_name = _("site settings")
