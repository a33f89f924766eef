from pathlib import Path

from django.core.management.base import BaseCommand

from yhdyspinta.registry.loader import DATA_DIR, load_registry


class Command(BaseCommand):
    help = "Load regions, areas, regional councils and municipalities from the registry data files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir", type=Path, default=DATA_DIR, help="folder of the registry CSV files"
        )

    def handle(self, *args, data_dir: Path, **options):
        report = load_registry(data_dir=data_dir)
        if not report.has_changes:
            self.stdout.write("Registry is up to date: no changes.")
            return
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.created)} created, {len(report.changed)} changed, "
                f"{len(report.ended)} ended."
            )
        )
