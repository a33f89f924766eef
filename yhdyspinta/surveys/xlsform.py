"""XLSForm import and export of survey definitions.

XLSForm is the spreadsheet format of ODK, KoboToolbox and many others, so a survey can be drafted
in a spreadsheet, shared with another tool, or kept as a readable file next to the results. Both
directions go through the plain-data definition of `definition.py`: the import produces one (and
`definition.build_survey` creates the survey), the export writes one.

The workbook is read with pyxform's own reader and header parsing (`get_xlsform`,
`process_header`, its type aliases and the regular expressions for selects and groups), so that
whatever pyxform understands in a header or type cell means the same here. Every problem is
collected with its sheet, row (as Excel shows it, the header is row 1) and column, and reported
together: nothing is created while any remains.

Conventions, standard XLSForm wherever it has the concept:

- Texts: `label::Suomi (fi)`, `label::Svenska (sv)`, `label::English (en)`, the same for `hint::`;
  the settings' `default_language` is `Suomi (fi)`. On import a language column is recognised by
  the code in brackets or by the language's name; a plain `label` or `hint` is in the default
  language (Finnish unless the settings say otherwise). Columns in other languages are refused
  rather than dropped.
- Settings: `form_title` is the Finnish title, `form_id` the survey's key (the file name when it
  is missing). Our own columns: `yhdyspinta_title::Svenska (sv)` and `::English (en)`,
  `yhdyspinta_intro::<language>`, `yhdyspinta_audience`, `yhdyspinta_answer_mode`.
- Sections are the top-level `begin_group` … `end_group` (appearance `field-list`); the group
  label is the section's title. A `note` right after `begin_group` (exported as
  `<group name>_intro`) is the section's introduction. Questions outside any group form a section
  titled like the survey.
- likert: `select_one <list>` whose list is exactly 1–5, optionally with a choice `cant_say`
  ("can't say", labels standard and not imported); exported with appearance `likert`.
- matrix: a `begin_group` with appearance `table-list` inside a section: group name = key, label =
  question, hint = help, one `select_one <list>` per rated item, all on the same 1–5 list. The
  matrix is required when every item row is.
- single / multiple: `select_one` / `select_multiple`; the suffix `or_other` offers
  "other, what?".
- number: `integer`, bounds as the constraint `. >= min and . <= max` (either part alone too).
- short_text: `text`; long_text: `text` with appearance `multiline`.
- Our column `yhdyspinta_type` names the type where XLSForm has no way to say it:
  `organisation` (a `text` row: the respondent's organisation from the registry), `position`
  (a `select_one` row with the positions, or a `text` row when it has none) and `single` on a
  `select_one` whose list happens to be 1–5. Any of our type names may be given explicitly;
  it must fit the XLSForm type.
- required: `yes` / `no`. show_if: `relevant` = `${key} = 'value'` (exported for single-choice
  questions) or `selected(${key}, 'value')` (exported for multiple choice); both are accepted
  for either, anything more complex is refused.
- Metadata rows (start, end, today, deviceid, username, audit, …) collect nothing from the
  respondent and are skipped. Every other type (geopoint, image, calculate, decimal, date,
  repeats, range, rank, …) and the columns that change behaviour (calculation, default,
  choice_filter, read_only, repeat_count, trigger) are refused.

Export followed by import gives back the same definition, with two exceptions: pyxform's reader
turns non-breaking spaces into ordinary ones (as its own conversion does), and flags a type does
not use (e.g. allow_cant_say on a text question) are not written. Cell values are taken as they
are otherwise: pyxform's clean-up of smart quotes and whitespace is not applied to texts.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO, Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from pyxform import aliases, constants
from pyxform.parsing.sheet_headers import process_header
from pyxform.question import MultipleChoiceQuestion, Option
from pyxform.survey import Survey as PyxformSurvey
from pyxform.xls2json import RE_BEGIN_CONTROL, RE_END_CONTROL, RE_SELECT, dealias_types
from pyxform.xls2json_backends import DefinitionData, SupportedFileTypes, get_xlsform

from yhdyspinta.core import tables

from .definition import (
    LANGUAGES,
    DefinitionError,
    DefinitionRejected,
    build_survey,
    normalise,
    validate,
)
from .models import Question, Survey

__all__ = [
    "XLSFormError",
    "XLSFormRejected",
    "definition_from_xlsform",
    "definition_to_xlsform",
    "import_survey",
]

# The column suffix of each language, as written by the export.
LANGUAGE_NAMES = {"fi": "Suomi (fi)", "sv": "Svenska (sv)", "en": "English (en)"}
_LANGUAGE_WORDS = {
    "fi": "fi",
    "fin": "fi",
    "suomi": "fi",
    "suomeksi": "fi",
    "finnish": "fi",
    "finska": "fi",
    "sv": "sv",
    "swe": "sv",
    "svenska": "sv",
    "ruotsi": "sv",
    "swedish": "sv",
    "en": "en",
    "eng": "en",
    "english": "en",
    "englanti": "en",
    "engelska": "en",
}
_LANGUAGE_CODE_RE = re.compile(r"\(\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?\s*\)\s*$")

SCALE_VALUES = ["1", "2", "3", "4", "5"]
CANT_SAY = "cant_say"
TYPE_COLUMN = "yhdyspinta_type"

# Rows that only record facts about the submission, nothing the respondent answers.
_METADATA_TYPES = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "phonenumber",
        "simserial",
        "subscriberid",
        "username",
        "email",
        "audit",
    }
)
# Columns whose value would change how the form behaves, which a survey here cannot do.
_UNSUPPORTED_COLUMNS = (
    ("bind", "calculate"),
    ("bind", "readonly"),
    ("default",),
    ("choice_filter",),
    ("control", "jr:count"),
    ("trigger",),
)
# How pyxform's parsed header tokens are spelled in a spreadsheet, for messages.
_COLUMN_NAMES = {
    ("bind", "relevant"): "relevant",
    ("bind", "required"): "required",
    ("bind", "constraint"): "constraint",
    ("bind", "calculate"): "calculation",
    ("bind", "readonly"): "read_only",
    ("control", "appearance"): "appearance",
    ("control", "jr:count"): "repeat_count",
    ("id_string",): "form_id",
    ("title",): "form_title",
    ("list name",): "list_name",
}

# A quoted XPath literal: no quote of the same kind inside, so "'a' or ${x} = 'b'" is no value.
_LITERAL = r"""(?:'(?P<single>[^']*)'|"(?P<double>[^"]*)")"""
_EQUALS_RE = re.compile(
    rf"^\s*\$\{{\s*(?P<key>[^}}\s]+)\s*\}}\s*=\s*(?:{_LITERAL}|(?P<number>-?\d+))\s*$"
)
_SELECTED_RE = re.compile(
    rf"^\s*selected\s*\(\s*\$\{{\s*(?P<key>[^}}\s]+)\s*\}}\s*,\s*{_LITERAL}\s*\)\s*$"
)
_BOUND_RE = re.compile(r"^\s*\.\s*(?P<op>>=|<=|>|<)\s*(?P<number>-?\d+)\s*$")


logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class XLSFormError:
    """One problem, placed as the user sees it in Excel: the header is row 1; row 0 and an
    empty column mean the problem concerns the whole file or sheet."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                self.sheet,
                _("row %d") % self.row if self.row else "",
                self.column,
            )
            if part
        )
        return f"{where}: {self.message}" if where else self.message


class XLSFormRejected(Exception):
    """The file cannot become a survey; `errors` lists every problem found, not just the first."""

    def __init__(self, errors: list[XLSFormError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


# --------------------------------------------------------------------------------------------
# Import


def definition_from_xlsform(
    data: bytes | IO[bytes], *, filename: str = "survey.xlsx"
) -> dict[str, Any]:
    """The survey definition in an XLSForm file (.xlsx, also .xls, .csv or .md as pyxform reads
    them), normalised; raises `XLSFormRejected` with every problem, including those
    `definition.validate` finds, so that the user can fix the file in one go."""
    return _checked(data, filename=filename)[0]


def import_survey(data: bytes | IO[bytes], *, actor: Any, filename: str = "survey.xlsx") -> Survey:
    """Create a survey from an XLSForm file: all or nothing, every problem reported with its
    place in the file (also one only the database can see, such as a key already in use)."""
    with transaction.atomic():
        definition, importer = _checked(data, filename=filename)
        try:
            return build_survey(definition, actor=actor)
        except DefinitionRejected as exc:
            raise XLSFormRejected([importer.place(e) for e in exc.errors]) from exc


def _checked(data: bytes | IO[bytes], *, filename: str) -> tuple[dict[str, Any], _Importer]:
    definition, importer = _import(data, filename=filename)
    errors = list(importer.errors)
    known = {(e.sheet, e.row, e.column) for e in errors}
    if definition:
        for problem in validate(definition):
            error = importer.place(problem)
            if (error.sheet, error.row, error.column) not in known and error not in errors:
                errors.append(error)
    if errors:
        raise XLSFormRejected(errors)
    return normalise(definition), importer


def _unreadable_message(exc: Exception, file_type: str | None) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return _("The file must be UTF-8 encoded.")
    if file_type is None:
        return _("Upload the XLSForm as an .xlsx, .xls, .csv or .md file.")
    return _(
        "The file could not be read as an XLSForm. Save it again from the spreadsheet "
        "program as .xlsx and upload it again."
    )


def _import(data: bytes | IO[bytes], *, filename: str) -> tuple[dict[str, Any], _Importer]:
    if not isinstance(data, bytes | bytearray):
        if hasattr(data, "seek"):
            data.seek(0)
        data = data.read()
    importer = _Importer(filename=filename)
    book = importer.read(bytes(data))
    definition = importer.convert(book) if book is not None else {}
    return definition, importer


def _language_code(name: str) -> str | None:
    """The language of a column suffix such as "Suomi (fi)", "Swedish" or "en"."""
    match = _LANGUAGE_CODE_RE.search(name)
    if match and match.group(1).lower() in _LANGUAGE_WORDS:
        return _LANGUAGE_WORDS[match.group(1).lower()]
    return _LANGUAGE_WORDS.get(name.strip().lower())


@dataclass
class _Row:
    number: int
    cells: dict[tuple[str, ...], str]

    def get(self, *tokens: str) -> str:
        return self.cells.get(tokens, "")


@dataclass
class _Sheet:
    """One sheet with pyxform's reading of its headers: each cell under its header's tokens,
    e.g. ("label", "Suomi (fi)") or ("bind", "relevant") for `relevance`."""

    name: str
    rows: list[_Row]
    headers: dict[tuple[str, ...], str]
    default_language: str = "fi"

    def column(self, *tokens: str) -> str:
        """The header as written in the file, or its usual spelling when the file has none."""
        return self.headers.get(tokens) or _COLUMN_NAMES.get(tokens) or "::".join(tokens)

    def text(self, row: _Row, name: str) -> dict[str, str]:
        result = dict.fromkeys(LANGUAGES, "")
        for tokens, value in row.cells.items():
            if len(tokens) == 2 and tokens[0] == name:
                code = _language_code(tokens[1])
                if code:
                    result[code] = value
        plain = row.get(name)
        if plain and not result[self.default_language]:
            result[self.default_language] = plain
        return result

    def text_column(self, name: str, language: str = "fi") -> str:
        for tokens, header in self.headers.items():
            if len(tokens) == 2 and tokens[0] == name and _language_code(tokens[1]) == language:
                return header
        if language == self.default_language and (name,) in self.headers:
            return self.headers[(name,)]
        return f"{name}::{LANGUAGE_NAMES[language]}"


@dataclass
class _Context:
    """An open group while walking the survey sheet."""

    kind: str  # "survey", "section", "matrix", "nested" (refused, contents kept) or "skip"
    control: str
    row: _Row | None
    section: dict[str, Any] | None = None
    section_path: str = ""
    question: dict[str, Any] | None = None
    path: str = ""
    rows_seen: int = 0
    list_name: str | None = None
    required: bool = False
    item_rows: list[tuple[_Row, bool]] = field(default_factory=list)


class _Importer:
    """Turns pyxform's reading of a workbook into a definition, noting where each part came
    from so that the definition's own problems can be reported at their place in the file."""

    def __init__(self, *, filename: str):
        self.filename = filename
        self.errors: list[XLSFormError] = []
        # Definition path (e.g. "sections[0].questions[2]") -> the row it came from.
        self.places: dict[str, tuple[_Sheet, _Row | None]] = {}
        self.sections: list[dict[str, Any]] = []
        self.choices: dict[str, list[tuple[_Row, str, dict[str, str]]]] = {}
        self.survey_sheet: _Sheet | None = None
        self.settings_sheet: _Sheet | None = None

    def error(self, sheet: str, row: int, column: str, message: str) -> None:
        self.errors.append(XLSFormError(sheet, row, column, message))

    # Reading

    def read(self, data: bytes) -> DefinitionData | None:
        suffix = PurePath(self.filename).suffix.lower()
        file_type = suffix if suffix in {t.value for t in SupportedFileTypes} else None
        try:
            tables.check_size(len(data))
            if data[:4] == b"PK\x03\x04":  # a zip: XLSX or XLSM
                data = tables.without_claimed_dimensions(data)
        except tables.ImportRejected as rejected:
            self.error("", 0, "", rejected.errors[0].message)
            return None
        try:
            with warnings.catch_warnings():
                # openpyxl warns about workbook features it drops when reading (data
                # validation, conditional formatting, missing default styles); only the
                # cell values matter here.
                warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")
                return get_xlsform(data, file_type=file_type)
        except Exception as exc:  # Anything a broken or foreign file makes the reader raise.
            # The library's own text is English and about its internals: the log keeps it,
            # the user gets what to do.
            logger.info("XLSForm not readable (%s): %s", self.filename, exc)
            self.error("", 0, "", _unreadable_message(exc, file_type))
            return None

    def sheet(
        self,
        name: str,
        rows: Any,
        header: Any,
        *,
        header_aliases: dict[str, Any],
        header_columns: set[str],
        translatable: set[str],
    ) -> _Sheet:
        names = list(dict.fromkeys([*(header[0] if header else ()), *(k for r in rows for k in r)]))
        double_colon = any("::" in h for h in names)
        key: dict[str, tuple[str, ...]] = {}
        headers: dict[tuple[str, ...], str] = {}
        for h in names:
            _header, tokens = process_header(
                header=h,
                use_double_colon=double_colon,
                header_aliases=header_aliases,
                header_columns=header_columns,
            )
            key[h] = tokens
            headers.setdefault(tokens, h)
        sheet_rows = [
            _Row(
                number=n,
                cells={key[h]: str(v) for h, v in row.items() if v is not None and str(v) != ""},
            )
            for n, row in enumerate(rows, start=2)
        ]
        for tokens, h in headers.items():
            if (
                len(tokens) == 2
                and tokens[0] in translatable
                and _language_code(tokens[1]) is None
                and any(tokens in r.cells for r in sheet_rows)
            ):
                self.error(
                    name,
                    1,
                    h,
                    _(
                        "The language “%s” is not supported: use Finnish, Swedish or English, "
                        "e.g. “label::Suomi (fi)”."
                    )
                    % tokens[1],
                )
        return _Sheet(name=name, rows=sheet_rows, headers=headers)

    # Converting

    def convert(self, book: DefinitionData) -> dict[str, Any]:
        if not book.survey_header and not book.survey:
            self.error(constants.SURVEY, 0, "", _("The file has no sheet named “survey”."))
            return {}
        settings = self.sheet(
            constants.SETTINGS,
            book.settings or [],
            book.settings_header,
            header_aliases=aliases.settings_header,
            header_columns=set(PyxformSurvey.get_slot_names()),
            translatable={"title", "yhdyspinta_title", "yhdyspinta_intro"},
        )
        self.settings_sheet = settings
        row = next((r for r in settings.rows if r.cells), _Row(2, {}))
        language = "fi"
        if row.get("default_language"):
            language = _language_code(row.get("default_language")) or ""
            if not language:
                self.error(
                    settings.name,
                    row.number,
                    settings.column("default_language"),
                    _("The language “%s” is not supported: use Finnish, Swedish or English.")
                    % row.get("default_language"),
                )
                language = "fi"
        settings.default_language = language
        title = settings.text(row, "title")
        for lang, value in settings.text(row, "yhdyspinta_title").items():
            title[lang] = value or title[lang]
        definition: dict[str, Any] = {
            "key": row.get("id_string") or _key_from_filename(self.filename),
            "title": title,
            "intro": settings.text(row, "yhdyspinta_intro"),
            "audience": row.get("yhdyspinta_audience"),
            "answer_mode": row.get("yhdyspinta_answer_mode"),
            "sections": self.sections,
        }
        for path in ("key", "title", "intro", "audience", "answer_mode"):
            self.places[path] = (settings, row)

        choices = self.sheet(
            constants.CHOICES,
            book.choices or [],
            book.choices_header,
            header_aliases=aliases.list_header,
            header_columns=set(Option.get_slot_names()),
            translatable={"label"},
        )
        choices.default_language = language
        self.read_choices(choices)

        survey = self.sheet(
            constants.SURVEY,
            book.survey or [],
            book.survey_header,
            header_aliases=aliases.survey_header,
            header_columns=set(MultipleChoiceQuestion.get_slot_names()),
            translatable={"label", "hint"},
        )
        survey.default_language = language
        self.survey_sheet = survey
        if ("type",) not in survey.headers:
            self.error(survey.name, 1, "", _("The survey sheet has no “type” column."))
            return definition
        self.walk(survey, title)
        return definition

    def read_choices(self, sheet: _Sheet) -> None:
        for row in sheet.rows:
            if not row.cells:
                continue
            list_name = row.get("list name")
            name = row.get("name")
            if not list_name:
                self.error(
                    sheet.name,
                    row.number,
                    sheet.column("list name"),
                    _("The list name is missing."),
                )
                continue
            if not name:
                self.error(sheet.name, row.number, sheet.column("name"), _("The name is missing."))
                continue
            self.choices.setdefault(list_name, []).append((row, name, sheet.text(row, "label")))

    def walk(self, sheet: _Sheet, survey_title: dict[str, str]) -> None:
        self.survey_title = survey_title
        self.implicit: _Context | None = None
        stack = [_Context(kind="survey", control="", row=None)]
        for row in sheet.rows:
            if not row.cells or aliases.yes_no.get(row.get("disabled"), False):
                continue
            top = stack[-1]
            kind = " ".join(row.get("type").split())
            if not kind:
                if row.get("name") or any(t[0] == "label" for t in row.cells):
                    self.error(
                        sheet.name, row.number, sheet.column("type"), _("The type is missing.")
                    )
                continue
            kind = dealias_types([{"type": kind}])[0]["type"]
            if end := RE_END_CONTROL.search(kind):
                self.end_group(sheet, row, aliases.control[end["type"]], stack)
            elif top.kind == "skip":
                if begin := RE_BEGIN_CONTROL.search(kind):
                    stack.append(
                        _Context(kind="skip", control=aliases.control[begin["type"]], row=row)
                    )
            elif begin := RE_BEGIN_CONTROL.search(kind):
                self.begin_group(sheet, row, kind, aliases.control[begin["type"]], stack)
            elif kind in _METADATA_TYPES:
                pass
            elif kind == "note":
                self.note(sheet, row, top)
            elif top.kind == "matrix":
                self.matrix_item(sheet, row, kind, top)
            else:
                question = self.question(sheet, row, kind)
                if question is not None:
                    self.add_question(sheet, row, question, stack)
            top.rows_seen += 1
        for context in stack[1:]:
            if context.row is not None:
                self.error(
                    sheet.name,
                    context.row.number,
                    sheet.column("type"),
                    _("This group has no end_group."),
                )
            if context.kind == "matrix":
                self.finish_matrix(sheet, context)

    def section_for(self, sheet: _Sheet, row: _Row, stack: list[_Context]) -> tuple[dict, str]:
        """The section a question on this row belongs to; one titled like the survey when the
        row is outside every group."""
        for context in reversed(stack):
            if context.section is not None:
                return context.section, context.section_path
        if self.implicit is None:
            section = {"title": dict(self.survey_title), "intro": {}, "questions": []}
            path = f"sections[{len(self.sections)}]"
            self.sections.append(section)
            # Its title is the survey's: a problem with it is one in the settings.
            self.places[path] = self.places["title"]
            self.implicit = _Context(
                kind="section", control="", row=row, section=section, section_path=path
            )
        return self.implicit.section, self.implicit.section_path

    def add_question(
        self, sheet: _Sheet, row: _Row, question: dict[str, Any], stack: list[_Context]
    ) -> str:
        section, section_path = self.section_for(sheet, row, stack)
        path = f"{section_path}.questions[{len(section['questions'])}]"
        section["questions"].append(question)
        self.places[path] = (sheet, row)
        return path

    def begin_group(
        self, sheet: _Sheet, row: _Row, kind: str, control: str, stack: list[_Context]
    ) -> None:
        top = stack[-1]
        if control != constants.GROUP:
            self.unsupported_type(sheet, row, kind)
            stack.append(_Context(kind="skip", control=control, row=row))
            return
        self.unsupported_columns(sheet, row)
        appearance = row.get("control", "appearance").split()
        declared = row.get(TYPE_COLUMN)
        if constants.TABLE_LIST in appearance:
            if top.kind in ("matrix", "nested"):
                self.error(
                    sheet.name,
                    row.number,
                    sheet.column("type"),
                    _("A table of ratings must be directly inside a section."),
                )
                stack.append(_Context(kind="skip", control=control, row=row))
                return
            if declared and declared != Question.Type.MATRIX:
                self.type_mismatch(sheet, row, declared, kind)
            question = {
                "key": row.get("name"),
                "type": str(Question.Type.MATRIX),
                "text": sheet.text(row, "label"),
                "help": sheet.text(row, "hint"),
                "show_if": self.condition(sheet, row),
                "choices": [],
                "items": [],
            }
            path = self.add_question(sheet, row, question, stack)
            context = _Context(
                kind="matrix", control=control, row=row, question=question, path=path
            )
            context.required = self.required(sheet, row)
            stack.append(context)
            return
        if declared:
            self.type_mismatch(sheet, row, declared, kind)
        if top.kind != "survey":
            self.error(
                sheet.name,
                row.number,
                sheet.column("type"),
                _(
                    "A group inside a section is not supported; only a table of ratings "
                    "(appearance “table-list”) can be."
                ),
            )
            stack.append(
                _Context(
                    kind="nested" if top.kind != "matrix" else "skip",
                    control=control,
                    row=row,
                    section=top.section,
                    section_path=top.section_path,
                )
            )
            return
        if row.get("bind", "relevant"):
            self.error(
                sheet.name,
                row.number,
                sheet.column("bind", "relevant"),
                _("A condition on a whole section is not supported."),
            )
        section = {"title": sheet.text(row, "label"), "intro": {}, "questions": []}
        path = f"sections[{len(self.sections)}]"
        self.sections.append(section)
        self.places[path] = (sheet, row)
        self.implicit = None
        stack.append(
            _Context(kind="section", control=control, row=row, section=section, section_path=path)
        )

    def end_group(self, sheet: _Sheet, row: _Row, control: str, stack: list[_Context]) -> None:
        if len(stack) == 1:
            self.error(
                sheet.name,
                row.number,
                sheet.column("type"),
                _("“%s” has no matching begin.") % row.get("type"),
            )
            return
        context = stack.pop()
        if context.control != control and context.row is not None:
            self.error(
                sheet.name,
                row.number,
                sheet.column("type"),
                _("“%(end)s” does not match the “%(begin)s” on row %(row)d.")
                % {
                    "end": row.get("type"),
                    "begin": context.row.get("type"),
                    "row": context.row.number,
                },
            )
        if context.kind == "matrix":
            self.finish_matrix(sheet, context)

    def note(self, sheet: _Sheet, row: _Row, top: _Context) -> None:
        if top.kind == "section" and top.rows_seen == 0 and top.section is not None:
            top.section["intro"] = sheet.text(row, "label")
            return
        self.error(
            sheet.name,
            row.number,
            sheet.column("type"),
            _(
                "A note is supported only as the introduction of a section, "
                "right after its begin_group."
            ),
        )

    def question(self, sheet: _Sheet, row: _Row, kind: str) -> dict[str, Any] | None:
        """The question on a row; None (and an error) when its type has no counterpart here."""
        declared = row.get(TYPE_COLUMN)
        question: dict[str, Any] = {
            "key": row.get("name"),
            "text": sheet.text(row, "label"),
            "help": sheet.text(row, "hint"),
            "choices": [],
        }
        select = self.select(sheet, row, kind)
        if select is False:
            return None
        if select is not None:
            command, list_name, other = select
            items = self.choices[list_name]
            scale = _scale(items)
            if command == constants.SELECT_ALL_THAT_APPLY:
                allowed = {"", Question.Type.MULTIPLE}
                question["type"] = Question.Type.MULTIPLE
            else:
                allowed = {"", Question.Type.LIKERT, Question.Type.SINGLE, Question.Type.POSITION}
                implied = Question.Type.LIKERT if scale and not other else Question.Type.SINGLE
                question["type"] = declared if declared in allowed and declared else implied
            if declared not in allowed:
                self.type_mismatch(sheet, row, declared, kind)
            if question["type"] == Question.Type.LIKERT:
                if not scale:
                    self.error(
                        sheet.name,
                        row.number,
                        sheet.column("type"),
                        _("A rating needs a list with exactly the choices 1–5 (and cant_say)."),
                    )
                else:
                    question["choices"], question["allow_cant_say"] = scale
                if other:
                    self.error(
                        sheet.name,
                        row.number,
                        sheet.column("type"),
                        _("A rating cannot offer “other”."),
                    )
            else:
                question["choices"] = [
                    {"value": value, "label": label} for _row, value, label in items
                ]
                if other and question["type"] == Question.Type.POSITION:
                    self.error(
                        sheet.name,
                        row.number,
                        sheet.column("type"),
                        _("The respondent's position cannot offer “other”."),
                    )
                question["allow_other"] = other
        elif kind == "text":
            multiline = "multiline" in row.get("control", "appearance").split()
            implied = Question.Type.LONG_TEXT if multiline else Question.Type.SHORT_TEXT
            allowed = {
                "",
                Question.Type.SHORT_TEXT,
                Question.Type.LONG_TEXT,
                Question.Type.ORGANISATION,
                Question.Type.POSITION,
            }
            if declared not in allowed:
                self.type_mismatch(sheet, row, declared, kind)
                declared = ""
            question["type"] = declared or implied
        elif kind == "integer":
            if declared not in ("", Question.Type.NUMBER):
                self.type_mismatch(sheet, row, declared, kind)
            question["type"] = Question.Type.NUMBER
            question["min_value"], question["max_value"] = self.bounds(sheet, row)
        else:
            self.unsupported_type(sheet, row, kind)
            return None
        if kind != "integer" and row.get("bind", "constraint"):
            self.error(
                sheet.name,
                row.number,
                sheet.column("bind", "constraint"),
                _("A constraint is supported only as the bounds of an integer question."),
            )
        self.unsupported_columns(sheet, row)
        question["type"] = str(question["type"])  # The plain value, as JSON would have it.
        question["required"] = self.required(sheet, row)
        question["show_if"] = self.condition(sheet, row)
        return question

    def select(self, sheet: _Sheet, row: _Row, kind: str) -> tuple[str, str, bool] | bool | None:
        """(command, list name, or_other) for a supported select; None when the row is not a
        select; False when it is one that cannot be imported (the error is recorded)."""
        match = RE_SELECT.search(kind)
        if not match:
            if kind in aliases.select:
                self.error(
                    sheet.name,
                    row.number,
                    sheet.column("type"),
                    _("Give the name of the choice list after “%s”.") % kind,
                )
                return False
            return None
        command = match["select_command"]
        select_type = aliases.select[command]
        list_name = match["list_name"]
        if (
            command in aliases.select_from_file
            or select_type not in (constants.SELECT_ONE, constants.SELECT_ALL_THAT_APPLY)
            or "${" in list_name
        ):
            self.unsupported_type(sheet, row, kind)
            return False
        if list_name not in self.choices:
            self.error(
                sheet.name,
                row.number,
                sheet.column("type"),
                _("The choice list “%s” is not on the choices sheet.") % list_name,
            )
            return False
        return select_type, list_name, match["specify_other"] is not None

    def matrix_item(self, sheet: _Sheet, row: _Row, kind: str, context: _Context) -> None:
        assert context.question is not None
        select = self.select(sheet, row, kind)
        if select is None or (select and (select[0] != constants.SELECT_ONE or select[2])):
            self.error(
                sheet.name,
                row.number,
                sheet.column("type"),
                _("A table of ratings can contain only select_one rows on a list of 1–5."),
            )
            return
        if select is False:
            return
        _command, list_name, _other = select
        declared = row.get(TYPE_COLUMN)
        if declared not in ("", Question.Type.LIKERT):
            self.type_mismatch(sheet, row, declared, kind)
        if not _scale(self.choices[list_name]):
            self.error(
                sheet.name,
                row.number,
                sheet.column("type"),
                _("A rating needs a list with exactly the choices 1–5 (and cant_say)."),
            )
        elif context.list_name is None:
            context.list_name = list_name
        elif context.list_name != list_name:
            self.error(
                sheet.name,
                row.number,
                sheet.column("type"),
                _("All ratings in a table must use the same choice list (“%s”).")
                % context.list_name,
            )
        for tokens, message in (
            (("bind", "relevant"), _("A condition on one rating of a table is not supported.")),
            (("bind", "constraint"), _("A constraint on a rating is not supported.")),
        ):
            if row.get(*tokens):
                self.error(sheet.name, row.number, sheet.column(*tokens), message)
        self.unsupported_columns(sheet, row)
        items = context.question["items"]
        path = f"{context.path}.items[{len(items)}]"
        items.append(
            {
                "key": row.get("name"),
                "text": sheet.text(row, "label"),
                "help": sheet.text(row, "hint"),
            }
        )
        self.places[path] = (sheet, row)
        context.item_rows.append((row, self.required(sheet, row)))

    def finish_matrix(self, sheet: _Sheet, context: _Context) -> None:
        question = context.question
        assert question is not None
        if context.list_name is not None:
            question["choices"], question["allow_cant_say"] = _scale(
                self.choices[context.list_name]
            ) or ([], False)
        flags = [required for _row, required in context.item_rows]
        question["required"] = context.required or (bool(flags) and all(flags))
        if not context.required and any(flags) and not all(flags):
            row = next(r for r, required in context.item_rows if not required)
            self.error(
                sheet.name,
                row.number,
                sheet.column("bind", "required"),
                _("Either every rating of a table is required or none is."),
            )

    def required(self, sheet: _Sheet, row: _Row) -> bool:
        value = row.get("bind", "required")
        if not value:
            return False
        if value in aliases.yes_no:
            return aliases.yes_no[value]
        self.error(
            sheet.name,
            row.number,
            sheet.column("bind", "required"),
            _("Only “yes” or “no” is supported here."),
        )
        return False

    def condition(self, sheet: _Sheet, row: _Row) -> dict[str, str] | None:
        relevant = row.get("bind", "relevant")
        if not relevant:
            return None
        match = _EQUALS_RE.match(relevant) or _SELECTED_RE.match(relevant)
        if not match:
            self.error(
                sheet.name,
                row.number,
                sheet.column("bind", "relevant"),
                _(
                    "Only a condition of the form ${question} = 'value' or "
                    "selected(${question}, 'value') is supported."
                ),
            )
            return None
        value = next(
            (v for v in (match["single"], match["double"], match.groupdict().get("number")) if v),
            "",
        )
        return {"question": match["key"], "value": value}

    def bounds(self, sheet: _Sheet, row: _Row) -> tuple[int | None, int | None]:
        constraint = row.get("bind", "constraint")
        if not constraint:
            return None, None
        low: int | None = None
        high: int | None = None
        parts = re.split(r"\s+and\s+", constraint.strip())
        for part in parts:
            match = _BOUND_RE.match(part)
            if not match:
                break
            number = int(match["number"])
            if match["op"].startswith(">"):
                if low is not None:
                    break
                low = number if match["op"] == ">=" else number + 1
            else:
                if high is not None:
                    break
                high = number if match["op"] == "<=" else number - 1
        else:
            return low, high
        self.error(
            sheet.name,
            row.number,
            sheet.column("bind", "constraint"),
            _("Only bounds of the form “. >= 0 and . <= 100” are supported."),
        )
        return None, None

    def unsupported_type(self, sheet: _Sheet, row: _Row, kind: str) -> None:
        self.error(
            sheet.name, row.number, sheet.column("type"), _("Type “%s” is not supported.") % kind
        )

    def type_mismatch(self, sheet: _Sheet, row: _Row, declared: str, kind: str) -> None:
        self.error(
            sheet.name,
            row.number,
            sheet.column(TYPE_COLUMN),
            _("“%(declared)s” does not fit the type “%(type)s”.")
            % {"declared": declared, "type": kind},
        )

    def unsupported_columns(self, sheet: _Sheet, row: _Row) -> None:
        for tokens in _UNSUPPORTED_COLUMNS:
            if row.get(*tokens):
                column = sheet.column(*tokens)
                self.error(
                    sheet.name,
                    row.number,
                    column,
                    _("The column “%s” is not supported.") % column,
                )

    # Placing the definition's own problems

    def place(self, problem: DefinitionError) -> XLSFormError:
        """Where in the file a problem of the definition lies, as far as can be told."""
        base, _dot, name = problem.path.rpartition(".")
        if base in self.places:
            sheet, row = self.places[base]
        elif not base and name in self.places:
            sheet, row = self.places[name]
        elif not base and name == "sections" and self.survey_sheet is not None:
            return XLSFormError(self.survey_sheet.name, 1, "", str(problem.message))
        else:
            return XLSFormError("", 0, "", str(problem))
        name = re.sub(r"\[\d+\]$", "", name)
        if sheet.name == constants.SETTINGS:
            columns = {
                "key": sheet.column("id_string"),
                "title": sheet.column("title"),
                "intro": sheet.text_column("yhdyspinta_intro"),
                "audience": sheet.column("yhdyspinta_audience"),
                "answer_mode": sheet.column("yhdyspinta_answer_mode"),
            }
        else:
            columns = {
                "key": sheet.column("name"),
                "text": sheet.text_column("label"),
                "title": sheet.text_column("label"),
                "intro": sheet.text_column("label"),
                "help": sheet.text_column("hint"),
                "type": sheet.column("type"),
                "choices": sheet.column("type"),
                "items": sheet.column("type"),
                "show_if": sheet.column("bind", "relevant"),
            }
        return XLSFormError(
            sheet.name, row.number if row else 0, columns.get(name, ""), str(problem.message)
        )


def _scale(
    items: list[tuple[_Row, str, dict[str, str]]],
) -> tuple[list[dict[str, Any]], bool] | None:
    """The 1–5 choices and whether "can't say" is offered, when the list is a rating scale."""
    values = [value for _row, value, _label in items]
    core = [v for v in values if v != CANT_SAY]
    if sorted(core) != SCALE_VALUES or len(values) - len(core) > 1:
        return None
    labels = {value: label for _row, value, label in items}
    return [{"value": v, "label": labels[v]} for v in SCALE_VALUES], CANT_SAY in values


def _key_from_filename(filename: str) -> str:
    """pyxform names a form after its file when the settings give no form_id; so do we."""
    stem = unicodedata.normalize("NFKD", PurePath(filename).stem).encode("ascii", "ignore")
    return re.sub(r"[^a-z0-9_]+", "_", stem.decode().lower()).strip("_")


# --------------------------------------------------------------------------------------------
# Export

SURVEY_COLUMNS = [
    "type",
    "name",
    *(f"label::{LANGUAGE_NAMES[lang]}" for lang in LANGUAGES),
    *(f"hint::{LANGUAGE_NAMES[lang]}" for lang in LANGUAGES),
    "required",
    "relevant",
    "constraint",
    "appearance",
    TYPE_COLUMN,
]
CHOICES_COLUMNS = ["list_name", "name", *(f"label::{LANGUAGE_NAMES[lang]}" for lang in LANGUAGES)]
SETTINGS_COLUMNS = [
    "form_title",
    "form_id",
    "default_language",
    *(f"yhdyspinta_title::{LANGUAGE_NAMES[lang]}" for lang in LANGUAGES if lang != "fi"),
    *(f"yhdyspinta_intro::{LANGUAGE_NAMES[lang]}" for lang in LANGUAGES),
    "yhdyspinta_audience",
    "yhdyspinta_answer_mode",
]


def definition_to_xlsform(definition: dict[str, Any]) -> bytes:
    """The survey as an .xlsx XLSForm that pyxform converts to an XForm and that
    `definition_from_xlsform` reads back to the same definition. Raises `DefinitionRejected`
    for an invalid definition, which could not become a valid form."""
    errors = validate(definition)
    if errors:
        raise DefinitionRejected(errors)
    return _Exporter(normalise(definition)).workbook()


def _localised(column: str, value: dict[str, str]) -> dict[str, str]:
    return {f"{column}::{LANGUAGE_NAMES[lang]}": value[lang] for lang in LANGUAGES}


def _literal(value: str) -> str:
    quote = '"' if "'" in value else "'"
    return f"{quote}{value}{quote}"


class _Exporter:
    def __init__(self, definition: dict[str, Any]):
        self.d = definition
        self.survey: list[dict[str, str]] = []
        self.choices: list[dict[str, str]] = []
        self.lists: dict[Any, str] = {}
        self.multiple: set[str] = set()
        self.names = {
            key
            for section in definition["sections"]
            for q in section["questions"]
            for key in (q["key"], *(item["key"] for item in q.get("items", [])))
        }

    def unique_name(self, name: str) -> str:
        candidate, n = name, 1
        while candidate in self.names:
            n += 1
            candidate = f"{name}_{n}"
        self.names.add(candidate)
        return candidate

    def list_for(self, question: dict[str, Any], *, scale: bool) -> str:
        """A choice list, shared by the questions with exactly the same choices."""
        choices = [
            (c["value"], tuple(c["label"][lang] for lang in LANGUAGES)) for c in question["choices"]
        ]
        cant_say = scale and question["allow_cant_say"]
        # pyxform adds "other" to the list itself, so a list with it is not shared without.
        signature = (tuple(choices), cant_say, not scale and question["allow_other"])
        if signature not in self.lists:
            name = question["key"]
            self.lists[signature] = name
            for c in question["choices"]:
                self.choices.append(
                    {"list_name": name, "name": c["value"], **_localised("label", c["label"])}
                )
            if cant_say:
                label = {}
                for lang in LANGUAGES:
                    with translation.override(lang):
                        label[lang] = _("Can't say")
                self.choices.append(
                    {"list_name": name, "name": CANT_SAY, **_localised("label", label)}
                )
        return self.lists[signature]

    def relevant(self, show_if: dict[str, Any] | None) -> str:
        if not show_if:
            return ""
        key, value = show_if["question"], _literal(str(show_if["value"]))
        if key in self.multiple:
            return f"selected(${{{key}}}, {value})"
        return f"${{{key}}} = {value}"

    def question(self, q: dict[str, Any]) -> None:
        row: dict[str, str] = {
            "name": q["key"],
            **_localised("label", q["text"]),
            **_localised("hint", q["help"]),
            "required": "yes" if q["required"] else "",
            "relevant": self.relevant(q["show_if"]),
        }
        kind = q["type"]
        if kind == Question.Type.MATRIX:
            row["type"] = "begin_group"
            row["appearance"] = constants.TABLE_LIST
            row["required"] = ""
            self.survey.append(row)
            list_name = self.list_for(q, scale=True)
            for item in q["items"]:
                self.survey.append(
                    {
                        "type": f"select_one {list_name}",
                        "name": item["key"],
                        **_localised("label", item["text"]),
                        **_localised("hint", item["help"]),
                        "required": "yes" if q["required"] else "",
                    }
                )
            self.survey.append({"type": "end_group"})
            return
        if kind == Question.Type.LIKERT:
            row["type"] = f"select_one {self.list_for(q, scale=True)}"
            row["appearance"] = "likert"
        elif kind in (Question.Type.SINGLE, Question.Type.MULTIPLE):
            command = "select_one" if kind == Question.Type.SINGLE else "select_multiple"
            other = " or_other" if q["allow_other"] else ""
            row["type"] = f"{command} {self.list_for(q, scale=False)}{other}"
            values = [c["value"] for c in q["choices"]]
            if kind == Question.Type.SINGLE and sorted(v for v in values if v != CANT_SAY) == (
                SCALE_VALUES
            ):
                row[TYPE_COLUMN] = kind  # Would otherwise read back as a rating.
            if kind == Question.Type.MULTIPLE:
                self.multiple.add(q["key"])
        elif kind == Question.Type.NUMBER:
            row["type"] = "integer"
            bounds = []
            if q["min_value"] is not None:
                bounds.append(f". >= {int(q['min_value'])}")
            if q["max_value"] is not None:
                bounds.append(f". <= {int(q['max_value'])}")
            row["constraint"] = " and ".join(bounds)
        elif kind == Question.Type.SHORT_TEXT:
            row["type"] = "text"
        elif kind == Question.Type.LONG_TEXT:
            row["type"] = "text"
            row["appearance"] = "multiline"
        elif kind == Question.Type.ORGANISATION:
            row["type"] = "text"
            row[TYPE_COLUMN] = kind
        elif kind == Question.Type.POSITION:
            row["type"] = f"select_one {self.list_for(q, scale=False)}" if q["choices"] else "text"
            row[TYPE_COLUMN] = kind
        self.survey.append(row)

    def workbook(self) -> bytes:
        for number, section in enumerate(self.d["sections"], start=1):
            name = self.unique_name(f"section_{number}")
            self.survey.append(
                {
                    "type": "begin_group",
                    "name": name,
                    **_localised("label", section["title"]),
                    "appearance": "field-list",
                }
            )
            if any(section["intro"].values()):
                self.survey.append(
                    {
                        "type": "note",
                        "name": self.unique_name(f"{name}_intro"),
                        **_localised("label", section["intro"]),
                    }
                )
            for q in section["questions"]:
                self.question(q)
            self.survey.append({"type": "end_group"})
        d = self.d
        settings = {
            "form_title": d["title"]["fi"],
            "form_id": d["key"],
            "default_language": LANGUAGE_NAMES["fi"],
            **{
                f"yhdyspinta_title::{LANGUAGE_NAMES[lang]}": d["title"][lang]
                for lang in LANGUAGES
                if lang != "fi"
            },
            **_localised("yhdyspinta_intro", d["intro"]),
            "yhdyspinta_audience": d["audience"],
            "yhdyspinta_answer_mode": d["answer_mode"],
        }
        book = Workbook()
        _write_sheet(book.active, constants.SURVEY, SURVEY_COLUMNS, self.survey)
        _write_sheet(book.create_sheet(), constants.CHOICES, CHOICES_COLUMNS, self.choices)
        _write_sheet(book.create_sheet(), constants.SETTINGS, SETTINGS_COLUMNS, [settings])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def _write_sheet(sheet: Any, title: str, columns: list[str], rows: list[dict[str, str]]) -> None:
    sheet.title = title
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for r, row in enumerate(rows, start=2):
        for c, column in enumerate(columns, start=1):
            value = row.get(column, "")
            if value:
                cell = sheet.cell(row=r, column=c, value=value)
                # A text starting with "=" is a text, not a formula to evaluate.
                if value.startswith("="):
                    cell.data_type = "s"
    for c, column in enumerate(columns, start=1):
        width = max([len(column), *(min(len(row.get(column, "")), 60) for row in rows)])
        sheet.column_dimensions[sheet.cell(row=1, column=c).column_letter].width = width + 2
