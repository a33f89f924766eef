"""Answering in real Chromium: through the personal link, page by page, save and continue,
submit once; the respondent form and the staff pages with errors pass axe-core (fi, sv)."""

import pytest
from playwright.sync_api import expect

from conftest import browser_log_in, make_person, municipality
from yhdyspinta.core.tests.browser import check_page
from yhdyspinta.surveys.models import Response

from .conftest import invite, make_survey, make_wave

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_answering_through_the_link_with_save_and_continue(page):
    wave = make_wave(make_survey())
    _, token = invite(wave, municipality("837"), email="kj@example.org", position="")
    page.goto(f"/answer/{token}/")
    expect(page.locator("h1")).to_have_text("Taustatiedot")
    assert "anonyymi" in page.locator(".notice").first.inner_text().lower()
    assert "Tampere" in page.locator(".question--organisation").inner_text()

    # Next without the required position: the error is listed at the top and by the field.
    page.get_by_role("button", name="Seuraava").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.locator("#q-position-error").count() == 1
    page.get_by_label("Kunnanjohtaja tai muu yleisjohto").check()
    page.get_by_role("button", name="Seuraava").click()

    # Page 2: a rating, "can't say" in the matrix; then save and leave.
    expect(page.locator("h1")).to_have_text("Yhteistyön toimivuus")
    page.locator("#q-headline_rating-4").check()
    page.locator("#q-regular_meetings-5").check()
    page.locator("#q-county_responsible_persons-cant_say").check()
    page.get_by_role("button", name="Tallenna ja jatka myöhemmin").click()
    expect(page.locator(".hds-notification--success")).to_be_visible()

    # Later, in a new browser session, the same link restores the answers.
    context = page.context.browser.new_context(base_url=page.url.split("/answer/")[0])
    later = context.new_page()
    later.goto(f"/answer/{token}/2/")
    assert later.locator("#q-headline_rating-4").is_checked()
    assert later.locator("#q-regular_meetings-5").is_checked()
    assert later.locator("#q-county_responsible_persons-cant_say").is_checked()
    later.get_by_role("button", name="Seuraava").click()
    expect(later.locator("h1")).to_have_text("Kokemuksia yhteistyöstä")
    later.locator("#q-what_works").fill("Perhekeskusmalli toimii hyvin.")
    later.get_by_label("Asuminen").check()
    later.get_by_role("button", name="Lähetä vastaukset").click()
    expect(later.locator("h1")).to_have_text("Kiitos vastauksistasi")
    context.close()

    response = Response.objects.get(wave=wave)
    assert response.position == "manager"
    answers = {a.question.key: a for a in response.answers.select_related("question")}
    assert answers["headline_rating"].scale_value == 4
    assert answers["county_responsible_persons"].cant_say
    assert answers["what_works"].text == "Perhekeskusmalli toimii hyvin."
    assert answers["challenging_interfaces"].choices == ["housing"]

    # The same link again is refused: no form, a clear message.
    page.goto(f"/answer/{token}/")
    expect(page.locator("h1")).to_have_text("Kiitos vastauksistasi")
    assert page.locator("form.answer__form").count() == 0
    assert "ei voi käyttää uudelleen" in page.locator("main").inner_text()
    assert Response.objects.filter(wave=wave).count() == 1


def test_the_form_works_without_javascript_on_a_phone(browser, registry_for_live_server):
    live_server = registry_for_live_server
    wave = make_wave(make_survey("regional_council"))
    from conftest import org

    _, token = invite(wave, org("regional_council", "06"), email="mj@example.org")
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": 375, "height": 740},
        locale="sv-FI",
    )
    page = context.new_page()
    page.goto(f"/sv/answer/{token}/")
    assert page.locator("html").get_attribute("lang") == "sv"
    page.get_by_label("Landskapsdirektör").check()
    page.get_by_role("button", name="Nästa").click()
    page.wait_for_url("**/2/")
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Nästa").click()
    page.wait_for_url("**/3/")
    # Without JavaScript the conditional question is visible with its written condition.
    assert page.locator("#q-strategic_cooperation_how").is_visible()
    assert page.locator("#q-strategic_cooperation_how-condition").count() == 1
    page.locator("#q-strategic_cooperation-no").check()
    page.locator("#q-strategic_cooperation_how").fill("ignoreras")
    page.get_by_role("button", name="Skicka svaren").click()
    page.wait_for_url("**/done/")
    response = Response.objects.get(wave=wave)
    assert not response.answers.filter(question__key="strategic_cooperation_how").exists()
    context.close()


def test_conditional_question_hides_with_javascript(page):
    from conftest import org

    wave = make_wave(make_survey("regional_council"))
    _, token = invite(wave, org("regional_council", "06"), email="mj@example.org")
    page.goto(f"/answer/{token}/3/")
    how = page.locator("#q-strategic_cooperation_how-group")
    expect(how).to_be_hidden()
    page.locator("#q-strategic_cooperation-yes").check()
    expect(how).to_be_visible()


@pytest.mark.parametrize(("lang", "prefix"), [("fi", ""), ("sv", "/sv")])
def test_survey_pages_with_errors_pass_axe(page, lang, prefix):
    wave = make_wave(make_survey())
    _, token = invite(wave, municipality("837"), email="kj@example.org", position="")
    page.goto(f"{prefix}/answer/{token}/")
    page.locator("button[value=next]").click()
    page.wait_for_selector(".error-summary")
    check_page(page, lang=lang, name="answer-error")
    page.goto(f"{prefix}/answer/{token}/2/")
    page.locator("button[value=save]").click()
    page.wait_for_selector(".hds-notification--success")
    check_page(page, lang=lang, name="answer-saved")

    make_person("admin@example.org", is_staff=True)
    browser_log_in(page, "admin@example.org")
    page.wait_for_url("**/")
    page.goto(f"{prefix}/waves/{wave.pk}/recipients/import/")
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "bad.csv",
                "mimeType": "text/csv",
                "buffer": b"email,organisation_code,position\nnope,999,mayor\n",
            }
        ],
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    assert page.locator(".error-summary tbody tr").count() == 3
    check_page(page, lang=lang, name="recipients-import-error")

    question = wave.survey.questions.get(key="headline_rating")
    page.goto(f"{prefix}/surveys/{wave.survey.pk}/questions/{question.pk}/edit/")
    page.fill("#id_text_fi", "")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    check_page(page, lang=lang, name="question-edit-error")
