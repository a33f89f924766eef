"""Importing and exporting an area's responsibility table as a file.

The file has one row per entry, with English column names as in the registry import:

    theme, party, role, first_name, last_name, title, unit, email, phone, mandate,
    valid_from, valid_until

An import checks every row first and saves all of them or none (`import_table`). A row updates
the entry of the area with the same theme, party, role and e-mail, otherwise it adds one; the
area's other entries are left alone. `export_rows` writes the same format, so that a file
exported and imported again gives the same table. The XLSX export also has the table in its
matrix layout (`matrix_sheet`): themes as rows, parties as columns, the people in the cells.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from yhdyspinta.accounts import permissions
from yhdyspinta.core import audit
from yhdyspinta.core.exports import FORMULA_STARTS, Sheet, to_csv, to_xlsx
from yhdyspinta.core.tables import ImportRejected, Row, RowError, read_table
from yhdyspinta.registry.models import Organisation

from . import selectors, services
from .models import Contact, Responsibility, Theme

COLUMNS = [
    "theme",
    "party",
    "role",
    "first_name",
    "last_name",
    "title",
    "unit",
    "email",
    "phone",
    "mandate",
    "valid_from",
    "valid_until",
]
REQUIRED = ("theme", "party", "first_name", "last_name", "email")
CONTACT_COLUMNS = ("first_name", "last_name", "title", "unit", "email", "phone")
# A person's details, which must agree on every row with the same party and e-mail.
DETAIL_COLUMNS = ("first_name", "last_name", "title", "unit", "phone")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

# Words for the roles besides the interface labels, so that a file written by hand in Finnish
# or Swedish is understood whatever the state of the translation catalogues.
ROLE_WORDS = {
    Responsibility.Role.RESPONSIBLE: {
        "fi": ("vastuuhenkilö", "vastaava"),
        "sv": ("ansvarsperson", "ansvarig"),
        "en": ("responsible person",),
    },
    Responsibility.Role.DEPUTY: {
        "fi": ("varahenkilö", "sijainen"),
        "sv": ("ersättare", "suppleant"),
        "en": ("deputy",),
    },
    Responsibility.Role.CONTACT: {
        "fi": ("yhteyshenkilö",),
        "sv": ("kontaktperson",),
        "en": ("contact person",),
    },
}

ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


@dataclass
class ImportSummary:
    """What an import did: entries added, entries changed, entries that were already right."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    entries: list[Responsibility] = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.created + self.updated + self.unchanged


# --- Matching the values of a row ------------------------------------------------------------


def _normal(value: str) -> str:
    return " ".join(value.split()).casefold()


def _codes_equal(value: str, code: str) -> bool:
    """A code typed as a number in a spreadsheet loses its leading zeros: 8 is 08, 49 is 049."""
    if value == code:
        return True
    return value.isdigit() and code.isdigit() and int(value) == int(code)


def _theme_matches(value: str, theme: Theme) -> bool:
    # A sub-theme's name may be copied with the dash it has in the template's list.
    wanted = _normal(value.lstrip("–↳ "))
    names = (theme.key, theme.name_fi, theme.name_sv, theme.name_en)
    return any(name and _normal(name) == wanted for name in names)


def _party_matches(value: str, party: Organisation) -> bool:
    wanted = _normal(value)
    names = (party.name_fi, party.name_sv, party.name_en, party.short_name)
    if any(name and _normal(name) == wanted for name in names):
        return True
    return bool(party.code) and _codes_equal(value.strip(), party.code)


def _find(value: str, candidates: Iterable[Any], matches) -> list[Any]:
    return [c for c in candidates if matches(value, c)]


def party_label(party: Organisation, parties: Sequence[Organisation]) -> str:
    """How a party is written in a file: its Finnish name, or its code or Swedish name when
    the Finnish name would not find it alone among the area's parties."""
    for label in (party.name_fi, party.code, party.name_sv):
        if label and _find(label, parties, _party_matches) == [party]:
            return label
    return party.name_fi


def _role_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for role in Responsibility.Role:
        words[_normal(role.value)] = role.value
        for language_words in ROLE_WORDS[role].values():
            for word in language_words:
                words[_normal(word)] = role.value
        for language in ("fi", "sv", "en"):
            with translation.override(language):
                words[_normal(str(role.label))] = role.value
    return words


def parse_date(value: str) -> date:
    """An ISO date (2026-01-31, also as a spreadsheet's date and time at midnight) or the
    Finnish way (31.1.2026). Raises ValueError."""
    value = value.strip()
    if match := ISO_DATE.match(value):
        year, month, day = match.groups()
    elif match := FINNISH_DATE.match(value):
        day, month, year = match.groups()
    else:
        raise ValueError(value)
    return date(int(year), int(month), int(day))


def _unguard(value: str) -> str:
    """Undo the export's formula guard: "'=x" was written for the text "=x"."""
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


# --- Import ---------------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    theme: Theme
    party: Organisation
    role: str
    contact: dict[str, str]
    mandate: str
    valid_from: date
    valid_until: date | None

    @property
    def key(self) -> tuple[int, int, str, str]:
        return (self.theme.pk, self.party.pk, self.role, self.contact["email"])

    def entry_values(self) -> dict[str, Any]:
        return {
            "theme": self.theme,
            "party": self.party,
            "role": self.role,
            "mandate": self.mandate,
            "valid_from": self.valid_from,
            "valid_until": self.valid_until,
        }


def _table_rows(name: str, content: bytes) -> list[dict[str, str]]:
    """The rows of the uploaded file; from a workbook, the sheet in the import format.

    The XLSX export has the matrix as its first sheet and the entries second, so the sheet
    whose header has the import's required columns is read, wherever it is.
    """
    rows = read_table(name, content, required=REQUIRED, allowed=COLUMNS, any_sheet=True)
    return [Row({key: _unguard(value) for key, value in row.items()}, row.line) for row in rows]


def _check_length(errors: list[RowError], number: int, column: str, value: str) -> None:
    limit = Contact._meta.get_field(column).max_length
    if limit and len(value) > limit:
        errors.append(
            RowError(number, column, _("At most %(limit)d characters.") % {"limit": limit})
        )


def _validate(
    actor: Any, area: Organisation, rows: list[dict[str, str]]
) -> tuple[list[_Row], list[RowError]]:
    themes = selectors.themes(area)
    parties = selectors.parties(area)
    editable = {p.pk for p in parties if permissions.can_edit_column(actor, p)}
    role_words = _role_words()
    today = timezone.localdate()
    errors: list[RowError] = []
    prepared: list[_Row] = []
    for row in rows:
        number = row.line
        row_errors: list[RowError] = []

        theme = None
        found = _find(row.get("theme", ""), themes, _theme_matches)
        if not row.get("theme"):
            row_errors.append(RowError(number, "theme", _("A theme is required.")))
        elif not found:
            row_errors.append(RowError(number, "theme", _("This area's table has no such theme.")))
        elif len(found) > 1:
            row_errors.append(
                RowError(number, "theme", _("Several themes have this name: use the key."))
            )
        else:
            theme = found[0]

        party = None
        found = _find(row.get("party", ""), parties, _party_matches)
        if not row.get("party"):
            row_errors.append(RowError(number, "party", _("A party is required.")))
        elif not found:
            row_errors.append(
                RowError(number, "party", _("No party of this area's table has this name."))
            )
        elif len(found) > 1:
            row_errors.append(
                RowError(
                    number,
                    "party",
                    _("Several parties of this table match: use the name or the official code."),
                )
            )
        elif found[0].pk not in editable:
            row_errors.append(
                RowError(number, "party", _("You can change only your own organisation's column."))
            )
        else:
            party = found[0]

        role: str | None = Responsibility.Role.RESPONSIBLE
        if row.get("role"):
            role = role_words.get(_normal(row["role"]))
        if role is None:
            row_errors.append(
                RowError(number, "role", _("Must be one of: responsible, deputy, contact."))
            )

        contact = {name: row.get(name, "").strip() for name in CONTACT_COLUMNS}
        contact["email"] = contact["email"].lower()
        if not contact["first_name"]:
            row_errors.append(RowError(number, "first_name", _("A first name is required.")))
        if not contact["last_name"]:
            row_errors.append(RowError(number, "last_name", _("A last name is required.")))
        if not contact["email"]:
            row_errors.append(RowError(number, "email", _("A work e-mail address is required.")))
        else:
            try:
                validate_email(contact["email"])
            except ValidationError:
                row_errors.append(RowError(number, "email", _("Not a valid e-mail address.")))
        for name in CONTACT_COLUMNS:
            _check_length(row_errors, number, name, contact[name])

        dates: dict[str, date | None] = {"valid_from": today, "valid_until": None}
        for name in ("valid_from", "valid_until"):
            if row.get(name):
                try:
                    dates[name] = parse_date(row[name])
                except ValueError:
                    row_errors.append(
                        RowError(
                            number, name, _("Not a date: write it as 2026-01-31 or 31.1.2026.")
                        )
                    )
        start, end = dates["valid_from"], dates["valid_until"]
        if start is not None and end is not None and end < start:
            row_errors.append(
                RowError(number, "valid_until", _("The end date cannot be before the start date."))
            )

        errors += row_errors
        if not row_errors:
            prepared.append(
                _Row(
                    number=number,
                    theme=theme,
                    party=party,
                    role=role,
                    contact=contact,
                    mandate=row.get("mandate", "").strip(),
                    valid_from=start,
                    valid_until=end,
                )
            )
    errors += _check_across_rows(prepared)
    return prepared, errors


def _check_across_rows(prepared: list[_Row]) -> list[RowError]:
    """The same entry twice, and a person whose details differ from row to row."""
    errors = []
    seen: dict[tuple, int] = {}
    people: dict[tuple[int, str], _Row] = {}
    for row in prepared:
        key = (*row.key, row.valid_from)
        if key in seen:
            errors.append(
                RowError(
                    row.number,
                    "email",
                    _("The same entry is already on row %(row)d.") % {"row": seen[key]},
                )
            )
        else:
            seen[key] = row.number
        first = people.setdefault((row.party.pk, row.contact["email"]), row)
        for name in DETAIL_COLUMNS:
            if row.contact[name] != first.contact[name]:
                errors.append(
                    RowError(
                        row.number,
                        name,
                        _("The same person has different details on row %(row)d.")
                        % {"row": first.number},
                    )
                )
                break
    return errors


def _match_existing(area: Organisation, prepared: list[_Row]) -> list[Responsibility | None]:
    """For each row, the entry of the area it updates, or None for a new entry.

    An entry is the same when its theme, party, role and person's e-mail are. Should one person
    hold the same role for several periods, the row with the same start date is matched;
    a single row for them changes their latest entry.
    """
    existing: dict[tuple, list[Responsibility]] = {}
    for entry in (
        Responsibility.objects.filter(area=area, contact__isnull=False)
        .select_related("contact")
        .order_by("-valid_from", "-pk")
    ):
        key = (entry.theme_id, entry.party_id, entry.role, entry.contact.email.lower())
        existing.setdefault(key, []).append(entry)
    rows_per_key: dict[tuple, int] = {}
    for row in prepared:
        rows_per_key[row.key] = rows_per_key.get(row.key, 0) + 1
    claimed: set[int] = set()
    matched: list[Responsibility | None] = []
    # Exact periods first, so that another row cannot take an entry that has its own row.
    for row in prepared:
        candidates = [e for e in existing.get(row.key, []) if e.pk not in claimed]
        same = next((e for e in candidates if e.valid_from == row.valid_from), None)
        if same is not None:
            claimed.add(same.pk)
        matched.append(same)
    for index, row in enumerate(prepared):
        if matched[index] is None and rows_per_key[row.key] == 1:
            candidates = [e for e in existing.get(row.key, []) if e.pk not in claimed]
            if candidates:
                matched[index] = candidates[0]
                claimed.add(candidates[0].pk)
    return matched


def _is_unchanged(entry: Responsibility, row: _Row) -> bool:
    if audit.diff(entry, row.entry_values()):
        return False
    return all(getattr(entry.contact, name) == row.contact[name] for name in DETAIL_COLUMNS)


def import_table(*, actor: Any, area: Organisation, name: str, content: bytes) -> ImportSummary:
    """Check every row of an uploaded table; save all of them or none.

    Raises ImportRejected with every problem by row and column. Importing counts as
    confirming: every entry in the file is marked confirmed by the actor.
    """
    prepared, errors = _validate(actor, area, _table_rows(name, content))
    if errors:
        raise ImportRejected(errors)
    if not prepared:
        raise ImportRejected([RowError(2, "", _("The file has no rows to import."))])
    summary = ImportSummary()
    with transaction.atomic():
        for row, entry in zip(prepared, _match_existing(area, prepared), strict=True):
            if entry is None:
                summary.created += 1
            elif _is_unchanged(entry, row):
                summary.unchanged += 1
            else:
                summary.updated += 1
            try:
                saved = services.save_entry(
                    actor=actor,
                    area=area,
                    values=row.entry_values(),
                    contact_values=row.contact,
                    entry=entry,
                )
            except ValidationError as exc:
                # Checked above; only a change made meanwhile by someone else gets here.
                raise ImportRejected([RowError(row.number, "", " ".join(exc.messages))]) from exc
            summary.entries.append(saved)
        audit.record(
            obj=area, action="imported", actor=actor, changes={"entries": [None, summary.count]}
        )
    return summary


# --- Export ---------------------------------------------------------------------------------


def _exported_entries(
    area: Organisation, parties: Sequence[Organisation] | None = None
) -> tuple[list[Responsibility], list[Organisation]]:
    """The entries a file holds: those with a person, under the area's themes and parties
    (an entry whose person was erased has nothing to import; a retired theme is not in the
    table), in the table's order."""
    themes = selectors.themes(area)
    every_party = selectors.parties(area)
    wanted = every_party if parties is None else [p for p in every_party if p in parties]
    theme_order = {t.pk: i for i, t in enumerate(themes)}
    party_order = {p.pk: i for i, p in enumerate(wanted)}
    role_order = {role.value: i for i, role in enumerate(Responsibility.Role)}
    entries = (
        Responsibility.objects.filter(
            area=area,
            contact__isnull=False,
            theme_id__in=theme_order,
            party_id__in=party_order,
        )
        .with_people()
        .order_by()
    )
    ordered = sorted(
        entries,
        key=lambda e: (
            theme_order[e.theme_id],
            party_order[e.party_id],
            role_order.get(e.role, 99),
            e.valid_from,
            e.contact.last_name,
            e.contact.first_name,
            e.pk,
        ),
    )
    return ordered, every_party


def export_rows(
    area: Organisation, parties: Sequence[Organisation] | None = None
) -> list[list[Any]]:
    """The area's entries in the import format (COLUMNS); `parties` limits the columns."""
    entries, every_party = _exported_entries(area, parties)
    labels = {p.pk: party_label(p, every_party) for p in every_party}
    return [
        [
            e.theme.key,
            labels[e.party_id],
            e.role,
            e.contact.first_name,
            e.contact.last_name,
            e.contact.title,
            e.contact.unit,
            e.contact.email,
            e.contact.phone,
            e.mandate,
            e.valid_from,
            e.valid_until,
        ]
        for e in entries
    ]


@dataclass
class MatrixSheet:
    """The table as a spreadsheet shows it: a header row, then one row per theme with its
    level (0 main theme, 1 sub-theme) for indenting."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    levels: list[int]


def _short_date(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _person_text(entry: Responsibility, today: date) -> str:
    role = "" if entry.role == Responsibility.Role.RESPONSIBLE else entry.get_role_display()
    if entry.status(today) == Responsibility.Status.VACANT:
        first = _("Vacant")
        if role:
            first += f" ({role})"
        lines = [first]
        if entry.contact is not None:
            previously = _("previously %(name)s") % {"name": entry.contact}
            if entry.valid_until:
                previously += ", " + _("until %(date)s") % {"date": _short_date(entry.valid_until)}
            lines.append(previously)
        else:
            lines.append(_("person removed"))
        return "\n".join(lines)
    contact = entry.contact
    first = str(contact) + (f" ({role})" if role else "")
    lines = [first]
    details = ", ".join(v for v in (contact.title, contact.unit) if v)
    if details:
        lines.append(details)
    if entry.mandate:
        lines.append(f"{_('Mandate')}: {entry.mandate}")
    lines.append(", ".join(v for v in (contact.email, contact.phone) if v))
    if entry.status(today) == Responsibility.Status.UPCOMING:
        lines.append(_("from %(date)s") % {"date": _short_date(entry.valid_from)})
    return "\n".join(line for line in lines if line)


def matrix_sheet(area: Organisation, today: date | None = None) -> MatrixSheet:
    """Themes as rows (sub-themes indented), parties as columns, the people in each cell."""
    today = today or timezone.localdate()
    table = selectors.responsibility_matrix(area, today)
    rows = []
    levels = []
    for row in table.rows:
        rows.append(
            [row.theme.name]
            + ["\n\n".join(_person_text(e, today) for e in cell.entries) for cell in row.cells]
        )
        levels.append(1 if row.theme.parent_id else 0)
    return MatrixSheet(
        title=area.area_label,
        columns=[_("Theme"), *[p.name for p in table.parties]],
        rows=rows,
        levels=levels,
    )


# Column widths of the import format in a workbook, in characters.
WIDTHS = {
    "theme": 30,
    "party": 26,
    "role": 13,
    "first_name": 14,
    "last_name": 16,
    "title": 24,
    "unit": 20,
    "email": 30,
    "phone": 16,
    "mandate": 40,
    "valid_from": 12,
    "valid_until": 12,
}


def _matrix(sheet: MatrixSheet) -> Sheet:
    return Sheet(
        title=sheet.title,
        columns=sheet.columns,
        rows=sheet.rows,
        levels=sheet.levels,
        widths=[40] + [30] * (len(sheet.columns) - 1),
        wrap_columns=range(1, len(sheet.columns) + 1),
        freeze="B2",
    )


def _entries(title: str, rows: Iterable[Sequence[Any]]) -> Sheet:
    return Sheet(
        title=title,
        columns=COLUMNS,
        rows=rows,
        widths=[WIDTHS[name] for name in COLUMNS],
        wrap_columns=[COLUMNS.index("mandate") + 1],
    )


def export_xlsx(area: Organisation, parties: Sequence[Organisation] | None = None) -> bytes:
    """The matrix on the first sheet, the entries in the import format on the second."""
    return to_xlsx(
        [_matrix(matrix_sheet(area)), _entries(_("Entries"), export_rows(area, parties))]
    )


def export_csv(area: Organisation, parties: Sequence[Organisation] | None = None) -> bytes:
    return to_csv(COLUMNS, export_rows(area, parties))


def column_help() -> list[tuple[str, str]]:
    """What each column of the file holds, for the import page and the template."""
    return [
        ("theme", _("The theme's key, or its name in Finnish or Swedish. Required.")),
        (
            "party",
            _("The organisation's name in Finnish or Swedish, or its official code. Required."),
        ),
        (
            "role",
            _("responsible, deputy or contact (also in Finnish or Swedish); empty: responsible."),
        ),
        ("first_name", _("Required.")),
        ("last_name", _("Required.")),
        ("title", _("The person's job title.")),
        ("unit", _("The person's unit.")),
        (
            "email",
            _("The person's work e-mail. Required: it links the person's entries together."),
        ),
        ("phone", _("The person's work phone.")),
        ("mandate", _("What the person can agree or decide on the organisation's behalf.")),
        ("valid_from", _("A date as 2026-01-31 or 31.1.2026; empty: today.")),
        ("valid_until", _("A date as 2026-01-31 or 31.1.2026; empty: until further notice.")),
    ]


def template_xlsx(area: Organisation) -> bytes:
    """An empty table in the import format, and a sheet of what its columns take: the
    columns, then the area's themes, parties and the roles as they are written in a file."""
    parties = selectors.parties(area)
    rows: list[list[str]] = [[name, text, "", ""] for name, text in column_help()]
    for theme in selectors.themes(area):
        indent = "– " if theme.parent_id else ""
        rows.append(["theme", theme.key, indent + theme.name_fi, indent + (theme.name_sv or "")])
    for party in parties:
        rows.append(["party", party_label(party, parties), party.name_fi, party.name_sv or ""])
    for role in Responsibility.Role:
        words = ROLE_WORDS[role]
        rows.append(["role", role.value, ", ".join(words["fi"]), ", ".join(words["sv"])])
    instructions = Sheet(
        title=_("Instructions"),
        columns=[_("Column"), _("Value to write"), _("In Finnish"), _("In Swedish")],
        rows=rows,
        widths=(14, 50, 50, 50),
        wrap_columns=(1, 2, 3, 4),
    )
    return to_xlsx([_entries(_("Entries"), []), instructions])
