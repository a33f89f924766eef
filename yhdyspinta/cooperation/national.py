"""Facts loaded with the app: the council terms and the national forums (`data/`).

Both functions take the models as arguments, so that a data migration can pass its historical
models; they add what is missing and never change or remove what is there.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

DATA = Path(__file__).resolve().parent / "data" / "national_forums.json"
HELSINKI = ZoneInfo("Europe/Helsinki")
LANGUAGES = ("fi", "sv", "en")

COUNCIL_TERMS = [
    {
        "name": "2021–2025",
        "starts_on": date(2021, 8, 1),
        "ends_on": date(2025, 5, 31),
        "note": "Municipal councils from 1 August 2021, the first county councils from "
        "1 March 2022; both to 31 May 2025.",
    },
    {
        "name": "2025–2029",
        "starts_on": date(2025, 6, 1),
        "ends_on": date(2029, 5, 31),
        "note": "Municipal and county councils elected on 13 April 2025.",
    },
]


def load_council_terms(term_model) -> int:
    added = 0
    for term in COUNCIL_TERMS:
        _, created = term_model.objects.get_or_create(name=term["name"], defaults=term)
        added += created
    return added


def load_national_forums(organisation_model, forum_model, meeting_model) -> int:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    organisations = {}
    for item in data["organisations"]:
        found = organisation_model.objects.filter(
            kind=item["kind"], name_fi=item["name"]["fi"]
        ).first()
        if found is None:
            values = {f"name_{lang}": item["name"][lang] for lang in LANGUAGES}
            found = organisation_model.objects.create(
                kind=item["kind"], name=item["name"]["fi"], source="manual", **values
            )
        organisations[item["key"]] = found
    added = 0
    for item in data["forums"]:
        if forum_model.objects.filter(key=item["key"]).exists():
            continue
        values = {f"name_{lang}": item["name"][lang] for lang in LANGUAGES}
        values |= {f"description_{lang}": item["description"][lang] for lang in LANGUAGES}
        forum = forum_model.objects.create(
            key=item["key"],
            name=item["name"]["fi"],
            description=item["description"]["fi"],
            level=item["level"],
            area=None,
            convener=organisations[item["convener"]],
            is_standing=item["standing"],
            starts_on=date.fromisoformat(item["starts_on"]),
            ends_on=date.fromisoformat(item["ends_on"]),
            is_public=True,
            source=item["source"],
            **values,
        )
        forum.member_organisations.set([organisations[key] for key in item["members"]])
        for meeting in item["meetings"]:
            day = date.fromisoformat(meeting["date"])
            starts = datetime.combine(day, time.fromisoformat(item["meeting_start"]), HELSINKI)
            ends = datetime.combine(day, time.fromisoformat(item["meeting_end"]), HELSINKI)
            meeting_model.objects.create(
                forum=forum,
                title=meeting["title"]["fi"],
                **{f"title_{lang}": meeting["title"][lang] for lang in LANGUAGES},
                starts_at=starts,
                ends_at=ends,
                place=item.get("meeting_place", ""),
            )
        added += 1
    return added


def load_all() -> None:
    """For tests that empty the database and for the `load_national_forums` command."""
    from yhdyspinta.registry.models import Organisation

    from .models import CouncilTerm, Forum, Meeting

    load_council_terms(CouncilTerm)
    load_national_forums(Organisation, Forum, Meeting)
