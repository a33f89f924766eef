"""Tag names are written by staff in each language (fi, sv, en)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Tag


@register(Tag)
class TagTranslationOptions(TranslationOptions):
    fields = ("name",)
