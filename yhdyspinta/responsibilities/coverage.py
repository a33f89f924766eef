"""Coverage and upkeep of the responsibility tables: gaps, vacancies and entries nobody has
confirmed for a year, per area and nationally. The survey's view of the same thing, beside
these figures, is `results.division_of_work`.

Read only. A theme is *covered* for a party when a person in force is named RESPONSIBLE for
the theme itself on the party's behalf (the rule of `selectors.Cell.covered`); people named
only for its sub-themes do not answer for the whole main theme. Coverage counts the main
themes: the county's column against every main theme of the area, and every municipality's
column likewise.

An entry whose person left, whose user account was deactivated, whose validity ended or whose
person was erased is *vacant* and stays listed until someone holds the same role again in the
same cell (`selectors.visible_entries`), so that nobody silently disappears from the table.

Queries are bounded: one area takes a handful, and all 22 areas together take as many, never
one per cell or per area.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from yhdyspinta.core.numbers import percent
from yhdyspinta.registry.models import Organisation

from . import selectors
from .models import JoinedParty, Responsibility, Theme

# -- results ------------------------------------------------------------------------------------


@dataclass
class MunicipalityCoverage:
    municipality: Organisation
    gaps: list[Theme]
    total: int

    @property
    def covered(self) -> int:
        return self.total - len(self.gaps)

    @property
    def share(self) -> float | None:
        return self.covered / self.total if self.total else None

    @property
    def percent(self) -> float | None:
        return None if not self.total else float(percent(self.covered, self.total))

    @property
    def full(self) -> bool:
        return not self.gaps


@dataclass
class Vacancy:
    """A vacant entry still shown in its cell, and why it is vacant."""

    ERASED = "erased"
    LEFT = "left"
    DEACTIVATED = "deactivated"
    ENDED = "ended"

    entry: Responsibility
    reason: str
    on: date | None = None

    @property
    def theme(self) -> Theme:
        return self.entry.theme

    @property
    def party(self) -> Organisation:
        return self.entry.party

    @property
    def reason_label(self) -> str:
        """Read at rendering time, in the language then active."""
        day = formats.date_format(self.on, "SHORT_DATE_FORMAT") if self.on else ""
        if self.reason == self.ERASED:
            return _("person's details erased")
        if self.reason == self.LEFT:
            return _("person left on %(date)s") % {"date": day}
        if self.reason == self.DEACTIVATED:
            return _("user account deactivated")
        return _("validity ended on %(date)s") % {"date": day}


@dataclass
class StaleEntry:
    """An entry in force (or starting later) that nobody has confirmed within STALE_AFTER."""

    entry: Responsibility
    last_confirmed: datetime | None

    @property
    def theme(self) -> Theme:
        return self.entry.theme

    @property
    def party(self) -> Organisation:
        return self.entry.party


@dataclass
class ColumnReport:
    """What one party's owners should look at: gaps, vacancies and stale entries of a column."""

    area: Organisation
    party: Organisation
    gaps: list[Theme]
    vacant: list[Vacancy]
    stale: list[StaleEntry]

    @property
    def has_anything(self) -> bool:
        return bool(self.gaps or self.vacant or self.stale)


@dataclass
class AreaCoverage:
    area: Organisation
    today: date
    parties: list[Organisation]
    themes: list[Theme]  # the main themes, in display order
    county_gaps: list[Theme]
    municipalities: list[MunicipalityCoverage]
    vacant: list[Vacancy]
    stale: list[StaleEntry]
    current_entries: int
    confirmed_this_year: int

    @property
    def county_total(self) -> int:
        return len(self.themes)

    @property
    def county_covered(self) -> int:
        return self.county_total - len(self.county_gaps)

    @property
    def municipalities_total(self) -> int:
        return len(self.municipalities)

    @property
    def municipalities_full(self) -> int:
        return sum(1 for m in self.municipalities if m.full)

    @property
    def municipalities_with_gaps(self) -> list[MunicipalityCoverage]:
        return [m for m in self.municipalities if m.gaps]

    @property
    def municipal_cells(self) -> int:
        return sum(m.total for m in self.municipalities)

    @property
    def municipal_covered(self) -> int:
        return sum(m.covered for m in self.municipalities)

    @property
    def municipal_gaps(self) -> int:
        return self.municipal_cells - self.municipal_covered

    @property
    def share_confirmed_this_year(self) -> float | None:
        if not self.current_entries:
            return None
        return self.confirmed_this_year / self.current_entries

    @property
    def confirmed_percent(self) -> float | None:
        if not self.current_entries:
            return None
        return float(percent(self.confirmed_this_year, self.current_entries))

    @property
    def has_anything(self) -> bool:
        """Anything for the upkeep reminder: a gap, a vacancy or a stale entry."""
        return bool(self.county_gaps or self.municipal_gaps or self.vacant or self.stale)

    def column(self, party: Organisation) -> ColumnReport:
        """One party's own part of the report.

        Gaps are counted for the county's and the municipalities' columns only: the regional
        council and the organisations that joined answer for the themes they chose.
        """
        if party.pk == self.area.pk:
            gaps = list(self.county_gaps)
        else:
            gaps = next((m.gaps for m in self.municipalities if m.municipality.pk == party.pk), [])
        return ColumnReport(
            area=self.area,
            party=party,
            gaps=list(gaps),
            vacant=[v for v in self.vacant if v.entry.party_id == party.pk],
            stale=[s for s in self.stale if s.entry.party_id == party.pk],
        )


# -- computing ----------------------------------------------------------------------------------


@dataclass
class _AreaData:
    area: Organisation
    themes: list[Theme]  # every shown theme: main themes and their sub-themes, in order
    parties: list[Organisation]
    entries: list[Responsibility] = field(default_factory=list)


def _vacancy(entry: Responsibility, today: date) -> Vacancy:
    contact = entry.contact
    if contact is None:
        return Vacancy(entry, Vacancy.ERASED)
    if contact.left_on is not None and contact.left_on <= today:
        return Vacancy(entry, Vacancy.LEFT, contact.left_on)
    if contact.user_id is not None and not contact.user.is_active:
        return Vacancy(entry, Vacancy.DEACTIVATED)
    return Vacancy(entry, Vacancy.ENDED, entry.valid_until)


def _covered(entries: list[Responsibility], today: date) -> bool:
    return any(
        e.role == Responsibility.Role.RESPONSIBLE
        and e.status(today) == Responsibility.Status.CURRENT
        for e in entries
    )


def _coverage(data: _AreaData, stale_ids: set[int], today: date) -> AreaCoverage:
    area = data.area
    theme_order = {t.pk: n for n, t in enumerate(data.themes)}
    party_order = {p.pk: n for n, p in enumerate(data.parties)}
    main_themes = [t for t in data.themes if t.parent_id is None]
    cells: dict[tuple[int, int], list[Responsibility]] = defaultdict(list)
    for entry in data.entries:
        if entry.theme_id in theme_order and entry.party_id in party_order:
            cells[(entry.theme_id, entry.party_id)].append(entry)

    vacant: list[Vacancy] = []
    stale: list[StaleEntry] = []
    current = confirmed = 0
    for key in sorted(cells, key=lambda k: (theme_order[k[0]], party_order[k[1]])):
        for entry in selectors.visible_entries(cells[key], today):
            status = entry.status(today)
            if status == Responsibility.Status.VACANT:
                vacant.append(_vacancy(entry, today))
                continue
            if entry.pk in stale_ids:
                stale.append(StaleEntry(entry, entry.confirmed_at or entry.updated_at))
            if status == Responsibility.Status.CURRENT:
                current += 1
                if (
                    entry.confirmed_at is not None
                    and timezone.localtime(entry.confirmed_at).year == today.year
                ):
                    confirmed += 1

    def gaps_of(party: Organisation) -> list[Theme]:
        return [t for t in main_themes if not _covered(cells.get((t.pk, party.pk), []), today)]

    municipalities = [p for p in data.parties if p.kind == Organisation.Kind.MUNICIPALITY]
    return AreaCoverage(
        area=area,
        today=today,
        parties=data.parties,
        themes=main_themes,
        county_gaps=gaps_of(area),
        municipalities=[
            MunicipalityCoverage(municipality=m, gaps=gaps_of(m), total=len(main_themes))
            for m in municipalities
        ],
        vacant=vacant,
        stale=stale,
        current_entries=current,
        confirmed_this_year=confirmed,
    )


def _entries(**filters):
    return Responsibility.objects.filter(**filters).select_related(
        "theme", "party", "contact__user"
    )


def area_coverage(area: Organisation, today: date | None = None) -> AreaCoverage:
    """The gaps, vacancies and stale entries of one area's table."""
    today = today or timezone.localdate()
    data = _AreaData(
        area=area,
        themes=selectors.themes(area),
        parties=selectors.parties(area),
        entries=list(_entries(area=area)),
    )
    stale_ids = set(Responsibility.objects.filter(area=area).stale().values_list("pk", flat=True))
    return _coverage(data, stale_ids, today)


def all_area_coverages(today: date | None = None) -> list[AreaCoverage]:
    """`area_coverage` of every area (the 22 organisers) in a fixed number of queries.

    The themes and parties of each area are worked out as `selectors.themes` and
    `selectors.parties` do, from a few bulk reads.
    """
    today = today or timezone.localdate()
    areas = list(Organisation.objects.areas().active().order_by("short_name", "name"))
    area_ids = [a.pk for a in areas]

    every_theme = list(
        Theme.objects.filter(is_active=True).order_by("order", "pk").select_related("parent")
    )

    municipalities: dict[int, list[Organisation]] = defaultdict(list)
    for m in (
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY, area_id__in=area_ids)
        .active()
        .order_by("name")
    ):
        municipalities[m.area_id].append(m)
    councils: dict[int, list[Organisation]] = defaultdict(list)
    for council in Organisation.objects.filter(kind=Organisation.Kind.REGIONAL_COUNCIL).active():
        councils[council.region_id].append(council)
    joined: dict[int, list[Organisation]] = defaultdict(list)
    for link in JoinedParty.objects.filter(area_id__in=area_ids).select_related("organisation"):
        joined[link.area_id].append(link.organisation)

    entries: dict[int, list[Responsibility]] = defaultdict(list)
    for entry in _entries(area_id__in=area_ids):
        entries[entry.area_id].append(entry)
    stale_ids = set(
        Responsibility.objects.filter(area_id__in=area_ids).stale().values_list("pk", flat=True)
    )

    coverages = []
    for area in areas:
        own = [t for t in every_theme if t.area_id in (None, area.pk)]
        themes: list[Theme] = []
        for theme in (t for t in own if t.parent_id is None):
            themes.append(theme)
            themes += [t for t in own if t.parent_id == theme.pk]
        region_councils = councils.get(area.region_id, []) if area.region_id else []
        listed = {
            area.pk,
            *(o.pk for o in municipalities[area.pk]),
            *(o.pk for o in region_councils),
        }
        others = sorted(
            {o.pk: o for o in joined[area.pk] if o.pk not in listed}.values(),
            key=lambda o: o.name,
        )
        data = _AreaData(
            area=area,
            themes=themes,
            parties=[area, *municipalities[area.pk], *region_councils, *others],
            entries=entries[area.pk],
        )
        coverages.append(_coverage(data, stale_ids, today))
    return coverages


def national_coverage(today: date | None = None) -> list[AreaCoverage]:
    """One row per area, in the order of the area list: county themes covered x of y,
    municipalities with full coverage, municipal gaps, vacancies, stale entries and the share
    confirmed this year."""
    return all_area_coverages(today)
