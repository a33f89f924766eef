"""The built-in survey templates: valid, complete in three languages, and buildable."""

from __future__ import annotations

from typing import Any

import pytest

from yhdyspinta.surveys.builtin import TEMPLATE_KEYS, load_template
from yhdyspinta.surveys.definition import build_survey, normalise, survey_to_definition, validate
from yhdyspinta.surveys.models import AnswerMode, Question

ITEM_KEYS = [
    "regular_meetings",
    "county_responsible_persons",
    "municipal_responsible_persons",
    "planned_cooperation",
    "shared_knowledge_base",
    "openness_partnership",
    "elected_officials_cooperation",
    "decision_openness",
    "resident_participation",
]

# The Finnish texts of the 2026 municipal survey, copied from the published question list.
MUNICIPAL_FI = {
    "headline_rating": "Miten arvioit yhteistyön toimivuutta kuntasi/organisaatiosi ja "
    "hyvinvointialueen välillä tällä hetkellä?",
    "realisation": "Miten seuraavat asiat ovat toteutuneet hyvinvointialueen kanssa "
    "tapahtuneessa yhdyspintayhteistyössä?",
    "regular_meetings": "Säännölliset tapaamiset hyvinvointialueen yhteyshenkilöiden "
    "/vastuuhenkilöiden kanssa",
    "county_responsible_persons": "Selkeästi määritellyt vastuuhenkilöt hyvinvointialueella",
    "municipal_responsible_persons": "Selkeästi määritellyt vastuuhenkilöt "
    "kuntaorganisaatiossa/kuntayhtymässä",
    "planned_cooperation": "Yhteistyön suunnitelmallisuus perustuen yhteisiin tavoitteisiin ja "
    "toimintamalleihin",
    "shared_knowledge_base": "Valmistelu yhteiseen tietopohjaan ja tilannekuvaan perustuen",
    "openness_partnership": "Yhteistyön avoimuus, vuorovaikutteisuus ja kumppanuus",
    "elected_officials_cooperation": "Kuntien ja hyvinvointialueiden luottamushenkilöiden "
    "välinen yhteistyö",
    "decision_openness": "Päätöksentekoprosessien avoimuus",
    "resident_participation": "Yhteistyö asukkaiden ja palvelujen käyttäjien osallisuuden "
    "vahvistamisessa ja toteuttamisessa",
    "division_of_work_clarity": "Miten selkeänä pidät työnjakoa kuntasi/organisaatiosi ja "
    "hyvinvointialueen välillä?",
}


def all_texts(definition: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    """Every translated text of a normalised definition, with where it is."""
    d = normalise(definition)
    found = [("title", d["title"]), ("intro", d["intro"])]
    for s, section in enumerate(d["sections"]):
        found += [(f"s{s}.title", section["title"]), (f"s{s}.intro", section["intro"])]
        for q in section["questions"]:
            found += [(f"{q['key']}.text", q["text"]), (f"{q['key']}.help", q["help"])]
            found += [(f"{q['key']}.{c['value']}", c["label"]) for c in q["choices"]]
            for item in q.get("items", []):
                found += [
                    (f"{item['key']}.text", item["text"]),
                    (f"{item['key']}.help", item["help"]),
                ]
    return found


def questions(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {q["key"]: q for s in normalise(definition)["sections"] for q in s["questions"]}


@pytest.mark.parametrize("key", TEMPLATE_KEYS)
def test_template_is_valid(key):
    template = load_template(key)
    assert template["key"] == key
    assert validate(template) == []


def test_unknown_template():
    with pytest.raises(KeyError):
        load_template("no_such_survey")


@pytest.mark.parametrize("key", TEMPLATE_KEYS)
def test_every_finnish_text_is_in_swedish_and_english(key):
    texts = all_texts(load_template(key))
    assert texts
    for where, text in texts:
        if text["fi"]:
            assert text["sv"], f"{where}: Swedish missing"
            assert text["en"], f"{where}: English missing"
            assert len({text["fi"], text["sv"], text["en"]}) > 1 or text["fi"].isdigit(), where


@pytest.mark.parametrize("key", TEMPLATE_KEYS)
def test_title_intro_and_sections_are_filled(key):
    d = normalise(load_template(key))
    assert all(d["title"].values())
    assert all(d["intro"].values())
    assert all(all(section["title"].values()) for section in d["sections"])


@pytest.mark.parametrize("key", TEMPLATE_KEYS)
def test_matrix_has_the_nine_comparable_items(key):
    matrix = questions(load_template(key))["realisation"]
    assert matrix["type"] == Question.Type.MATRIX
    assert [item["key"] for item in matrix["items"]] == ITEM_KEYS
    assert matrix["allow_cant_say"] is True
    assert [c["value"] for c in matrix["choices"]] == ["1", "2", "3", "4", "5"]


def test_municipal_texts_are_those_of_the_published_survey():
    qs = questions(load_template("municipal_leadership"))
    items = {item["key"]: item for item in qs["realisation"]["items"]}
    for key, expected in MUNICIPAL_FI.items():
        actual = (qs.get(key) or items[key])["text"]["fi"]
        assert actual == expected, key
    assert qs["headline_rating"]["allow_cant_say"]
    assert qs["division_of_work_clarity"]["allow_cant_say"]
    help_fi = qs["realisation"]["help"]["fi"]
    assert "1–5" in help_fi
    assert "erittäin huonosti" in help_fi
    assert "erittäin hyvin" in help_fi


@pytest.mark.parametrize(
    ("key", "values"),
    [
        ("municipal_leadership", ["chair", "manager", "sector_director"]),
        ("county_leadership", ["chair", "manager", "sector_director"]),
        ("regional_council", ["manager", "sector_director", "other_director"]),
    ],
)
def test_positions(key, values):
    position = questions(load_template(key))["position"]
    assert position["type"] == Question.Type.POSITION
    assert position["required"]
    assert [c["value"] for c in position["choices"]] == values


def test_challenging_interfaces_offer_the_ten_themes_and_other():
    q = questions(load_template("municipal_leadership"))["challenging_interfaces"]
    assert q["type"] == Question.Type.MULTIPLE
    assert q["allow_other"]
    assert len(q["choices"]) == 10
    assert "older_people" in {c["value"] for c in q["choices"]}


def test_answer_modes_and_audiences():
    assert load_template("municipal_leadership")["answer_mode"] == AnswerMode.PER_PERSON
    assert load_template("county_leadership")["answer_mode"] == AnswerMode.PER_PERSON
    assert load_template("regional_council")["answer_mode"] == AnswerMode.PER_ORGANISATION
    assert [load_template(k)["audience"] for k in TEMPLATE_KEYS] == [
        "municipal",
        "county",
        "council",
    ]


def test_load_template_returns_a_fresh_copy():
    template = load_template("municipal_leadership")
    template["key"] = "changed"
    assert load_template("municipal_leadership")["key"] == "municipal_leadership"


EXPECTED_KEYS = {
    "municipal_leadership": [
        "organisation",
        "position",
        "headline_rating",
        "realisation",
        "division_of_work_clarity",
        "what_works",
        "needs_improvement",
        "challenging_interfaces",
        "challenging_interfaces_details",
    ],
    "county_leadership": [
        "organisation",
        "position",
        "headline_rating",
        "realisation",
        "division_of_work_clarity",
        "vitality_role",
        "what_works",
        "needs_improvement",
    ],
    "regional_council": [
        "organisation",
        "position",
        "cooperation_municipalities",
        "cooperation_county",
        "cooperation_extent",
        "realisation",
        "council_role",
        "strategic_cooperation",
        "strategic_cooperation_how",
    ],
}


@pytest.mark.django_db
@pytest.mark.parametrize("key", TEMPLATE_KEYS)
def test_build_survey_from_template(key):
    survey = build_survey(load_template(key))
    top = survey.questions.filter(parent__isnull=True).order_by("section__order", "order")
    assert [q.key for q in top] == EXPECTED_KEYS[key]
    matrix = survey.questions.get(key="realisation")
    assert [item.key for item in matrix.items.order_by("order")] == ITEM_KEYS
    assert all(item.allow_cant_say for item in matrix.items.all())
    assert survey.questions.count() == len(EXPECTED_KEYS[key]) + len(ITEM_KEYS)
    assert survey.title_sv and survey.title_en
    # What was built reads back as the template.
    assert survey_to_definition(survey) == normalise(load_template(key))


@pytest.mark.django_db
def test_regional_council_survey_is_per_organisation_with_a_condition():
    survey = build_survey(load_template("regional_council"))
    assert survey.answer_mode == AnswerMode.PER_ORGANISATION
    how = survey.questions.get(key="strategic_cooperation_how")
    assert how.show_if_question.key == "strategic_cooperation"
    assert how.show_if_value == "yes"
    assert list(
        survey.questions.get(key="strategic_cooperation").choices.values_list("value", flat=True)
    ) == ["yes", "no"]
