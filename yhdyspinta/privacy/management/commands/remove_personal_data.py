"""Retention of contact details: remove the contacts who ended more than N months ago.

Run it regularly (e.g. monthly from cron). The rules are in
`yhdyspinta.privacy.services.prune_ended_contacts`.
"""

from django.core.management.base import BaseCommand, CommandError

from yhdyspinta.privacy.services import contacts_to_prune, prune_ended_contacts


class Command(BaseCommand):
    help = (
        "Remove the contact details of people who left, or whose every responsibility ended, "
        "more than N months ago. Their current entries stay as vacancies."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-months",
            type=int,
            default=24,
            metavar="N",
            help="Remove contacts who ended more than N months ago (default 24).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only print the contacts that would be removed.",
        )

    def handle(self, *args, **options):
        months = options["older_than_months"]
        if months < 1:
            raise CommandError("--older-than-months must be at least 1.")
        if options["dry_run"]:
            contacts = contacts_to_prune(months=months)
            for contact in contacts:
                ended = f", left on {contact.left_on}" if contact.left_on else ""
                self.stdout.write(f"would remove: {contact} ({contact.organisation}{ended})")
            self.stdout.write(f"{len(contacts)} contacts would be removed (dry run).")
            return
        count = prune_ended_contacts(months=months)
        self.stdout.write(f"{count} contacts removed.")
