"""A generated demo responsibility table, clearly labelled: every person is "(demo)" with an
address under demo.invalid. The organisations are the real ones of the registry; the people,
titles and mandates are made up to show what a filled table looks like, with gaps, a vacancy
and entries nobody has confirmed for over a year."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from yhdyspinta.core import audit
from yhdyspinta.registry.models import Organisation
from yhdyspinta.responsibilities.models import Contact, Responsibility, Theme

DEMO_LABEL = "demo"

# (party code, kind, theme key, first name, last name, title, mandate)
COUNTY = Organisation.Kind.WELLBEING_COUNTY
MUNICIPALITY = Organisation.Kind.MUNICIPALITY
COUNCIL = Organisation.Kind.REGIONAL_COUNCIL
PIRKANMAA = [
    (
        "08",
        COUNTY,
        "strategic_management",
        "Anna",
        "Aaltonen",
        "hyvinvointialuejohtaja",
        "Valmistelee 14 §:n neuvottelun ja sopii yhteistyörakenteista aluehallituksen linjauksin.",
    ),
    (
        "08",
        COUNTY,
        "service_network_land_use",
        "Juha",
        "Heikkilä",
        "tilapalvelujohtaja",
        "Sopii toimitilojen vuokrasopimuksista ja palveluverkon muutosten aikataulusta.",
    ),
    (
        "08",
        COUNTY,
        "premises_leases",
        "Mika",
        "Lehtonen",
        "kiinteistöpäällikkö",
        "Neuvottelee vuokrasopimusten ehdoista; yli 100 000 euron sopimukset johtajalle.",
    ),
    (
        "08",
        COUNTY,
        "health_wellbeing_promotion",
        "Liisa",
        "Mäkinen",
        "hyvinvoinnin ja terveyden edistämisen päällikkö",
        "Kutsuu koolle vuosittaisen hyte-neuvottelun ja sopii yhteisistä hyte-toimenpiteistä.",
    ),
    (
        "08",
        COUNTY,
        "housing",
        "Pekka",
        "Salonen",
        "asumispalvelujen johtaja",
        "Sopii tuetun asumisen paikoista ja asunnottomuuden ehkäisyn yhteistyöstä.",
    ),
    (
        "08",
        COUNTY,
        "children_youth_families",
        "Sanna",
        "Koskinen",
        "perhepalvelujen johtaja",
        "Sopii perhekeskustoiminnan ja lastensuojelun yhteistyökäytännöistä kuntien kanssa.",
    ),
    (
        "08",
        COUNTY,
        "employment",
        "Timo",
        "Laine",
        "aikuissosiaalityön päällikkö",
        "Sopii kuntouttavan työtoiminnan ja monialaisen yhteispalvelun järjestelyistä.",
    ),
    (
        "08",
        COUNTY,
        "student_welfare",
        "Katja",
        "Virtanen",
        "opiskeluhuollon päällikkö",
        "Päättää kuraattori- ja psykologipalvelujen kohdentamisesta kouluille.",
    ),
    (
        "08",
        COUNTY,
        "school_social_work_psychology",
        "Riikka",
        "Niemi",
        "koulukuraattoritoiminnan esihenkilö",
        "Sopii koulukohtaisista kuraattori- ja psykologiresursseista rehtoreiden kanssa.",
    ),
    (
        "08",
        COUNTY,
        "preparedness_security",
        "Jari",
        "Järvinen",
        "valmiuspäällikkö",
        "Sopii yhteisistä valmiusharjoituksista ja häiriötilanteiden tiedonkulusta.",
    ),
    (
        "08",
        COUNTY,
        "older_people",
        "Eija",
        "Hämäläinen",
        "ikäihmisten palvelujen johtaja",
        "Sopii kotihoidon ja ikäystävällisen asuinympäristön yhteistyöstä.",
    ),
    (
        "837",
        MUNICIPALITY,
        "strategic_management",
        "Mikko",
        "Korhonen",
        "kaupunginjohtaja",
        "Edustaa kaupunkia 14 §:n neuvottelussa kaupunginhallituksen valtuuttamana.",
    ),
    (
        "837",
        MUNICIPALITY,
        "service_network_land_use",
        "Outi",
        "Lindroos",
        "kaavoitusjohtaja",
        "Sopii sote-palvelujen tonttivarauksista ja kaavoituksen aikataulusta.",
    ),
    (
        "837",
        MUNICIPALITY,
        "health_wellbeing_promotion",
        "Hanna",
        "Rantanen",
        "hyvinvointikoordinaattori",
        "Valmistelee hyvinvointikertomuksen ja edustaa kaupunkia hyte-neuvottelussa.",
    ),
    (
        "837",
        MUNICIPALITY,
        "student_welfare",
        "Sari",
        "Jokinen",
        "opetusjohtaja",
        "Sopii oppilashuollon yhteistyöstä koulujen ja hyvinvointialueen välillä.",
    ),
    (
        "837",
        MUNICIPALITY,
        "employment",
        "Ville",
        "Mattila",
        "työllisyyspalvelujen johtaja",
        "Sopii työllisyyspalvelujen ja sosiaalityön yhteisistä asiakasprosesseista.",
    ),
    (
        "837",
        MUNICIPALITY,
        "preparedness_security",
        "Ari",
        "Kallio",
        "turvallisuuspäällikkö",
        "Sopii kaupungin ja hyvinvointialueen yhteisestä valmiussuunnittelusta.",
    ),
    (
        "536",
        MUNICIPALITY,
        "strategic_management",
        "Tiina",
        "Heinonen",
        "kaupunginjohtaja",
        "Edustaa kaupunkia yhteistyöneuvotteluissa.",
    ),
    (
        "536",
        MUNICIPALITY,
        "student_welfare",
        "Jussi",
        "Lehtinen",
        "sivistysjohtaja",
        "Sopii oppilashuollon käytännöistä kaupungin kouluissa.",
    ),
    (
        "06",
        COUNCIL,
        "strategic_management",
        "Paula",
        "Nurmi",
        "maakuntajohtaja",
        "Sovittaa yhteen maakuntastrategian ja hyvinvointialueen strategian valmistelun.",
    ),
    (
        "06",
        COUNCIL,
        "service_network_land_use",
        "Kari",
        "Saarinen",
        "suunnittelujohtaja",
        "Sovittaa palveluverkon suunnitelmat maakuntakaavaan.",
    ),
]
# A county person who left last month: their entry shows vacant.
LEFT = ("older_people", "Eija", "Hämäläinen")
# Entries nobody has confirmed for over a year.
STALE = {("837", "employment"), ("08", "preparedness_security")}


@transaction.atomic
def create_demo_table() -> int:
    """Fill Pirkanmaa's table once; return the number of entries created (0 if it exists)."""
    area = Organisation.objects.areas().get(code="08")
    if Responsibility.objects.filter(area=area).exists():
        return 0
    themes = {t.key: t for t in Theme.objects.filter(area__isnull=True)}
    now = timezone.now()
    created = 0
    for code, kind, key, first, last, title, mandate in PIRKANMAA:
        party = Organisation.objects.get(kind=kind, code=code)
        slug = f"{first}.{last}".lower().replace("ä", "a").replace("ö", "o")
        contact, _ = Contact.objects.get_or_create(
            organisation=party,
            email=f"{slug}@{DEMO_LABEL}.invalid",
            defaults={
                "first_name": first,
                "last_name": f"{last} ({DEMO_LABEL})",
                "title": title,
                "phone": f"040 555 {1000 + created:04d}",
            },
        )
        confirmed = now - timedelta(days=430) if (code, key) in STALE else now - timedelta(days=20)
        entry = Responsibility.objects.create(
            area=area,
            theme=themes[key],
            party=party,
            contact=contact,
            mandate=mandate,
            valid_from=date(2025, 1, 1),
            confirmed_at=confirmed,
        )
        if (code, key) in STALE:
            Responsibility.objects.filter(pk=entry.pk).update(updated_at=confirmed)
        audit.record(obj=entry, action="created", actor_label=DEMO_LABEL)
        created += 1
    Contact.objects.filter(first_name=LEFT[1], last_name=f"{LEFT[2]} ({DEMO_LABEL})").update(
        left_on=timezone.localdate().replace(day=1) - timedelta(days=1)
    )
    return created
