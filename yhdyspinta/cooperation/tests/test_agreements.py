"""An area's strategic cooperation agreement through the pages: recorded by the county's
staff, read by the area's people, approval dates per party in one form, themes with their
responsible parties and goals, and the national overview of the areas' agreements."""

from __future__ import annotations

import pytest

from conftest import area, municipality
from yhdyspinta.cooperation.models import Agreement, AgreementParty
from yhdyspinta.responsibilities.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(client, area_coordinator):
    client.force_login(area_coordinator)
    response = client.post(
        "/areas/08/agreements/new/",
        {
            "title_fi": "Strateginen yhteistyösopimus",
            "status": "in_preparation",
            "parties": [municipality("837").pk, municipality("536").pk],
        },
    )
    assert response.status_code == 302
    client.logout()
    return Agreement.objects.get()


def test_the_county_records_an_agreement_and_is_always_a_party(agreement):
    assert sorted(p.organisation.code for p in agreement.parties.all()) == ["08", "536", "837"]
    assert agreement.area == area("08")


def test_approval_dates_are_saved_together_or_not_at_all(client, agreement, area_coordinator):
    client.force_login(area_coordinator)
    parties = {p.organisation.code: p for p in agreement.parties.select_related("organisation")}
    url = f"/agreements/{agreement.pk}/approvals/"
    response = client.post(
        url,
        {
            f"approved_{parties['837'].pk}": "2026-05-04",
            f"approved_{parties['536'].pk}": "4.5.2026x",
        },
    )
    assert response.status_code == 400
    assert "Mitään ei tallennettu." in response.content.decode()
    assert not AgreementParty.objects.exclude(approved_on=None).exists()
    response = client.post(
        url,
        {f"approved_{parties['837'].pk}": "2026-05-04", f"approved_{parties['536'].pk}": ""},
    )
    assert response.status_code == 302
    parties["837"].refresh_from_db()
    assert parties["837"].approved_on.isoformat() == "2026-05-04"


def test_a_theme_with_its_responsible_parties_and_goals(client, agreement, area_coordinator):
    client.force_login(area_coordinator)
    theme = Theme.objects.get(area__isnull=True, key="older_people")
    tampere = municipality("837")
    response = client.post(
        f"/agreements/{agreement.pk}/themes/",
        {"theme": theme.pk, "responsible": [tampere.pk], "goals": "Kotona pidempään\n\n Yksi "},
    )
    assert response.status_code == 302
    item = agreement.themes.get()
    assert item.goal_list == ["Kotona pidempään", "Yksi"]
    assert list(item.responsible.all()) == [tampere]
    # Only the agreement's parties can be responsible.
    response = client.post(
        f"/agreements/{agreement.pk}/themes/",
        {"theme": theme.pk, "responsible": [municipality("604").pk]},
    )
    assert response.status_code == 400
    page = client.get(f"/agreements/{agreement.pk}/").content.decode()
    assert "Kotona pidempään" in page


@pytest.mark.parametrize(
    ("persona", "read", "edit"),
    [
        ("platform_admin", 200, 200),
        ("area_coordinator", 200, 200),
        ("tampere_editor", 200, 403),
        ("nokia_member", 200, 403),
        ("espoo_editor", 403, 403),
    ],
)
def test_agreement_permissions(client, request, agreement, persona, read, edit):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/agreements/{agreement.pk}/").status_code == read
    assert client.get(f"/agreements/{agreement.pk}/edit/").status_code == edit
    assert client.get("/areas/08/agreements/new/").status_code == edit
    response = client.post(
        f"/agreements/{agreement.pk}/edit/", {"title_fi": "Muutettu", "status": "approved"}
    )
    agreement.refresh_from_db()
    assert (agreement.title_fi == "Muutettu") == (edit == 200)
    assert response.status_code in (302, 403)
    # The overview says which areas have one to anyone signed in; the link only to readers.
    overview = client.get("/agreements/").content.decode()
    assert "Strateginen yhteistyösopimus" in overview or "Muutettu" in overview
    assert (f'href="/agreements/{agreement.pk}/"' in overview) == (read == 200)
