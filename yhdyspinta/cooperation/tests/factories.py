"""Test data for the cooperation tests: a test area of five municipalities (labelled as a
test, never shown outside the test database), and negotiations in it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from yhdyspinta.accounts.models import Membership
from yhdyspinta.cooperation.models import Negotiation
from yhdyspinta.registry.models import Organisation

HELSINKI = ZoneInfo("Europe/Helsinki")


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=HELSINKI)


def five_municipality_area() -> tuple[Organisation, list[Organisation]]:
    area = Organisation.objects.create(
        kind=Organisation.Kind.WELLBEING_COUNTY, code="98", name="Testialue (testi)"
    )
    municipalities = [
        Organisation.objects.create(
            kind=Organisation.Kind.MUNICIPALITY,
            code=f"T0{n}",
            name=f"Testikunta {n} (testi)",
            area=area,
        )
        for n in range(1, 6)
    ]
    return area, municipalities


def negotiation(area, kind, parties, when, status="held", **values) -> Negotiation:
    item = Negotiation.objects.create(
        area=area,
        convener=area,
        kind=kind,
        title=values.pop("title", f"{kind} {when:%Y}"),
        starts_at=when,
        status=status,
        **values,
    )
    item.parties.set([area, *parties])
    return item


def coordinator_of(area, email="koordinaattori@testi.example.org", language="fi"):
    from conftest import make_person

    return make_person(
        email,
        area,
        role=Membership.Role.AREA_COORDINATOR,
        position=Membership.Position.COUNTY_LEADERSHIP,
        preferred_language=language,
        first_name="Kaisa",
        last_name="Koordinaattori",
    )
