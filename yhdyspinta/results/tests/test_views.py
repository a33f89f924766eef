"""Result pages and the results API: who may see what, what the pages say, the JSON contract,
the cache dropped by a new response, open answers and their review."""

import re
import shutil
import subprocess

import pytest
from django.core.cache import cache

from conftest import area, municipality
from yhdyspinta.core.models import AuditEntry
from yhdyspinta.results import services as result_services
from yhdyspinta.results.models import Tag
from yhdyspinta.surveys import services
from yhdyspinta.surveys.models import Answer
from yhdyspinta.surveys.tests.conftest import invite, make_survey, make_wave

pytestmark = pytest.mark.django_db

PIRKANMAA = ["837", "536", "604", "211", "980"]  # Tampere, Nokia, Pirkkala, Kangasala, Ylöjärvi


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def answer(wave, code, email, position="manager", **answers):
    _, token = invite(wave, municipality(code), email=email, position=position)
    services.submit_response(token=token, answers={"position": position, **answers})


@pytest.fixture
def wave():
    """Pirkanmaa: 10 respondents; Helsinki and Kymenlaakso: 2 each (withheld at 5, and two
    withheld cells need no complementary suppression)."""
    wave = make_wave(make_survey())
    for n in range(10):
        answer(
            wave,
            PIRKANMAA[n % 5],
            f"p{n}@example.org",
            position="manager" if n < 7 else "chair",
            regular_meetings=str(1 + n % 5),
            headline_rating="4" if n % 2 else "2",
            what_works=f"Toimiva vastaus {n}",
        )
    answer(wave, "091", "h1@example.org", regular_meetings="5", what_works="Helsingin vastaus")
    answer(wave, "091", "h2@example.org", regular_meetings="5")
    answer(wave, "285", "k1@example.org", regular_meetings="3")
    answer(wave, "285", "k2@example.org", regular_meetings="3")
    return wave


PAGES = ["", "ratings/", "trends/", "map/", "open-answers/"]


@pytest.mark.parametrize("page", PAGES)
def test_national_pages_are_for_staff(client, wave, page, area_coordinator, tampere_editor):
    url = f"/results/waves/{wave.pk}/{page}"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for person in (area_coordinator, tampere_editor):
        client.force_login(person)
        assert client.get(url).status_code == 403


def test_the_table_page(client, platform_admin, wave):
    client.force_login(platform_admin)
    html = client.get(f"/results/waves/{wave.pk}/").content.decode()
    # Pirkanmaa 10 answers 1..5 twice: mean 3.0; Helsinki withheld; range from Pirkanmaa only.
    assert 'class="num shade-4">3,0</td>' in html
    assert "Ei näytetä: alle 5 vastaajaa" in html
    assert "3,0-3,0" in html
    assert client.post(f"/results/waves/{wave.pk}/").status_code == 405


def test_sorting_keeps_withheld_rows_last(client, platform_admin, wave):
    client.force_login(platform_admin)
    html = client.get(f"/results/waves/{wave.pk}/?sort=regular_meetings&dir=desc").content
    html = html.decode()
    assert html.index("Pirkanmaa") < html.index("Helsinki")
    assert 'aria-sort="descending"' in html
    html = client.get(f"/results/waves/{wave.pk}/?sort=name").content.decode()
    assert html.index("Helsinki") < html.index("Pirkanmaa")


def test_filter_by_position_withholds_the_small_group(client, platform_admin, wave):
    client.force_login(platform_admin)
    html = client.get(f"/results/waves/{wave.pk}/?position=chair").content.decode()
    # Three chairs in Pirkanmaa: fewer than five, so nothing of theirs is shown.
    assert "shade-" not in html.split("<tbody>")[1].split("</tbody>")[0]
    html = client.get(f"/results/waves/{wave.pk}/?position=manager").content.decode()
    assert "Pirkanmaa" in html and "shade-" in html


def test_ratings_page_shows_good_and_poor_with_a_chart_and_its_table(client, platform_admin, wave):
    client.force_login(platform_admin)
    html = client.get(f"/results/waves/{wave.pk}/ratings/").content.decode()
    assert "<svg" in html and 'role="img"' in html
    # Pirkanmaa: five 4s and five 2s -> 50 % good, 50 % poor
    assert "50 %" in html


def test_area_report_for_the_area_people_only(
    client, wave, area_coordinator, nokia_member, espoo_editor
):
    url = f"/results/waves/{wave.pk}/areas/08/"
    client.force_login(espoo_editor)  # Länsi-Uusimaa
    assert client.get(url).status_code == 403
    for person in (area_coordinator, nokia_member):
        client.force_login(person)
        html = client.get(url).content.decode()
        assert "Pirkanmaa" in html and "<svg" in html
        # Captions with a per cent sign are translated too.
        assert "Toteutunut melko tai erittäin hyvin (%), alue" in html
    assert client.get(f"/results/waves/{wave.pk}/areas/99/").status_code == 404


def test_area_report_pdf_renders(client, area_coordinator, wave, tmp_path):
    client.force_login(area_coordinator)
    response = client.get(f"/results/waves/{wave.pk}/areas/08/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)  # noqa: S603, S607
    assert list(tmp_path.glob("page*.png"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True)  # noqa: S603, S607
    assert "Pirkanmaa" in text.stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True)  # noqa: S603, S607
    assert re.search(r"Tagged:\s+yes", info.stdout)  # PDF/UA structure for screen readers


def test_exports_are_for_staff(client, wave, area_coordinator):
    client.force_login(area_coordinator)
    for fmt in ("xlsx", "csv", "pptx"):
        assert client.get(f"/results/waves/{wave.pk}/export.{fmt}").status_code == 403


def test_csv_export_guards_against_formulas(client, platform_admin, wave):
    tag = result_services.add_tag(
        survey=wave.survey, kind=Tag.Kind.CATEGORY, names={"fi": "=HYPERLINK(1)"}
    )
    assert tag.name_fi == "=HYPERLINK(1)"
    client.force_login(platform_admin)
    text = client.get(f"/results/waves/{wave.pk}/export.csv?view=tags").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    assert client.get(f"/results/waves/{wave.pk}/export.csv?view=nothing").status_code == 404
    assert client.get(f"/results/waves/{wave.pk}/export.doc").status_code == 404


# -- API -----------------------------------------------------------------------------------------


def test_api_shape_and_suppression(client, platform_admin, wave):
    client.force_login(platform_admin)
    data = client.get(f"/api/v1/waves/{wave.pk}/results/").json()
    assert data["wave"] == wave.pk and data["threshold"] == 5
    assert data["items"][0] == {
        "key": "regular_meetings",
        "label": wave.survey.questions.get(key="regular_meetings").text,
    }
    groups = {g["code"]: g for g in data["groups"]}
    assert groups["08"]["name"] == "Pirkanmaa" and groups["08"]["n"] == 10
    assert groups["08"]["items"]["regular_meetings"] == {"mean": 3.0, "n": 10, "suppressed": False}
    assert groups["90"]["items"]["regular_meetings"] == {
        "mean": None,
        "n": None,
        "suppressed": True,
    }
    assert data["all"]["n"] == 14
    # 46 / 14 = 3.2857...: the API gives the published precision.
    assert data["all"]["items"]["regular_meetings"]["mean"] == 3.3
    assert data["range"]["regular_meetings"] == {"min": 3.0, "max": 3.0}
    assert data["range"]["decision_openness"] is None


def test_api_group_by_and_filters_combine(client, platform_admin, wave):
    client.force_login(platform_admin)
    url = f"/api/v1/waves/{wave.pk}/results/"
    data = client.get(url, {"group_by": "position"}).json()
    # The chairs are too few; the managers are the total less the chairs, so withheld too.
    # Positions with nobody are listed like those with too few.
    sizes = {g["code"]: g["n"] for g in data["groups"]}
    assert sizes["chair"] is None and sizes["manager"] is None
    assert set(sizes.values()) == {None}
    assert data["all"]["n"] == 14
    data = client.get(url, {"group_by": "area", "position": "manager"}).json()
    sizes = {g["code"]: g["n"] for g in data["groups"]}
    assert len(sizes) == 22 and set(sizes.values()) == {None}
    data = client.get(url, {"group_by": "organisation_type"}).json()
    assert data["groups"][0]["code"] == "municipality"


def test_api_errors(client, platform_admin, area_coordinator, wave):
    url = f"/api/v1/waves/{wave.pk}/results/"
    assert client.get(url).status_code in (401, 403)
    client.force_login(area_coordinator)
    assert client.get(url).status_code == 403
    client.force_login(platform_admin)
    response = client.get(url, {"group_by": "colour", "position": "king"})
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"group_by", "position"}
    assert client.get("/api/v1/waves/999999/results/").status_code == 404


def test_a_new_response_drops_the_cached_results(
    client, platform_admin, wave, django_capture_on_commit_callbacks
):
    client.force_login(platform_admin)
    url = f"/api/v1/waves/{wave.pk}/results/"
    assert client.get(url).json()["all"]["n"] == 14
    with django_capture_on_commit_callbacks(execute=True):
        answer(wave, "837", "late@example.org", regular_meetings="5")
    assert client.get(url).json()["all"]["n"] == 15


def test_a_recount_drops_the_cached_results(client, platform_admin, wave):
    """Answers changed behind the signals' back (a queryset update) and then recounted: the
    cached table must not keep the old means."""
    from yhdyspinta.surveys import tallies

    client.force_login(platform_admin)
    url = f"/api/v1/waves/{wave.pk}/results/"

    def mean():
        return client.get(url).json()["all"]["items"]["regular_meetings"]["mean"]

    assert mean() == 3.3
    Answer.objects.filter(response__wave=wave, question__key="regular_meetings").update(
        scale_value=5
    )
    assert mean() == 3.3  # the tallies' figures until they are recounted
    tallies.rebuild(wave)
    assert mean() == 5


def test_cached_results_are_served_from_the_cache(
    client, platform_admin, wave, django_assert_max_num_queries
):
    client.force_login(platform_admin)
    url = f"/api/v1/waves/{wave.pk}/results/"
    client.get(url)
    # The second time: the session, the user, the wave, the state of its tallies, the position
    # question and its choices; nothing of the answers.
    with django_assert_max_num_queries(7):
        assert client.get(url).json()["all"]["n"] == 14


# -- open answers --------------------------------------------------------------------------------


def test_open_answers_of_a_small_group_are_withheld(client, platform_admin, wave):
    client.force_login(platform_admin)
    base = f"/results/waves/{wave.pk}/open-answers/"
    html = client.get(base).content.decode()
    assert "Toimiva vastaus 3" in html
    # Helsinki has two respondents: neither its answers nor its name beside an answer.
    assert "Helsingin vastaus" in html
    assert "Helsinki</p>" not in html and "· Helsinki" not in html
    html = client.get(base, {"area": "90"}).content.decode()
    assert "Helsingin vastaus" not in html and "alle 8" in html
    html = client.get(base, {"area": "08"}).content.decode()
    assert "Toimiva vastaus 3" in html and "· Pirkanmaa" in html


def test_review_tags_and_publishable_quotes(client, platform_admin, area_coordinator, wave):
    client.force_login(platform_admin)
    response = client.post(f"/results/waves/{wave.pk}/tags/new/", {"themes": "on"})
    assert response.status_code == 302
    themes = Tag.objects.filter(survey=wave.survey, kind=Tag.Kind.THEME)
    assert themes.count() == 10
    client.post(f"/results/waves/{wave.pk}/tags/new/", {"name_fi": "Rooli on keskeinen"})
    category = Tag.objects.get(survey=wave.survey, kind=Tag.Kind.CATEGORY)
    response = client.post(f"/results/waves/{wave.pk}/tags/new/", {"name_fi": ""})
    assert response.status_code == 200
    assert "Anna tunnisteelle suomenkielinen nimi." in response.content.decode()

    target = Answer.objects.get(text="Toimiva vastaus 3")
    prefix = f"a{target.pk}"
    response = client.post(
        f"/results/waves/{wave.pk}/open-answers/{target.pk}/review/",
        {f"{prefix}-tags": [category.pk, themes.first().pk], f"{prefix}-publishable": "on"},
    )
    assert response.status_code == 302
    assert target.review.publishable and target.review.tags.count() == 2
    assert AuditEntry.objects.filter(action="answer reviewed").exists()
    assert (
        client.get(f"/results/waves/{wave.pk}/open-answers/{target.pk}/review/").status_code == 405
    )

    html = client.get(
        f"/results/waves/{wave.pk}/open-answers/", {"tag": category.pk}
    ).content.decode()
    assert "Toimiva vastaus 3" in html and "Toimiva vastaus 4" not in html
    text = client.get(f"/results/waves/{wave.pk}/export.csv?view=tags").content.decode("utf-8-sig")
    assert (
        "Rooli on keskeinen,category,1"
        in text.replace("Category", "category").replace("Kategoria", "category")
        or "Rooli on keskeinen" in text
    )

    # The area report quotes the reviewed answer for the area's people.
    client.force_login(area_coordinator)
    html = client.get(f"/results/waves/{wave.pk}/areas/08/").content.decode()
    assert "Toimiva vastaus 3" in html and "Toimiva vastaus 4" not in html


def test_a_tag_of_another_survey_is_refused(client, platform_admin, wave):
    other = make_survey(key="other_survey")
    foreign = result_services.add_tag(survey=other, kind=Tag.Kind.CATEGORY, names={"fi": "Muu"})
    target = Answer.objects.get(text="Toimiva vastaus 3")
    client.force_login(platform_admin)
    client.post(
        f"/results/waves/{wave.pk}/open-answers/{target.pk}/review/",
        {f"a{target.pk}-tags": [foreign.pk]},
    )
    assert not hasattr(Answer.objects.get(pk=target.pk), "review")


def test_home_lists_waves_for_staff_and_area_reports_for_members(
    client, wave, platform_admin, nokia_member
):
    client.force_login(platform_admin)
    html = client.get("/results/").content.decode()
    assert f"/results/waves/{wave.pk}/" in html
    client.force_login(nokia_member)
    html = client.get("/results/").content.decode()
    assert f"/results/waves/{wave.pk}/areas/08/" in html
    assert f'/results/waves/{wave.pk}/"' not in html
    assert f"/results/waves/{wave.pk}/areas/01/" not in html
    assert area("08").area_label in html


@pytest.mark.parametrize(
    ("mean", "step"),
    [
        (None, 0),
        (1.0, 1),
        (1.949, 1),
        (1.95, 2),
        (2.44, 2),
        (2.45, 3),
        (3.0, 4),
        (3.5, 5),
        (5.0, 5),
    ],
)
def test_a_mean_is_shaded_by_its_printed_value(mean, step):
    from yhdyspinta.results.templatetags.results import shade_step

    assert shade_step(mean) == step


def test_a_withheld_areas_report_withholds_its_response_rate(client, platform_admin, wave):
    client.force_login(platform_admin)
    helsinki = client.get(f"/results/waves/{wave.pk}/areas/90/")
    assert helsinki.status_code == 200
    assert helsinki.context["group"].suppressed
    assert helsinki.context["rate"] is None
    assert "kutsutusta" not in helsinki.content.decode()
    pirkanmaa = client.get(f"/results/waves/{wave.pk}/areas/08/")
    assert pirkanmaa.context["rate"].answered == 10
    assert "10 / 10 kutsutusta" in pirkanmaa.content.decode()


def test_open_answers_are_withheld_where_the_plan_withholds_the_group(client, platform_admin):
    """Big enough for open answers, but its count with the area's would give a smaller
    group away: not shown, and its count not told."""
    survey = make_survey()
    survey.min_group_size = survey.min_group_size_open = 2
    survey.save()
    wave = make_wave(survey)
    for n in range(3):
        answer(wave, "837", f"m{n}@example.org", position="manager", what_works=f"Johtaja {n}")
    answer(wave, "837", "c@example.org", position="chair", what_works="Puheenjohtaja")
    client.force_login(platform_admin)
    base = f"/results/waves/{wave.pk}/open-answers/"
    html = client.get(base, {"area": "08", "position": "manager"}).content.decode()
    assert "Johtaja 1" not in html
    assert "alle 2" in html and "3 vastaaja" not in html
    # Pirkanmaa as a whole is shown.
    assert "Johtaja 1" in client.get(base, {"area": "08"}).content.decode()
