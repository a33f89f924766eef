"""Pirkanmaa's demo goals with typed figures, and its demo maturity assessments.

All of it is generated and labelled "(demo)": the goals, the figures (their source says
"demo figure") and the justifications. Nothing here is a real measurement or assessment.
"""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction
from django.utils import timezone

from yhdyspinta.accounts.models import User
from yhdyspinta.cooperation.models import Agreement
from yhdyspinta.goals import services
from yhdyspinta.goals.models import Goal, MaturityAssessment
from yhdyspinta.registry.models import Organisation
from yhdyspinta.responsibilities.models import Theme

DEMO = "(demo)"
SOURCE = "demo figure (not a real measurement)"
SEED = 20261207


def create_demo_goals(today: date | None = None) -> dict[str, int]:
    """Create the demo goals and assessments once; return what was made (empty if they exist)."""
    area = Organisation.objects.areas().get(code="08")
    if Goal.objects.filter(area=area, title__endswith=DEMO).exists():
        return {}
    today = today or timezone.localdate()
    year = today.year
    actor = User.objects.get(email="koordinaattori@demo.invalid")
    by_code = {
        m.code: m
        for m in Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY, area=area)
    }
    agreement = Agreement.objects.filter(area=area).first()
    themes = list(Theme.objects.for_area(area).top_level()[:2])
    with transaction.atomic():
        services.save_goal(
            actor=actor,
            area=area,
            values={
                "title_fi": f"Lasten ja nuorten mielenterveyspalvelut ovat saatavilla {DEMO}",
                "title_sv": f"Barns och ungas mentalvårdstjänster är tillgängliga {DEMO}",
                "title_en": f"Mental health services for the young are at hand {DEMO}",
                "description_fi": "Koulujen ja hyvinvointialueen yhteinen tavoite (demo).",
                "starts_year": year - 2,
                "ends_year": year + 2,
                "agreement": agreement,
            },
            themes=themes[:1],
            responsible=[area, by_code["837"], by_code["536"]],
            indicators=[
                {
                    "name_fi": f"Hoitoon pääsy 30 päivässä, % {DEMO}",
                    "name_sv": f"Vård inom 30 dagar, % {DEMO}",
                    "name_en": f"Care within 30 days, % {DEMO}",
                    "source": SOURCE,
                    "unit": "%",
                    "direction": "higher",
                    "baseline_value": "62",
                    "baseline_year": year - 3,
                    "target_value": "85",
                    "target_year": year + 2,
                    "measurements": [
                        {"year": year - 2, "value": "66", "source": SOURCE},
                        {"year": year - 1, "value": "71", "source": SOURCE},
                    ],
                },
                {
                    "name_fi": f"Jonossa yli 3 kk, nuoria {DEMO}",
                    "name_sv": f"Köat över 3 mån, unga {DEMO}",
                    "name_en": f"Waiting over 3 months, young people {DEMO}",
                    "source": SOURCE,
                    "unit": "",
                    "direction": "lower",
                    "baseline_value": "140",
                    "baseline_year": year - 3,
                    "target_value": "60",
                    "target_year": year + 1,
                    "measurements": [
                        {"year": year - 2, "value": "132", "source": SOURCE},
                        {"year": year - 1, "value": "128", "source": SOURCE},
                    ],
                },
            ],
        )
        services.save_goal(
            actor=actor,
            area=area,
            values={
                "title_fi": f"Osatyökykyisten työllisyys paranee {DEMO}",
                "title_sv": f"Sysselsättningen bland partiellt arbetsföra förbättras {DEMO}",
                "title_en": f"Employment of people with partial work ability improves {DEMO}",
                "starts_year": year - 1,
                "ends_year": year + 3,
            },
            themes=themes[1:2],
            responsible=[area, by_code["837"]],
            indicators=[
                {
                    "name_fi": f"Työkykyohjelman asiakkaista työllistyneet, % {DEMO}",
                    "name_sv": f"Sysselsatta av arbetsförmågeprogrammets klienter, % {DEMO}",
                    "name_en": f"Clients of the work ability programme in work, % {DEMO}",
                    "source": SOURCE,
                    "unit": "%",
                    "direction": "higher",
                    "baseline_value": "21",
                    "baseline_year": year - 1,
                    "target_value": "30",
                    "target_year": year + 3,
                },
            ],
        )
        assessments = _demo_assessments(area, year)
    return {"goals": 2, "assessments": assessments}


def _demo_assessments(area: Organisation, year: int) -> int:
    """The county and most municipalities place the area on the ladder, last year and this."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    organisations = [area, *Organisation.objects.filter(area=area, kind="municipality")]
    made = 0
    for when, base in ((year - 1, 3), (year, 3.5)):
        for organisation in organisations:
            if organisation != area and rng.random() < 0.25:
                continue  # not every municipality answers
            level = 4 if organisation == area else max(1, min(6, round(rng.gauss(base, 0.9))))
            MaturityAssessment.objects.create(
                area=area,
                organisation=organisation,
                year=when,
                level=level,
                justification=f"Demo-perustelu tasolle {level} {DEMO}",
            )
            made += 1
    return made
