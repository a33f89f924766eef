"""Shared goals of an area, their indicators and measurements, and the maturity ladder.

An indicator's status is computed from its baseline, target and measurements (`status.py`),
never typed. Measurements are typed in, imported from a file or fetched from THL's Sotkanet;
each keeps its source and who entered it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

YEARS = [MinValueValidator(2000), MaxValueValidator(2100)]


class Goal(models.Model):
    """A shared goal of an area's municipalities and county, followed up by its indicators."""

    area = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="goals",
    )
    agreement = models.ForeignKey(
        "cooperation.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shared_goals",
    )
    themes = models.ManyToManyField(
        "responsibilities.Theme", verbose_name=_("interface themes"), blank=True
    )
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    responsible = models.ManyToManyField(
        "registry.Organisation",
        verbose_name=_("responsible parties"),
        blank=True,
        related_name="responsible_goals",
    )
    starts_year = models.PositiveSmallIntegerField(_("from year"), validators=YEARS)
    ends_year = models.PositiveSmallIntegerField(_("until year"), validators=YEARS)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("shared goal")
        verbose_name_plural = _("shared goals")
        ordering = ["area__code", "starts_year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_year__gte=F("starts_year")), name="goal_period_in_order"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("goals:goal", args=[self.pk])


class Indicator(models.Model):
    """How a goal is measured: from a baseline towards a target, higher or lower being better."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("higher is better")
        LOWER = "lower", _("lower is better")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("indicator"), max_length=300)
    source = models.CharField(_("source"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    baseline_value = models.DecimalField(_("baseline"), max_digits=14, decimal_places=4)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), validators=YEARS)
    target_value = models.DecimalField(_("target"), max_digits=14, decimal_places=4)
    target_year = models.PositiveSmallIntegerField(_("target year"), validators=YEARS)
    sotkanet_id = models.PositiveIntegerField(
        _("Sotkanet indicator"),
        null=True,
        blank=True,
        help_text=_("The indicator's number in THL's Sotkanet; its figures can then be fetched."),
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["goal", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(target_value=F("baseline_value")), name="indicator_target_moves"
            ),
            models.CheckConstraint(
                condition=Q(target_year__gt=F("baseline_year")),
                name="indicator_target_after_baseline",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def higher_is_better(self) -> bool:
        return self.direction == self.Direction.HIGHER


class Measurement(models.Model):
    class Origin(models.TextChoices):
        TYPED = "typed", _("typed in")
        IMPORTED = "imported", _("imported from a file")
        SOTKANET = "sotkanet", _("fetched from Sotkanet")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEARS)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    source = models.CharField(_("source"), max_length=200, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.TYPED)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered"), auto_now=True)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="measurement_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


LEVELS = {
    1: _("No interaction between the municipalities and the county."),
    2: _("Interaction, but not regular."),
    3: _(
        "Regular interaction and cooperation, but the whole and its goals have not been "
        "discussed together."
    ),
    4: _(
        "People in different roles cooperate regularly in different areas, and shared goals "
        "are defined."
    ),
    5: _(
        "Cooperation is an important part of both; jointly defined goals support each "
        "party's own goals."
    ),
    6: _(
        "The municipalities and the county form a whole; cooperation is a natural part of "
        "every sector, with shared strategic goals linked to each organisation's own strategy."
    ),
}


class MaturityAssessment(models.Model):
    """Where an organisation places its area's cooperation on the six-level ladder in a year."""

    area = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="maturity_assessments",
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="own_maturity_assessments",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEARS)
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    justification = models.TextField(_("justification"), max_length=2000)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now=True)

    class Meta:
        verbose_name = _("maturity assessment")
        verbose_name_plural = _("maturity assessments")
        ordering = ["area__code", "-year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "organisation", "year"], name="maturity_once_a_year"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=6), name="maturity_level_1_to_6"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}: {self.level}"

    @property
    def description(self) -> str:
        return str(LEVELS[self.level])
