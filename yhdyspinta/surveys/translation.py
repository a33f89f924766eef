"""Texts that staff write in each language (fi, sv, en), through django-modeltranslation."""

from modeltranslation.translator import TranslationOptions, register

from .models import Choice, Question, Section, Survey


@register(Survey)
class SurveyTranslationOptions(TranslationOptions):
    fields = ("title", "intro")


@register(Section)
class SectionTranslationOptions(TranslationOptions):
    fields = ("title", "intro")


@register(Question)
class QuestionTranslationOptions(TranslationOptions):
    fields = ("text", "help")


@register(Choice)
class ChoiceTranslationOptions(TranslationOptions):
    fields = ("label",)
