"""One command from a fresh clone to a running app: database, registry, demo people, server."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from yhdyspinta.accounts.demo import DEMO_PASSWORD, create_demo_people


class Command(BaseCommand):
    help = "Migrate, load the registry and the demo people, then serve the app."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="prepare the database and stop")

    def handle(self, *args, addrport: str, no_serve: bool, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database ready.")
        call_command("load_registry", stdout=self.stdout)
        people = create_demo_people()
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
        call_command("runserver", addrport, use_reloader=False)
