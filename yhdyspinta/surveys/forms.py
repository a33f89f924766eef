"""Staff forms for surveys and waves. Texts that respondents read are asked in fi, sv and en."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yhdyspinta.accounts.models import Membership
from yhdyspinta.core import tables
from yhdyspinta.registry.models import Organisation

from .builtin import TEMPLATE_KEYS
from .editing import choices_as_text, is_answered, parse_choices
from .models import KEY_VALIDATOR, AnswerMode, Question, Survey, Wave

LANGUAGE_NAMES = {"fi": _("in Finnish"), "sv": _("in Swedish"), "en": _("in English")}


def _translated_fields(
    name: str, label: Any, *, required_fi: bool = True, textarea: bool = False, rows: int = 3
) -> dict[str, forms.Field]:
    fields = {}
    for lang, language in LANGUAGE_NAMES.items():
        widget = forms.Textarea(attrs={"rows": rows}) if textarea else forms.TextInput
        fields[f"{name}_{lang}"] = forms.CharField(
            label=f"{label} ({language})",
            required=required_fi and lang == "fi",
            widget=widget,
            max_length=None if textarea else 300,
        )
    return fields


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["audience", "answer_mode", "min_group_size", "min_group_size_open"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        extra = {
            **_translated_fields("title", _("Title")),
            **_translated_fields("intro", _("Introduction"), required_fi=False, textarea=True),
        }
        for name, field in extra.items():
            field.initial = getattr(self.instance, name, "") if self.instance.pk else ""
        self.fields = {**extra, **self.fields}

    def translated_values(self) -> dict[str, Any]:
        return {k: v or "" for k, v in self.cleaned_data.items()}


class NewSurveyForm(forms.Form):
    template = forms.ChoiceField(
        label=_("Start from"),
        choices=[],
        widget=forms.RadioSelect,
    )
    key = forms.CharField(
        label=_("Key"),
        max_length=63,
        validators=[KEY_VALIDATOR],
        help_text=_("A short identifier, for example municipal_leadership_2027."),
    )
    title_fi = forms.CharField(
        label=_("Title (in Finnish)"),
        required=False,
        max_length=300,
        help_text=_("For an empty survey; a template brings its own titles in three languages."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        labels = {
            "municipal_leadership": _("Municipal leadership interface survey"),
            "county_leadership": _("Wellbeing services county leadership survey"),
            "regional_council": _("Regional council survey (one answer per council)"),
        }
        self.fields["template"].choices = [(k, labels.get(k, k)) for k in TEMPLATE_KEYS] + [
            ("", _("An empty survey"))
        ]
        self.fields["template"].required = False

    def clean_key(self) -> str:
        key = self.cleaned_data["key"]
        if Survey.objects.filter(key=key).exists():
            raise ValidationError(_("A survey with this key exists already."))
        return key

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("template") and not data.get("title_fi"):
            self.add_error("title_fi", _("Give a title for the empty survey."))
        return data


class SectionForm(forms.Form):
    def __init__(self, *args: Any, instance: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields.update(_translated_fields("title", _("Title")))
        self.fields.update(
            _translated_fields("intro", _("Introduction"), required_fi=False, textarea=True)
        )
        if instance is not None:
            for name in self.fields:
                self.fields[name].initial = getattr(instance, name, "") or ""

    def values(self) -> dict[str, str]:
        return {k: v or "" for k, v in self.cleaned_data.items()}


class QuestionForm(forms.Form):
    key = forms.CharField(
        label=_("Key"),
        max_length=63,
        validators=[KEY_VALIDATOR],
        help_text=_("Stays the same across waves so that results can be compared."),
    )
    type = forms.ChoiceField(label=_("Type"), choices=Question.Type.choices)
    required = forms.BooleanField(label=_("Required"), required=False)
    allow_cant_say = forms.BooleanField(label=_("Offer “can't say” (ratings)"), required=False)
    allow_other = forms.BooleanField(
        label=_("Offer “other, what?” (single and multiple choice)"), required=False
    )
    min_value = forms.IntegerField(label=_("Smallest number"), required=False)
    max_value = forms.IntegerField(label=_("Largest number"), required=False)
    choices_text = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One per line: value | in Finnish | in Swedish | in English. "
            "A rating has the values 1 to 5."
        ),
    )
    show_if_question = forms.ModelChoiceField(
        label=_("Show only when the answer to"), queryset=Question.objects.none(), required=False
    )
    show_if_value = forms.CharField(label=_("is (choice value)"), required=False, max_length=100)
    new_key = forms.CharField(
        label=_("New key (when the meaning changes)"),
        required=False,
        max_length=63,
        validators=[KEY_VALIDATOR],
        help_text=_(
            "This question already has answers. If you change its Finnish wording, type, "
            "choices or range, it is replaced by a new question under this key."
        ),
    )

    def __init__(self, *args: Any, survey: Survey, question: Question | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.question = question
        for name, field in {
            **_translated_fields("text", _("Question"), textarea=True, rows=2),
            **_translated_fields("help", _("Help text"), required_fi=False, textarea=True, rows=2),
        }.items():
            self.fields[name] = field
        order = ["key", "type", "text_fi", "text_sv", "text_en", "help_fi", "help_sv", "help_en"]
        self.order_fields(order)
        earlier = survey.active_questions().filter(
            type__in=[Question.Type.SINGLE, Question.Type.MULTIPLE, Question.Type.LIKERT],
            parent__isnull=True,
        )
        if question is not None:
            earlier = earlier.exclude(pk=question.pk)
        self.fields["show_if_question"].queryset = earlier
        self.fields["show_if_question"].label_from_instance = lambda q: f"{q.key}: {q.text[:60]}"
        if question is not None:
            self.answered = is_answered(question)
            for name in self.fields:
                if name in ("choices_text", "new_key"):
                    continue
                self.fields[name].initial = getattr(question, name, None)
            self.fields["choices_text"].initial = choices_as_text(question)
            self.fields["key"].disabled = True
            if question.parent_id:
                for name in ("type", "choices_text", "allow_other", "min_value", "max_value"):
                    del self.fields[name]
            if not self.answered:
                del self.fields["new_key"]
        else:
            self.answered = False
            del self.fields["new_key"]

    def clean_key(self) -> str:
        key = self.cleaned_data["key"]
        if self.question is None and self.survey.questions.filter(key=key).exists():
            raise ValidationError(_("The key “%(key)s” is already used."), params={"key": key})
        return key

    def clean_choices_text(self) -> list[dict[str, Any]]:
        return parse_choices(self.cleaned_data.get("choices_text") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("show_if_question") and not data.get("show_if_value"):
            self.add_error("show_if_value", _("Give the choice value that shows this question."))
        target = data.get("show_if_question")
        if (
            target
            and data.get("show_if_value")
            and data["show_if_value"] not in [c.value for c in target.choices.all()]
        ):
            self.add_error("show_if_value", _("This is not one of that question's choices."))
        lo, hi = data.get("min_value"), data.get("max_value")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("max_value", _("The largest number is smaller than the smallest."))
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {
            name: data[name] or ""
            for name in ("text_fi", "text_sv", "text_en", "help_fi", "help_sv", "help_en")
        }
        for name in ("type", "required", "allow_cant_say", "allow_other", "min_value", "max_value"):
            if name in self.fields:
                values[name] = data.get(name)
        if self.question is None:
            values["key"] = data["key"]
        values["show_if_question"] = data.get("show_if_question")
        values["show_if_value"] = data.get("show_if_value") or ""
        return values


class WaveForm(forms.ModelForm):
    audience_kinds = forms.MultipleChoiceField(
        label=_("Organisation kinds"),
        choices=Organisation.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Who is invited from the registry; none chosen: any kind."),
    )
    audience_positions = forms.MultipleChoiceField(
        label=_("Positions"),
        choices=Membership.Position.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None chosen: any position."),
    )

    class Meta:
        model = Wave
        fields = [
            "name",
            "opens_at",
            "closes_at",
            "privacy",
            "answer_mode",
            "audience_kinds",
            "audience_positions",
            "remind_every_days",
            "max_reminders",
            "organiser_email",
        ]
        widgets = {
            "opens_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "privacy": forms.RadioSelect,
            "answer_mode": forms.RadioSelect,
        }

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.fields["answer_mode"].choices = AnswerMode.choices
        self.fields["privacy"].help_text = _(
            "Anonymous: answers are stored without any link to the person. Identified: the "
            "respondent's name is stored with the answers, and they are told so."
        )
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
        if not self.instance.pk and not self.is_bound:
            # A new wave starts from the survey's defaults (the unsaved instance's empty
            # values would otherwise show as blank fields).
            defaults = {
                Survey.Audience.MUNICIPAL: (
                    ["municipality", "joint_authority"],
                    ["chair", "manager", "sector_director"],
                ),
                Survey.Audience.COUNTY: (["wellbeing_county", "helsinki"], ["county_leadership"]),
                Survey.Audience.COUNCIL: (["regional_council"], ["council_leadership"]),
            }.get(survey.audience, ([], []))
            now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
            self.initial.update(
                answer_mode=survey.answer_mode,
                privacy=Wave.Privacy.ANONYMOUS,
                audience_kinds=defaults[0],
                audience_positions=defaults[1],
                opens_at=now,
                closes_at=now + timezone.timedelta(days=28),
            )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        others = Wave.objects.filter(survey=self.survey, name=name).exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(_("This survey already has a wave with this name."))
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The survey must close after it opens."))
        if self.instance.pk and self.instance.responses.exists():
            for name in ("privacy", "answer_mode"):
                if name in self.changed_data:
                    self.add_error(name, _("This cannot change once answers have arrived."))
        return data


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"), validators=[tables.validate_upload_size])
