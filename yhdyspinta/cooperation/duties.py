"""The legal negotiation duties, computed on any date from the negotiations recorded.

Two duties fall on each mainland municipality together with its wellbeing services county:

- `section14` (611/2021 §14): a negotiation at least once per council term (`CouncilTerm`);
- `hyte` (612/2021 §6–7): a negotiation every calendar year, convened by the county.

For a municipality, a duty and a period, the status is
- `met`: a negotiation of that type, with the municipality as a party, was held in the period
  (on or before the date asked about);
- `scheduled`: none held yet, but one is planned in the period;
- `open`: neither, and the period has not ended;
- `missed`: the period ended with none held.
An open duty is `due_soon` within the warning window before the period ends
(`COOPERATION_DUTY_WARNING_DAYS`: 120 days for §14, 60 for hyte).

The City of Helsinki organises its own health, social and rescue services, so there is no
county to negotiate with: its area has no duties here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yhdyspinta.registry.models import Organisation

from .models import CouncilTerm, Negotiation

DUTIES = ("section14", "hyte")
DUTY_LABELS = {
    "section14": _("§14 negotiation, once per council term"),
    "hyte": _("hyte negotiation, every year"),
}
STATUSES = ("met", "scheduled", "open", "missed")
STATUS_LABELS = {
    "met": _("met"),
    "scheduled": _("scheduled"),
    "open": pgettext_lazy("duty status", "open"),
    "missed": _("missed"),
}
STATUS_RULES = {
    "met": _(
        "A negotiation of this type, with the municipality as a party, was held in the period."
    ),
    "scheduled": _("None held yet, but one is planned in the period."),
    "open": _("Neither, and the period has not ended."),
    "missed": _("The period ended with none held."),
}


@dataclass(frozen=True)
class Period:
    duty: str
    name: str
    starts_on: date
    ends_on: date

    def days_left(self, on: date) -> int:
        return (self.ends_on - on).days


def warning_days(duty: str) -> int:
    return int(settings.COOPERATION_DUTY_WARNING_DAYS[duty])


def period_of(duty: str, on: date) -> Period | None:
    """The period of `duty` that contains `on` (None: no council term is recorded for it)."""
    if duty == "hyte":
        return Period("hyte", str(on.year), date(on.year, 1, 1), date(on.year, 12, 31))
    term = CouncilTerm.objects.containing(on)
    if term is None:
        return None
    return Period("section14", term.name, term.starts_on, term.ends_on)


def previous_period(duty: str, period: Period | None, on: date) -> Period | None:
    if duty == "hyte":
        year = on.year - 1
        return Period("hyte", str(year), date(year, 1, 1), date(year, 12, 31))
    if period is None:
        term = CouncilTerm.objects.filter(ends_on__lt=on).order_by("-ends_on").first()
    else:
        term = CouncilTerm.objects.filter(ends_on__lt=period.starts_on).order_by("-ends_on").first()
    if term is None:
        return None
    return Period("section14", term.name, term.starts_on, term.ends_on)


@dataclass
class DutyStatus:
    period: Period | None
    status: str | None  # None: no period recorded
    held_on: date | None = None
    planned_on: date | None = None
    negotiation_id: int | None = None
    due_soon: bool = False
    days_left: int | None = None

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status]) if self.status else "–"


@dataclass
class MunicipalityDuties:
    municipality: Organisation
    current: dict[str, DutyStatus] = field(default_factory=dict)
    previous: dict[str, DutyStatus] = field(default_factory=dict)


@dataclass
class AreaDuties:
    area: Organisation
    on: date
    applies: bool
    periods: dict[str, Period | None]
    previous_periods: dict[str, Period | None]
    municipalities: list[MunicipalityDuties]

    def counts(self, duty: str, *, previous: bool = False) -> Counter:
        counter: Counter = Counter()
        for row in self.municipalities:
            status = (row.previous if previous else row.current)[duty].status
            if status:
                counter[status] += 1
        return counter

    def due_soon(self, duty: str) -> list[MunicipalityDuties]:
        return [row for row in self.municipalities if row.current[duty].due_soon]

    @property
    def has_due_soon(self) -> bool:
        return any(self.due_soon(duty) for duty in DUTIES)


def _held_date(negotiation: Negotiation) -> date:
    return timezone.localdate(negotiation.starts_at)


def _status(
    duty: str, period: Period | None, on: date, negotiations: list[Negotiation]
) -> DutyStatus:
    if period is None:
        return DutyStatus(period=None, status=None)
    in_period = [n for n in negotiations if period.starts_on <= _held_date(n) <= period.ends_on]
    held = sorted(
        (n for n in in_period if n.status == Negotiation.Status.HELD and _held_date(n) <= on),
        key=_held_date,
    )
    if held:
        return DutyStatus(period, "met", held_on=_held_date(held[0]), negotiation_id=held[0].pk)
    planned = sorted(
        (
            n
            for n in in_period
            if n.status == Negotiation.Status.PLANNED
            or (n.status == Negotiation.Status.HELD and _held_date(n) > on)
        ),
        key=_held_date,
    )
    if planned:
        return DutyStatus(
            period, "scheduled", planned_on=_held_date(planned[0]), negotiation_id=planned[0].pk
        )
    if on > period.ends_on:
        return DutyStatus(period, "missed")
    days_left = period.days_left(on)
    return DutyStatus(period, "open", due_soon=days_left <= warning_days(duty), days_left=days_left)


def area_municipalities(area: Organisation, on: date) -> list[Organisation]:
    return list(
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY, area=area)
        .active(on)
        .order_by("name")
    )


def duties_applies(area: Organisation) -> bool:
    return area.kind == Organisation.Kind.WELLBEING_COUNTY


def _negotiations_by_party(areas: list[Organisation]) -> dict[tuple[int, str], list[Negotiation]]:
    found: dict[tuple[int, str], list[Negotiation]] = {}
    negotiations = (
        Negotiation.objects.filter(area__in=areas, kind__in=DUTIES)
        .exclude(status=Negotiation.Status.CANCELLED)
        .prefetch_related("parties")
    )
    for negotiation in negotiations:
        for party in negotiation.parties.all():
            found.setdefault((party.pk, negotiation.kind), []).append(negotiation)
    return found


def area_duties(
    area: Organisation,
    on: date | None = None,
    *,
    _negotiations: dict | None = None,
    _periods: tuple[dict, dict] | None = None,
) -> AreaDuties:
    on = on or timezone.localdate()
    if _periods is None:
        periods = {duty: period_of(duty, on) for duty in DUTIES}
        previous = {duty: previous_period(duty, periods[duty], on) for duty in DUTIES}
    else:
        periods, previous = _periods
    applies = duties_applies(area)
    rows: list[MunicipalityDuties] = []
    if applies:
        by_party = _negotiations if _negotiations is not None else _negotiations_by_party([area])
        for municipality in area_municipalities(area, on):
            row = MunicipalityDuties(municipality)
            for duty in DUTIES:
                held = by_party.get((municipality.pk, duty), [])
                row.current[duty] = _status(duty, periods[duty], on, held)
                row.previous[duty] = _status(duty, previous[duty], on, held)
            rows.append(row)
    return AreaDuties(area, on, applies, periods, previous, rows)


def municipality_duties(municipality: Organisation, on: date | None = None) -> MunicipalityDuties:
    on = on or timezone.localdate()
    report = area_duties(municipality.area, on)
    for row in report.municipalities:
        if row.municipality.pk == municipality.pk:
            return row
    return MunicipalityDuties(municipality)


@dataclass
class NationalDuties:
    on: date
    areas: list[AreaDuties]
    periods: dict[str, Period | None]
    previous_periods: dict[str, Period | None]

    def totals(self, duty: str, *, previous: bool = False) -> Counter:
        total: Counter = Counter()
        for report in self.areas:
            total.update(report.counts(duty, previous=previous))
        return total

    def municipalities(self) -> int:
        return sum(len(report.municipalities) for report in self.areas)

    def areas_met(self, duty: str, *, previous: bool = False) -> int:
        """Areas where every municipality has met the duty."""
        return sum(
            1
            for report in self.areas
            if report.applies
            and report.municipalities
            and report.counts(duty, previous=previous)["met"] == len(report.municipalities)
        )

    def applicable_areas(self) -> int:
        return sum(1 for report in self.areas if report.applies)


def national_duties(on: date | None = None) -> NationalDuties:
    """Every area's duties in three queries for the negotiations, whatever the number of areas."""
    on = on or timezone.localdate()
    areas = list(Organisation.objects.areas().active(on).order_by("code"))
    periods = {duty: period_of(duty, on) for duty in DUTIES}
    previous = {duty: previous_period(duty, periods[duty], on) for duty in DUTIES}
    by_party = _negotiations_by_party(areas)
    reports = [
        area_duties(area, on, _negotiations=by_party, _periods=(periods, previous))
        for area in areas
    ]
    return NationalDuties(on, reports, periods, previous)


def reminder_due(report: AreaDuties, duty: str, on: date) -> bool:
    """Is today at (or past) the warning point of an open duty in this area's period?"""
    period = report.periods.get(duty)
    if period is None or not report.applies:
        return False
    return bool(report.due_soon(duty)) and period.days_left(on) <= warning_days(duty)


def warning_start(period: Period) -> date:
    return period.ends_on - timedelta(days=warning_days(period.duty))
