"""Fetch the figures of an area's Sotkanet-backed indicators (all areas without a code)."""

from django.core.management.base import BaseCommand, CommandError

from yhdyspinta.goals import services
from yhdyspinta.goals.models import Indicator
from yhdyspinta.goals.sotkanet import SotkanetError
from yhdyspinta.registry.models import Organisation


class Command(BaseCommand):
    help = "Refresh the figures of Sotkanet-backed indicators from THL's open-data API."

    def add_arguments(self, parser):
        parser.add_argument("area", nargs="*", help="area codes (default: every area with one)")

    def handle(self, *args, area, **options):
        areas = Organisation.objects.areas()
        if area:
            areas = areas.filter(code__in=area)
            unknown = set(area) - set(areas.values_list("code", flat=True))
            if unknown:
                raise CommandError(f"No area has the code {', '.join(sorted(unknown))}.")
        else:
            with_indicators = Indicator.objects.filter(sotkanet_id__isnull=False)
            areas = areas.filter(pk__in=with_indicators.values("goal__area"))
        failed = False
        for each in areas.order_by("code"):
            try:
                done = services.refresh_from_sotkanet(area=each)
            except SotkanetError as error:
                failed = True
                self.stderr.write(f"{each.code} {each.area_label}: {error} Nothing was changed.")
                continue
            self.stdout.write(
                f"{each.code} {each.area_label}: {done.measurements} figures "
                f"of {done.indicators} indicators."
            )
        if failed:
            raise CommandError("Sotkanet could not be used for every area.")
