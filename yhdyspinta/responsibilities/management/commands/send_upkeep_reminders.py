"""Monthly job: queue the upkeep reminder of the responsibility tables (the worker sends it)."""

from django.core.management.base import BaseCommand

from yhdyspinta.responsibilities.tasks import send_upkeep_reminders


class Command(BaseCommand):
    help = (
        "Queue the upkeep reminder: coordinators and editors get by e-mail the gaps, vacant "
        "entries and entries not confirmed for 12 months of their tables. Run monthly from "
        "cron or a systemd timer; `manage.py db_worker` sends the messages."
    )

    def handle(self, *args, **options):
        result = send_upkeep_reminders.enqueue()
        self.stdout.write(f"Upkeep reminders queued (task {result.id}).")
