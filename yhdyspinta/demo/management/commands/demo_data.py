"""Create the demo survey with generated responses (four waves, 2026 calibrated to the
published per-area table). Running it again changes nothing; --rebuild recreates it."""

from django.core.management.base import BaseCommand

from yhdyspinta.demo.surveys import create_demo_survey_data


class Command(BaseCommand):
    help = (
        "Create the demo municipal leadership survey with generated (not real) responses: "
        "waves 2022, 2023, 2024 and 2026, the last calibrated to Kuntaliitto's published table."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="delete the demo survey and create it again"
        )

    def handle(self, *args, rebuild: bool, **options):
        result = create_demo_survey_data(stdout=self.stdout, rebuild=rebuild)
        if result["created"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{result['waves']} waves, {result['responses']} responses, "
                    f"{result['answers']} answers, {result['invitations']} invitations."
                )
            )
