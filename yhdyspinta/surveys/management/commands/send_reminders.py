"""Daily job: queue the scheduled reminders of every open wave (the worker sends them), and
clear the saved but never submitted answers of closed waves."""

from django.core.management.base import BaseCommand

from yhdyspinta.surveys.services import clear_drafts_of_closed_waves, queue_scheduled_reminders


class Command(BaseCommand):
    help = "Queue reminders for unanswered invitations in open waves whose schedule says so."

    def handle(self, *args, **options):
        count = queue_scheduled_reminders()
        self.stdout.write(f"{count} reminders queued.")
        cleared = clear_drafts_of_closed_waves()
        self.stdout.write(f"{cleared} unsubmitted drafts of closed waves cleared.")
