"""The national interface themes, shipped in `data/themes.json` and loaded by a migration."""

from __future__ import annotations

import json
from pathlib import Path

THEMES_FILE = Path(__file__).parent / "data" / "themes.json"
LANGUAGES = ("fi", "sv", "en")


def default_themes() -> list[dict]:
    return json.loads(THEMES_FILE.read_text(encoding="utf-8"))["themes"]


def load_default_themes(theme_model) -> int:
    """Create the national themes that are missing; never change or remove existing ones.

    Takes the model as an argument so that a migration can pass its historical model.
    Returns how many themes were added.
    """
    added = 0
    for order, item in enumerate(default_themes(), start=1):
        parent, created = _get_or_create(theme_model, item, order=order * 10, parent=None)
        added += created
        for sub_order, sub in enumerate(item.get("subthemes", []), start=1):
            added += _get_or_create(theme_model, sub, order=order * 10 + sub_order, parent=parent)[
                1
            ]
    return added


def _get_or_create(theme_model, item: dict, *, order: int, parent):
    existing = theme_model.objects.filter(area__isnull=True, key=item["key"]).first()
    if existing is not None:
        return existing, False
    values = {"key": item["key"], "order": order, "parent": parent}
    for lang in LANGUAGES:
        values[f"name_{lang}"] = item["name"][lang]
        values[f"keywords_{lang}"] = item["keywords"][lang]
    values["name"] = item["name"]["fi"]
    values["keywords"] = item["keywords"]["fi"]
    return theme_model.objects.create(**values), True
