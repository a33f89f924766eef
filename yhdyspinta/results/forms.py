"""Filters of the result pages (GET, so that a view can be bookmarked) and the review forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yhdyspinta.registry.models import Organisation
from yhdyspinta.surveys.forms import _translated_fields
from yhdyspinta.surveys.models import Answer, Question, Wave
from yhdyspinta.surveys.selectors import position_labels

from .models import Tag

GROUP_BY_CHOICES = [
    ("area", _("area")),
    ("position", _("position")),
    ("organisation_type", _("organisation type")),
]
# The organisation types whose people answer the municipal survey.
ORGANISATION_TYPES = [
    ("", _("all")),
    (Organisation.Kind.MUNICIPALITY, _("municipality")),
    (Organisation.Kind.JOINT_AUTHORITY, _("joint municipal authority")),
]


class FiltersForm(forms.Form):
    group_by = forms.ChoiceField(label=_("Rows"), choices=GROUP_BY_CHOICES, required=False)
    position = forms.ChoiceField(label=_("Position"), required=False)
    organisation_type = forms.ChoiceField(
        label=_("Organisation type"), choices=ORGANISATION_TYPES, required=False
    )
    # Open answers only.
    question = forms.ChoiceField(label=_("Question"), required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)

    def __init__(self, *args, wave: Wave, open_answers: bool = False, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.wave = wave
        labels = position_labels(wave)
        positions = wave.survey.active_questions().filter(type=Question.Type.POSITION).first()
        values = [c.value for c in positions.choices.all()] if positions else list(labels)
        self.fields["position"].choices = [("", _("all")), *((v, labels[v]) for v in values)]
        if open_answers:
            del self.fields["group_by"], self.fields["organisation_type"]
            self.fields["question"].choices = [("", _("all"))] + [
                (str(q.pk), q.text) for q in self._open_questions()
            ]
            self.fields["area"].choices = [("", _("all"))] + [
                (a.code, a.area_label) for a in sorted(Organisation.objects.areas(), key=str)
            ]
            self.fields["tag"].choices = [("", _("all"))] + [(str(t.pk), t.name) for t in tags]
        else:
            del self.fields["question"], self.fields["area"], self.fields["tag"]

    def _open_questions(self):
        from .selectors import open_questions

        return open_questions(self.wave)

    def _value(self, name: str) -> str:
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get(name) or ""
        return ""

    def filters(self) -> dict[str, str]:
        return {
            "group_by": self._value("group_by") or "area",
            "position": self._value("position"),
            "organisation_type": self._value("organisation_type"),
        }

    def open_filters(self, *, questions, tags) -> dict:
        question = next((q for q in questions if str(q.pk) == self._value("question")), None)
        tag = next((t for t in tags if str(t.pk) == self._value("tag")), None)
        code = self._value("area")
        area = Organisation.objects.areas().filter(code=code).first() if code else None
        return {
            "question": question,
            "area": area,
            "position": self._value("position"),
            "tag": tag,
        }


class TagForm(forms.Form):
    themes = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in _translated_fields("name", _("Name"), required_fi=False).items():
            self.fields[name] = field

    def clean(self):
        data = super().clean()
        if not data.get("themes") and not (data.get("name_fi") or "").strip():
            self.add_error("name_fi", _("Give the tag a Finnish name."))
        return data


class ReviewForm(forms.Form):
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags"),
        queryset=Tag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    publishable = forms.BooleanField(label=_("Publishable quote"), required=False)

    def __init__(self, *args, tags, answer: Answer, **kwargs):
        review = getattr(answer, "review", None) if hasattr(answer, "review") else None
        initial = {}
        if review is not None:
            initial = {"tags": list(review.tags.all()), "publishable": review.publishable}
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["tags"].queryset = Tag.objects.filter(pk__in=[t.pk for t in tags])
