"""Staff pages: only platform administrators, the wrong method refused; the respondent pages
through the Django test client (the browser tests cover the same in Chromium)."""

import pytest
from django.urls import reverse

from conftest import PASSWORD, municipality, totp_code
from yhdyspinta.surveys.models import Invitation, Question, Survey, Wave

from .conftest import invite, make_survey, make_wave

pytestmark = pytest.mark.django_db


def staff_urls(wave: Wave) -> list[str]:
    survey = wave.survey
    section = survey.sections.first()
    question = survey.questions.get(key="headline_rating")
    return [
        reverse("surveys:surveys"),
        reverse("surveys:survey_create"),
        reverse("surveys:survey_import"),
        reverse("surveys:survey", args=[survey.pk]),
        reverse("surveys:survey_edit", args=[survey.pk]),
        reverse("surveys:survey_export", args=[survey.pk]),
        reverse("surveys:preview", args=[survey.pk]),
        reverse("surveys:section_create", args=[survey.pk]),
        reverse("surveys:section_edit", args=[survey.pk, section.pk]),
        reverse("surveys:question_create", args=[survey.pk, section.pk]),
        reverse("surveys:question_edit", args=[survey.pk, question.pk]),
        reverse("surveys:wave_create", args=[survey.pk]),
        reverse("surveys:wave_edit", args=[survey.pk, wave.pk]),
        reverse("surveys:wave", args=[wave.pk]),
        reverse("surveys:wave_import", args=[wave.pk]),
        reverse("surveys:wave_rate", args=[wave.pk]),
    ]


def test_staff_pages_are_for_platform_administrators_only(
    client, open_wave, platform_admin, area_coordinator, tampere_editor
):
    urls = staff_urls(open_wave)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for person in (area_coordinator, tampere_editor):
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == 403, url
    client.force_login(platform_admin)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_post_only_actions_refuse_get_and_outsiders(
    client, open_wave, platform_admin, tampere_editor
):
    question = open_wave.survey.questions.get(key="headline_rating")
    actions = [
        reverse("surveys:question_move", args=[open_wave.survey.pk, question.pk]),
        reverse("surveys:question_remove", args=[open_wave.survey.pk, question.pk]),
        reverse("surveys:wave_invite_registry", args=[open_wave.pk]),
        reverse("surveys:wave_send", args=[open_wave.pk]),
        reverse("surveys:wave_remind", args=[open_wave.pk]),
    ]
    client.force_login(tampere_editor)
    for url in actions:
        assert client.post(url).status_code == 403
    client.force_login(platform_admin)
    for url in actions:
        assert client.get(url).status_code == 405


def test_create_a_survey_from_a_template_and_a_wave(client, platform_admin):
    client.force_login(platform_admin)
    response = client.post(
        reverse("surveys:survey_create"),
        {"template": "municipal_leadership", "key": "kuntajohto_2027"},
    )
    survey = Survey.objects.get(key="kuntajohto_2027")
    assert response["Location"] == survey.get_absolute_url()
    assert survey.questions.filter(parent__key="realisation").count() == 9
    page = client.get(survey.get_absolute_url()).content.decode()
    assert "regular_meetings" in page
    response = client.post(
        reverse("surveys:wave_create", args=[survey.pk]),
        {
            "name": "2027",
            "opens_at": "2027-02-01T08:00",
            "closes_at": "2027-01-01T08:00",
            "privacy": "anonymous",
            "answer_mode": "per_person",
            "max_reminders": "2",
        },
    )
    assert response.status_code == 200  # re-rendered with the error, nothing saved
    assert "error-summary" in response.content.decode()
    assert not Wave.objects.exists()
    response = client.post(
        reverse("surveys:wave_create", args=[survey.pk]),
        {
            "name": "2027",
            "opens_at": "2027-02-01T08:00",
            "closes_at": "2027-03-15T16:00",
            "privacy": "anonymous",
            "answer_mode": "per_person",
            "audience_kinds": ["municipality"],
            "audience_positions": ["chair", "manager"],
            "remind_every_days": "7",
            "max_reminders": "2",
        },
    )
    wave = Wave.objects.get()
    assert response["Location"] == wave.get_absolute_url()
    assert wave.audience_positions == ["chair", "manager"]


def test_import_xlsform_page_reports_rows_and_creates_nothing(client, platform_admin):
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    survey_sheet = workbook.active
    survey_sheet.title = "survey"
    survey_sheet.append(["type", "name", "label"])
    survey_sheet.append(["text", "nimi", "Nimi"])
    survey_sheet.append(["geopoint", "paikka", "Missä olet?"])
    settings_sheet = workbook.create_sheet("settings")
    settings_sheet.append(["form_title", "form_id"])
    settings_sheet.append(["Testi", "testi"])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "form.xlsx"
    client.force_login(platform_admin)
    response = client.post(reverse("surveys:survey_import"), {"file": out})
    assert response.status_code == 200
    errors = response.context["errors"]
    assert [(e.sheet, e.row, e.column) for e in errors] == [("survey", 3, "type")]
    assert not Survey.objects.exists()


def test_editing_an_answered_question_needs_a_new_key(client, open_wave, platform_admin):
    from yhdyspinta.surveys import services

    _, token = invite(open_wave, municipality("837"), email="a@example.org")
    services.submit_response(token=token, answers={"position": "chair", "headline_rating": "4"})
    survey = open_wave.survey
    question = survey.questions.get(key="headline_rating")
    url = reverse("surveys:question_edit", args=[survey.pk, question.pk])
    client.force_login(platform_admin)
    form = client.get(url).context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    data["text_fi"] = "Miten yhteistyö toimii nyt?"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "new key" in response.content.decode() or "uusi tunniste" in response.content.decode()
    question.refresh_from_db()
    assert question.retired_at is None and question.text_fi != "Miten yhteistyö toimii nyt?"

    response = client.post(url, {**data, "new_key": "headline_rating_2027"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.retired_at is not None
    new = survey.questions.get(key="headline_rating_2027")
    assert question.replaced_by == new and new.text_fi == "Miten yhteistyö toimii nyt?"
    # The old answers keep their question; the form now asks the new one.
    assert question.answers.count() == 1 and new.answers.count() == 0
    assert [c.value for c in new.choices.all()] == ["1", "2", "3", "4", "5"]

    # A Swedish correction of an answered question is saved in place, under the same key.
    item = survey.questions.get(key="regular_meetings")
    services.submit_response(
        token=invite(open_wave, municipality("536"), email="b@example.org")[1],
        answers={"position": "chair", "regular_meetings": "3"},
    )
    url = reverse("surveys:question_edit", args=[survey.pk, item.pk])
    form = client.get(url).context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    data["text_sv"] = "Regelbundna möten (rättad)"
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.retired_at is None and item.text_sv == "Regelbundna möten (rättad)"


def test_unanswered_question_is_edited_in_place_and_removed(
    client, municipal_survey, platform_admin
):
    question = municipal_survey.questions.get(key="what_works")
    client.force_login(platform_admin)
    response = client.post(
        reverse("surveys:question_remove", args=[municipal_survey.pk, question.pk])
    )
    assert response.status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()


def test_respondent_pages_refuse_unknown_links(client):
    response = client.get("/answer/1-0000/")
    assert response.status_code == 404
    assert response.context["refusal"].code == "unknown_token"
    assert "error-summary" not in response.content.decode()
    assert "<form" not in response.content.decode().split("<main", 1)[1]


def test_tampered_form_gets_a_clear_error_and_stores_nothing(client, open_wave):
    invitation, token = invite(open_wave, municipality("837"), email="a@example.org")
    response = client.post(
        f"/answer/{token}/2/",
        {"headline_rating": "7", "regular_meetings": "<script>", "action": "next"},
    )
    assert response.status_code == 200
    assert len(response.context["error_links"]) == 2
    invitation.refresh_from_db()
    # What was entered is kept in the draft (nothing lost), but no response exists.
    assert invitation.draft["headline_rating"] == "7"
    assert not invitation.answered


def test_a_double_submit_is_recognised(client, open_wave):
    invitation, token = invite(open_wave, municipality("837"), email="a@example.org")
    client.post(f"/answer/{token}/", {"position": "manager", "action": "next"})
    last = f"/answer/{token}/3/"
    first = client.post(last, {"action": "submit"})
    second = client.post(last, {"action": "submit"})
    assert first.status_code == 302 and second.status_code == 302
    assert first["Location"] == second["Location"] == f"/answer/{token}/done/"
    assert open_wave.responses.count() == 1
    assert Invitation.objects.get(pk=invitation.pk).answered


def test_identified_wave_says_so_on_the_first_page(client, municipal_survey):
    wave = make_wave(municipal_survey, privacy=Wave.Privacy.IDENTIFIED)
    _, token = invite(wave, municipality("837"), email="a@example.org")
    page = client.get(f"/answer/{token}/").content.decode()
    assert "notice--identified" in page
    assert client.get(f"/answer/{token}/2/").content.decode().count("notice--identified") == 0


def test_login_then_staff_nav_shows_surveys(client, platform_admin, tampere_editor):
    client.post("/accounts/login/", {"username": platform_admin.email, "password": PASSWORD})
    # Staff sign in with two factors: the code comes next.
    client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    assert reverse("surveys:surveys") in client.get("/").content.decode()
    client.logout()
    client.force_login(tampere_editor)
    assert reverse("surveys:surveys") not in client.get("/").content.decode()


def test_new_wave_form_starts_from_the_survey_defaults(client, platform_admin):
    survey = make_survey("regional_council")
    client.force_login(platform_admin)
    form = client.get(reverse("surveys:wave_create", args=[survey.pk])).context["form"]
    assert form["answer_mode"].value() == "per_organisation"
    assert form["audience_kinds"].value() == ["regional_council"]
    assert form["privacy"].value() == "anonymous"
    assert form["opens_at"].value() is not None
    assert form["closes_at"].value() > form["opens_at"].value()


def test_wave_recipients_are_paged_and_filtered(client, open_wave, platform_admin):
    for n in range(51):
        invite(open_wave, municipality("837"), email=f"v{n}@example.org")
    client.force_login(platform_admin)
    url = reverse("surveys:wave", args=[open_wave.pk])
    first = client.get(url, {"status": "not_sent"})
    assert len(first.context["page"].object_list) == 50
    assert "?status=not_sent&amp;page=2" in first.content.decode()
    second = client.get(url, {"status": "not_sent", "page": 2})
    assert len(second.context["page"].object_list) == 1
    assert client.get(url, {"status": "sent"}).context["page"].paginator.count == 0


def test_anonymous_wave_page_does_not_say_who_answered(client, open_wave, platform_admin):
    from yhdyspinta.surveys import services

    _, token = invite(open_wave, municipality("837"), email="vastasi@example.org")
    invite(open_wave, municipality("536"), email="odottaa@example.org")
    services.submit_response(token=token, answers={"position": "chair"})
    client.force_login(platform_admin)
    url = reverse("surveys:wave", args=[open_wave.pk])
    response = client.get(url)
    assert response.context["answered"] == 1  # the count, not the person
    assert response.context["waiting"] == 1  # the answered one is not waiting to be sent
    rows = response.content.decode().split("<tbody", 1)[1]
    assert "vastasi@example.org" in rows and ">kyllä<" not in rows and ">ei<" not in rows
    # (A test's shortcut: the daily job marks the answered link used, then the wave is
    # switched to identified, which the wave's edit form does not allow once it has answers.)
    services.mark_answered_invitations(now=open_wave.closes_at)
    open_wave.privacy = Wave.Privacy.IDENTIFIED
    open_wave.save()
    rows = client.get(url).content.decode().split("<tbody", 1)[1]
    assert ">kyllä<" in rows and ">ei<" in rows


def test_a_too_large_recipients_file_is_refused_before_it_is_read(
    client, open_wave, platform_admin
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yhdyspinta.core import tables

    client.force_login(platform_admin)
    body = b"email,organisation_code,position\n" + b"a@example.org,837,manager\n" * (
        tables.MAX_BYTES // 25 + 1
    )
    upload = SimpleUploadedFile("recipients.csv", body, content_type="text/csv")
    response = client.post(reverse("surveys:wave_import", args=[open_wave.pk]), {"file": upload})
    assert response.status_code == 200
    assert "Tiedosto on liian suuri: enintään 5 Mt." in response.content.decode()
    assert not open_wave.invitations.exists()


def test_an_xlsform_claiming_the_whole_grid_is_read_as_the_cells_it_has():
    from yhdyspinta.core.tests.test_tables import xlsx
    from yhdyspinta.surveys import xlsform

    content = xlsx([["type", "name", "label"], ["text", "nimi", "Nimi"]], dimension="A1:XFD1048576")
    definition, _ = xlsform._import(content, filename="form.xlsx")
    questions = definition["sections"][0]["questions"]
    assert [q["key"] for q in questions] == ["nimi"]
