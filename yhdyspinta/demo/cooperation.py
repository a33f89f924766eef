"""Generated demo negotiations, a forum and an agreement for Pirkanmaa, clearly labelled: every
title ends in "(demo)". The organisations are the real ones of the registry and the demo
people of `people.py`; dates, agendas, minutes and action items are made up to show a year of
cooperation: a §14 negotiation held with part of the municipalities this term, last year's
hyte negotiation (this year's is still open near the year's end), a standing management forum
meeting on the first Friday of each month, and an agreement in preparation.

Dates are set relative to the day the demo is created, so the duty board always has something
met, something scheduled and something open near its deadline.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from yhdyspinta.accounts.models import User
from yhdyspinta.cooperation import services
from yhdyspinta.cooperation.models import ActionItem, Agreement, Forum, Negotiation
from yhdyspinta.registry.models import Organisation
from yhdyspinta.responsibilities.models import Theme

HELSINKI = ZoneInfo("Europe/Helsinki")
DEMO = "(demo)"
# The municipalities that took part in the demo §14 negotiation (the rest have not yet).
SECTION14_PARTIES = [
    "837", "536", "604", "211", "418", "980", "908", "562", "922", "143", "020", "108",
]  # fmt: skip


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), HELSINKI)


def _first_friday_on_or_after(day: date) -> date:
    return day + timedelta(days=(4 - day.weekday()) % 7)


@transaction.atomic
def create_demo_cooperation(today: date | None = None) -> dict[str, int]:
    """Create Pirkanmaa's demo cooperation once; return what was made (empty if it exists)."""
    area = Organisation.objects.areas().get(code="08")
    if Negotiation.objects.filter(area=area, title__endswith=DEMO).exists():
        return {}
    today = today or timezone.localdate()
    actor = User.objects.get(email="koordinaattori@demo.invalid")
    municipalities = list(
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY, area=area).active()
    )
    by_code = {m.code: m for m in municipalities}
    council = Organisation.objects.get(
        kind=Organisation.Kind.REGIONAL_COUNCIL, region_id=area.region_id
    )
    tampere, nokia = by_code["837"], by_code["536"]

    # §14: held this term, in the spring, with part of the municipalities.
    held_on = date(today.year if today.month >= 4 else today.year - 1, 3, 19)
    section14 = services.create_negotiation(
        actor=actor,
        area=area,
        parties=[by_code[c] for c in SECTION14_PARTIES if c in by_code] + [council],
        kind=Negotiation.Kind.SECTION14,
        model=Negotiation.Model.REGIONAL,
        title_fi=f"Hyvinvointialueen ja kuntien 14 §:n neuvottelu, Tampereen seutu {DEMO}",
        title_sv=f"Förhandling enligt 14 §, Tammerforsregionen {DEMO}",
        title_en=f"§14 negotiation of the county and the municipalities, Tampere region {DEMO}",
        status=Negotiation.Status.HELD,
        starts_at=_at(held_on, 9),
        ends_at=_at(held_on, 12),
        place="Tampere-talo, Yliopistonkatu 55, Tampere",
        agenda="1. Yhteistyön tavoitteet valtuustokaudelle\n2. Työnjako yhdyspinnoilla\n"
        "3. Yhteistyösopimuksen valmistelu\n4. Seuranta",
        minutes="<p>Neuvotteluun osallistuivat hyvinvointialue, Pirkanmaan liitto ja "
        "kaksitoista seudun kuntaa.</p><ul><li>Todettiin yhteiset tavoitteet: nuorten "
        "mielenterveys, ikääntyneiden kotona asuminen ja palveluverkko.</li><li>Sovittiin "
        "vastuuhenkilöiden nimeämisestä jokaiselle pääteemalle.</li></ul>",
        decisions="Valmistellaan strateginen yhteistyösopimus seuraavaan neuvotteluun mennessä.",
    )
    # The previous term's §14 negotiation, held in 2024 with most municipalities.
    missing_then = {"177", "250", "619"}  # Juupajoki, Kihniö, Punkalaidun
    services.create_negotiation(
        actor=actor,
        area=area,
        parties=[m for m in municipalities if m.code not in missing_then],
        kind=Negotiation.Kind.SECTION14,
        model=Negotiation.Model.WHOLE_AREA,
        title_fi=f"14 §:n neuvottelu valtuustokaudella 2021–2025 {DEMO}",
        title_sv=f"Förhandling enligt 14 § under fullmäktigeperioden 2021–2025 {DEMO}",
        title_en=f"§14 negotiation of the 2021–2025 council term {DEMO}",
        status=Negotiation.Status.HELD,
        starts_at=_at(date(2024, 5, 14), 9),
        ends_at=_at(date(2024, 5, 14), 15),
        place="Tampere",
        minutes="Ensimmäinen 14 §:n neuvottelu hyvinvointialueen aloitettua toimintansa.",
    )
    # Hyte: last year's held with every municipality; this year's not yet planned.
    last_year = date(today.year - 1, 10, 22)
    hyte = services.create_negotiation(
        actor=actor,
        area=area,
        parties=municipalities,
        kind=Negotiation.Kind.HYTE,
        model=Negotiation.Model.WHOLE_AREA,
        title_fi=f"Hyvinvoinnin ja terveyden edistämisen neuvottelu {last_year.year} {DEMO}",
        title_sv=f"Förhandling om främjande av hälsa och välfärd {last_year.year} {DEMO}",
        title_en=f"Hyte negotiation {last_year.year} {DEMO}",
        status=Negotiation.Status.HELD,
        starts_at=_at(last_year, 13),
        ends_at=_at(last_year, 16),
        place="Teams",
        agenda="1. Alueellinen hyvinvointikertomus\n2. Yhteiset hyte-tavoitteet\n3. Seuranta",
        minutes="Käytiin läpi alueellinen hyvinvointikertomus ja kuntien hyvinvointikertomukset.",
        decisions="Yhteiset tavoitteet: liikkumisen lisääminen ja yksinäisyyden vähentäminen.",
    )

    # A standing management forum with a monthly series on the first Friday, 9–11.
    forum = services.create_forum(
        actor=actor,
        name_fi=f"Pirkanmaan kuntajohtajien ja hyvinvointialueen johdon foorumi {DEMO}",
        name_sv=f"Forum för kommundirektörerna och välfärdsområdets ledning {DEMO}",
        name_en=f"Forum of the municipal managers and the county's management {DEMO}",
        description_fi="Kuukausittainen johdon foorumi yhdyspintojen ajankohtaisista asioista.",
        level=Forum.Level.MANAGEMENT,
        area=area,
        convener=area,
        is_standing=True,
        member_organisations=[area, tampere, nokia, council],
        members=list(
            User.objects.filter(
                email__in=[
                    "koordinaattori@demo.invalid",
                    "tampere@demo.invalid",
                    "nokia@demo.invalid",
                    "liitto@demo.invalid",
                ]
            )
        ),
    )
    first = _first_friday_on_or_after(date(today.year, 1, 1))
    meetings = services.add_series(
        actor=actor,
        forum=forum,
        rule="FREQ=MONTHLY;BYDAY=1FR;COUNT=18",
        first_starts_at=_at(first, 9),
        duration_minutes=120,
        place="Pirkanmaan hyvinvointialue, Tampere, ja Teams",
        title_fi=f"Johdon foorumi {DEMO}",
    )
    # A meeting on a public holiday (New Year's Day, Epiphany) is cancelled, as a real
    # convener would: it stays in the calendars as cancelled.
    for meeting in meetings:
        local = timezone.localtime(meeting.starts_at).date()
        if (local.month, local.day) in ((1, 1), (1, 6)):
            services.cancel_meeting(actor=actor, meeting=meeting)
    past = [m for m in meetings if m.starts_at.date() < today]
    for meeting in past:
        meeting.agenda = "1. Ajankohtaiset asiat\n2. Yhdyspintojen tilannekuva\n3. Muut asiat"
        meeting.minutes = "<p>Käytiin läpi ajankohtaiset asiat ja toimenpiteiden tilanne.</p>"
        meeting.save(update_fields=["agenda", "minutes"])

    # Action items: open, overdue and done.
    items = [
        services.create_action(
            actor=actor,
            parent=section14,
            title=f"Valmistellaan strategisen yhteistyösopimuksen luonnos {DEMO}",
            owner_organisation=area,
            owner_person=actor,
            due_on=today + timedelta(days=90),
        ),
        services.create_action(
            actor=actor,
            parent=hyte,
            title=f"Kootaan kuntien hyvinvointikertomusten yhteiset indikaattorit {DEMO}",
            owner_organisation=tampere,
            owner_person=User.objects.get(email="tampere@demo.invalid"),
            due_on=today + timedelta(days=30),
        ),
    ]
    if past:
        overdue = services.create_action(
            actor=actor,
            parent=past[-1],
            title=f"Toimitetaan kouluterveydenhuollon tilatarpeet palveluverkkotyöhön {DEMO}",
            owner_organisation=nokia,
            owner_person=User.objects.get(email="nokia@demo.invalid"),
            due_on=today - timedelta(days=14),
        )
        done = services.create_action(
            actor=actor,
            parent=past[0],
            title=f"Nimetään kunkin kunnan yhdyshenkilö ikääntyneiden palveluihin {DEMO}",
            owner_organisation=tampere,
            due_on=today - timedelta(days=60),
        )
        services.update_action(
            actor=actor,
            action=done,
            status=ActionItem.Status.DONE,
            comment="Yhdyshenkilöt on lisätty työnjakotaulukkoon.",
        )
        items += [overdue, done]

    agreement = services.save_agreement(
        actor=actor,
        area=area,
        parties=[*municipalities, council],
        title_fi=f"Pirkanmaan hyvinvointialueen ja kuntien strateginen yhteistyösopimus {DEMO}",
        title_sv=f"Strategiskt samarbetsavtal mellan välfärdsområdet och kommunerna {DEMO}",
        title_en=f"Strategic cooperation agreement of the county and its municipalities {DEMO}",
        status=Agreement.Status.IN_PREPARATION,
        summary="Sopimus kokoaa yhteiset tavoitteet, työnjaon ja yhteistyön rakenteet.",
    )
    themes = {t.key: t for t in Theme.objects.filter(area__isnull=True, parent__isnull=True)}
    for key, goals in [
        ("children_youth_families", "Nuorten mielenterveyspalveluihin pääsy nopeutuu.\n"
         "Koulujen ja perhekeskusten yhteistyö vakiintuu."),
        ("older_people", "Ikääntyneet asuvat kotona pidempään."),
        ("health_wellbeing_promotion", "Liikkumattomuus vähenee.\nYksinäisyys vähenee."),
    ]:  # fmt: skip
        if key in themes:
            services.save_agreement_theme(
                actor=actor,
                agreement=agreement,
                theme=themes[key],
                responsible=[area, tampere],
                goals=goals,
            )
    return {
        "negotiations": 3,
        "meetings": len(meetings),
        "actions": len(items),
        "agreements": 1,
    }
