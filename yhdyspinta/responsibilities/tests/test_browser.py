"""Acceptance in a real browser: the county's coordinator and two municipal editors fill
Pirkanmaa's table, each in their own column, through the pages people use."""

import pytest

from conftest import area, browser_log_in, make_person, municipality
from yhdyspinta.accounts.models import Membership
from yhdyspinta.core.tests.browser import check_page
from yhdyspinta.responsibilities.models import Responsibility, Theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, email: str) -> None:
    page.context.clear_cookies()
    browser_log_in(page, email)
    page.wait_for_url("**/")


def name_person(page, *, theme: str, party: str, first: str, last: str, email: str, mandate: str):
    page.goto("/areas/08/responsibilities/")
    page.get_by_role("link", name="Nimeä vastuuhenkilö").click()
    page.select_option("#id_theme", label=theme)
    if page.locator("#id_party option").count() > 2:
        page.select_option("#id_party", label=party)
    page.fill("#id_first_name", first)
    page.fill("#id_last_name", last)
    page.fill("#id_email", email)
    page.fill("#id_mandate", mandate)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/areas/08/responsibilities/**")


def test_three_owners_fill_the_table_each_in_their_own_column(page):
    county, tampere, nokia = area("08"), municipality("837"), municipality("536")
    make_person("koordinaattori@example.org", county, role=Membership.Role.AREA_COORDINATOR)
    make_person("tampere@example.org", tampere, role=Membership.Role.EDITOR)
    make_person("nokia@example.org", nokia, role=Membership.Role.EDITOR)
    welfare = Theme.objects.get(key="student_welfare", area__isnull=True).name_fi

    for email, party, last in [
        ("koordinaattori@example.org", county, "Alue"),
        ("tampere@example.org", tampere, "Tampere"),
        ("nokia@example.org", nokia, "Nokia"),
    ]:
        log_in(page, email)
        # The form offers only the user's own column.
        page.goto("/areas/08/responsibilities/new/")
        offered = page.locator("#id_party option").all_inner_texts()
        assert [o for o in offered if not o.startswith("-")] == [party.name]
        name_person(
            page,
            theme=welfare,
            party=party.name,
            first="Kaisa",
            last=last,
            email=f"kaisa.{last.lower()}@example.org",
            mandate=f"Sopii opiskeluhuollosta: {party.name}",
        )
        assert page.locator(".messages").inner_text().strip() != ""

    rows = Responsibility.objects.filter(area=county, theme__key="student_welfare")
    assert {(r.party.name, r.contact.last_name) for r in rows} == {
        (county.name, "Alue"),
        (tampere.name, "Tampere"),
        (nokia.name, "Nokia"),
    }
    # The Nokia editor sees every column but can edit only Nokia's.
    page.goto("/areas/08/responsibilities/")
    row = page.locator("tr", has=page.locator("th", has_text=welfare)).first
    assert row.get_by_text("Kaisa Alue").count() == 1
    assert row.get_by_text("Kaisa Tampere").count() == 1
    edit_links = page.locator("a.resp-edit").all()
    assert len(edit_links) == 1
    check_page(page, lang="fi", name="responsibilities-matrix-filled")

    # Trying the county's entry directly is refused by the server.
    county_entry = rows.get(party=county)
    refused = page.goto(f"/responsibilities/{county_entry.pk}/edit/")
    assert refused.status == 403
