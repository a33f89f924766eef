from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import IdentityProvider, Invitation, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Personal info"),
            {"fields": ("first_name", "last_name", "title", "phone", "preferred_language")},
        ),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class IdentityProviderForm(forms.ModelForm):
    """The client secret is written, never shown: stored encrypted, or read from the
    environment when a variable is named."""

    issuer = forms.URLField(
        label=_("issuer"),
        assume_scheme="https",
        help_text=_("The provider's issuer URL; its discovery document is read."),
    )
    client_secret = forms.CharField(
        label=_("client secret"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the stored secret, or name an environment variable."),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "name",
            "slug",
            "issuer",
            "client_id",
            "client_secret",
            "secret_environment_variable",
            "domains",
            "is_active",
        ]

    def clean_domains(self):
        domains = [
            line.strip().lower() for line in self.cleaned_data["domains"].splitlines() if line
        ]
        domains = [d for d in domains if d]
        if not domains:
            raise forms.ValidationError(_("Give at least one e-mail domain."))
        for domain in domains:
            if "@" in domain or "." not in domain or " " in domain:
                raise forms.ValidationError(
                    _("%(domain)s is not a domain such as pirkanmaa.fi.") % {"domain": domain}
                )
        others = IdentityProvider.objects.exclude(pk=self.instance.pk)
        for other in others:
            shared = set(domains) & set(other.domain_list())
            if shared:
                raise forms.ValidationError(
                    _("%(domain)s is already served by %(provider)s.")
                    % {"domain": ", ".join(sorted(shared)), "provider": other}
                )
        return "\n".join(domains)

    def clean(self):
        data = super().clean()
        has_stored = bool(self.instance.encrypted_secret)
        if (
            not data.get("client_secret")
            and not data.get("secret_environment_variable")
            and not has_stored
        ):
            self.add_error(
                "client_secret", _("Give the secret or the environment variable that holds it.")
            )
        return data

    def save(self, commit=True):
        provider = super().save(commit=False)
        if self.cleaned_data.get("client_secret"):
            provider.set_secret(self.cleaned_data["client_secret"])
        if commit:
            provider.save()
        return provider


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    form = IdentityProviderForm
    list_display = ["name", "slug", "issuer", "is_active"]
    search_fields = ["name", "domains", "issuer"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_select_related = ["organisation"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = [
        "email",
        "name",
        "organisation",
        "position",
        "role",
        "language",
        "invited_by",
        "created_at",
        "expires_at",
        "sent_at",
        "send_error",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]

    def has_add_permission(self, request) -> bool:
        # Invitations are made on the organisation's people page, with the role rules.
        return False
