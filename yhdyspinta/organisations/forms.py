from django import forms
from django.utils.translation import gettext_lazy as _

from yhdyspinta.core import tables
from yhdyspinta.registry.models import Organisation

STAFF_KINDS = [
    (kind.value, kind.label)
    for kind in Organisation.Kind
    if kind not in Organisation.CLASSIFIED_KINDS
]


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or code"),
        required=False,
        max_length=100,
        help_text=_("In Finnish or Swedish, e.g. Jakobstad or Esbo."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Organisation.Kind.choices],
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        required=False,
        queryset=Organisation.objects.areas().order_by("short_name"),
        empty_label=_("All areas"),
    )
    include_ended = forms.BooleanField(
        label=_("Include organisations that have ended"), required=False
    )


def _website_field() -> forms.URLField:
    return forms.URLField(label=_("website"), required=False, assume_scheme="https")


class OrganisationDetailsForm(forms.ModelForm):
    """What an organisation's editors keep up to date about their own organisation."""

    website = _website_field()

    class Meta:
        model = Organisation
        fields = [
            "description_fi",
            "description_sv",
            "description_en",
            "website",
            "contact_email",
        ]
        labels = {
            "description_fi": _("Description in Finnish"),
            "description_sv": _("Description in Swedish"),
            "description_en": _("Description in English"),
        }
        widgets = {
            "description_fi": forms.Textarea(attrs={"rows": 4}),
            "description_sv": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }


class NewOrganisationForm(forms.ModelForm):
    """Staff add the organisations that no classification lists: joint authorities, NGOs..."""

    kind = forms.ChoiceField(label=_("Kind"), choices=STAFF_KINDS)
    website = _website_field()

    class Meta:
        model = Organisation
        fields = [
            "kind",
            "name_fi",
            "name_sv",
            "name_en",
            "business_id",
            "area",
            "website",
            "contact_email",
        ]
        labels = {
            "name_fi": _("Name in Finnish"),
            "name_sv": _("Name in Swedish"),
            "name_en": _("Name in English"),
        }
        help_texts = {"business_id": _("Finnish business ID, e.g. 1234567-8.")}

    def __init__(self, *args, area_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_fi"].required = True
        if area_queryset is not None:
            self.fields["area"].queryset = area_queryset.order_by("short_name")
            if not kwargs.get("instance") and area_queryset.count() == 1:
                self.fields["area"].required = True


class ImportForm(forms.Form):
    file = forms.FileField(
        validators=[tables.validate_upload_size],
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "Columns: kind, name_fi, name_sv, name_en, business_id, area_code, website, "
            "contact_email. The first row holds the column names."
        ),
    )
