from django import template
from django.utils.safestring import mark_safe

from ..richtext import sanitise

register = template.Library()


@register.filter
def minutes(value: str) -> str:
    """Stored minutes were cleaned on the way in; they are cleaned again on the way out, so
    that a row written past the services (a restore, a script) cannot run in a page."""
    return mark_safe(sanitise(value or ""))  # noqa: S308 - sanitised by nh3 just above
