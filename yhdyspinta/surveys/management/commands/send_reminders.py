"""Daily job: mark anonymously answered invitations used (in batches), queue the scheduled
reminders of every open wave (the worker sends them), and clear the saved but never submitted
answers of closed waves."""

from django.core.management.base import BaseCommand

from yhdyspinta.surveys.services import (
    clear_drafts_of_closed_waves,
    mark_answered_invitations,
    queue_scheduled_reminders,
)


class Command(BaseCommand):
    help = "Queue reminders for unanswered invitations in open waves whose schedule says so."

    def handle(self, *args, **options):
        marked = mark_answered_invitations()
        self.stdout.write(f"{marked} anonymously answered invitations marked used.")
        count = queue_scheduled_reminders()
        self.stdout.write(f"{count} reminders queued.")
        cleared = clear_drafts_of_closed_waves()
        self.stdout.write(f"{cleared} unsubmitted drafts of closed waves cleared.")
