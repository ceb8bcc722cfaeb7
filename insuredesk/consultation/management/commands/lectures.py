"""`insuredesk lectures remind`: the day-before reminder sweep (safe to run as often as liked)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from insuredesk.consultation import services


class Command(BaseCommand):
    help = "Lecture housekeeping: `remind` sends the day-before reminders (each once)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["remind"])

    def handle(self, *args, action: str, **options):
        sent = services.send_lecture_reminders(now=timezone.now())
        self.stdout.write(f"{sent} reminder(s) queued.")
