import pytest

from yhdyspinta.registry.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "expected_fi"),
    [
        ("Jakobstad", "Pietarsaari"),
        ("Esbo", "Espoo"),
        ("jakob", "Pietarsaari"),
        ("Borgå", "Porvoo"),
        ("Tammerfors", "Tampere"),
        ("Pietarsaari", "Pietarsaari"),
        ("837", "Tampere"),
    ],
)
def test_search_finds_by_finnish_or_swedish_name(text, expected_fi):
    names = set(Organisation.objects.active().search(text).values_list("name_fi", flat=True))
    assert expected_fi in names


def test_search_finds_areas_by_short_name_and_swedish_name():
    assert Organisation.objects.areas().search("Birkalands").get().code == "08"
    assert Organisation.objects.areas().search("Pirkanmaa").get().code == "08"


def test_search_for_nonsense_finds_nothing():
    assert not Organisation.objects.search("Xyzzy").exists()
