"""One command from a fresh clone to a running app: database, registry, demo people, demo
survey data, the background worker (for e-mail) and the server."""

import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from yhdyspinta.demo.cooperation import create_demo_cooperation
from yhdyspinta.demo.division_of_work import create_demo_table
from yhdyspinta.demo.goals import create_demo_goals
from yhdyspinta.demo.leadership import create_demo_leadership_waves
from yhdyspinta.demo.people import DEMO_PASSWORD, create_demo_people


class Command(BaseCommand):
    help = "Migrate, load the registry, demo people and demo survey data, then serve the app."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="prepare the database and stop")

    def handle(self, *args, addrport: str, no_serve: bool, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database ready.")
        call_command("load_registry", stdout=self.stdout)
        people = create_demo_people()
        call_command("demo_data", stdout=self.stdout)
        create_demo_leadership_waves(stdout=self.stdout)
        entries = create_demo_table()
        if entries:
            self.stdout.write(f"Demo responsibility table of Pirkanmaa: {entries} entries.")
        made = create_demo_cooperation()
        if made:
            self.stdout.write(
                f"Demo cooperation of Pirkanmaa: {made['negotiations']} negotiations, "
                f"{made['meetings']} forum meetings, {made['actions']} action items, "
                "an agreement in preparation."
            )
        made = create_demo_goals()
        if made:
            self.stdout.write(
                f"Demo goals of Pirkanmaa: {made['goals']} goals with figures, "
                f"{made['assessments']} maturity assessments."
            )
        host, _, port = addrport.rpartition(":")
        url = f"http://{host or '127.0.0.1'}:{port}/"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Yhdyspinta: {url}"))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, description in people:
            self.stdout.write(f"  {email:32} {description}")
        self.stdout.write("")
        if no_serve:
            return
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        # The worker sends survey e-mail (printed to this console by default) in the background.
        worker = subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
            [sys.executable, sys.argv[0], "db_worker", "--interval", "2"]
        )
        self.stdout.write("Background worker started (sends survey e-mail).")
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            worker.terminate()
