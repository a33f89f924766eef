"""Forms of goals, indicators, measurements and maturity assessments.

They check what a browser can send (types, choices); the rules between fields live in
`services`, whose errors are shown on these forms.
"""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from yhdyspinta.core import tables
from yhdyspinta.registry.models import Organisation
from yhdyspinta.responsibilities import selectors as division_of_work
from yhdyspinta.responsibilities.models import Theme

from .models import LEVELS, Indicator

YEAR = {"min_value": 2000, "max_value": 2100}


def text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class Figure(forms.CharField):
    """A number as people type it, with a comma or a point; checked by the service."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})


class GoalForm(forms.Form):
    title_fi = forms.CharField(label=_("Goal (Finnish)"), max_length=300)
    title_sv = forms.CharField(label=_("Goal (Swedish)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Goal (English)"), max_length=300, required=False)
    description_fi = forms.CharField(
        label=_("Description (Finnish)"), widget=text_area(), required=False
    )
    description_sv = forms.CharField(
        label=_("Description (Swedish)"), widget=text_area(), required=False
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=text_area(), required=False
    )
    starts_year = forms.IntegerField(label=_("From year"), **YEAR)
    ends_year = forms.IntegerField(label=_("Until year"), **YEAR)
    agreement = forms.ModelChoiceField(
        label=_("Part of the agreement"), queryset=None, required=False
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Interface themes"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    responsible = forms.ModelMultipleChoiceField(
        label=_("Responsible parties"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The parties of the area's division of work."),
    )

    def __init__(self, *args, area: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = area.agreements.all()
        self.fields["themes"].queryset = Theme.objects.for_area(area).top_level()
        parties = division_of_work.parties(area)
        self.fields["responsible"].queryset = Organisation.objects.filter(
            pk__in=[p.pk for p in parties]
        ).order_by("kind", "name")


class IndicatorForm(forms.Form):
    name_fi = forms.CharField(label=_("Indicator (Finnish)"), max_length=300)
    name_sv = forms.CharField(label=_("Indicator (Swedish)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Indicator (English)"), max_length=300, required=False)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    unit = forms.CharField(
        label=_("Unit"), max_length=50, required=False, help_text=_("For example %, or per 1,000.")
    )
    direction = forms.ChoiceField(
        label=_("Which way is better?"),
        choices=Indicator.Direction.choices,
        widget=forms.RadioSelect,
        initial=Indicator.Direction.HIGHER,
    )
    baseline_value = Figure(label=_("Baseline"))
    baseline_year = forms.IntegerField(label=_("Baseline year"), **YEAR)
    target_value = Figure(label=_("Target"))
    target_year = forms.IntegerField(label=_("Target year"), **YEAR)
    sotkanet_id = forms.IntegerField(
        label=_("Sotkanet indicator number"),
        min_value=1,
        required=False,
        help_text=_(
            "If the figures come from THL's Sotkanet, its number of the indicator; "
            "they are then fetched for the area."
        ),
    )


class MeasurementForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), **YEAR)
    value = Figure(label=_("Value"))
    source = forms.CharField(label=_("Source"), max_length=200, required=False)


class MeasurementImportForm(forms.Form):
    file = forms.FileField(
        validators=[tables.validate_upload_size],
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "Columns: indicator (its number on the goal's page), year, value, source. "
            "The first row holds the column names."
        ),
    )


class AssessmentForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Assessment of"), queryset=None)
    year = forms.IntegerField(label=_("Year"), **YEAR)
    level = forms.TypedChoiceField(
        label=_("Where is the area's cooperation?"),
        coerce=int,
        choices=[(level, format_lazy("{}. {}", level, text)) for level, text in LEVELS.items()],
        widget=forms.RadioSelect,
    )
    justification = forms.CharField(
        label=_("Why this level?"), max_length=2000, widget=text_area(4)
    )

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        ).order_by("kind", "name")
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, **YEAR)
