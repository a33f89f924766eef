"""Reading an area's responsibility table: its parties, its matrix, and the people to contact."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from yhdyspinta.registry.models import Organisation

from .models import JoinedParty, Responsibility, Theme


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
    """Is the organisation one of `parties(area)`? Asked for every saved entry (an import
    asks it per row), so it checks the one organisation rather than listing all columns."""
    if organisation.pk == area.pk:
        return True
    kind = organisation.kind if organisation.is_active else None
    if kind == Organisation.Kind.MUNICIPALITY and organisation.area_id == area.pk:
        return True
    same_region = area.region_id is not None and area.region_id == organisation.region_id
    if kind == Organisation.Kind.REGIONAL_COUNCIL and same_region:
        return True
    return JoinedParty.objects.filter(area=area, organisation=organisation).exists()


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

    Both are lower-case. There is no dictionary; three rules of thumb, tried in turn:

    1. The same word with another ending. The shorter word, less its last letter (its last
       two if it has 7 or more, for stem changes; "-nen" becomes "-s"), starts the longer
       one, and what follows is no longer than that start, nor than 8 letters:
       "koulukuraattorille", "koulukuraattoreista" – "koulukuraattori", "vuokrasopimuksesta"
       – "vuokrasopimus", "toimitiloista" – "toimitila", "kotihoidosta" – "kotihoito",
       "kotoutumisesta" – "kotoutuminen", "skolkuratorn" – "skolkurator", "hyresavtalet" –
       "hyresavtal". A word of 4 letters keeps all of them ("tilassa", not "tilanne").
    2. The beginning of a compound: one word (5+ letters) starts the other: "koulu" –
       "koulukuraattori", "pelastus" – "pelastuslaitos".
    3. The end of a compound: the searched word ends in the theme word (6+ letters), with or
       without an ending: "lukiokuraattorille" – "kuraattori", "gymnasiekurator" – "kurator".
       (Finnish and Swedish compounds put the head word last.)
    """

    def same_word(a: str, b: str) -> bool:
        short, long = sorted((a, b), key=len)
        if len(short) < 4:
            return a == b
        if len(short) >= 5 and long.startswith(short):  # rule 2 (or an ending added)
            return True
        stems = [short[:-2] if len(short) >= 7 else short[:-1] if len(short) >= 5 else short]
        if len(short) >= 7 and short.endswith("nen"):
            stems.append(short[:-3] + "s")
        return any(
            long.startswith(stem) and len(long) - len(stem) <= min(8, len(stem)) for stem in stems
        )

    if word == candidate or same_word(word, candidate):
        return True
    # Rule 3: try the tails of the searched word that start the way the theme word does.
    if len(candidate) < 6:
        return False
    position = word.find(candidate[:4], 1)
    while position != -1:
        tail = word[position:]
        if len(tail) >= len(candidate) and same_word(tail, candidate):
            return True
        position = word.find(candidate[:4], position + 1)
    return False


def themes_matching(text: str, area: Organisation | None = None) -> list[Theme]:
    """Themes whose names or search words (in any language) match the words of a question.

    Each searched word scores a point for every theme it matches (_stem_match). Words that
    match no theme ("kuka", "vastaa") score nothing; joining words ("och", "for") and the
    word "services", which many theme names share, are left out. Only the themes with the
    best score are returned, in the table's order, so "koulukuraattori vuokrasopimus" finds
    both fields.

    When a main theme and one of its sub-themes both match ("vuokrasopimus": service network
    and "premises and leases"), only the sub-theme is returned: it is the more precise answer,
    and whom_to_contact lists the main theme's people under it too.
    """
    ignored = {
        *("ja", "sekä", "tai", "palvelu", "palvelut"),
        *("och", "samt", "eller", "för", "tjänst", "tjänster"),
        *("and", "for", "the", "with", "service", "services"),
    }
    words = [w for w in (w.casefold() for w in WORD.findall(text)) if len(w) >= 3]
    words = [w for w in words if w not in ignored]
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
            # Not the first halves of a shared compound ("Skol- och studerandehälsovård").
            vocabulary |= {w for w in WORD.findall(name) if not w.endswith("-")}
        # A phrase of the search words ("tuettu asuminen") also matches written as one word.
        vocabulary |= {v.replace(" ", "") for v in vocabulary}
        vocabulary -= ignored
        score = sum(1 for w in words if any(_stem_match(w, v) for v in vocabulary))
        if score:
            scored.append((score, theme))
    best = max((score for score, _ in scored), default=0)
    found = [theme for score, theme in scored if score == best]
    parents_of_found = {theme.parent_id for theme in found if theme.parent_id}
    return [theme for theme in found if theme.pk not in parents_of_found]


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

    Only entries in force with a person who has not left (Responsibility.objects.current):
    a vacancy is never offered as a contact. A sub-theme also lists the people of its main
    theme, who answer for the whole; a main theme also lists the people of its sub-themes,
    who answer for parts of it. The theme's own people come first; within each group the
    responsible persons, then the deputies, then the contact persons, by name.

    With a municipality, its area's table is read and the municipality side holds that
    municipality's people; with only an area, the municipality side holds the people of all
    its municipalities. A municipality with no area (Åland) has no table: nobody is listed.
    The caller checks that the user may read the area: nothing here does.
    """
    today = timezone.localdate()
    area = area or (municipality.area if municipality is not None else None)
    role_order = {role: i for i, role in enumerate(Responsibility.Role.values)}
    results = []
    for theme in themes:
        if theme.parent_id:
            related = [theme.parent_id]
        else:
            related = list(theme.subthemes.filter(is_active=True).values_list("pk", flat=True))
        entries = (
            Responsibility.objects.current(today)
            .filter(theme_id__in=[theme.pk, *related])
            .with_people()
            .select_related("contact__organisation")
        )
        if area is not None:
            entries = entries.filter(area=area)
        elif municipality is not None:
            entries = entries.none()
        rows = sorted(
            entries,
            key=lambda e: (
                e.theme_id != theme.pk,
                role_order.get(e.role, len(role_order)),
                e.contact.last_name.casefold(),
                e.contact.first_name.casefold(),
                e.pk,
            ),
        )
        county = [e for e in rows if e.party.is_area]
        own = [
            e
            for e in rows
            if e.party.kind == Organisation.Kind.MUNICIPALITY
            and (municipality is None or e.party_id == municipality.pk)
        ]
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
