from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yhdyspinta.accounts.models import User
from yhdyspinta.registry.models import Organisation
from yhdyspinta.responsibilities.models import Theme

from .models import ActionItem, Agreement, Forum, Negotiation
from .richtext import clean_minutes

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE, **kwargs)


def datetime_field(label, **kwargs) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, widget=DATETIME, input_formats=DATETIME_FORMATS, **kwargs
    )


def text_area(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class MinutesField(forms.CharField):
    """Minutes as a small set of HTML, or plain paragraphs; scripts are refused."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", text_area(8))
        kwargs.setdefault(
            "help_text",
            _(
                "Plain text, or simple HTML: paragraphs, lists, headings, bold, italics, "
                "links and tables."
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        return clean_minutes(super().clean(value))


def party_choices(area: Organisation) -> tuple[list, list]:
    """The area's municipalities, and the other organisations that may join."""
    municipalities = Organisation.objects.filter(
        kind=Organisation.Kind.MUNICIPALITY, area=area
    ).active()
    others = Organisation.objects.filter(
        kind__in=[
            Organisation.Kind.JOINT_AUTHORITY,
            Organisation.Kind.NGO,
            Organisation.Kind.COMPANY,
            Organisation.Kind.OTHER,
        ],
        area=area,
    ).active()
    councils = Organisation.objects.filter(
        kind=Organisation.Kind.REGIONAL_COUNCIL, region_id=area.region_id
    )
    states = Organisation.objects.filter(kind=Organisation.Kind.STATE_AUTHORITY).active()
    return (
        [(m.pk, m.name) for m in municipalities.order_by("name")],
        [(o.pk, o.name) for o in list(councils) + list(others.order_by("name")) + list(states)],
    )


class NegotiationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Negotiation.Kind.choices)
    model = forms.ChoiceField(label=_("Organising model"), choices=Negotiation.Model.choices)
    title_fi = forms.CharField(label=_("Title in Finnish"), max_length=200)
    title_sv = forms.CharField(label=_("Title in Swedish"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Negotiation.Status.choices)
    starts_at = datetime_field(_("Starts"))
    ends_at = datetime_field(_("Ends"), required=False)
    place = forms.CharField(label=_("Place or link"), max_length=300, required=False)
    municipalities = forms.TypedMultipleChoiceField(
        label=_("Municipalities taking part"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A duty is met for every municipality that took part."),
    )
    other_parties = forms.TypedMultipleChoiceField(
        label=_("Other parties"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The regional council and joint authorities by agreement; for a hyte negotiation "
            "also NGOs, companies and state authorities."
        ),
    )
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=text_area(6))
    minutes = MinutesField(label=_("Minutes"))
    decisions = forms.CharField(label=_("Decisions"), required=False, widget=text_area(6))

    def __init__(self, *args, area: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        municipalities, others = party_choices(area)
        self.fields["municipalities"].choices = municipalities
        self.fields["other_parties"].choices = others

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The end cannot be before the start."))
        return data

    def parties(self) -> list[Organisation]:
        ids = list(self.cleaned_data["municipalities"]) + list(
            self.cleaned_data.get("other_parties") or []
        )
        return list(Organisation.objects.filter(pk__in=ids))

    def values(self) -> dict:
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("municipalities", "other_parties")
        }

    @classmethod
    def initial_for(cls, negotiation: Negotiation) -> dict:
        parties = list(negotiation.parties.all())
        return {
            **{
                name: getattr(negotiation, name)
                for name in (
                    "kind",
                    "model",
                    "title_fi",
                    "title_sv",
                    "title_en",
                    "status",
                    "starts_at",
                    "ends_at",
                    "place",
                    "agenda",
                    "minutes",
                    "decisions",
                )
            },
            "municipalities": [p.pk for p in parties if p.kind == Organisation.Kind.MUNICIPALITY],
            "other_parties": [
                p.pk
                for p in parties
                if p.kind != Organisation.Kind.MUNICIPALITY and p.pk != negotiation.area_id
            ],
        }


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("PDF document"),
        help_text=_("A PDF file of at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    is_minutes = forms.BooleanField(label=_("These are the minutes"), required=False)


class ActionForm(forms.Form):
    title = forms.CharField(label=_("What is to be done"), max_length=300)
    owner_organisation = forms.ModelChoiceField(
        label=_("Owner organisation"), queryset=Organisation.objects.none()
    )
    owner_person = forms.ModelChoiceField(
        label=_("Owner person"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("One of the owner organisation's people (optional)."),
    )
    due_on = date_field(_("Due date"), required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [o.pk for o in organisations]
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(pk__in=ids)
        self.fields["owner_person"].queryset = User.objects.filter(
            is_active=True, memberships__organisation_id__in=ids
        ).distinct()

        def label(user) -> str:
            names = [
                m.organisation.name for m in user.memberships.all() if m.organisation_id in ids
            ]
            return f"{user} ({', '.join(names)})"

        self.fields["owner_person"].label_from_instance = label

    def clean(self):
        data = super().clean()
        person, organisation = data.get("owner_person"), data.get("owner_organisation")
        if (
            person
            and organisation
            and not person.memberships.filter(organisation=organisation).exists()
        ):
            self.add_error(
                "owner_person", _("The owner person must belong to the owner organisation.")
            )
        return data


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
    comment = forms.CharField(label=_("Comment"), required=False, widget=text_area(3))


class ForumForm(forms.Form):
    name_fi = forms.CharField(label=_("Name in Finnish"), max_length=200)
    name_sv = forms.CharField(label=_("Name in Swedish"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    description_fi = forms.CharField(
        label=_("Description in Finnish"), required=False, widget=text_area(3)
    )
    description_sv = forms.CharField(
        label=_("Description in Swedish"), required=False, widget=text_area(3)
    )
    description_en = forms.CharField(
        label=_("Description in English"), required=False, widget=text_area(3)
    )
    level = forms.ChoiceField(label=_("Level"), choices=Forum.Level.choices)
    convener = forms.ModelChoiceField(label=_("Convener"), queryset=Organisation.objects.none())
    is_standing = forms.BooleanField(label=_("Standing forum"), required=False, initial=True)
    starts_on = date_field(_("Starts on"), required=False)
    ends_on = date_field(
        _("Ends on"), required=False, help_text=_("Required for a temporary forum.")
    )
    is_public = forms.BooleanField(
        label=_("Public"),
        required=False,
        help_text=_("Anyone may see a public forum and its meetings (not its action items)."),
    )
    member_organisations = forms.ModelMultipleChoiceField(
        label=_("Member organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They get the meetings by e-mail with a calendar file."),
    )

    def __init__(self, *args, conveners, area: Organisation | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["convener"].queryset = Organisation.objects.filter(
            pk__in=[c.pk for c in conveners]
        )
        if area is not None:
            organisations = (
                Organisation.objects.filter(pk__in=[area.pk])
                | Organisation.objects.filter(area=area).active()
                | Organisation.objects.filter(
                    kind=Organisation.Kind.REGIONAL_COUNCIL, region_id=area.region_id
                )
            )
        else:
            organisations = Organisation.objects.exclude(
                kind=Organisation.Kind.MUNICIPALITY
            ).active()
        self.fields["member_organisations"].queryset = organisations.order_by("name").distinct()
        self.fields["members"].queryset = (
            User.objects.filter(is_active=True, memberships__organisation__in=organisations)
            .distinct()
            .order_by("last_name", "first_name")
        )

    def clean(self):
        data = super().clean()
        if not data.get("is_standing") and not data.get("ends_on"):
            self.add_error("ends_on", _("A temporary forum needs an end date."))
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end cannot be before the start."))
        return data


class MeetingForm(forms.Form):
    title_fi = forms.CharField(label=_("Title in Finnish"), max_length=200, required=False)
    title_sv = forms.CharField(label=_("Title in Swedish"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    starts_at = datetime_field(_("Starts"), help_text=_("Finnish time (Europe/Helsinki)."))
    ends_at = datetime_field(_("Ends"))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=text_area(6))
    minutes = MinutesField(label=_("Minutes"))
    decisions = forms.CharField(label=_("Decisions"), required=False, widget=text_area(6))

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return data


RULE_EXAMPLES = [
    ("FREQ=MONTHLY;BYDAY=1FR;COUNT=10", _("the first Friday of each month, 10 times")),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20270630", _("every other Tuesday until 30 June 2027")),
    ("FREQ=MONTHLY;BYDAY=-1TH;COUNT=6", _("the last Thursday of each month, 6 times")),
]


class SeriesForm(forms.Form):
    title_fi = forms.CharField(label=_("Title of each meeting"), max_length=200, required=False)
    first_starts_at = datetime_field(
        _("First meeting starts"), help_text=_("Finnish time (Europe/Helsinki).")
    )
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=5, max_value=1440, initial=120
    )
    rule = forms.CharField(
        label=_("Recurrence rule (RRULE)"),
        max_length=300,
        help_text=_(
            "As in calendars (RFC 5545), with COUNT or UNTIL so that it ends, e.g. "
            "FREQ=MONTHLY;BYDAY=1FR;COUNT=10 for the first Friday of each month."
        ),
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")


class AgreementForm(forms.Form):
    title_fi = forms.CharField(label=_("Title in Finnish"), max_length=200)
    title_sv = forms.CharField(label=_("Title in Swedish"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Agreement.Status.choices)
    starts_on = date_field(_("In force from"), required=False)
    ends_on = date_field(_("In force until"), required=False)
    summary = forms.CharField(label=_("Summary"), required=False, widget=text_area(5))
    parties = forms.ModelMultipleChoiceField(
        label=_("Parties"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The county is always a party."),
    )

    def __init__(self, *args, area: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = (
            (
                Organisation.objects.filter(area=area).active()
                | Organisation.objects.filter(
                    kind=Organisation.Kind.REGIONAL_COUNCIL, region_id=area.region_id
                )
            )
            .order_by("name")
            .distinct()
        )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end cannot be before the start."))
        return data


class ApprovalForm(forms.Form):
    approved_on = date_field(_("Approved on"), required=False)


class AgreementThemeForm(forms.Form):
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.none())
    responsible = forms.ModelMultipleChoiceField(
        label=_("Responsible parties"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    goals = forms.CharField(
        label=_("Goals"), required=False, widget=text_area(4), help_text=_("One goal per line.")
    )

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.for_area(agreement.area).top_level()
        self.fields["responsible"].queryset = Organisation.objects.filter(
            agreement_parties__agreement=agreement
        ).order_by("name")


class DutyDateForm(forms.Form):
    on = date_field(_("On the date"), required=False)

    def clean_on(self):
        value = self.cleaned_data.get("on")
        if value and not (2000 <= value.year <= 2100):
            raise ValidationError(_("Choose a date between 2000 and 2100."))
        return value
