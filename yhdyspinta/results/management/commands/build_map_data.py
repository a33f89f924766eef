"""Rebuild `results/data/areas.geojson`, the area boundaries of the map, from a source GeoJSON.

The project ships its own boundary file so that it runs without the source folder; this command
is how it was made (see `results/data/PROVENANCE.md`). It keeps only what the map needs, the
area code and short name, and rounds coordinates to 4 decimals (about 10 m, far below what a
map of the whole country can show). The output is sorted and formatted the same way on every
run, so a rebuild with unchanged source data gives an identical file and an honest diff.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yhdyspinta.results.maps import DATA_FILE

DECIMALS = 4


class Command(BaseCommand):
    help = "Build results/data/areas.geojson from a GeoJSON of the 22 areas (SOURCE)."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="GeoJSON with `code` and `short_name`")
        parser.add_argument(
            "--output", type=Path, default=DATA_FILE, help="where to write (default: %(default)s)"
        )

    def handle(self, *args, source: Path, output: Path, **options):
        source, output = Path(source), Path(output)  # call_command passes options as given
        try:
            with source.open(encoding="utf-8") as f:
                collection = json.load(f)
        except FileNotFoundError as exc:
            raise CommandError(f"Missing source file: {exc.filename}") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(f"{source} is not JSON: {exc}") from exc

        features = []
        for feature in collection.get("features", []):
            properties = feature.get("properties") or {}
            code, short_name = properties.get("code"), properties.get("short_name")
            if not code or not short_name:
                raise CommandError(f"A feature lacks code or short_name: {properties}")
            features.append(
                {
                    "type": "Feature",
                    "properties": {"code": str(code), "short_name": short_name},
                    "geometry": _rounded(feature.get("geometry") or {}, code),
                }
            )
        codes = [f["properties"]["code"] for f in features]
        if len(set(codes)) != len(codes):
            raise CommandError(f"Duplicate area codes in {source}.")
        features.sort(key=lambda f: f["properties"]["code"])

        output.parent.mkdir(parents=True, exist_ok=True)
        with output.open("w", encoding="utf-8", newline="\n") as f:
            # One feature a line: small, and a changed area shows as a changed line.
            f.write('{"type":"FeatureCollection","features":[\n')
            f.write(",\n".join(_dumps(feature) for feature in features))
            f.write("\n]}\n")
        self.stdout.write(f"Wrote {len(features)} areas to {output.name}.")


def _rounded(geometry: dict, code: str) -> dict:
    kind = geometry.get("type")
    if kind == "Polygon":
        return {"type": kind, "coordinates": _polygon(geometry["coordinates"])}
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": [_polygon(p) for p in geometry["coordinates"]]}
    raise CommandError(f"Area {code}: expected a Polygon or MultiPolygon, got {kind}.")


def _polygon(rings: list) -> list:
    result = []
    for ring in rings:
        points: list[list[float]] = []
        for x, y, *_ in ring:
            point = [round(x, DECIMALS), round(y, DECIMALS)]
            # Rounding can make neighbours equal; a repeated point only adds bytes.
            if not points or point != points[-1]:
                points.append(point)
        if len(points) >= 4:
            result.append(points)
    return result


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
