"""{{ user|display_name }}: how the site names a member of staff (core/text.py)."""

from django import template

from core import text

register = template.Library()
register.filter("display_name", text.display_name)
