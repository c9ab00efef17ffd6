"""{% channel_hours record at as rows %} and {% present_hours hours at as view %}:
directory.hours_display for templates (at: the door finder's moment, None for now)."""

from django import template

from directory import hours_display

register = template.Library()


@register.simple_tag
def channel_hours(data, at=None):
    return hours_display.channel_hours(data, hours_display.today_in_helsinki(at))


@register.simple_tag
def present_hours(hours, at=None):
    return hours_display.present_hours(hours, hours_display.today_in_helsinki(at))
