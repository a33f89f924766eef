"""The division of work of an area: interface themes, who answers for each, with what mandate.

An area's responsibility table ("vastuunjakotaulukko") is a matrix of themes (rows) and parties
(columns: the county, each municipality of the area, the regional council and other
organisations that join). A cell holds the entries naming the people responsible for that
theme on that party's behalf. Entries are never silently lost: when a person leaves or an
entry's validity ends, the entry shows as vacant until someone is named in their place.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# An entry nobody has confirmed for this long is stale and shows up in the upkeep reports.
STALE_AFTER = timedelta(days=365)


class ThemeQuerySet(models.QuerySet["Theme"]):
    def for_area(self, area) -> ThemeQuerySet:
        """The national themes and the area's own, active ones, in display order."""
        return self.filter(Q(area__isnull=True) | Q(area=area), is_active=True).order_by(
            "order", "pk"
        )

    def top_level(self) -> ThemeQuerySet:
        return self.filter(parent__isnull=True)


class Theme(models.Model):
    """An interface: a field where the county's and the municipalities' services meet.

    National themes (no area) come from the association's list and share their keys with the
    survey's "challenging interfaces" question. An area coordinator may add themes and
    sub-themes for their own area.
    """

    key = models.SlugField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    keywords = models.TextField(
        _("search words"),
        blank=True,
        help_text=_(
            "Words people might search with, separated by commas: tasks, services, job titles."
        ),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("main theme"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subthemes",
    )
    area = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="responsibility_themes",
        help_text=_("Empty for the national themes that every area has."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("interface theme")
        verbose_name_plural = _("interface themes")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(area__isnull=True), name="theme_national_key"
            ),
            models.UniqueConstraint(fields=["area", "key"], name="theme_area_key"),
        ]

    def __str__(self) -> str:
        return self.name

    def keyword_list(self) -> list[str]:
        """Search words in every language, lower-cased."""
        words = []
        for lang in ("fi", "sv", "en"):
            text = getattr(self, f"keywords_{lang}", "") or ""
            words += [w.strip().casefold() for w in text.split(",") if w.strip()]
        return words


class JoinedParty(models.Model):
    """An organisation that takes part in an area's table beside the county, the area's
    municipalities and the regional council (a joint authority, an NGO, a state authority)."""

    area = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("area"),
        on_delete=models.CASCADE,
        related_name="joined_parties",
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="joined_areas",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("joined party")
        verbose_name_plural = _("joined parties")
        constraints = [
            models.UniqueConstraint(fields=["area", "organisation"], name="joined_party_once")
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Contact(models.Model):
    """A responsible person's work contact details in one organisation.

    Only work details are kept. A contact is matched to a user account by e-mail, so that a
    deactivated account makes their entries vacant and the person can download what is stored.
    """

    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    email = models.EmailField(_("work e-mail"), blank=True)
    phone = models.CharField(_("work phone"), max_length=40, blank=True)
    left_on = models.DateField(
        _("left on"),
        null=True,
        blank=True,
        help_text=_("The day the person left the role or the organisation."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=~Q(email=""),
                name="contact_email_once_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def has_left(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        if self.left_on is not None and self.left_on <= today:
            return True
        return self.user_id is not None and not self.user.is_active


class ResponsibilityQuerySet(models.QuerySet["Responsibility"]):
    def with_people(self) -> ResponsibilityQuerySet:
        return self.select_related("theme", "theme__parent", "party", "contact__user")

    def current(self, today: date | None = None) -> ResponsibilityQuerySet:
        """Entries in force today with a person who has not left: the named responsibles."""
        today = today or timezone.localdate()
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today),
            valid_from__lte=today,
            contact__isnull=False,
        ).exclude(
            Q(contact__left_on__lte=today)
            | Q(contact__user__isnull=False, contact__user__is_active=False)
        )

    def stale(self, now=None) -> ResponsibilityQuerySet:
        """Entries nobody has confirmed (or saved) within STALE_AFTER."""
        limit = (now or timezone.now()) - STALE_AFTER
        return self.filter(
            Q(confirmed_at__lt=limit) | Q(confirmed_at__isnull=True, updated_at__lt=limit)
        )


class Responsibility(models.Model):
    """One person named for one theme on one party's behalf in one area's table."""

    class Role(models.TextChoices):
        RESPONSIBLE = "responsible", _("responsible person")
        DEPUTY = "deputy", _("deputy")
        CONTACT = "contact", _("contact person")

    class Status(models.TextChoices):
        CURRENT = "current", _("current")
        UPCOMING = "upcoming", _("starts later")
        VACANT = "vacant", _("vacant")

    area = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("area"),
        on_delete=models.CASCADE,
        related_name="responsibilities",
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="responsibilities"
    )
    party = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("party"),
        on_delete=models.PROTECT,
        related_name="responsibilities_as_party",
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsibilities",
        help_text=_("Empty when the person was erased: the entry stays as a vacancy."),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.RESPONSIBLE
    )
    mandate = models.TextField(
        _("mandate"),
        blank=True,
        help_text=_("What the person can agree or decide on the party's behalf."),
    )
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResponsibilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["theme__order", "theme_id", "party__name", "role", "pk"]
        indexes = [models.Index(fields=["area", "theme", "party"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="responsibility_valid_range",
            )
        ]

    def __str__(self) -> str:
        # No personal data here: this is what the audit log keeps as the object's name.
        return f"{self.theme} – {self.party}"

    def status(self, today: date | None = None) -> str:
        today = today or timezone.localdate()
        if self.contact_id is None or self.contact.has_left(today):
            return self.Status.VACANT
        if self.valid_until is not None and self.valid_until < today:
            return self.Status.VACANT
        if self.valid_from > today:
            return self.Status.UPCOMING
        return self.Status.CURRENT

    @property
    def is_vacant(self) -> bool:
        return self.status() == self.Status.VACANT

    def is_stale(self, now=None) -> bool:
        seen = self.confirmed_at or self.updated_at
        return seen is not None and seen < (now or timezone.now()) - STALE_AFTER
