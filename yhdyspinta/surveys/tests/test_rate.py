"""The response rate counts invitations, and moves as answers arrive."""

import pytest
from django.urls import reverse

from conftest import municipality
from yhdyspinta.surveys import services
from yhdyspinta.surveys.selectors import response_rate

from .conftest import invite

pytestmark = pytest.mark.django_db


def test_rate_by_area_organisation_and_position(client, open_wave, platform_admin):
    _, tampere_chair = invite(
        open_wave, municipality("837"), email="a@example.org", position="chair"
    )
    invite(open_wave, municipality("837"), email="b@example.org", position="manager")
    invite(open_wave, municipality("536"), email="c@example.org", position="manager")
    _, espoo = invite(open_wave, municipality("049"), email="d@example.org", position="manager")

    rate = response_rate(open_wave)
    assert (rate.total.invited, rate.total.answered) == (4, 0)
    assert len(rate.not_answered) == 3

    services.submit_response(token=tampere_chair, answers={"position": "chair"})
    services.submit_response(token=espoo, answers={"position": "manager"})
    rate = response_rate(open_wave)
    assert (rate.total.invited, rate.total.answered, rate.total.rate) == (4, 2, 50.0)
    by_area = {row.key: (row.invited, row.answered) for row in rate.by_area}
    assert by_area == {"08": (3, 1), "03": (1, 1)}  # Pirkanmaa, Länsi-Uusimaa
    by_position = {row.key: (row.invited, row.answered) for row in rate.by_position}
    assert by_position == {"chair": (1, 1), "manager": (3, 1)}
    assert [row.label for row in rate.not_answered] == ["Nokia"]

    # The page's htmx fragment carries the new figures.
    client.force_login(platform_admin)
    fragment = client.get(reverse("surveys:wave_rate", args=[open_wave.pk]), HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert "<html" not in html and "Nokia" in html and "50,0" in html


def test_rate_page_of_a_wave_without_recipients(client, open_wave, platform_admin):
    client.force_login(platform_admin)
    html = client.get(reverse("surveys:wave_rate", args=[open_wave.pk])).content.decode()
    assert "Kyselykierrokseen ei ole vielä kutsuttu ketään." in html
    assert "<table" not in html.split("<main", 1)[1]
