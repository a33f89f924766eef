"""Theme names and search words are written in each language (fi, sv, en)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Theme


@register(Theme)
class ThemeTranslationOptions(TranslationOptions):
    fields = ("name", "keywords")
