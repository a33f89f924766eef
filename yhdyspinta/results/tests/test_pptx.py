"""The PowerPoint deck: native charts with the report's figures, a table where withheld figures
stay withheld, text that stays text, and a deck that LibreOffice can render."""

import io
import os
import shutil
import subprocess

import pytest
from django.utils import translation
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Inches

from yhdyspinta.core.exports import WITHHELD
from yhdyspinta.results.pptx import SERIES_COLORS, cell_text, format_as, to_pptx
from yhdyspinta.results.report import Chart, Report, View

FORMULA_ITEM = '=HYPERLINK("https://example.org","click")'
FORMULA_AREA = "=1+1"
ITEMS = [
    "Säännölliset tapaamiset hyvinvointialueen yhteyshenkilöiden /vastuuhenkilöiden kanssa",
    "Selkeästi määritellyt vastuuhenkilöt hyvinvointialueella",
    "Selkeästi määritellyt vastuuhenkilöt kuntaorganisaatiossa/kuntayhtymässä",
    "Yhteistyön suunnitelmallisuus perustuen yhteisiin tavoitteisiin ja toimintamalleihin",
    "Valmistelu yhteiseen tietopohjaan ja tilannekuvaan perustuen",
    FORMULA_ITEM,
    "Kuntien ja hyvinvointialueiden luottamushenkilöiden välinen yhteistyö",
    "Päätöksentekoprosessien avoimuus",
    "Yhteistyö asukkaiden ja palvelujen käyttäjien osallisuuden vahvistamisessa",
]
AREAS = [
    "Etelä-Karjala",
    "Etelä-Pohjanmaa",
    "Etelä-Savo",
    "Helsinki",
    "Itä-Uusimaa",
    "Kainuu",
    "Kanta-Häme",
    "Keski-Pohjanmaa",
    "Keski-Suomi",
    "Keski-Uusimaa",
    "Kymenlaakso",
    "Lappi",
    "Länsi-Uusimaa",
    "Pirkanmaa",
    "Pohjanmaa",
    "Pohjois-Karjala",
    "Pohjois-Pohjanmaa",
    "Pohjois-Savo",
    "Päijät-Häme",
    "Satakunta",
    FORMULA_AREA,
    "Varsinais-Suomi",
]
NONE_AREA, NONE_ITEM = "Kainuu", 6  # a cell with no answers
NOTE = "- = withheld: fewer than 5 respondents. An empty cell means no answers."
WAVES = ["2023", "2024", "2026"]
# Title, headline, the per-area table, the headline by position, the trend, two areas.
SLIDES = 7


def mean(a: int, i: int) -> float:
    return 1.0 + ((a * 7 + i * 3) % 40) / 10  # 1.0-4.9, with a 2.25 to round half up


def area_table() -> View:
    rows = []
    for a, name in enumerate(AREAS):
        if name == "Helsinki":
            rows.append([name, *([WITHHELD] * len(ITEMS)), WITHHELD])
            continue
        means = [mean(a, i) for i in range(len(ITEMS))]
        if name == NONE_AREA:
            means[NONE_ITEM] = None
        rows.append([name, *means, 10 + a])
    rows.append(["All respondents", *([3.0087] * len(ITEMS)), 486])
    rows.append(["Range", *(["2,4-4,0"] * len(ITEMS)), None])
    rows.append(["N per item", *([458] * len(ITEMS)), None])
    return View(
        key="areas",
        title="Means by area",
        columns=["Area", *ITEMS, "N"],
        rows=rows,
        formats=[None, *(["0.0"] * len(ITEMS)), "0"],
        notes=["Means of the answers 1–5.", NOTE],
        shaded_columns=list(range(2, len(ITEMS) + 2)),
        shaded_rows=len(AREAS),
    )


def shares(key: str, title: str, groups: list[str]) -> View:
    rows = []
    for g, name in enumerate([*groups, "All respondents"]):
        if name == "Helsinki":
            rows.append([name, WITHHELD, WITHHELD, WITHHELD])
        else:
            rows.append([name, 20 + g, 20.0 + g * 1.5, 40.0 - g])
    return View(
        key=key,
        title=title,
        columns=["Area", "N", "% good (4–5)", "% poor (1–2)"],
        rows=rows,
        formats=[None, "0", "0", "0"],
        chart=Chart(
            kind="stacked_bar",
            title=title,
            categories=[row[0] for row in rows],
            series=[
                ("good (4–5)", [r[2] if isinstance(r[2], float) else None for r in rows]),
                ("poor (1–2)", [r[3] if isinstance(r[3], float) else None for r in rows]),
            ],
            percent=True,
            max_value=100,
        ),
        notes=[NOTE],
    )


def trend() -> View:
    rows = [[item, *(10.0 + i + w * 5 for w in range(len(WAVES)))] for i, item in enumerate(ITEMS)]
    rows[2][1] = None  # an item not asked in the first wave
    return View(
        key="trend",
        title="Realised fairly or very well (%), all respondents, by wave",
        columns=["Item", *WAVES],
        rows=rows,
        formats=[None, *(["0"] * len(WAVES))],
        chart=Chart(
            kind="line",
            title="Realised fairly or very well (%), all respondents, by wave",
            categories=WAVES,
            series=[(row[0], row[1:]) for row in rows],
            percent=True,
            max_value=100,
        ),
    )


def area_view(code: str, name: str, withheld: bool) -> View:
    rows = []
    for i, item in enumerate(ITEMS):
        value = WITHHELD if withheld else 2.0 + i / 5
        difference = WITHHELD if withheld else value - 3.0
        rows.append([item, value, 3.0, difference, 2.5])
    return View(
        key=f"area-{code}",
        title=name,
        columns=["Item", name, "All respondents", "Difference", "Previous wave"],
        rows=rows,
        formats=[None, "0.0", "0.0", "+0.0;-0.0;0.0", "0.0"],
        chart=Chart(
            kind="bar",
            title=f"{name} compared with all respondents",
            categories=ITEMS,
            series=[
                (name, [r[1] if isinstance(r[1], float) else None for r in rows]),
                ("All respondents", [r[2] for r in rows]),
            ],
            max_value=5,
        ),
        notes=[NOTE],
    )


def make_report() -> Report:
    return Report(
        title="Yhdyspintakysely kunnille ja kuntayhtymille",
        subtitle="Wave 2026: 486 respondents",
        views=[
            area_table(),
            shares("headline_rating-areas", "How well does the cooperation work?", AREAS),
            shares(
                "headline_rating-positions",
                "How well does the cooperation work? by position",
                ["Chair of the council", "Municipal manager", "Director"],
            ),
            trend(),
            View(key="tags", title="Tags of open answers", columns=["Tag", "Answers"], rows=[]),
        ],
        areas=[
            ("Etelä-Karjala", [area_view("09", "Etelä-Karjala", withheld=False)]),
            ("Helsinki", [area_view("91", "Helsinki", withheld=True)]),
        ],
    )


@pytest.fixture
def report() -> Report:
    return make_report()


@pytest.fixture
def deck(report):
    with translation.override("fi"):
        data = to_pptx(report)
    return Presentation(io.BytesIO(data))


def charts(slide):
    return [shape for shape in slide.shapes if shape.has_chart]


def tables(slide):
    return [shape for shape in slide.shapes if shape.has_table]


def test_deck_reads_back_in_16_9_with_a_titled_slide_per_view(deck, report):
    assert len(deck.slides) == SLIDES
    assert deck.slide_width == Inches(13.333)
    assert deck.slide_height == Inches(7.5)
    assert deck.core_properties.title == report.title

    first = deck.slides[0]
    assert first.shapes.title.text_frame.text == report.title
    assert report.subtitle in [shape.text_frame.text for shape in first.placeholders]

    titles = [slide.shapes.title.text_frame.text for slide in list(deck.slides)[1:]]
    assert titles == [
        "How well does the cooperation work?",
        "Means by area",
        "How well does the cooperation work? by position",
        "Realised fairly or very well (%), all respondents, by wave",
        "Etelä-Karjala",
        "Helsinki",
    ]


def test_headline_is_a_native_stacked_bar_chart_with_the_reports_figures(deck, report):
    expected = report.views[1].chart
    (frame,) = charts(deck.slides[1])
    assert expected.title in frame.name
    chart = frame.chart
    assert chart.chart_type == XL_CHART_TYPE.BAR_STACKED
    assert chart.chart_title.text_frame.text == expected.title
    assert list(chart.plots[0].categories) == expected.categories
    assert [s.name for s in chart.series] == [name for name, _ in expected.series]
    for series, (_, values) in zip(chart.series, expected.series, strict=True):
        assert list(series.values) == values
    helsinki = expected.categories.index("Helsinki")
    assert all(series.values[helsinki] is None for series in chart.series)

    assert chart.has_legend
    assert chart.legend.position == XL_LEGEND_POSITION.BOTTOM
    assert chart.value_axis.minimum_scale == 0
    assert chart.value_axis.maximum_scale == 100
    assert chart.category_axis.reverse_order  # the first area at the top
    # ... and the value axis still at the bottom.
    assert chart.value_axis._element.xpath("./c:crosses")[0].get("val") == "max"
    description = frame._element.xpath("./*[1]/p:cNvPr")[0].get("descr")
    assert expected.title in description
    assert "good (4–5); poor (1–2)" in description
    labels = chart.plots[0].data_labels
    assert labels.number_format == '0 "%"'
    assert labels.show_value


def test_every_chart_is_native_and_of_its_kind(deck, report):
    kinds = {
        chart.title: chart.kind
        for chart in [v.chart for v in report.views if v.chart]
        + [v.chart for _, views in report.areas for v in views]
    }
    types = {
        "stacked_bar": XL_CHART_TYPE.BAR_STACKED,
        "bar": XL_CHART_TYPE.BAR_CLUSTERED,
        "line": XL_CHART_TYPE.LINE_MARKERS,
    }
    found = {}
    for slide in deck.slides:
        for frame in charts(slide):
            found[frame.chart.chart_title.text_frame.text] = frame.chart.chart_type
            assert frame.name.strip()
    assert found == {title: types[kind] for title, kind in kinds.items()}


def test_trend_line_keeps_a_missing_point_empty(deck, report):
    expected = report.views[3].chart
    (frame,) = charts(deck.slides[4])
    chart = frame.chart
    assert chart.chart_type == XL_CHART_TYPE.LINE_MARKERS
    assert list(chart.plots[0].categories) == WAVES
    for series, (name, values) in zip(chart.series, expected.series, strict=True):
        assert series.name == name
        assert list(series.values) == values
    assert chart.series[2].values[0] is None
    assert (chart.value_axis.minimum_scale, chart.value_axis.maximum_scale) == (0, 100)


def test_area_slide_has_its_chart_and_table(deck, report):
    slide = deck.slides[5]
    (frame,) = charts(slide)
    assert frame.chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert frame.chart.value_axis.maximum_scale == 5
    assert frame.chart.plots[0].data_labels.number_format == "0.0"
    (shape,) = tables(slide)
    table = shape.table
    assert [table.cell(0, c).text for c in range(5)] == report.areas[0][1][0].columns
    assert [table.cell(1, c).text for c in range(5)] == [ITEMS[0], "2,0", "3,0", "-1,0", "2,5"]
    assert table.cell(2, 3).text == "-0,8"
    assert table.cell(9, 3).text == "+0,6"
    # Side by side, within the slide.
    assert frame.left + frame.width <= shape.left
    assert shape.left + sum(c.width for c in table.columns) <= deck.slide_width

    withheld = tables(deck.slides[6])[0].table
    assert [withheld.cell(1, c).text for c in range(5)] == [ITEMS[0], "-", "3,0", "-", "2,5"]


def test_area_table_shows_withheld_as_dash_and_no_answers_as_empty(deck, report):
    slide = deck.slides[2]
    (shape,) = tables(slide)
    table = shape.table
    view = report.views[0]
    assert len(table.rows) == len(view.rows) + 1
    assert len(table.columns) == len(view.columns)
    assert [table.cell(0, c).text for c in range(len(view.columns))] == view.columns

    texts = {
        table.cell(r, 0).text: [table.cell(r, c).text for c in range(1, len(view.columns))]
        for r in range(1, len(table.rows))
    }
    assert texts["Helsinki"] == ["-"] * (len(ITEMS) + 1)
    assert not any(ch.isdigit() for text in texts["Helsinki"] for ch in text)
    assert texts[NONE_AREA][NONE_ITEM] == ""
    assert texts["Etelä-Karjala"][0] == "1,0"
    assert texts["Etelä-Karjala"][-1] == "10"
    assert texts["All respondents"] == [*(["3,0"] * len(ITEMS)), "486"]
    assert texts["Range"] == [*(["2,4-4,0"] * len(ITEMS)), ""]
    assert texts["N per item"] == [*(["458"] * len(ITEMS)), ""]  # counts, not "458,0"

    # Small enough for the whole table on one slide: the first column as wide as the area
    # names need, the items sharing the rest equally, N only as wide as it needs.
    widths = [column.width for column in table.columns]
    assert Inches(1) < widths[0] <= Inches(2.3)
    assert len(set(widths[1:-1])) == 1
    assert widths[-1] < widths[1]
    assert shape.left + sum(widths) <= deck.slide_width
    sizes = {
        run.font.size.pt
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.text_frame.paragraphs
        for run in paragraph.runs
    }
    assert sizes <= {8, 9}
    assert shape.top + sum(row.height for row in table.rows) <= deck.slide_height

    notes = [s for s in slide.shapes if s.has_text_frame and s.text_frame.text.endswith(NOTE)]
    assert len(notes) == 1
    assert notes[0].top >= shape.top + sum(row.height for row in table.rows)


def test_text_beginning_with_equals_stays_literal(deck):
    table = tables(deck.slides[2])[0].table
    assert FORMULA_ITEM in [cell.text for cell in table.rows[0].cells]
    assert FORMULA_AREA in [table.cell(r, 0).text for r in range(len(table.rows))]

    chart = charts(deck.slides[1])[0].chart
    assert FORMULA_AREA in list(chart.plots[0].categories)
    # The data embedded for editing in PowerPoint holds the label as text, not a formula.
    workbook = load_workbook(io.BytesIO(chart.part.chart_workbook.xlsx_part.blob))
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    (cell,) = [cell for cell in cells if cell.value == FORMULA_AREA]
    assert cell.data_type == "s"

    trend = charts(deck.slides[4])[0].chart
    assert FORMULA_ITEM in [series.name for series in trend.series]


def test_a_table_too_long_for_one_slide_continues_on_the_next():
    view = area_table()
    view.rows = [[f"Kunta {i}", *([3.5] * len(ITEMS)), 12] for i in range(80)]
    view.shaded_rows = 0
    deck = Presentation(io.BytesIO(to_pptx(Report(title="T", subtitle="S", views=[view]))))
    slides = list(deck.slides)[1:]
    assert len(slides) > 1
    assert slides[0].shapes.title.text_frame.text == f"Means by area (1/{len(slides)})"
    rows = [tables(slide)[0].table for slide in slides]
    assert sum(len(table.rows) - 1 for table in rows) == 80
    for slide, table in zip(slides, rows, strict=True):
        assert table.cell(0, 0).text == "Area"  # the header repeats
        shape = tables(slide)[0]
        assert shape.top + sum(row.height for row in table.rows) <= deck.slide_height


@pytest.mark.parametrize(
    ("value", "fmt", "finnish", "english"),
    [
        (2.25, "0.0", "2,3", "2.3"),  # half up, as the published tables
        (3.0, "0.0", "3,0", "3.0"),
        (55.5, "0", "56", "56"),
        (0.25, "+0.0;-0.0;0.0", "+0,3", "+0.3"),
        (-0.26, "+0.0;-0.0;0.0", "-0,3", "-0.3"),
        (-0.04, "+0.0;-0.0;0.0", "0,0", "0.0"),
        (-1.5, "0.0", "-1,5", "-1.5"),
    ],
)
def test_numbers_follow_the_format_and_the_language(value, fmt, finnish, english):
    with translation.override("fi"):
        assert format_as(value, fmt) == finnish
    with translation.override("en"):
        assert format_as(value, fmt) == english


def test_cells():
    with translation.override("fi"):
        assert cell_text(None, "0.0") == ""
        assert cell_text(WITHHELD, "0.0") == "-"
        assert cell_text(458, "0.0") == "458"
        assert cell_text(3.456, None) == "3,5"
        assert cell_text("=SUM(A1)", None) == "=SUM(A1)"


def contrast(color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in color)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


@pytest.mark.parametrize("color", SERIES_COLORS, ids=str)
def test_series_colours_stand_out_from_white(color):
    # 3:1 for graphics (WCAG 1.4.11); the same holds for white labels on the bars.
    assert contrast(color) >= 3


def test_deck_renders_through_libreoffice(tmp_path, report):
    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if soffice is None or pdftoppm is None:
        message = "LibreOffice (soffice) and poppler-utils (pdftoppm) are needed to render"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with translation.override("fi"):
        (tmp_path / "deck.pptx").write_bytes(to_pptx(report))
    subprocess.run(  # noqa: S603 (fixed arguments)
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "deck.pptx"),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert (tmp_path / "deck.pdf").exists()
    subprocess.run(  # noqa: S603 (fixed arguments)
        [pdftoppm, "-png", "-r", "50", str(tmp_path / "deck.pdf"), str(tmp_path / "slide")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pngs = sorted(tmp_path.glob("slide-*.png"))
    assert len(pngs) == SLIDES
    assert all(png.stat().st_size > 0 for png in pngs)
