"""Builders for claim tests (the cast is in insuredesk/tests/factories.py)."""

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from insuredesk.claims import services
from insuredesk.claims.models import Claim

_files = itertools.count(1)
NOW = timezone.make_aware(datetime(2026, 3, 10, 10, 0))


def pdf(name: str = "scan.pdf", *, size: int = 0) -> SimpleUploadedFile:
    """A small distinct PDF (each call a different checksum)."""
    body = b"%PDF-1.4\n% claim document " + str(next(_files)).encode() + b"\n%%EOF\n"
    if size:
        body = body + b"0" * max(size - len(body), 0)
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def png(name: str = "photo.png") -> SimpleUploadedFile:
    body = b"\x89PNG\r\n\x1a\n" + str(next(_files)).encode() * 8
    return SimpleUploadedFile(name, body, content_type="image/png")


def report(
    policy,
    *,
    actor=None,
    now: datetime = NOW,
    event_date: date | None = None,
    loss_type: str = "fire",
    amount: Decimal | None = Decimal("3000"),
) -> Claim:
    return services.report_claim(
        policy=policy,
        event_date=event_date or (now.date() - timedelta(days=2)),
        event_place="8 Harbour Road",
        loss_type=loss_type,
        description="Kitchen fire damaged the cabinets.",
        amount_claimed=amount,
        actor=actor or policy.policyholder.user,
        now=now,
    )


def upload_all(claim: Claim, *, actor=None, now: datetime = NOW) -> None:
    for item in claim.coverage.required_documents:
        services.upload_claim_document(
            claim=claim,
            upload=pdf(),
            code=item["code"],
            actor=actor or claim.case.customer.user,
            now=now,
        )


def fresh(claim: Claim) -> Claim:
    return Claim.objects.select_related("case", "policy", "coverage").get(pk=claim.pk)
