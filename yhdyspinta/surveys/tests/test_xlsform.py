"""XLSForm import and export: workbooks are built here with openpyxl, no binary fixtures."""

from __future__ import annotations

import copy
import importlib.util
import io
from typing import Any

import openpyxl
import pytest
from django.utils import translation
from pyxform.xls2xform import convert

from yhdyspinta.surveys import xlsform
from yhdyspinta.surveys.definition import normalise, validate
from yhdyspinta.surveys.models import Question, Survey
from yhdyspinta.surveys.xlsform import (
    XLSFormError,
    XLSFormRejected,
    definition_from_xlsform,
    definition_to_xlsform,
    import_survey,
)

FI, SV, EN = "label::Suomi (fi)", "label::Svenska (sv)", "label::English (en)"
SCALE = [["scale", str(n), f"{n} fi", f"{n} sv", f"{n} en"] for n in range(1, 6)]
SETTINGS = [["form_title", "form_id", "default_language"], ["Kysely", "kysely", "Suomi (fi)"]]


def workbook(
    survey: list[list[Any]],
    choices: list[list[Any]] | None = None,
    settings: list[list[Any]] | None = None,
) -> bytes:
    """An .xlsx with the given rows (the first row of each sheet is its header)."""
    book = openpyxl.Workbook()
    sheets = {"survey": survey, "choices": choices, "settings": settings}
    book.remove(book.active)
    for title, rows in sheets.items():
        if rows is None:
            continue
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def t(fi: str = "", sv: str = "", en: str = "") -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


def scale_choices() -> list[dict[str, Any]]:
    return [{"value": str(n), "label": t(f"{n} fi", f"{n} sv", f"{n} en")} for n in range(1, 6)]


def question(key: str, kind: str, text: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {"key": key, "type": kind, "text": text, **extra}


def rejected(data: bytes, **kwargs: Any) -> list[XLSFormError]:
    """The problems found, with messages in English (the source language)."""
    with translation.override("en"), pytest.raises(XLSFormRejected) as exc:
        definition_from_xlsform(data, **kwargs)
    return exc.value.errors


def places(errors: list[XLSFormError]) -> set[tuple[str, int, str]]:
    return {(e.sheet, e.row, e.column) for e in errors}


def assert_converts(data: bytes) -> str:
    """pyxform turns the workbook into an XForm without error; returns the XForm."""
    warnings: list[str] = []
    result = convert(data, file_type=".xlsx", warnings=warnings)
    assert "<h:html" in result.xform
    return result.xform


# ------------------------------------------------------------------------------------------
# Import of a hand-written form

HEADER = ["type", "name", "label", EN, "hint", "required", "relevant", "constraint"]
HEADER += ["appearance", "yhdyspinta_type"]


def hand_written() -> bytes:
    long_text = ["text", "long", "Pitkästi", "At length", "", ""]
    survey = [
        HEADER,
        ["start", "start"],
        ["begin_group", "background", "Taustatiedot", "Background", "", "", "", "", "field-list"],
        ["note", "background_intro", "Aluksi taustasi.", "First your background."],
        ["text", "org", "Organisaatio", "Organisation", "", "yes", "", "", "", "organisation"],
        ["select_one positions", "pos", "Asema", "Position", "", "yes", "", "", "", "position"],
        ["end_group"],
        [],
        ["begin group", "ratings", "Arviot", "Ratings"],
        ["select_one scale", "overall", "Yleisarvio", "Overall", "Yksi luku", "yes"],
        ["select_one scale_cs", "clarity", "Selkeys", "Clarity"],
        ["begin_group", "grid", "Toteutuminen", "Realisation", "Arvioi", "", "", "", "table-list"],
        ["select_one scale_cs", "grid_a", "Tapaamiset", "Meetings", "Kerran vuodessa", "yes"],
        ["select_one scale_cs", "grid_b", "Vastuut", "Responsibilities", "", "yes"],
        ["end_group"],
        ["select_one colours or_other", "colour", "Väri", "Colour", "", "", "${overall} = '5'"],
        ["select_multiple colours", "colours", "Värit", "Colours", "", "no"],
        ["integer", "staff", "Henkilöstö", "Staff", "", "", "", ". >= 0 and . <= 5000"],
        ["integer", "age", "Ikä", "Age", "", "", "", ". >= 18"],
        ["text", "short", "Lyhyesti", "Briefly"],
        [*long_text, "selected(${colours}, 'red')", "", "multiline"],
        ["end_group"],
    ]
    choices = [
        ["list_name", "name", "label", EN],
        *[["scale", str(n), f"{n} fi", f"{n} en"] for n in range(1, 6)],
        # A scale in another order, with "can't say": still a rating.
        *[["scale_cs", str(n), f"{n} fi", f"{n} en"] for n in range(5, 0, -1)],
        ["scale_cs", "cant_say", "EOS", "Can't say"],
        ["colours", "red", "Punainen", "Red"],
        ["colours", "blue", "Sininen", "Blue"],
        ["positions", "chair", "Puheenjohtaja", "Chair"],
        ["positions", "manager", "Johtaja", "Manager"],
    ]
    settings = [
        [
            "form_title",
            "form_id",
            "yhdyspinta_title::English (en)",
            "yhdyspinta_intro::Suomi (fi)",
            "yhdyspinta_audience",
            "yhdyspinta_answer_mode",
        ],
        ["Kysely", "test_survey", "Survey", "Tervetuloa", "council", "per_organisation"],
    ]
    return workbook(survey, choices, settings)


def test_a_hand_written_form_with_every_supported_type_imports():
    scale = [{"value": str(n), "label": t(f"{n} fi", "", f"{n} en")} for n in range(1, 6)]
    colours = [
        {"value": "red", "label": t("Punainen", "", "Red")},
        {"value": "blue", "label": t("Sininen", "", "Blue")},
    ]
    expected = {
        "key": "test_survey",
        "title": t("Kysely", "", "Survey"),
        "intro": t("Tervetuloa"),
        "audience": "council",
        "answer_mode": "per_organisation",
        "sections": [
            {
                "title": t("Taustatiedot", "", "Background"),
                "intro": t("Aluksi taustasi.", "", "First your background."),
                "questions": [
                    question("org", "organisation", t("Organisaatio", "", "Organisation"))
                    | {"required": True},
                    question(
                        "pos",
                        "position",
                        t("Asema", "", "Position"),
                        required=True,
                        choices=[
                            {"value": "chair", "label": t("Puheenjohtaja", "", "Chair")},
                            {"value": "manager", "label": t("Johtaja", "", "Manager")},
                        ],
                    ),
                ],
            },
            {
                "title": t("Arviot", "", "Ratings"),
                "questions": [
                    question(
                        "overall",
                        "likert",
                        t("Yleisarvio", "", "Overall"),
                        help=t("Yksi luku"),
                        required=True,
                        choices=scale,
                    ),
                    question(
                        "clarity",
                        "likert",
                        t("Selkeys", "", "Clarity"),
                        allow_cant_say=True,
                        choices=scale,
                    ),
                    question(
                        "grid",
                        "matrix",
                        t("Toteutuminen", "", "Realisation"),
                        help=t("Arvioi"),
                        required=True,
                        allow_cant_say=True,
                        choices=scale,
                        items=[
                            {
                                "key": "grid_a",
                                "text": t("Tapaamiset", "", "Meetings"),
                                "help": t("Kerran vuodessa"),
                            },
                            {"key": "grid_b", "text": t("Vastuut", "", "Responsibilities")},
                        ],
                    ),
                    question(
                        "colour",
                        "single",
                        t("Väri", "", "Colour"),
                        allow_other=True,
                        choices=colours,
                        show_if={"question": "overall", "value": "5"},
                    ),
                    question("colours", "multiple", t("Värit", "", "Colours"), choices=colours),
                    question(
                        "staff", "number", t("Henkilöstö", "", "Staff"), min_value=0, max_value=5000
                    ),
                    question("age", "number", t("Ikä", "", "Age"), min_value=18),
                    question("short", "short_text", t("Lyhyesti", "", "Briefly")),
                    question(
                        "long",
                        "long_text",
                        t("Pitkästi", "", "At length"),
                        show_if={"question": "colours", "value": "red"},
                    ),
                ],
            },
        ],
    }
    assert validate(expected) == []
    assert definition_from_xlsform(hand_written()) == normalise(expected)


def test_a_file_like_object_with_plain_labels_and_no_groups():
    data = workbook(
        [["type", "name", "label"], ["text", "name", "Nimi"]],
        settings=[["form_title"], ["Kuntakysely"]],
    )
    definition = definition_from_xlsform(io.BytesIO(data), filename="Kuntakysely 2026.xlsx")
    # Without form_id the key comes from the file name, as in pyxform; questions outside
    # every group form a section titled like the survey.
    assert definition["key"] == "kuntakysely_2026"
    assert definition["sections"][0]["title"]["fi"] == "Kuntakysely"
    assert definition["sections"][0]["questions"][0]["text"]["fi"] == "Nimi"


def test_a_missing_title_is_reported_once_at_the_settings():
    data = workbook([["type", "name", "label"], ["text", "name", "Nimi"]])
    [error] = rejected(data, filename="kysely.xlsx")
    assert (error.sheet, error.row, error.column) == ("settings", 2, "form_title")


# ------------------------------------------------------------------------------------------
# Problems


@pytest.mark.django_db
def test_an_unsupported_type_is_reported_at_its_row_and_nothing_is_created(monkeypatch):
    data = workbook(
        [
            ["type", "name", "label"],
            ["begin_group", "s", "Osio"],
            ["text", "a", "A"],
            ["integer", "b", "B"],
            ["geopoint", "where", "Missä?"],
            ["end_group"],
        ],
        settings=SETTINGS,
    )

    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("build_survey must not be reached")

    monkeypatch.setattr(xlsform, "build_survey", never)
    with pytest.raises(XLSFormRejected) as exc:
        import_survey(data, actor=None)
    [error] = exc.value.errors
    assert (error.sheet, error.row, error.column) == ("survey", 5, "type")
    assert "geopoint" in error.message
    assert Survey.objects.count() == 0


def test_every_problem_is_reported():
    data = workbook(
        [
            ["type", "name", "label", "relevant", "calculation", "constraint", "appearance"],
            ["begin_group", "s", "Osio", "", "", "", "field-list"],
            ["text", "a", "A"],  # row 3
            ["decimal", "b", "B"],  # 4: unsupported type
            ["select_one missing", "c", "C"],  # 5: no such list
            ["text", "d", "D", "${a} = 'x' and ${b} > 2"],  # 6: too complex a condition
            ["text", "e", "E", "", "1 + 1"],  # 7: calculation
            ["integer", "f", "F", "", "", ". > 1 or . < 0"],  # 8: bounds
            ["text", "a", "Again"],  # 9: key used twice (definition.validate)
            ["text", "g", ""],  # 10: Finnish text missing (definition.validate)
            ["begin_repeat", "r", "Toisto"],  # 11: repeats are not supported
            ["text", "in_repeat", "Sisällä"],
            ["end_repeat"],
            ["text", "h", "H", "${zzz} = 'x'"],  # 14: condition on an unknown question
            ["note", "n", "Huom"],  # 15: a note that is not an introduction
            ["end_group"],
            ["end_group"],  # 17: nothing to end
        ],
        settings=SETTINGS,
    )
    errors = rejected(data)
    assert places(errors) == {
        ("survey", 4, "type"),
        ("survey", 5, "type"),
        ("survey", 6, "relevant"),
        ("survey", 7, "calculation"),
        ("survey", 8, "constraint"),
        ("survey", 9, "name"),
        ("survey", 10, "label"),
        ("survey", 11, "type"),
        ("survey", 14, "relevant"),
        ("survey", 15, "type"),
        ("survey", 17, "type"),
    }
    messages = {e.row: e.message for e in errors}
    assert messages[4] == "Type “decimal” is not supported."
    assert "missing" in messages[5]
    assert "a" in messages[9]


def test_problems_of_settings_choices_languages_and_tables():
    data = workbook(
        [
            ["type", "name", FI, "label::Deutsch (de)", "appearance"],
            ["begin_group", "s", "Osio", "Abschnitt", "field-list"],
            ["begin_group", "m", "Ryhmä"],  # 3: a plain group inside a section
            ["end_group"],
            ["begin_group", "grid", "Taulukko", "", "table-list"],  # 5: a table without ratings
            ["end_group"],
            ["select_one scale", "x", "X"],
            ["end_group"],
        ],
        [
            ["list_name", "name", "label"],
            *[["scale", str(n), str(n)] for n in range(1, 6)],
            ["scale", "", "tyhjä"],  # 7: a choice without a name
        ],
        [["form_title", "form_id", "yhdyspinta_audience"], ["", "1bad", "martians"]],
    )
    errors = rejected(data)
    assert places(errors) == {
        ("survey", 1, "label::Deutsch (de)"),
        ("survey", 3, "type"),
        ("survey", 5, "type"),
        ("choices", 7, "name"),
        ("settings", 2, "form_title"),
        ("settings", 2, "form_id"),
        ("settings", 2, "yhdyspinta_audience"),
    }
    assert "Add the rated items." in {e.message for e in errors if e.row == 5}


@pytest.mark.parametrize(
    ("relevant", "show_if"),
    [
        ("${colour} = 'red'", {"question": "colour", "value": "red"}),
        ('${ colour }="red"', {"question": "colour", "value": "red"}),
        ("selected(${colour}, 'blue')", {"question": "colour", "value": "blue"}),
        ("${colour} = 'red' or ${colour} = 'blue'", None),
        ("selected(${colour}, 'red') and selected(${colour}, 'blue')", None),
        ("${colour} != 'red'", None),
        ("not(selected(${colour}, 'red'))", None),
    ],
)
def test_conditions_of_both_standard_forms_and_nothing_more(relevant, show_if):
    data = workbook(
        [
            ["type", "name", "label", "relevant"],
            ["select_one colours", "colour", "Väri"],
            ["text", "why", "Miksi?", relevant],
        ],
        [["list_name", "name", "label"], ["colours", "red", "Pun"], ["colours", "blue", "Sin"]],
        SETTINGS,
    )
    if show_if is None:
        assert places(rejected(data)) == {("survey", 3, "relevant")}
    else:
        questions = definition_from_xlsform(data)["sections"][0]["questions"]
        assert questions[1]["show_if"] == show_if


def test_a_table_of_ratings_needs_one_scale_and_one_required_setting():
    data = workbook(
        [
            ["type", "name", "label", "required", "appearance"],
            ["begin_group", "s", "Osio", "", "field-list"],
            ["begin_group", "grid", "Taulukko", "", "table-list"],
            ["select_one scale", "a", "A", "yes"],
            ["select_one other", "b", "B", "yes"],  # 5: another list
            ["select_one scale", "c", "C", "no"],  # 6: not required unlike the others
            ["select_one abc", "d", "D"],  # 7: not a 1–5 list
            ["text", "e", "E"],  # 8: not a rating
            ["end_group"],
            ["end_group"],
        ],
        [["list_name", "name", "label"]]
        + [[name, str(n), str(n)] for name in ("scale", "other") for n in range(1, 6)]
        + [["abc", "a", "A"]],
        SETTINGS,
    )
    assert places(rejected(data)) == {
        ("survey", 5, "type"),
        ("survey", 6, "required"),
        ("survey", 7, "type"),
        ("survey", 8, "type"),
    }


def test_a_rating_declared_as_such_needs_the_scale():
    data = workbook(
        [
            ["type", "name", "label", "yhdyspinta_type"],
            ["select_one abc", "a", "A", "likert"],  # 2: not a 1–5 list
            ["text", "b", "B", "likert"],  # 3: does not fit
            ["select_one abc", "c", "C", "single"],
        ],
        [["list_name", "name", "label"], ["abc", "a", "A"]],
        SETTINGS,
    )
    assert places(rejected(data)) == {("survey", 2, "type"), ("survey", 3, "yhdyspinta_type")}


def test_an_unreadable_file_is_rejected_as_a_whole():
    [error] = rejected(b"not a spreadsheet at all", filename="kysely.xlsx")
    assert (error.sheet, error.row, error.column) == ("", 0, "")


def test_a_workbook_without_a_survey_sheet_is_rejected():
    book = openpyxl.Workbook()
    book.active.title = "choices"
    book.create_sheet("settings")
    out = io.BytesIO()
    book.save(out)
    [error] = rejected(out.getvalue())
    assert error.sheet == "survey"


# ------------------------------------------------------------------------------------------
# Export and round trip


def rich_definition() -> dict[str, Any]:
    return {
        "key": "rich_survey",
        "title": t("Laaja kysely", "Omfattande enkät", "Rich survey"),
        "intro": t("Tervetuloa.\n\nToinen kappale.", "Välkommen.", "Welcome."),
        "audience": "county",
        "answer_mode": "per_organisation",
        "sections": [
            {
                "title": t("Tausta", "Bakgrund", "Background"),
                "intro": t("Aluksi.", "Först.", "First."),
                "questions": [
                    question(
                        "organisation",
                        "organisation",
                        t("Organisaatio", "Organisation", "Organisation"),
                        required=True,
                    ),
                    question(
                        "position",
                        "position",
                        t("Asema", "Ställning", "Position"),
                        choices=[
                            {"value": "chair", "label": t("Pj", "Ordf", "Chair")},
                            {"value": "manager", "label": t("Johtaja", "Direktör", "Manager")},
                        ],
                    ),
                    question("free_position", "position", t("Asema vapaasti")),
                ],
            },
            {
                "title": t("Arviot", "Bedömningar", "Ratings"),
                "questions": [
                    question(
                        "overall",
                        "likert",
                        t("Yleisarvio", "Helhet", "Overall"),
                        help=t("Ohje", "Hjälp", "Help"),
                        required=True,
                        allow_cant_say=True,
                        choices=scale_choices(),
                    ),
                    question(
                        "overall_plain",
                        "likert",
                        t("Toinen", "Annan", "Another"),
                        choices=scale_choices(),
                    ),
                    question(
                        "grid",
                        "matrix",
                        t("Toteutuminen", "Förverkligande", "Realisation"),
                        help=t("Arvioi kukin", "Bedöm", "Rate each"),
                        required=True,
                        allow_cant_say=True,
                        choices=scale_choices(),
                        show_if={"question": "overall", "value": "4"},
                        items=[
                            {
                                "key": "grid_meetings",
                                "text": t("Tapaamiset", "Möten", "Meetings"),
                                "help": t("Säännölliset", "Regelbundna", "Regular"),
                            },
                            {"key": "grid_roles", "text": t("Roolit", "Roller", "Roles")},
                        ],
                    ),
                    # A single choice whose values look like a rating stays a single choice.
                    question(
                        "grade",
                        "single",
                        t("Arvosana", "Vitsord", "Grade"),
                        choices=scale_choices(),
                    ),
                ],
            },
            {
                "title": t("Muuta", "Övrigt", "Other"),
                "intro": t("", "", "Only in English."),
                "questions": [
                    question(
                        "sectors",
                        "multiple",
                        t("Toimialat", "Sektorer", "Sectors"),
                        allow_other=True,
                        choices=[
                            {"value": "health", "label": t("Terveys", "Hälsa", "Health")},
                            {"value": "schools", "label": t("Koulut", "Skolor", "Schools")},
                        ],
                    ),
                    question(
                        "main_sector",
                        "single",
                        t("Päätoimiala", "Huvudsektor", "Main sector"),
                        allow_other=True,
                        required=True,
                        choices=[
                            {"value": "health", "label": t("Terveys", "Hälsa", "Health")},
                            {"value": "schools", "label": t("Koulut", "Skolor", "Schools")},
                        ],
                        show_if={"question": "sectors", "value": "health"},
                    ),
                    question(
                        "staff",
                        "number",
                        t("Henkilöstö", "Personal", "Staff"),
                        min_value=0,
                        max_value=100000,
                    ),
                    question("budget", "number", t("Budjetti"), max_value=-1),
                    question("count", "number", t("Määrä"), min_value=5),
                    question("any_number", "number", t("Luku")),
                    question(
                        "details",
                        "long_text",
                        t("Kerro lisää", "Berätta", "Tell more"),
                        show_if={"question": "main_sector", "value": "schools"},
                    ),
                    question(
                        "formula_like",
                        "short_text",
                        t("=SUMMA(A1) ei ole kaava", "”Citat” och ’apostrof’", '"Quoted"'),
                        help=t("Rivi 1\nRivi 2"),
                    ),
                ],
            },
        ],
    }


def test_the_rich_definition_is_valid():
    assert validate(rich_definition()) == []


def test_export_converts_to_an_xform_with_all_three_languages():
    xform = assert_converts(definition_to_xlsform(rich_definition()))
    for language in ("Suomi (fi)", "Svenska (sv)", "English (en)"):
        assert f'lang="{language}"' in xform
    assert "Laaja kysely" in xform


def test_export_has_the_three_sheets_and_standard_columns():
    book = openpyxl.load_workbook(io.BytesIO(definition_to_xlsform(rich_definition())))
    assert book.sheetnames == ["survey", "choices", "settings"]
    rows = list(book["survey"].iter_rows(values_only=True))
    header = rows[0]
    by_name = {row[header.index("name")]: row for row in rows[1:]}
    assert by_name["grid"][header.index("appearance")] == "table-list"
    assert by_name["sectors"][header.index("type")] == "select_multiple sectors or_other"
    assert by_name["staff"][header.index("constraint")] == ". >= 0 and . <= 100000"
    assert by_name["budget"][header.index("constraint")] == ". <= -1"
    assert by_name["main_sector"][header.index("relevant")] == "selected(${sectors}, 'health')"
    assert by_name["grid"][header.index("relevant")] == "${overall} = '4'"
    assert by_name["details"][header.index("appearance")] == "multiline"
    # A text that looks like a formula is kept as text.
    assert by_name["formula_like"][header.index("label::Suomi (fi)")].startswith("=SUMMA")
    settings = dict(zip(*book["settings"].iter_rows(values_only=True), strict=True))
    assert settings["form_id"] == "rich_survey"
    assert settings["default_language"] == "Suomi (fi)"
    choices = list(book["choices"].iter_rows(values_only=True))
    assert ("overall", "cant_say") in {row[:2] for row in choices}


def test_export_then_import_gives_back_the_same_definition():
    definition = rich_definition()
    original = copy.deepcopy(definition)
    data = definition_to_xlsform(definition)
    assert definition == original
    assert normalise(definition_from_xlsform(data)) == normalise(original)


def test_an_invalid_definition_is_not_exported():
    definition = rich_definition()
    definition["sections"][0]["questions"][0]["key"] = "Bad key"
    with pytest.raises(xlsform.DefinitionRejected):
        definition_to_xlsform(definition)


def builtin_keys() -> tuple[str, ...]:
    if importlib.util.find_spec("yhdyspinta.surveys.builtin") is None:
        return ()
    from yhdyspinta.surveys.builtin import TEMPLATE_KEYS

    return TEMPLATE_KEYS


@pytest.mark.parametrize("key", builtin_keys() or [pytest.param("", marks=pytest.mark.skip)])
def test_every_builtin_template_round_trips_and_converts(key):
    from yhdyspinta.surveys.builtin import load_template

    definition = load_template(key)
    data = definition_to_xlsform(definition)
    assert_converts(data)
    assert normalise(definition_from_xlsform(data)) == normalise(definition)


# ------------------------------------------------------------------------------------------
# The import service


@pytest.mark.django_db
def test_import_survey_creates_the_survey(platform_admin):
    survey = import_survey(hand_written(), actor=platform_admin)
    assert survey.key == "test_survey"
    assert survey.title_en == "Survey"
    grid = survey.questions.get(key="grid")
    assert [item.key for item in grid.items.all()] == ["grid_a", "grid_b"]
    assert survey.questions.get(key="long").show_if_question.key == "colours"
    assert survey.questions.get(key="clarity").allow_cant_say
    assert survey.questions.get(key="pos").type == Question.Type.POSITION


@pytest.mark.django_db
def test_a_key_in_use_is_reported_at_the_form_id():
    import_survey(hand_written(), actor=None)
    with pytest.raises(XLSFormRejected) as exc:
        import_survey(hand_written(), actor=None)
    assert places(exc.value.errors) == {("settings", 2, "form_id")}
    assert Survey.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("form.xlsx", b"not a zip", "Tiedostoa ei voitu lukea XLSForm-lomakkeena."),
        (
            "form.csv",
            b"survey,,\n,type,name\n,text,\xff\n",
            "Tiedoston merkistön pitää olla UTF-8.",
        ),
        ("form.txt", b"x", "Tuo XLSForm .xlsx-, .xls-, .csv- tai .md-tiedostona."),
    ],
)
def test_an_unreadable_file_is_explained_in_the_users_language(name, content, expected):
    from yhdyspinta.surveys import xlsform as module

    _, importer = module._import(content, filename=name)
    [error] = importer.errors
    assert error.row == 0 and expected in error.message
    assert "definition" not in error.message and "codec" not in error.message
