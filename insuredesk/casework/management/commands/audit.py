"""`insuredesk audit verify`: walk the event hash chain and name the first broken link."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from insuredesk.casework import chain
from insuredesk.casework.models import CaseEvent, ChainHead


class Command(BaseCommand):
    help = "Verify the tamper-evident log of case events."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, action: str, quiet: bool, **options):
        head = ChainHead.objects.filter(pk=1).first()
        head_sequence, head_hash = (head.sequence, head.hash) if head else (0, chain.GENESIS)
        events = CaseEvent.objects.order_by("sequence").iterator(chunk_size=2000)
        if not quiet:
            events = tqdm(
                events,
                total=CaseEvent.objects.count(),
                unit="event",
                desc="verifying",
                file=self.stderr,
            )
        checked, finding = chain.verify(events, head_sequence, head_hash)
        if finding is not None:
            raise CommandError(
                f"Audit chain broken at {finding} ({checked} events verified before it)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} events verified."))
