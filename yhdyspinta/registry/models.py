"""Regions and organisations: the registry every other app refers to.

The links follow the official classifications: a municipality belongs to one area (a wellbeing
services county, or the City of Helsinki, which organises these services itself) and to one region;
each mainland region has one regional council. Åland's municipalities belong to no area.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A region (maakunta) of the Statistics Finland classification."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def council(self) -> Organisation | None:
        return self.organisations.filter(kind=Organisation.Kind.REGIONAL_COUNCIL).active().first()


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def active(self, on: date | None = None) -> OrganisationQuerySet:
        on = on or date.today()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))

    def areas(self) -> OrganisationQuerySet:
        """The 22 organisers of health, social and rescue services: 21 counties and Helsinki."""
        return self.filter(kind__in=Organisation.AREA_KINDS)

    def search(self, text: str) -> OrganisationQuerySet:
        """Match a name in any language, the short name or the official code."""
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name_fi__icontains=text)
            | Q(name_sv__icontains=text)
            | Q(name_en__icontains=text)
            | Q(short_name__icontains=text)
            | Q(code=text)
        )


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        WELLBEING_COUNTY = "wellbeing_county", _("wellbeing services county")
        HELSINKI = (
            "helsinki",
            _("City of Helsinki (organiser of health, social and rescue services)"),
        )
        REGIONAL_COUNCIL = "regional_council", _("regional council")
        JOINT_AUTHORITY = "joint_authority", _("joint municipal authority")
        STATE_AUTHORITY = "state_authority", _("state authority")
        NGO = "ngo", _("NGO or community")
        COMPANY = "company", _("company")
        OTHER = "other", pgettext_lazy("organisation kind", "other")

    class Source(models.TextChoices):
        CLASSIFICATION = "classification", _("official classification")
        MANUAL = "manual", _("added by staff")
        IMPORT = "import", _("imported from a file")

    AREA_KINDS = (Kind.WELLBEING_COUNTY, Kind.HELSINKI)
    # Kinds that come only from the official classification; staff add the others.
    CLASSIFIED_KINDS = (
        Kind.MUNICIPALITY,
        Kind.WELLBEING_COUNTY,
        Kind.HELSINKI,
        Kind.REGIONAL_COUNCIL,
    )

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    code = models.CharField(
        _("official code"),
        max_length=20,
        blank=True,
        help_text=_("Statistics Finland code for municipalities, counties and regions."),
    )
    business_id = models.CharField(_("business ID"), max_length=9, blank=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    area = models.ForeignKey(
        "self",
        verbose_name=_("wellbeing services area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members_of_area",
        limit_choices_to={"kind__in": AREA_KINDS},
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    contact_email = models.EmailField(_("general contact e-mail"), blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.MANUAL
    )
    ended_on = models.DateField(
        _("ended on"), null=True, blank=True, help_text=_("The last day the organisation existed.")
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"],
                condition=~Q(code=""),
                name="organisation_unique_code_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:organisation", args=[self.pk])

    @property
    def is_area(self) -> bool:
        return self.kind in self.AREA_KINDS

    @property
    def is_active(self) -> bool:
        return self.ended_on is None or self.ended_on >= date.today()

    @property
    def is_classified(self) -> bool:
        return self.kind in self.CLASSIFIED_KINDS

    @property
    def area_label(self) -> str:
        """The short area name ("Pirkanmaa") is Finnish only; other languages get the full name."""
        if self.short_name and get_language() == "fi":
            return self.short_name
        return self.name

    def area_ids(self) -> set[int]:
        """The areas whose shared data this organisation's people take part in.

        An area is its own; a municipality or a joint authority belongs to its area; a regional
        council works with every area of its region (Uusimaa has five).
        """
        if self.is_area:
            return {self.pk}
        if self.kind == self.Kind.REGIONAL_COUNCIL and self.region_id:
            return set(
                Organisation.objects.areas()
                .filter(region_id=self.region_id)
                .values_list("pk", flat=True)
            )
        return {self.area_id} if self.area_id else set()
