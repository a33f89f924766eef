"""The situational picture of a seeded area equals what each owning app's selectors say."""

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from conftest import area
from yhdyspinta.accounts.models import User
from yhdyspinta.cooperation.selectors import area_cooperation
from yhdyspinta.core.numbers import format_number
from yhdyspinta.demo.cooperation import create_demo_cooperation
from yhdyspinta.demo.division_of_work import create_demo_table
from yhdyspinta.demo.goals import create_demo_goals
from yhdyspinta.demo.leadership import create_demo_leadership_waves
from yhdyspinta.demo.people import create_demo_people
from yhdyspinta.demo.surveys import create_demo_survey_data
from yhdyspinta.goals import selectors as goals
from yhdyspinta.results import selectors as results
from yhdyspinta.results.division_of_work import survey_link
from yhdyspinta.results.perception import perception_gap
from yhdyspinta.situation import picture

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    create_demo_people()
    create_demo_survey_data()
    create_demo_leadership_waves()
    create_demo_table()
    create_demo_cooperation()
    create_demo_goals()
    return area("08")


def test_every_block_equals_its_apps_selectors(seeded, client):
    p = picture.area_picture(seeded)
    wave = picture.latest_municipal_wave()
    assert wave.name == "2026"
    headline = next(q for q in results.rating_questions(wave) if q.key == "headline_rating")
    table = results.share_table(wave=wave, items=[headline], group_by="area")
    own = next(g for g in table.groups if g.code == "08").cells[headline.key]
    assert (p.survey.area.n, p.survey.area.good) == (own.n, own.good)
    assert [w.name for w, _ in p.survey.trend] == ["2022", "2023", "2024", "2026"]

    gap = perception_gap(seeded, 2026)
    assert [(r.key, r.difference) for r in p.perception_gap.rows] == [
        (r.key, r.difference) for r in gap.rows
    ]
    assert p.perception_gap.headline.county is not None  # the demo county side is shown

    link = survey_link(seeded)
    assert p.responsibilities.coverage.county_covered == link.coverage.county_covered
    assert p.responsibilities.coverage.municipal_gaps == link.coverage.municipal_gaps

    cooperation = area_cooperation(seeded)
    assert p.cooperation.summary() == cooperation.summary()
    assert (p.cooperation.open_actions, p.cooperation.overdue_actions) == (
        cooperation.open_actions,
        cooperation.overdue_actions,
    )
    assert p.cooperation.agreement == cooperation.agreement

    views = goals.area_goals(seeded)
    assert [(g.goal.pk, g.status) for g in p.goals] == [(g.goal.pk, g.status) for g in views]
    maturity = goals.maturity(seeded, p.maturity.year)
    assert p.maturity.municipalities == maturity.municipalities
    assert p.maturity.county.level == maturity.county.level

    # The page and the API show the same figures.
    client.force_login(User.objects.get(email="koordinaattori@demo.invalid"))
    page = client.get(reverse("situation:area", args=["08"])).content.decode()
    assert format_number(own.good, 0, unit=" %") in page
    assert format_number(p.perception_gap.headline.difference, 1, plus="+") in page
    for view in views:
        assert str(view.goal.title) in page
    api = client.get("/api/v1/areas/08/picture/").json()
    assert api["survey"]["headline"]["n"] == own.n
    assert api["actions"]["overdue"] == cooperation.overdue_actions
    assert api["goals"]["counts"] == goals.status_counts(views)
    assert api["maturity"]["municipalities"] == {
        str(k): v for k, v in maturity.municipalities.items()
    }
    assert set(api) >= {
        "survey",
        "perception_gap",
        "responsibilities",
        "duties",
        "actions",
        "goals",
        "maturity",
        "agreement",
    }


def test_outsiders_do_not_see_an_areas_picture(seeded, client):
    client.force_login(User.objects.get(email="espoo@demo.invalid"))
    assert client.get(reverse("situation:area", args=["08"])).status_code == 403
    assert client.get("/api/v1/areas/08/picture/").status_code == 403
    assert client.get(reverse("situation:area_pdf", args=["08"])).status_code == 403


def test_the_pdf_is_tagged_in_its_language(seeded, client, tmp_path):
    client.force_login(User.objects.get(email="koordinaattori@demo.invalid"))
    response = client.get("/sv" + reverse("situation:area_pdf", args=["08"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    pdf = tmp_path / "picture.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)  # noqa: S603, S607
    assert list(tmp_path.glob("page*.png"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True)  # noqa: S603, S607
    assert "Lägesbild" in text.stdout and "Birkaland" in text.stdout  # Swedish, as asked
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True)  # noqa: S603, S607
    assert re.search(r"Tagged:\s+yes", info.stdout)  # PDF/UA structure for screen readers


def test_national_ranking(seeded, client):
    rows = picture.national_ranking("maturity")
    assert rows[0].area.code == "08"  # the only area with assessments
    assert rows[0].rank == 1 and all(r.value is None for r in rows[1:])
    client.force_login(User.objects.get(email="espoo@demo.invalid"))
    page = client.get(reverse("situation:national") + "?measure=maturity").content.decode()
    assert "<svg" in page and format_number(rows[0].value, 1) in page
    response = client.get(reverse("situation:national") + "?measure=nonsense")
    assert response.status_code == 200  # an unknown measure falls back to the first
