"""Names and titles people type can be written in each language (fi, sv, en)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Agreement, Forum, Meeting, Negotiation


@register(Negotiation)
class NegotiationTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(Forum)
class ForumTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Meeting)
class MeetingTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(Agreement)
class AgreementTranslationOptions(TranslationOptions):
    fields = ("title",)
