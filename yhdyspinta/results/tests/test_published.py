"""The calibrated demo 2026 wave through every output: the page and the XLSX reproduce the
published table at threshold 1; at the default threshold Helsinki (N=1) is withheld in the
page, the XLSX, the CSV, the PPTX and the API, and left out of the ranges."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from yhdyspinta.results.tests.test_item_table import PUBLISHED, one

pytestmark = pytest.mark.django_db


def published_rows() -> list[dict[str, str]]:
    with PUBLISHED.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def comma(text: str) -> str:
    return text.replace(".", ",")


def page_rows(html: str) -> dict[str, list[str]]:
    """The per-area table of the page as {row heading: [cell texts]} (visible text only)."""
    table = html[html.index('class="hds-table results-table"') :]
    table = table[: table.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        texts = []
        for cell in cells:
            cell = re.sub(r'<span class="visually-hidden">.*?</span>', "", cell)
            texts.append(re.sub(r"<[^>]+>", "", cell).strip())
        if texts:
            rows[texts[0]] = texts[1:]
    return rows


def test_page_and_xlsx_reproduce_the_published_table_at_threshold_1(
    client, platform_admin, demo_wave
):
    survey = demo_wave.survey
    survey.min_group_size = 1
    survey.save()
    client.force_login(platform_admin)

    page = page_rows(client.get(f"/results/waves/{demo_wave.pk}/").content.decode())
    workbook = load_workbook(
        io.BytesIO(client.get(f"/results/waves/{demo_wave.pk}/export.xlsx").content)
    )
    sheet = workbook.worksheets[0]
    xlsx = {row[0]: list(row[1:]) for row in sheet.iter_rows(values_only=True) if row and row[0]}

    # The pages speak Finnish by default, as the published table does.
    labels = {"ALL": "Kaikki vastaajat", "RANGE": "Vaihteluväli", "N_PER_ITEM": "N"}
    keys = [c for c in published_rows()[0] if c not in ("area", "n_respondents")]
    for row in published_rows():
        name = labels.get(row["area"], row["area"])
        published = [row[key] for key in keys]
        n = row["n_respondents"]
        if row["area"] == "RANGE":
            assert page[name][: len(keys)] == [comma(v) for v in published]
            assert xlsx[name][: len(keys)] == [comma(v) for v in published]
            continue
        if row["area"] == "N_PER_ITEM":
            assert page[name][: len(keys)] == published
            assert [str(v) for v in xlsx[name][: len(keys)]] == published
            continue
        assert page[name] == [comma(v) for v in published] + [n], name
        assert [one(v) for v in xlsx[name][: len(keys)]] == published, name
        assert xlsx[name][len(keys)] == int(n)


def test_default_threshold_withholds_helsinki_everywhere(client, platform_admin, demo_wave):
    from pptx import Presentation

    client.force_login(platform_admin)
    base = f"/results/waves/{demo_wave.pk}"

    page = page_rows(client.get(f"{base}/").content.decode())
    assert set(page["Helsinki"]) == {"–"}
    # Published range 2.4–4.0: the 4.0 was Helsinki's single answer.
    assert page["Vaihteluväli"][0] == "2,4-3,9"

    workbook = load_workbook(io.BytesIO(client.get(f"{base}/export.xlsx").content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            if row and row[0] == "Helsinki":
                assert set(row[1:]) <= {"-", None}, sheet.title

    text = client.get(f"{base}/export.csv?view=areas").content.decode("utf-8-sig")
    helsinki = next(r for r in csv.reader(io.StringIO(text)) if r[0] == "Helsinki")
    assert set(helsinki[1:]) == {"-"}
    ranges = next(r for r in csv.reader(io.StringIO(text)) if r[0] == "Vaihteluväli")
    assert ranges[1] == "2,4-3,9"

    deck = Presentation(io.BytesIO(client.get(f"{base}/export.pptx").content))
    found = False
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_table:
                for row in shape.table.rows:
                    cells = [cell.text for cell in row.cells]
                    if cells[0] == "Helsinki":
                        found = True
                        assert set(cells[1:]) <= {"-", ""}
            if shape.has_chart:
                for plot in shape.chart.plots:
                    categories = list(plot.categories)
                    if "Helsinki" in categories:
                        at = categories.index("Helsinki")
                        for series in plot.series:
                            assert series.values[at] is None
    assert found

    data = client.get(f"/api/v1/waves/{demo_wave.pk}/results/").json()
    helsinki = next(g for g in data["groups"] if g["code"] == "90")
    assert helsinki["n"] is None and helsinki["suppressed"]
    assert all(
        c == {"mean": None, "n": None, "suppressed": True} for c in helsinki["items"].values()
    )
    assert data["range"]["regular_meetings"]["max"] < 3.95
