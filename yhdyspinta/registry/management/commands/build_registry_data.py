"""Rebuild the registry's own data files from the official classification extracts.

The project keeps its own files (`registry/data/*.csv`) so that it runs without the source folder;
this command is how they were made and how they are refreshed when a new classification year is
published. Mergers are kept by hand in `mergers.csv`, since the classification only shows that a
code disappeared, not where it went.
"""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yhdyspinta.registry.loader import DATA_DIR


class Command(BaseCommand):
    help = "Build registry/data/*.csv from the classification extracts in SOURCE."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="folder with municipalities.csv etc.")

    def handle(self, *args, source: Path, **options):
        try:
            municipalities = _read(source / "municipalities.csv")
            counties = _read(source / "wellbeing_counties.csv")
            regions = _read(source / "regions.csv")
        except FileNotFoundError as exc:
            raise CommandError(f"Missing source file: {exc.filename}") from exc

        area_region: dict[str, set[str]] = {}
        for row in municipalities:
            if row["wellbeing_county_code"]:
                area_region.setdefault(row["wellbeing_county_code"], set()).add(row["region_code"])
        for code, region_codes in area_region.items():
            if len(region_codes) != 1:
                raise CommandError(f"Area {code} spans several regions: {sorted(region_codes)}")

        _write(
            DATA_DIR / "regions.csv",
            ["code", "name_fi", "name_sv", "name_en"],
            [[r["code"], r["name_fi"], r["name_sv"], r["name_en"]] for r in regions],
        )
        _write(
            DATA_DIR / "regional_councils.csv",
            ["region_code", "name_fi", "name_sv"],
            [
                [r["code"], r["council_name_fi"], r["council_name_sv"]]
                for r in regions
                if r["council_name_fi"]
            ],
        )
        _write(
            DATA_DIR / "areas.csv",
            ["code", "short_name", "name_fi", "name_sv", "name_en", "region_code", "population"],
            [
                [
                    c["code"],
                    c["short_name"],
                    c["name_fi"],
                    c["name_sv"],
                    c["name_en"],
                    next(iter(area_region[c["code"]])),
                    c["population"],
                ]
                for c in counties
            ],
        )
        _write(
            DATA_DIR / "municipalities.csv",
            ["code", "name_fi", "name_sv", "area_code", "region_code", "population"],
            [
                [
                    m["code"],
                    m["name_fi"],
                    m["name_sv"],
                    m["wellbeing_county_code"],
                    m["region_code"],
                    m["population"],
                ]
                for m in sorted(municipalities, key=lambda m: m["code"])
            ],
        )
        self.stdout.write(
            f"Wrote {len(regions)} regions, {len(counties)} areas, "
            f"{len(municipalities)} municipalities to {DATA_DIR.name}/."
        )


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
