"""Background tasks of claims: they take ids, load fresh rows and are idempotent."""

from django.utils import timezone
from django_tasks import task

from insuredesk.claims import services
from insuredesk.claims.models import Claim


@task()
def fast_track(claim_id: int) -> str:
    """Try to pay a small claim at once (a repeat finds it handled and skips)."""
    claim = Claim.objects.filter(pk=claim_id).first()
    if claim is None:
        return "missing"
    return services.fast_track_claim(claim=claim, now=timezone.now())


@task()
def sweep_claims() -> dict[str, int]:
    """Run by the worker's schedule: CN-23 advance-payment flags and CA-08 delay notices."""
    now = timezone.now()
    return {
        "advance_flagged": services.flag_advance_payments(now=now),
        "delay_notices": services.send_due_delay_notices(now=now),
    }
