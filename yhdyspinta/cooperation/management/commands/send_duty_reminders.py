"""Queue the duty reminders; `manage.py db_worker` sends them. Run once a day (cron)."""

from django.core.management.base import BaseCommand

from yhdyspinta.cooperation.tasks import send_duty_reminders


class Command(BaseCommand):
    help = (
        "Queue the reminders of §14 and hyte negotiation duties still open near the end of "
        "their period; the background worker sends them to the counties' coordinators."
    )

    def handle(self, *args, **options):
        result = send_duty_reminders.enqueue()
        self.stdout.write(f"Duty reminders queued (task {result.id}).")
