"""Daily job: queue the scheduled reminders of every open wave (the worker sends them)."""

from django.core.management.base import BaseCommand

from yhdyspinta.surveys.services import queue_scheduled_reminders


class Command(BaseCommand):
    help = "Queue reminders for unanswered invitations in open waves whose schedule says so."

    def handle(self, *args, **options):
        count = queue_scheduled_reminders()
        self.stdout.write(f"{count} reminders queued.")
