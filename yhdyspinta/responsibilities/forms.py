from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yhdyspinta.registry.models import Organisation

from .models import Responsibility, Theme


class EntryForm(forms.Form):
    """One person named for one theme in one column: the entry and the person's work details."""

    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.none())
    party = forms.ModelChoiceField(label=_("Party"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(
        label=pgettext_lazy("responsibility", "Role"), choices=Responsibility.Role.choices
    )
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("Work e-mail"),
        help_text=_("The same address links the person's entries under every theme."),
    )
    phone = forms.CharField(label=_("Work phone"), max_length=40, required=False)
    mandate = forms.CharField(
        label=_("Mandate"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What the person can agree or decide on the organisation's behalf, "
            "e.g. 'agrees on shared premises up to 50 000 euros a year'."
        ),
    )
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty if the responsibility continues until further notice."),
    )

    def __init__(self, *args, themes, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(pk__in=[t.pk for t in themes])
        self.fields["theme"].label_from_instance = lambda t: (
            f"– {t.name}" if t.parent_id else t.name
        )
        self.fields["party"].queryset = Organisation.objects.filter(pk__in=[p.pk for p in parties])
        # Keep the table's order (themes with their sub-themes, the county first).
        self.fields["theme"].choices = [("", "---------")] + [
            (t.pk, self.fields["theme"].label_from_instance(t)) for t in themes
        ]
        self.fields["party"].choices = [("", "---------")] + [(p.pk, p.name) for p in parties]

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end date cannot be before the start date."))
        return data

    def entry_values(self) -> dict:
        keys = ("theme", "party", "role", "mandate", "valid_from", "valid_until")
        return {k: self.cleaned_data[k] for k in keys}

    def contact_values(self) -> dict:
        keys = ("first_name", "last_name", "title", "unit", "email", "phone")
        return {k: self.cleaned_data[k] for k in keys}


class EndForm(forms.Form):
    valid_until = forms.DateField(
        label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class LeftForm(forms.Form):
    left_on = forms.DateField(
        label=_("Left on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ThemeForm(forms.Form):
    """An area's own theme or sub-theme, named in each language."""

    name_fi = forms.CharField(label=_("Name in Finnish"), max_length=200)
    name_sv = forms.CharField(label=_("Name in Swedish"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    keywords_fi = forms.CharField(
        label=_("Search words in Finnish"),
        required=False,
        help_text=_("Separated by commas: tasks, services, job titles people might search with."),
    )
    keywords_sv = forms.CharField(label=_("Search words in Swedish"), required=False)
    keywords_en = forms.CharField(label=_("Search words in English"), required=False)
    parent = forms.ModelChoiceField(
        label=_("Main theme"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=_("None: this is a main theme"),
    )

    def __init__(self, *args, main_themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Theme.objects.filter(pk__in=[t.pk for t in main_themes])


class PartyForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = candidates


class ContactSearchForm(forms.Form):
    """The "Whom do I contact?" search: keywords or a theme, and a municipality.

    The theme list holds the national themes and, once a municipality is chosen, its area's
    own themes, if the user may read that area (`readable_area_ids`: None means every area).
    """

    q = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=200,
        help_text=_(
            "A task, service or job title in Finnish or Swedish, "
            "e.g. koulukuraattori, vuokrasopimus, skolkurator or hyresavtal."
        ),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        required=False,
        queryset=Theme.objects.none(),
        help_text=_("Used when no keywords are given."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("All municipalities of the areas I can see"),
    )

    def __init__(self, *args, readable_area_ids: set[int] | None, **kwargs):
        super().__init__(*args, **kwargs)
        # Municipalities in an area: Åland's have no responsibility table.
        municipalities = (
            Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY, area__isnull=False)
            .active()
            .select_related("area")
        )
        self.fields["municipality"].queryset = municipalities
        # By the name shown in the page's language (most have no English name of their own),
        # with å, ä and ö after z as in Finnish and Swedish.
        nordic = str.maketrans({"å": "z{", "ä": "z|", "ö": "z}"})
        self.fields["municipality"].choices = [
            ("", self.fields["municipality"].empty_label),
            *sorted(
                ((m.pk, m.name) for m in municipalities),
                key=lambda choice: choice[1].casefold().translate(nordic),
            ),
        ]
        chosen = None
        if str(self["municipality"].value() or "").isdigit():
            chosen = municipalities.filter(pk=int(self["municipality"].value())).first()
        area = chosen.area if chosen is not None else None
        if area is not None and readable_area_ids is not None and area.pk not in readable_area_ids:
            area = None
        every = list(
            Theme.objects.for_area(area)
            if area is not None
            else Theme.objects.filter(is_active=True, area__isnull=True)
        )
        # Each main theme followed by its sub-themes, indented.
        ordered = []
        for main in (t for t in every if t.parent_id is None):
            ordered.append((main.pk, main.name))
            ordered += [(t.pk, f"– {t.name}") for t in every if t.parent_id == main.pk]
        self.fields["theme"].queryset = Theme.objects.filter(pk__in=[pk for pk, _label in ordered])
        self.fields["theme"].choices = [("", _("Choose a theme")), *ordered]

    @property
    def searched(self) -> bool:
        """Was there anything to search with (keywords or a theme)?"""
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("q") or data.get("theme"))
