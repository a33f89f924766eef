import pytest
from django.core.cache import cache


@pytest.fixture
def demo_wave():
    """The calibrated demo 2026 wave, with a cold results cache."""
    from yhdyspinta.demo.surveys import create_demo_survey_data
    from yhdyspinta.surveys.models import Wave

    cache.clear()
    create_demo_survey_data()
    return Wave.objects.select_related("survey").get(
        survey__key="municipal_leadership_demo", name="2026"
    )
