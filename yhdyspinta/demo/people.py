"""Demo people for trying the app locally. Clearly labelled: e-mail under demo.invalid, "(demo)"
in the name. They belong to real registry organisations; no organisation is invented."""

from dataclasses import dataclass

from django.db import transaction

from yhdyspinta.accounts.models import Membership, User
from yhdyspinta.registry.models import Organisation

DEMO_PASSWORD = "yhdyspinta-demo"  # noqa: S105 - printed on purpose, local demo only
DEMO_DOMAIN = "demo.invalid"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    first_name: str
    role_label: str
    kind: str = ""
    code: str = ""
    position: str = ""
    role: str = ""
    platform_admin: bool = False


DEMO_PEOPLE = [
    DemoPerson(
        "admin",
        "Pääkäyttäjä",
        "platform administrator (sets up an authenticator app at the first login)",
        platform_admin=True,
    ),
    DemoPerson(
        "koordinaattori",
        "Koordinaattori",
        "area coordinator, Pirkanmaa wellbeing services county",
        Organisation.Kind.WELLBEING_COUNTY,
        "08",
        Membership.Position.COUNTY_LEADERSHIP,
        Membership.Role.AREA_COORDINATOR,
    ),
    DemoPerson(
        "tampere",
        "Kuntajohtaja",
        "organisation editor, Tampere",
        Organisation.Kind.MUNICIPALITY,
        "837",
        Membership.Position.MANAGER,
        Membership.Role.EDITOR,
    ),
    DemoPerson(
        "nokia",
        "Toimialajohtaja",
        "member, Nokia",
        Organisation.Kind.MUNICIPALITY,
        "536",
        Membership.Position.SECTOR_DIRECTOR,
        Membership.Role.MEMBER,
    ),
    DemoPerson(
        "espoo",
        "Valtuuston puheenjohtaja",
        "organisation editor, Espoo",
        Organisation.Kind.MUNICIPALITY,
        "049",
        Membership.Position.CHAIR,
        Membership.Role.EDITOR,
    ),
    DemoPerson(
        "liitto",
        "Maakuntajohtaja",
        "area coordinator, Pirkanmaan liitto",
        Organisation.Kind.REGIONAL_COUNCIL,
        "06",
        Membership.Position.COUNCIL_LEADERSHIP,
        Membership.Role.AREA_COORDINATOR,
    ),
]


@transaction.atomic
def create_demo_people() -> list[tuple[str, str]]:
    """Create (or reset) the demo people; return (e-mail, description) pairs."""
    created = []
    for person in DEMO_PEOPLE:
        email = f"{person.email}@{DEMO_DOMAIN}"
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={
                "first_name": person.first_name,
                "last_name": "(demo)",
                "is_staff": person.platform_admin,
                "is_superuser": person.platform_admin,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        if person.code:
            organisation = Organisation.objects.get(kind=person.kind, code=person.code)
            Membership.objects.update_or_create(
                user=user,
                organisation=organisation,
                defaults={"position": person.position, "role": person.role},
            )
        created.append((email, person.role_label))
    return created
