"""Reading an area's responsibility table: its parties, its matrix, and the people to contact."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from yhdyspinta.registry.models import Organisation

from .models import Responsibility, Theme


def area_of(organisation: Organisation) -> Organisation | None:
    """The area whose table an organisation's column is in (a council: None, it has several)."""
    if organisation.is_area:
        return organisation
    return organisation.area


def parties(area: Organisation) -> list[Organisation]:
    """The columns of an area's table: the county, its municipalities, the regional council,
    then the organisations that joined."""
    municipalities = list(
        area.members_of_area.filter(kind=Organisation.Kind.MUNICIPALITY).active().order_by("name")
    )
    councils = list(
        Organisation.objects.filter(
            kind=Organisation.Kind.REGIONAL_COUNCIL, region_id=area.region_id
        ).active()
        if area.region_id
        else []
    )
    joined = list(
        Organisation.objects.filter(joined_areas__area=area).exclude(
            pk__in=[o.pk for o in [area, *municipalities, *councils]]
        )
    )
    return [area, *municipalities, *councils, *sorted(joined, key=lambda o: o.name)]


def is_party(area: Organisation, organisation: Organisation) -> bool:
    return any(p.pk == organisation.pk for p in parties(area))


def themes(area: Organisation) -> list[Theme]:
    """The area's themes in display order, each main theme followed by its sub-themes."""
    every = list(Theme.objects.for_area(area).select_related("parent"))
    ordered: list[Theme] = []
    for theme in (t for t in every if t.parent_id is None):
        ordered.append(theme)
        ordered += [t for t in every if t.parent_id == theme.pk]
    return ordered


@dataclass
class Cell:
    theme: Theme
    party: Organisation
    entries: list[Responsibility] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        """A person in force is named responsible for this theme on this party's behalf."""
        return any(
            e.role == Responsibility.Role.RESPONSIBLE
            and e.status() == Responsibility.Status.CURRENT
            for e in self.entries
        )


@dataclass
class Row:
    theme: Theme
    cells: list[Cell]


@dataclass
class Matrix:
    area: Organisation
    parties: list[Organisation]
    rows: list[Row]

    def entries(self) -> list[Responsibility]:
        return [e for row in self.rows for cell in row.cells for e in cell.entries]


def visible_entries(entries: list[Responsibility], today: date) -> list[Responsibility]:
    """What a cell shows: the entries in force or starting later, and the vacancies that no
    one has filled yet (a vacancy disappears once someone holds the same role again)."""
    filled_roles = {e.role for e in entries if e.status(today) != Responsibility.Status.VACANT}
    return [
        e
        for e in entries
        if e.status(today) != Responsibility.Status.VACANT or e.role not in filled_roles
    ]


def responsibility_matrix(area: Organisation, today: date | None = None) -> Matrix:
    today = today or timezone.localdate()
    columns = parties(area)
    rows_themes = themes(area)
    by_cell: dict[tuple[int, int], list[Responsibility]] = {}
    for entry in Responsibility.objects.filter(area=area).with_people():
        by_cell.setdefault((entry.theme_id, entry.party_id), []).append(entry)
    rows = [
        Row(
            theme=theme,
            cells=[
                Cell(theme, party, visible_entries(by_cell.get((theme.pk, party.pk), []), today))
                for party in columns
            ],
        )
        for theme in rows_themes
    ]
    return Matrix(area=area, parties=columns, rows=rows)


# --- "Whom do I contact?" -------------------------------------------------------------------

WORD = re.compile(r"[\wåäö-]+", re.IGNORECASE)


def _stem_match(word: str, candidate: str) -> bool:
    """Does a searched word match a theme word, allowing for Finnish and Swedish endings?

    "koulukuraattorille" finds "koulukuraattori" and "vuokrasopimuksen" finds
    "vuokrasopimus": the shorter of the two must start the longer and be most of it.
    """
    if word == candidate:
        return True
    short, long = sorted((word, candidate), key=len)
    if len(short) < 4 or not long.startswith(short[:-1]):
        return False
    return len(short) >= 0.7 * len(long) or long.startswith(short)


def themes_matching(text: str, area: Organisation | None = None) -> list[Theme]:
    """Themes whose names or search words (in any language) match the words of a question.

    Words that match no theme ("kuka", "vastaa") are ignored; the themes that match the most
    words come first, so "koulukuraattori vuokrasopimus" finds both themes.
    """
    words = [w.casefold() for w in WORD.findall(text) if len(w) >= 3]
    if not words:
        return []
    candidates = (
        Theme.objects.for_area(area)
        if area is not None
        else Theme.objects.filter(is_active=True, area__isnull=True)
    )
    scored = []
    for theme in candidates.select_related("parent"):
        vocabulary = set(theme.keyword_list())
        for lang in ("fi", "sv", "en"):
            name = (getattr(theme, f"name_{lang}") or "").casefold()
            vocabulary |= set(WORD.findall(name))
        # A phrase of the search words ("tuettu asuminen") also matches written as one word.
        vocabulary |= {v.replace(" ", "") for v in vocabulary}
        score = sum(1 for w in words if any(_stem_match(w, v) for v in vocabulary))
        if score:
            scored.append((score, theme))
    best = max((score for score, _ in scored), default=0)
    return [theme for score, theme in scored if score == best]


@dataclass
class ContactResult:
    theme: Theme
    county: list[Responsibility]
    municipality: list[Responsibility]
    others: list[Responsibility]


def whom_to_contact(
    *,
    themes: list[Theme],
    municipality: Organisation | None = None,
    area: Organisation | None = None,
) -> list[ContactResult]:
    """The people named for the themes, on the county's side and on the municipality's.

    A sub-theme also lists the people of its main theme, who answer for the whole.
    """
    today = timezone.localdate()
    area = area or (municipality.area if municipality is not None else None)
    results = []
    for theme in themes:
        theme_ids = [theme.pk] + ([theme.parent_id] if theme.parent_id else [])
        entries = (
            Responsibility.objects.current(today)
            .filter(theme_id__in=theme_ids)
            .with_people()
            .order_by("theme__parent_id", "role", "contact__last_name")
        )
        if area is not None:
            entries = entries.filter(area=area)
        rows = list(entries)
        county = [e for e in rows if e.party.is_area]
        own = [e for e in rows if municipality is not None and e.party_id == municipality.pk]
        # The regional council and the organisations that joined the area's table.
        others = [
            e
            for e in rows
            if not e.party.is_area and e.party.kind != Organisation.Kind.MUNICIPALITY
        ]
        results.append(ContactResult(theme=theme, county=county, municipality=own, others=others))
    return results


def entry_counts(area_ids: list[int], today: date | None = None) -> dict[int, dict[str, int]]:
    """Per area: entries in force with a person, and vacancies (for the list of tables)."""
    today = today or timezone.localdate()
    counts: dict[int, dict[str, int]] = {pk: {"current": 0, "vacant": 0} for pk in area_ids}
    entries = Responsibility.objects.filter(area_id__in=area_ids).select_related("contact__user")
    for entry in entries:
        status = entry.status(today)
        if status == Responsibility.Status.CURRENT:
            counts[entry.area_id]["current"] += 1
        elif status == Responsibility.Status.VACANT:
            counts[entry.area_id]["vacant"] += 1
    return counts
