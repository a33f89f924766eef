"""Loading the official classification into the registry, idempotently and with history.

A run compares the data files with the database and changes only what differs. Each change is
written to the audit log and returned in a report, so that a second run says "no changes" and a
run after a new classification year says exactly what moved, merged or ended. Organisations are
never deleted: one that leaves the classification is marked ended (with its successor when the
merger list names one), so that survey answers and history that point to it stay intact.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from yhdyspinta.core import audit

from .models import Organisation, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
LOADER = "load_registry"
HELSINKI_AREA_CODE = "90"


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.created or self.changed or self.ended)

    def lines(self) -> list[str]:
        return (
            [f"created: {x}" for x in self.created]
            + [f"changed: {x}" for x in self.changed]
            + [f"ended: {x}" for x in self.ended]
        )


def read_rows(name: str, data_dir: Path = DATA_DIR) -> list[dict[str, str]]:
    with (data_dir / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@transaction.atomic
def load_registry(*, data_dir: Path = DATA_DIR, today: date | None = None) -> LoadReport:
    today = today or date.today()
    report = LoadReport()

    regions: dict[str, Region] = {}
    for row in read_rows("regions.csv", data_dir):
        regions[row["code"]] = _upsert_region(row, report)

    areas: dict[str, Organisation] = {}
    for row in read_rows("areas.csv", data_dir):
        kind = (
            Organisation.Kind.HELSINKI
            if row["code"] == HELSINKI_AREA_CODE
            else Organisation.Kind.WELLBEING_COUNTY
        )
        areas[row["code"]] = _upsert_org(
            kind,
            row["code"],
            {
                "name_fi": row["name_fi"],
                "name_sv": row["name_sv"],
                "name_en": row["name_en"],
                "short_name": row["short_name"],
                "region": regions[row["region_code"]],
                "population": _int(row["population"]),
            },
            report,
        )

    councils = read_rows("regional_councils.csv", data_dir)
    for row in councils:
        _upsert_org(
            Organisation.Kind.REGIONAL_COUNCIL,
            row["region_code"],
            {
                "name_fi": row["name_fi"],
                "name_sv": row["name_sv"],
                "region": regions[row["region_code"]],
            },
            report,
        )

    municipalities = read_rows("municipalities.csv", data_dir)
    for row in municipalities:
        _upsert_org(
            Organisation.Kind.MUNICIPALITY,
            row["code"],
            {
                "name_fi": row["name_fi"],
                "name_sv": row["name_sv"],
                "area": areas.get(row["area_code"]),
                "region": regions[row["region_code"]],
                "population": _int(row["population"]),
            },
            report,
        )

    # Mergers: the ceased municipality stays, marked ended, pointing to its successor.
    merged_codes: set[str] = set()
    for row in read_rows("mergers.csv", data_dir):
        merged_codes.add(row["code"])
        successor = Organisation.objects.get(
            kind=Organisation.Kind.MUNICIPALITY, code=row["successor_code"]
        )
        _upsert_org(
            Organisation.Kind.MUNICIPALITY,
            row["code"],
            {
                "name_fi": row["name_fi"],
                "name_sv": row["name_sv"],
                "area": areas.get(row["area_code"]),
                "region": regions[row["region_code"]],
                "population": None,
                "ended_on": date.fromisoformat(row["ended_on"]),
                "successor": successor,
            },
            report,
            ended=True,
        )

    # Anything from the classification that the files no longer list has ceased.
    listed = {
        Organisation.Kind.MUNICIPALITY: {r["code"] for r in municipalities} | merged_codes,
        Organisation.Kind.REGIONAL_COUNCIL: {r["region_code"] for r in councils},
        Organisation.Kind.WELLBEING_COUNTY: set(areas),
        Organisation.Kind.HELSINKI: set(areas),
    }
    for kind, codes in listed.items():
        gone = (
            Organisation.objects.filter(kind=kind, source=Organisation.Source.CLASSIFICATION)
            .exclude(code__in=codes)
            .filter(ended_on__isnull=True)
        )
        for org in gone:
            org.ended_on = today
            org.save(update_fields=["ended_on", "updated_at"])
            audit.record(
                obj=org,
                action="ended",
                actor_label=LOADER,
                changes={"ended_on": [None, today.isoformat()]},
            )
            report.ended.append(f"{org.kind} {org.code} {org.name_fi}")
    return report


def _upsert_region(row: dict[str, str], report: LoadReport) -> Region:
    values = {"name_fi": row["name_fi"], "name_sv": row["name_sv"], "name_en": row["name_en"]}
    region = Region.objects.filter(code=row["code"]).first()
    if region is None:
        region = Region.objects.create(code=row["code"], name=row["name_fi"], **values)
        audit.record(obj=region, action="created", actor_label=LOADER)
        report.created.append(f"region {region.code} {region.name_fi}")
        return region
    changes = audit.update(region, values, actor_label=LOADER)
    if changes:
        report.changed.append(f"region {region.code} {region.name_fi}: {_describe(changes)}")
    return region


def _upsert_org(
    kind: str,
    code: str,
    values: dict[str, Any],
    report: LoadReport,
    *,
    ended: bool = False,
) -> Organisation:
    values = {**values, "source": Organisation.Source.CLASSIFICATION}
    org = Organisation.objects.filter(kind=kind, code=code).first()
    # Report lines are for operators' logs: plain kind keys, not translated labels.
    label = f"{Organisation.Kind(kind).value} {code} {values['name_fi']}"
    if org is None:
        org = Organisation.objects.create(kind=kind, code=code, name=values["name_fi"], **values)
        audit.record(obj=org, action="created", actor_label=LOADER)
        (report.ended if ended else report.created).append(label)
        return org
    if not ended:
        # Back in the classification (or never gone): clear an end date the loader set.
        values.setdefault("ended_on", None)
    changes = audit.update(org, values, actor_label=LOADER)
    if changes:
        report.changed.append(f"{label}: {_describe(changes)}")
    return org


def _describe(changes: dict[str, list[Any]]) -> str:
    return "; ".join(f"{name} {old!r} -> {new!r}" for name, (old, new) in changes.items())


def _int(value: str) -> int | None:
    return int(value) if value else None
