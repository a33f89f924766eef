"""Goals and indicators are typed by people: each can be written in fi, sv and en."""

from modeltranslation.translator import TranslationOptions, register

from .models import Goal, Indicator


@register(Goal)
class GoalTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(Indicator)
class IndicatorTranslationOptions(TranslationOptions):
    fields = ("name",)
