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
def payment_advice(payment_id: int) -> str:
    """Render and send the payment advice of an executed payment (a repeat does nothing)."""
    from insuredesk.claims.models import Payment

    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        return "missing"
    services.issue_payment_advice(payment=payment, now=timezone.now())
    return "sent"


@task()
def sweep_claims() -> dict[str, int]:
    """Run by the worker's schedule: see `_claims_sweep`."""
    return _claims_sweep(now=timezone.now())


def _claims_sweep(*, now) -> dict[str, int]:
    return {
        "advance_flagged": services.flag_advance_payments(now=now),
        "delay_notices": services.send_due_delay_notices(now=now),
        "progress_updates": services.send_progress_updates(now=now),
        "limitation_warnings": services.send_limitation_warnings(now=now),
    }


# Run by the worker's sweep: CN-23 advance-payment flags, CA-08 delay letters, GB-04 progress
# updates and CA-10 limitation warnings.
PERIODIC_JOBS = [("claims", _claims_sweep)]
