"""The survey's "responsible persons" items beside the responsibility table: the numbers of
the results selectors, their small-group protection, and who sees them on which page."""

from __future__ import annotations

import pytest

from conftest import area, municipality
from yhdyspinta.core.templatetags.yhdyspinta import number
from yhdyspinta.responsibilities.tests.test_coverage import (
    COVERAGE_URL,
    name,
    pirkanmaa_municipalities,
    rows_of,
    section,
)
from yhdyspinta.results import division_of_work
from yhdyspinta.results.selectors import item_table

pytestmark = pytest.mark.django_db


def test_survey_link_without_a_wave_has_only_the_table(platform_admin):
    county, tampere = area("08"), municipality("837")
    name(platform_admin, county, "housing", "bertta.berg@pirha.fi")
    name(platform_admin, tampere, "housing", "tiina.tamm@tampere.fi")
    link = division_of_work.survey_link(county)
    assert link.wave is None and link.threshold is None
    county_item, municipal_item = link.items
    assert (county_item.key, municipal_item.key) == (
        "county_responsible_persons",
        "municipal_responsible_persons",
    )
    assert county_item.area is None and county_item.everyone is None
    assert (county_item.covered, county_item.total) == (1, 10)
    cells = 10 * len(pirkanmaa_municipalities())
    assert (municipal_item.covered, municipal_item.total) == (1, cells)
    assert link.share_confirmed_this_year == 1.0


def test_survey_link_numbers_match_the_item_table(client, demo_wave, platform_admin, nokia_member):
    county = area("08")
    name(platform_admin, county, "housing", "bertta.berg@pirha.fi")
    link = division_of_work.survey_link(county)
    assert link.wave == demo_wave
    table = item_table(wave=demo_wave, group_by="area")
    group = next(g for g in table.groups if g.code == "08")
    means = []
    for item in link.items:
        assert not item.area.suppressed
        assert item.area.mean == group.cells[item.key].mean
        assert item.area.n == group.cells[item.key].n
        assert item.everyone.mean == table.all.cells[item.key].mean
        means.append(number(item.area.mean, 1))
        means.append(number(item.everyone.mean, 1))
    assert all("," in m for m in means)  # Finnish decimals

    # The area's page and the area report show the same figures beside the table's.
    client.force_login(nokia_member)
    pages = {
        "area page": client.get(county.get_absolute_url()).content.decode(),
        "area report": client.get(f"/results/waves/{demo_wave.pk}/areas/08/").content.decode(),
    }
    for page, html in pages.items():
        rows = rows_of(section(html, "survey-link-title"))
        texts = list(rows.values())
        assert len(texts) == 2, page
        assert texts[0].split()[:2] == means[:2], page
        assert texts[1].split()[:2] == means[2:], page
    area_page = pages["area page"]
    assert 'href="/areas/08/responsibilities/"' in area_page
    assert f'href="{COVERAGE_URL}"' in area_page

    english = client.get(f"/en/results/waves/{demo_wave.pk}/areas/08/").content.decode()
    assert "1 of 10 main themes have a named responsible person on the county’s side" in english


def test_a_withheld_area_stays_withheld_beside_the_table(client, demo_wave, platform_admin):
    helsinki = area("90")  # one respondent in the demo wave
    link = division_of_work.survey_link(helsinki)
    assert all(item.area.suppressed and item.area.mean is None for item in link.items)
    assert all(not item.everyone.suppressed for item in link.items)
    client.force_login(platform_admin)
    html = section(client.get(helsinki.get_absolute_url()).content.decode(), "survey-link-title")
    assert html.count('class="withheld"') == 2


def test_area_page_shows_the_table_links_only_to_the_areas_people(
    client, espoo_editor, nokia_member
):
    url = area("08").get_absolute_url()
    assert "survey-link-title" not in client.get(url).content.decode()
    client.force_login(espoo_editor)
    assert "survey-link-title" not in client.get(url).content.decode()
    client.force_login(nokia_member)
    html = client.get(url).content.decode()
    assert "survey-link-title" in html
    # A municipality's page has no area table of its own.
    assert (
        "survey-link-title"
        not in client.get(municipality("536").get_absolute_url()).content.decode()
    )
