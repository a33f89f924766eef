"""Template helpers shared by every app's templates."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict[str, object]]:
    """The current page in each language, for the language switcher (plain links, no JS)."""
    request = context["request"]
    current = get_language()
    return [
        {
            "code": code,
            "name": name,
            "url": translate_url(request.get_full_path(), code),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


@register.filter
def in_language(obj, field_and_lang: str) -> str:
    """`org|in_language:"name:sv"`: the value of one language's column, without fallback."""
    field, lang = field_and_lang.split(":")
    return getattr(obj, f"{field}_{lang}", "") or ""


@register.filter
def get_item(mapping: dict, key: str):
    """`counts|get_item:value`: look up a dict entry whose key is in a variable."""
    return mapping.get(key, "")


@register.filter
def number(value, places=1) -> str:
    """`{{ mean|number:1 }}`: half up, in the language's decimal separator (core/numbers.py)."""
    from yhdyspinta.core.numbers import format_number

    if value is None or value == "":
        return ""
    return format_number(value, int(places))


@register.filter
def signed(value, places=1) -> str:
    """`{{ difference|signed }}`: like `number`, with a plus before a positive value."""
    from yhdyspinta.core.numbers import format_number

    if value is None or value == "":
        return ""
    return format_number(value, int(places), plus="+")
