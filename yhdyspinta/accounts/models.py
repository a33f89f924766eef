"""People, the organisations they belong to, their position there and their permission role."""

from __future__ import annotations

import os

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailUserManager(BaseUserManager["User"]):
    """People log in with their e-mail address, stored lower-cased."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str) -> User:
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person. Platform administrators (the association's staff) have `is_staff`."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=[("fi", "suomi"), ("sv", "svenska"), ("en", "English")],
        default="fi",
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_platform_admin(self) -> bool:
        return self.is_active and self.is_staff


class Membership(models.Model):
    """A person's place in one organisation.

    The position says what they are (for survey audiences); the role what they may do.
    """

    class Position(models.TextChoices):
        CHAIR = "chair", _("council or board chair")
        MANAGER = "manager", _("municipal manager or general management")
        SECTOR_DIRECTOR = "sector_director", _("sector director")
        COUNTY_LEADERSHIP = "county_leadership", _("wellbeing services county leadership")
        COUNCIL_LEADERSHIP = "council_leadership", _("regional council leadership")
        OFFICIAL = "official", _("official or expert")

    class Role(models.TextChoices):
        AREA_COORDINATOR = "area_coordinator", _("area coordinator")
        EDITOR = "editor", _("organisation editor")
        MEMBER = "member", _("member")

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    position = models.CharField(_("position"), max_length=30, choices=Position.choices)
    role = models.CharField(
        _("permission role"), max_length=30, choices=Role.choices, default=Role.MEMBER
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_one_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class IdentityProvider(models.Model):
    """An organisation's own sign-in service (OpenID Connect), for the e-mail domains it serves.

    Platform staff add one per provider. People whose address is in one of its domains are sent
    there from the login page; the provider's answer is matched to an existing account by its
    verified e-mail address only.
    """

    slug = models.SlugField(
        _("identifier"),
        max_length=50,
        unique=True,
        help_text=_("Part of the sign-in address, e.g. pirkanmaa."),
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("Shown on the sign-in button."))
    issuer = models.URLField(
        _("issuer"), help_text=_("The provider's issuer URL; its discovery document is read.")
    )
    client_id = models.CharField(_("client ID"), max_length=200)
    secret_environment_variable = models.CharField(
        _("secret from the environment variable"),
        max_length=100,
        blank=True,
        help_text=_("The name of the environment variable that holds the client secret."),
    )
    encrypted_secret = models.TextField(_("client secret (encrypted)"), blank=True, editable=False)
    domains = models.TextField(
        _("e-mail domains"), help_text=_("One per line, e.g. pirkanmaa.fi. Each domain once.")
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def domain_list(self) -> list[str]:
        return [line.strip().lower() for line in self.domains.splitlines() if line.strip()]

    def serves(self, email: str) -> bool:
        return email.rpartition("@")[2].lower() in self.domain_list()

    def set_secret(self, secret: str) -> None:
        from .secrets import encrypt

        self.encrypted_secret = encrypt(secret) if secret else ""

    def client_secret(self) -> str:
        """From the environment when a variable is named, else the encrypted stored one."""
        from .secrets import decrypt

        if self.secret_environment_variable:
            return os.environ.get(self.secret_environment_variable, "")
        return decrypt(self.encrypted_secret) if self.encrypted_secret else ""


class Invitation(models.Model):
    """An offer to join an organisation, sent by e-mail as a personal, single-use link.

    Only the digest of the link's token is kept; the worker makes a new token whenever it sends,
    so a resent invitation's earlier link stops working. Accepting creates the membership.
    """

    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="people_invitations",
    )
    position = models.CharField(_("position"), max_length=30, choices=Membership.Position.choices)
    role = models.CharField(
        _("permission role"),
        max_length=30,
        choices=Membership.Role.choices,
        default=Membership.Role.MEMBER,
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="fi"
    )
    invited_by = models.ForeignKey(
        User, verbose_name=_("invited by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    send_error = models.TextField(_("sending error"), blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, verbose_name=_("accepted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        REVOKED = "revoked", _("revoked")
        EXPIRED = "expired", _("expired")

    class Meta:
        verbose_name = _("invitation to join")
        verbose_name_plural = _("invitations to join")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label
