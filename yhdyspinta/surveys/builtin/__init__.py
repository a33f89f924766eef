"""The built-in survey templates: Kuntaliitto's interface surveys as plain-data definitions.

Each template is a JSON file next to this module in the shape documented in
`yhdyspinta.surveys.definition`; `build_survey(load_template(key))` creates the survey.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TEMPLATE_KEYS: tuple[str, ...] = ("municipal_leadership", "county_leadership", "regional_council")

# The nine items of "how have the following been realised" share these keys in all three
# surveys, so that municipalities, counties and councils can be compared item by item.
REALISATION_ITEM_KEYS: tuple[str, ...] = (
    "regular_meetings",
    "county_responsible_persons",
    "municipal_responsible_persons",
    "planned_cooperation",
    "shared_knowledge_base",
    "openness_partnership",
    "elected_officials_cooperation",
    "decision_openness",
    "resident_participation",
)

_DIRECTORY = Path(__file__).resolve().parent


def load_template(key: str) -> dict[str, Any]:
    """A fresh copy of the built-in template `key`; KeyError for an unknown key."""
    if key not in TEMPLATE_KEYS:
        raise KeyError(key)
    return json.loads((_DIRECTORY / f"{key}.json").read_text(encoding="utf-8"))
