"""Load the council terms and the national forums from the app's data files (idempotent)."""

from django.core.management.base import BaseCommand

from yhdyspinta.cooperation.national import load_all


class Command(BaseCommand):
    help = "Add the council terms and the national forums that are missing; change nothing else."

    def handle(self, *args, **options):
        load_all()
        self.stdout.write("Council terms and national forums are loaded.")
