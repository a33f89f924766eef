"""Which registry fields carry a name per language (fi, sv, en), through django-modeltranslation."""

from modeltranslation.translator import TranslationOptions, register

from .models import Organisation, Region


@register(Region)
class RegionTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Organisation)
class OrganisationTranslationOptions(TranslationOptions):
    fields = ("name", "description")
