"""Recount the rating tallies of every wave (or of the given ones) from their answers."""

from django.core.management.base import BaseCommand

from yhdyspinta.surveys import tallies
from yhdyspinta.surveys.models import Wave


class Command(BaseCommand):
    help = "Recount the rating tallies that results read, from the stored answers."

    def add_arguments(self, parser):
        parser.add_argument("wave_ids", nargs="*", type=int, help="wave ids; default all")

    def handle(self, *args, wave_ids, **options):
        waves = Wave.objects.all()
        if wave_ids:
            waves = waves.filter(pk__in=wave_ids)
        for wave in waves:
            tallies.rebuild(wave)
            self.stdout.write(f"{wave}: {wave.tallies.count()} tallies")
