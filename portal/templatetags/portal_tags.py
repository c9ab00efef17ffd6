from django import template

from portal import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def menu_links(context, placement):
    return navigation.menu_links(placement, context.get("request"))


@register.simple_tag(takes_context=True)
def language_links(context):
    return navigation.language_links(context["request"], context.get("page"))
