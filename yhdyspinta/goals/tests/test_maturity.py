"""The maturity ladder: only an organisation's own people assess it; the figures add up."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import area, make_person, municipality
from yhdyspinta.accounts.models import Membership
from yhdyspinta.goals import selectors, services
from yhdyspinta.goals.models import MaturityAssessment

pytestmark = pytest.mark.django_db


def editor_of(organisation, email):
    return make_person(email, organisation, role=Membership.Role.EDITOR)


def test_a_municipality_submits_only_its_own(tampere_editor, nokia_member, area_coordinator):
    pirkanmaa, tampere, nokia = area("08"), municipality("837"), municipality("536")
    services.submit_assessment(
        actor=tampere_editor,
        area=pirkanmaa,
        organisation=tampere,
        year_=2026,
        level=4,
        justification="Säännölliset tapaamiset.",
    )
    for actor, organisation in [
        (tampere_editor, nokia),  # another municipality
        (tampere_editor, pirkanmaa),  # the county
        (nokia_member, nokia),  # a member, not an editor
        (area_coordinator, tampere),  # the county's coordinator for a municipality
    ]:
        with pytest.raises(PermissionDenied):
            services.submit_assessment(
                actor=actor,
                area=pirkanmaa,
                organisation=organisation,
                year_=2026,
                level=2,
                justification="x",
            )
    # Espoo is not in Pirkanmaa: it cannot assess Pirkanmaa at all.
    with pytest.raises(ValidationError):
        services.submit_assessment(
            actor=editor_of(municipality("049"), "e@espoo.example.org"),
            area=pirkanmaa,
            organisation=municipality("049"),
            year_=2026,
            level=3,
            justification="x",
        )
    assert list(MaturityAssessment.objects.values_list("organisation__code", "level")) == [
        ("837", 4)
    ]


@pytest.mark.parametrize("level", [0, 7, "kuusi", None])
def test_levels_outside_the_ladder_are_refused(tampere_editor, level):
    with pytest.raises(ValidationError) as error:
        services.submit_assessment(
            actor=tampere_editor,
            area=area("08"),
            organisation=municipality("837"),
            year_=2026,
            level=level,
            justification="x",
        )
    assert "level" in error.value.message_dict
    assert not MaturityAssessment.objects.exists()


def test_distribution_and_county_level(area_coordinator):
    pirkanmaa = area("08")
    levels = {"837": 4, "536": 4, "980": 2, "211": 5, "604": 4}
    for code, level in levels.items():
        municipality_ = municipality(code)
        services.submit_assessment(
            actor=editor_of(municipality_, f"e{code}@example.org"),
            area=pirkanmaa,
            organisation=municipality_,
            year_=2026,
            level=level,
            justification="Perustelu.",
        )
    services.submit_assessment(
        actor=area_coordinator,
        area=pirkanmaa,
        organisation=pirkanmaa,
        year_=2026,
        level=3,
        justification="Hyvinvointialueen näkemys.",
    )
    # A second submission of the year replaces the first.
    services.submit_assessment(
        actor=editor_of(municipality("980"), "again@example.org"),
        area=pirkanmaa,
        organisation=municipality("980"),
        year_=2026,
        level=3,
        justification="Tarkistettu.",
    )
    maturity = selectors.maturity(pirkanmaa, 2026)
    assert maturity.municipalities == {1: 0, 2: 0, 3: 1, 4: 3, 5: 1, 6: 0}
    assert maturity.county.level == 3
    assert maturity.municipal_mean == pytest.approx((3 + 4 * 3 + 5) / 5)
    assert maturity.assessing == 23  # Pirkanmaa's municipalities in the registry
    assert len(maturity.missing) == 23 - 5


def test_maturity_page_and_api(client, tampere_editor, espoo_editor):
    client.force_login(tampere_editor)
    url = reverse("goals:area_maturity", args=["08"])
    response = client.post(
        url,
        {"assess-organisation": municipality("837").pk, "assess-year": 2026, "assess-level": 9},
    )
    assert response.status_code == 400
    assert not MaturityAssessment.objects.exists()
    response = client.post(
        url,
        {
            "assess-organisation": municipality("837").pk,
            "assess-year": 2026,
            "assess-level": 5,
            "assess-justification": "Yhteiset tavoitteet.",
        },
    )
    assert response.status_code == 302
    api = client.get("/api/v1/areas/08/maturity/?year=2026").json()
    assert api["municipalities"]["5"] == 1 and api["county"] is None
    response = client.post(
        "/api/v1/areas/08/maturity/",
        {"organisation": "536", "year": 2026, "level": 3, "justification": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "own editors" in response.json()["detail"] or response.json()
    client.force_login(espoo_editor)
    assert client.get("/api/v1/areas/08/maturity/").status_code == 403
    assert client.get(url).status_code == 403
