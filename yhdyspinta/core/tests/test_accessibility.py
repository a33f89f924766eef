"""Every page a person sees, in Finnish and Swedish, in real Chromium: axe-core finds nothing,
the page says its language and has one h1, and the CSP blocks nothing.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import PASSWORD, area, browser_log_in, make_person, municipality

from .browser import check_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

LANGUAGES = [("fi", ""), ("sv", "/sv")]

# Page name (URL name) -> path; {area}, {municipality} are filled in per test.
PUBLIC_PAGES = {
    "organisations:home": "/",
    "organisations:areas": "/areas/",
    "organisations:organisations": "/organisations/?q=Esbo",
    "organisations:organisation": "/organisations/{area}/",
    "accounts:login": "/accounts/login/",
    "accounts:password_reset": "/accounts/password-reset/",
    "accounts:password_reset_done": "/accounts/password-reset/sent/",
    "accounts:password_reset_confirm": "/accounts/password-reset/MQ/set-password/",
    "accounts:password_reset_complete": "/accounts/password-reset/complete/",
    "api-docs": "/api/v1/docs/",
    "surveys:answer": "/answer/{token}/",
    "surveys:answer_step": "/answer/{token}/2/",
    "surveys:answer_done": "/answer/{used_token}/done/",
    "404": "/no-such-page/",
}
SIGNED_IN_PAGES = {
    "accounts:profile": "/accounts/me/",
    "accounts:password_change": "/accounts/password/",
    "accounts:password_change_done": "/accounts/password/done/",
    "organisations:organisation_edit": "/organisations/{municipality}/edit/",
    "organisations:organisation_create": "/organisations/new/",
    "organisations:organisation_import": "/organisations/import/",
    "organisations:organisation (people)": "/organisations/{municipality}/",
    "surveys:surveys": "/surveys/",
    "surveys:survey_create": "/surveys/new/",
    "surveys:survey_import": "/surveys/import/",
    "surveys:survey": "/surveys/{survey}/",
    "surveys:survey_edit": "/surveys/{survey}/edit/",
    "surveys:preview": "/surveys/{survey}/preview/",
    "surveys:preview_step": "/surveys/{survey}/preview/2/",
    "surveys:section_create": "/surveys/{survey}/sections/new/",
    "surveys:section_edit": "/surveys/{survey}/sections/{section}/edit/",
    "surveys:question_create": "/surveys/{survey}/sections/{section}/questions/new/",
    "surveys:question_edit": "/surveys/{survey}/questions/{question}/edit/",
    "surveys:wave_create": "/surveys/{survey}/waves/new/",
    "surveys:wave_edit": "/surveys/{survey}/waves/{wave}/edit/",
    "surveys:wave": "/waves/{wave}/",
    "surveys:wave_import": "/waves/{wave}/recipients/import/",
    "surveys:wave_rate": "/waves/{wave}/response-rate/",
    "results:home": "/results/",
    "results:table": "/results/waves/{wave}/",
    "results:ratings": "/results/waves/{wave}/ratings/",
    "results:trends": "/results/waves/{wave}/trends/",
    "results:map": "/results/waves/{wave}/map/",
    "results:open_answers": "/results/waves/{wave}/open-answers/",
    "results:add_tag": "/results/waves/{wave}/tags/new/",
    "results:area_report": "/results/waves/{wave}/areas/08/",
}
# The division of work, filled with the demo table ({entry}: one of its entries).
RESPONSIBILITY_PAGES = {
    "responsibilities:index": "/responsibilities/",
    "responsibilities:matrix": "/areas/08/responsibilities/",
    "responsibilities:matrix (list)": "/areas/08/responsibilities/?view=list",
    "responsibilities:entry_create": "/areas/08/responsibilities/new/",
    "responsibilities:entry_edit": "/responsibilities/{entry}/edit/",
    "responsibilities:entry_end": "/responsibilities/{entry}/end/",
    "responsibilities:entry_delete": "/responsibilities/{entry}/delete/",
    "responsibilities:themes": "/areas/08/themes/",
    "responsibilities:add_party": "/areas/08/parties/",
    "responsibilities:contact_left": "/contacts/{contact}/left/",
    "responsibilities:import": "/areas/08/responsibilities/import/",
    "responsibilities:search": "/contacts/",
    "responsibilities:search (keyword)": "/contacts/?q=koulukuraattori&municipality={municipality}",
    "responsibilities:coverage": "/areas/08/responsibilities/coverage/",
    "responsibilities:coverage_national": "/responsibilities/coverage/",
    "privacy:my_data": "/my-data/",
    "privacy:erase": "/people/erase/",
    "privacy:erase (preview)": "/people/erase/?email=katja.virtanen%40demo.invalid",
}
# Negotiations, forums, actions and agreements, filled with Pirkanmaa's demo cooperation.
COOPERATION_PAGES = {
    "cooperation:duties": "/areas/08/duties/",
    "cooperation:duties (helsinki)": "/areas/90/duties/",
    "cooperation:duties_national": "/duties/",
    "cooperation:duties_municipality": "/municipalities/837/duties/",
    "cooperation:negotiations": "/areas/08/negotiations/",
    "cooperation:negotiation_create": "/areas/08/negotiations/new/",
    "cooperation:negotiation": "/negotiations/{negotiation}/",
    "cooperation:negotiation_edit": "/negotiations/{negotiation}/edit/",
    "cooperation:forums": "/forums/",
    "cooperation:forum_create": "/forums/new/?area=08",
    "cooperation:forum": "/forums/{forum}/",
    "cooperation:forum (national)": "/forums/{national_forum}/",
    "cooperation:forum_edit": "/forums/{forum}/edit/",
    "cooperation:meeting_create": "/forums/{forum}/meetings/new/",
    "cooperation:series_create": "/forums/{forum}/series/new/",
    "cooperation:meeting": "/meetings/{meeting}/",
    "cooperation:meeting_edit": "/meetings/{meeting}/edit/",
    "cooperation:my_calendar": "/calendar/",
    "cooperation:my_actions": "/actions/",
    "cooperation:action": "/actions/{action}/",
    "cooperation:agreements": "/agreements/",
    "cooperation:area_agreements": "/areas/02/agreements/",
    "cooperation:agreement_create": "/areas/08/agreements/new/",
    "cooperation:agreement": "/agreements/{agreement}/",
    "cooperation:agreement_edit": "/agreements/{agreement}/edit/",
}
# Goals, maturity and the situational picture, with the demo's goals and survey waves.
GOALS_PAGES = {
    "goals:area_goals": "/areas/08/goals/",
    "goals:goal_create": "/areas/08/goals/new/",
    "goals:import": "/areas/08/goals/import/",
    "goals:goal": "/goals/{goal}/",
    "goals:goal_edit": "/goals/{goal}/edit/",
    "goals:indicator_create": "/goals/{goal}/indicators/new/",
    "goals:indicator_edit": "/indicators/{indicator}/edit/",
    "goals:area_maturity": "/areas/08/maturity/",
    "goals:national_maturity": "/maturity/",
    "situation:area": "/areas/08/picture/",
    "situation:national": "/situation/",
    "situation:national (maturity)": "/situation/?measure=maturity",
}
# Pages of people and sign-in, checked with axe in fi and sv in the browser tests of
# people/tests/test_browser.py, where the flows that reach them run end to end.
PEOPLE_PAGES = {
    "account_login",
    "accounts:invitation",
    "accounts:two_factor_required",
    "account_inactive",
    "account_reauthenticate",
    "mfa_reauthenticate",
    "mfa_activate_totp",
    "mfa_authenticate",
    "mfa_deactivate_totp",
    "mfa_generate_recovery_codes",
    "mfa_index",
    "mfa_view_recovery_codes",
    "openid_connect_callback",
    "usersessions_list",
    "people:people",
    "people:membership",
    "people:end_membership",
    "people:invite_import",
}
# POST-only actions, redirects and file downloads.
NOT_PAGES = {
    "account_logout",
    "openid_connect_login",
    "mfa_download_recovery_codes",
    "people:resend_invitation",
    "people:revoke_invitation",
    "goals:measurement_add",
    "goals:measurement_delete",
    "situation:area_pdf",
    "calendar-feed",
    "cooperation:negotiation_archive",
    "cooperation:negotiation_document",
    "cooperation:negotiation_action",
    "cooperation:meeting_document",
    "cooperation:meeting_action",
    "cooperation:meeting_cancel",
    "cooperation:document",
    "cooperation:forum_archive",
    "cooperation:forum_feed_renew",
    "cooperation:agreement_theme",
    "cooperation:agreement_document",
    "cooperation:party_approvals",
    "responsibilities:entry_confirm",
    "responsibilities:theme_retire",
    "responsibilities:template",
    "responsibilities:export",
    "responsibilities:vcard",
    "privacy:my_data_json",
    "accounts:logout",
    "surveys:survey_export",
    "surveys:question_move",
    "surveys:question_remove",
    "surveys:wave_invite_registry",
    "surveys:wave_send",
    "surveys:wave_remind",
    "results:review_answer",
    "results:area_report_pdf",
    "results:export",
}


def _page_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace in ("admin",) or str(p.pattern) == "api/v1/":
                    continue
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns)
    return names - {"healthz"}


def test_every_page_is_in_the_accessibility_lists():
    pages = (
        *PUBLIC_PAGES,
        *SIGNED_IN_PAGES,
        *RESPONSIBILITY_PAGES,
        *COOPERATION_PAGES,
        *GOALS_PAGES,
    )
    covered = {name.split(" ")[0] for name in pages} | NOT_PAGES | PEOPLE_PAGES
    assert _page_names() - covered == set()


_SURVEY_IDS: dict[str, object] = {}


def _survey_objects() -> dict[str, object]:
    """A survey from the municipal template, an open wave, one fresh and one used link."""
    from yhdyspinta.surveys import services
    from yhdyspinta.surveys.tests.conftest import invite, make_survey, make_wave

    survey = make_survey()
    wave = make_wave(survey)
    _, token = invite(wave, municipality("837"), email="vastaaja@example.org")
    _, used = invite(wave, municipality("536"), email="vastannut@example.org")
    services.submit_response(token=used, answers={"position": "chair"})
    section = survey.sections.get(order=1)
    return {
        "survey": survey.pk,
        "wave": wave.pk,
        "section": section.pk,
        "question": survey.questions.get(key="headline_rating").pk,
        "token": token,
        "used_token": used,
    }


def _fill(path: str) -> str:
    if "{" in path and not _SURVEY_IDS.get("ready"):
        _SURVEY_IDS.update(_survey_objects(), ready=True)
    return path.format(area=area("08").pk, municipality=municipality("837").pk, **_SURVEY_IDS)


@pytest.fixture(autouse=True)
def _fresh_survey_objects():
    # Transactional tests empty the database between tests: make the objects again.
    _SURVEY_IDS.clear()


def _log_in(page, email: str, password: str = PASSWORD) -> None:
    browser_log_in(page, email, password)
    page.wait_for_url("**/")


@pytest.mark.parametrize(("lang", "prefix"), LANGUAGES)
def test_public_pages(page, lang, prefix):
    for name, path in PUBLIC_PAGES.items():
        page.goto(prefix + _fill(path))
        check_page(page, lang=lang, name=name.replace(":", "-"))


@pytest.mark.parametrize(("lang", "prefix"), LANGUAGES)
def test_signed_in_pages(page, lang, prefix, tampere_editor):
    # Staff rights too, so that the pages for adding organisations open.
    editor = tampere_editor
    editor.is_staff = True
    editor.save()
    _log_in(page, editor.email)
    for name, path in SIGNED_IN_PAGES.items():
        page.goto(prefix + _fill(path))
        check_page(page, lang=lang, name=name.replace(":", "-").replace(" ", ""))


@pytest.mark.parametrize(("lang", "prefix"), LANGUAGES)
def test_forms_with_errors(page, lang, prefix):
    make_person("admin@example.org", is_staff=True)
    page.goto(prefix + "/accounts/login/")
    page.fill("#id_username", "admin@example.org")
    page.locator("main form button[type=submit]").click()
    page.fill("#id_password", "wrong")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    check_page(page, lang=lang, name="login-error")

    _log_in(page, "admin@example.org")
    page.goto(prefix + "/organisations/new/")
    page.select_option("#id_kind", "ngo")
    page.fill("#id_website", "not a web address")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    assert page.locator("#id_name_fi[aria-invalid=true]").count() == 1
    check_page(page, lang=lang, name="organisation-create-error")

    page.goto(prefix + "/organisations/import/")
    page.set_input_files(
        "#id_file",
        files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": b"kind,name_fi\ncastle,\n"}],
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    assert page.locator(".error-summary tbody tr").count() == 2
    check_page(page, lang=lang, name="organisation-import-error")


def test_search_works_without_javascript(browser, registry_for_live_server):
    live_server = registry_for_live_server
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/organisations/")
    page.fill("#id_q", "Jakobstad")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**q=Jakobstad**")
    assert page.locator("#results tbody tr").count() == 1
    assert "Pietarsaari" in page.locator("#results").inner_text()
    context.close()


def test_search_updates_as_you_type_with_javascript(page):
    from playwright.sync_api import expect

    page.goto("/sv/organisations/")
    page.fill("#id_q", "Esbo")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    assert "Esbo" in page.locator("#results").inner_text()
    assert "q=Esbo" in page.url


def test_keyboard_user_can_skip_to_main_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_locked_out_page_is_accessible(page, settings):
    settings.AXES_FAILURE_LIMIT = 1
    make_person("x@example.org")
    page.goto("/accounts/login/")
    page.fill("#id_username", "x@example.org")
    page.locator("main form button[type=submit]").click()
    page.fill("#id_password", "wrong")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("h1")
    check_page(page, lang="fi", name="locked-out")


def test_the_axe_check_does_fail_on_a_broken_page(browser):
    """Guard against a silently passing check: axe must report a known violation."""
    from .browser import axe_violations

    page = browser.new_page()
    page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    ids = {v["id"] for v in axe_violations(page)}
    page.close()
    assert {"image-alt", "label", "html-has-lang"} <= ids


@pytest.mark.parametrize(("lang", "prefix"), LANGUAGES)
def test_results_pages_with_the_demo_data(page, lang, prefix):
    """The result pages full of figures, withheld cells, charts, the map and reviewed quotes."""
    from yhdyspinta.demo.surveys import create_demo_survey_data
    from yhdyspinta.results import services as result_services
    from yhdyspinta.surveys.models import Answer, Wave

    create_demo_survey_data()
    wave = Wave.objects.get(survey__key="municipal_leadership_demo", name="2026")
    quote = Answer.objects.filter(response__wave=wave, response__area__code="08").exclude(text="")
    tags = result_services.add_theme_tags(survey=wave.survey)
    if quote.exists():
        result_services.review_answer(answer=quote.first(), tags=tags[:2], publishable=True)
    make_person("analyst@example.org", is_staff=True)
    _log_in(page, "analyst@example.org")
    base = f"{prefix}/results/waves/{wave.pk}"
    for name, path in [
        ("results-table", "/"),
        ("results-table-sorted", "/?sort=regular_meetings&dir=desc&position=manager"),
        ("results-ratings", "/ratings/"),
        ("results-trends", "/trends/"),
        ("results-map", "/map/?item=decision_openness"),
        ("results-open-answers", "/open-answers/"),
        ("results-open-answers-withheld", "/open-answers/?area=90"),
        ("results-area-report", "/areas/08/"),
        ("results-area-report-helsinki", "/areas/90/"),
    ]:
        page.goto(base + path)
        check_page(page, lang=lang, name=name)
    page.goto(base + "/tags/new/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    check_page(page, lang=lang, name="results-tag-error")


@pytest.mark.parametrize(("lang", "prefix"), LANGUAGES)
def test_responsibility_pages_with_the_demo_table(page, lang, prefix):
    """The table full of people, vacancies and stale entries; its forms, search and reports."""
    from yhdyspinta.demo.division_of_work import create_demo_table
    from yhdyspinta.responsibilities.models import Responsibility

    create_demo_table()
    entry = Responsibility.objects.filter(area__code="08", party__code="837").first()
    make_person("analyst@example.org", is_staff=True)
    _log_in(page, "analyst@example.org")
    for name, path in RESPONSIBILITY_PAGES.items():
        ids = {
            "entry": entry.pk,
            "contact": entry.contact_id,
            "municipality": municipality("837").pk,
        }
        page.goto(prefix + path.format(**ids))
        check_page(page, lang=lang, name=name.replace(":", "-").replace(" ", ""))
    # A form sent back with errors.
    page.goto(prefix + "/areas/08/responsibilities/new/")
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    check_page(page, lang=lang, name="responsibilities-entry-error")


@pytest.mark.parametrize(("lang", "prefix"), LANGUAGES)
def test_cooperation_pages_with_the_demo_cooperation(page, lang, prefix):
    """The duty board (area, Helsinki, municipality, country with its map), negotiations,
    forums and meetings, action items and agreements, full of the demo's records."""
    from yhdyspinta.cooperation.models import ActionItem, Agreement, Forum, Meeting, Negotiation
    from yhdyspinta.demo.cooperation import create_demo_cooperation
    from yhdyspinta.demo.people import create_demo_people

    create_demo_people()
    create_demo_cooperation()
    forum = Forum.objects.get(area__code="08")
    ids = {
        "negotiation": Negotiation.objects.filter(kind="section14").first().pk,
        "forum": forum.pk,
        "national_forum": Forum.objects.get(key="kuntaliitto-yhdyspintafoorumit-2023").pk,
        "meeting": Meeting.objects.filter(forum=forum).exclude(minutes="").first().pk,
        "action": ActionItem.objects.first().pk,
        "agreement": Agreement.objects.get().pk,
    }
    make_person("analyst@example.org", is_staff=True)
    _log_in(page, "analyst@example.org")
    for name, path in COOPERATION_PAGES.items():
        page.goto(prefix + path.format(**ids))
        check_page(page, lang=lang, name=name.replace(":", "-").replace(" ", ""))
    # Forms sent back with errors: a negotiation without parties, a rule that never ends.
    page.goto(prefix + "/areas/08/negotiations/new/")
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    check_page(page, lang=lang, name="cooperation-negotiation-error")
    page.goto(prefix + f"/forums/{forum.pk}/series/new/")
    page.fill("#id_first_starts_at", "2027-01-08T09:00")
    page.fill("#id_rule", "FREQ=MONTHLY;BYDAY=1FR")
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    check_page(page, lang=lang, name="cooperation-series-error")


@pytest.mark.parametrize(("lang", "prefix"), LANGUAGES)
def test_goal_and_picture_pages_with_the_demo(page, lang, prefix):
    """Goals with their charts, the maturity ladder, the area's picture and the national
    ranking with its map, as the county's coordinator sees them (with the assessment form)."""
    from yhdyspinta.demo.cooperation import create_demo_cooperation
    from yhdyspinta.demo.division_of_work import create_demo_table
    from yhdyspinta.demo.goals import create_demo_goals
    from yhdyspinta.demo.leadership import create_demo_leadership_waves
    from yhdyspinta.demo.people import create_demo_people
    from yhdyspinta.demo.surveys import create_demo_survey_data
    from yhdyspinta.goals.models import Goal

    create_demo_people()
    create_demo_survey_data()
    create_demo_leadership_waves()
    create_demo_table()
    create_demo_cooperation()
    create_demo_goals()
    goal = Goal.objects.first()
    ids = {"goal": goal.pk, "indicator": goal.indicators.first().pk}
    _log_in(page, "koordinaattori@demo.invalid", password="yhdyspinta-demo")
    for name, path in GOALS_PAGES.items():
        page.goto(prefix + path.format(**ids))
        check_page(page, lang=lang, name=name.replace(":", "-").replace(" ", ""))
    # A goal without a title, an indicator whose target equals its baseline.
    page.goto(prefix + "/areas/08/goals/new/")
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    check_page(page, lang=lang, name="goals-goal-error")
    page.goto(prefix + f"/goals/{goal.pk}/indicators/new/")
    page.fill("#id_name_fi", "Mittari")
    page.fill("#id_baseline_value", "5")
    page.fill("#id_baseline_year", "2024")
    page.fill("#id_target_value", "5")
    page.fill("#id_target_year", "2027")
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    check_page(page, lang=lang, name="goals-indicator-error")
