from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from yhdyspinta.accounts.models import Membership


def _role_choices(roles: list[str]) -> list[tuple[str, str]]:
    return [(value, label) for value, label in Membership.Role.choices if value in roles]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    position = forms.ChoiceField(label=_("Position"), choices=Membership.Position.choices)
    role = forms.ChoiceField(label=_("Permission role"))
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)

    def __init__(self, *args, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(roles)
        self.fields["role"].initial = Membership.Role.MEMBER


class MembershipForm(forms.Form):
    position = forms.ChoiceField(label=_("Position"), choices=Membership.Position.choices)
    role = forms.ChoiceField(label=_("Permission role"))

    def __init__(self, *args, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(roles)


class InviteImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"),
        help_text=_(
            "Columns: email, organisation (official code), position, role, name, language."
        ),
    )
