"""Demo claims for `insuredesk demo`, made through the real services (clocks, letters, outbox):

- alice: a fast-tracked water-damage claim on her home policy, paid;
- alice: a motor collision claim waiting for documents (the CN-18 notice sent, clock paused);
- demo.wang: a fire claim surveyed by sam, assessed, countered, re-offered, agreed and paid;
- mallory: a motor claim refused with its written notice (CN-22);
- demo.zhao: a home claim refused, then contested (internal review, one hearing).

Idempotent: each story is found by its description and never made twice.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TextIO

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from insuredesk.claims import services
from insuredesk.claims.models import Claim
from insuredesk.claims.services.reporting import coverage_for, waiting_period_ends
from insuredesk.errors import DomainError
from insuredesk.policies.models import Policy

User = get_user_model()


def _pdf(label: str) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n% InsureDesk demo document: " + label.encode() + b"\n%%EOF\n"
    return SimpleUploadedFile(f"{label}.pdf", body, content_type="application/pdf")


def _policy(username: str, loss_type: str, *, min_age_days: int = 35):
    """An in-force policy of the user answering the loss type, old enough for the story."""
    for policy in (
        Policy.objects.filter(policyholder__user__username=username, status="in_force")
        .select_related("product_version")
        .order_by("start_date")
    ):
        coverage = coverage_for(policy, loss_type)
        if coverage is not None:
            first = waiting_period_ends(policy, coverage)
            return policy, first + timedelta(days=min_age_days)
    return None, None


def _report(
    username: str,
    loss_type: str,
    description: str,
    amount: str,
    now: datetime,
    days_ago: int,
    place: str,
):
    existing = Claim.objects.filter(description=description).first()
    if existing is not None:
        return existing, False
    policy, earliest = _policy(username, loss_type)
    if policy is None:
        return None, False
    event: date = max(earliest, (now - timedelta(days=days_ago + 2)).date())
    reported = datetime.combine(event, now.timetz()) + timedelta(days=1)
    if reported >= now or not policy.covers(event):
        return None, False
    claim = services.report_claim(
        policy=policy,
        event_date=event,
        event_place=place,
        loss_type=loss_type,
        description=description,
        amount_claimed=Decimal(amount),
        actor=policy.policyholder.user,
        now=reported,
    )
    return claim, True


def _upload_all(claim: Claim, at: datetime) -> None:
    for item in claim.coverage.required_documents or []:
        services.upload_claim_document(
            claim=claim,
            upload=_pdf(f"{claim.pk}-{item['code']}"),
            code=item["code"],
            actor=claim.customer.user,
            now=at,
        )


def load(*, stdout: TextIO, now: datetime) -> None:
    staff = {u.username: u for u in User.objects.filter(username__in=["bob", "sam", "carol"])}
    bob, sam, carol = staff.get("bob"), staff.get("sam"), staff.get("carol")
    if bob is None or carol is None:
        stdout.write("claims: skipped (no bob/carol)\n")
        return
    made = []
    try:
        # 1. alice: fast-tracked and paid.
        claim, new = _report(
            "alice",
            "water_damage",
            "Demo: a burst pipe soaked the hallway floor.",
            "3200",
            now,
            12,
            "Home, hallway",
        )
        if new:
            at = claim.reported_at + timedelta(hours=2)
            _upload_all(claim, at)
            services.fast_track_claim(claim=Claim.objects.get(pk=claim.pk), now=at)
            made.append(f"{claim.case.reference} fast-tracked")

        # 2. alice: waiting for documents.
        claim, new = _report(
            "alice",
            "collision",
            "Demo: reversed into a bollard in the car park.",
            "8600",
            now,
            4,
            "Car park, Century Avenue",
        )
        if new:
            services.upload_claim_document(
                claim=claim,
                upload=_pdf(f"{claim.pk}-photos"),
                code=claim.coverage.required_documents[0]["code"],
                actor=claim.customer.user,
                now=claim.reported_at + timedelta(hours=1),
            )
            services.request_missing_documents(
                claim=claim,
                actor=bob,
                now=claim.reported_at + timedelta(days=1),
                note="Thank you; these are all we still need.",
            )
            made.append(f"{claim.case.reference} waiting for documents")

        # 3. demo.wang: surveyed, negotiated, paid.
        claim, new = _report(
            "demo.wang",
            "fire",
            "Demo: a kitchen fire damaged cabinets and the ceiling.",
            "86000",
            now,
            40,
            "Kitchen",
        )
        if new and sam is not None:
            t = claim.reported_at
            _upload_all(claim, t + timedelta(hours=3))
            survey = services.dispatch_surveyor(
                claim=claim,
                appointment_at=t + timedelta(days=2),
                actor=bob,
                now=t + timedelta(days=1),
            )
            services.file_survey_report(
                survey=survey,
                findings="Fire started at the cooker; cabinets and ceiling boards destroyed.",
                estimated_loss=Decimal("78000"),
                cost=Decimal("1200"),
                actor=sam,
                now=t + timedelta(days=2, hours=4),
            )
            services.assess_loss(
                claim=claim,
                actor=bob,
                now=t + timedelta(days=4),
                items=[
                    {"description": "Kitchen cabinets", "coverage": "building", "amount": "52000"},
                    {"description": "Ceiling boards", "coverage": "building", "amount": "26000"},
                ],
            )
            offer = services.make_offer(claim=claim, actor=bob, now=t + timedelta(days=4))
            services.counter_offer(
                offer=offer,
                amount=Decimal("84000"),
                reasons="The quote for the cabinets is higher.",
                actor=claim.customer.user,
                now=t + timedelta(days=6),
            )
            revised = services.make_offer(
                claim=claim,
                actor=bob,
                amount=Decimal("80000"),
                note="Revised after your quotation.",
                now=t + timedelta(days=7),
            )
            services.accept_offer(
                offer=revised, actor=claim.customer.user, now=t + timedelta(days=8)
            )
            order = services.order_payment(
                claim=claim, amount=Decimal("80000"), actor=bob, now=t + timedelta(days=9)
            )
            services.approve_payment(order=order, actor=carol, now=t + timedelta(days=9))
            made.append(f"{claim.case.reference} surveyed, negotiated and paid")

        # 4. mallory: refused with its notice.
        claim, new = _report(
            "mallory",
            "collision",
            "Demo: damage found under the car after a long trip.",
            "12000",
            now,
            20,
            "Unknown",
        )
        if new:
            _refuse(claim, bob, claim.reported_at + timedelta(days=3))
            made.append(f"{claim.case.reference} refused")

        # 5. demo.zhao: refused and disputed.
        claim, new = _report(
            "demo.zhao",
            "water_damage",
            "Demo: damp patches spread across the bedroom wall.",
            "15000",
            now,
            30,
            "Bedroom",
        )
        if new:
            t = claim.reported_at
            _refuse(claim, bob, t + timedelta(days=5))
            dispute = services.open_dispute(
                claim=Claim.objects.get(pk=claim.pk),
                channel="internal_review",
                grounds="The damp came from a sudden leak upstairs, not slow seepage.",
                evidence=[_pdf(f"{claim.pk}-neighbour-letter")],
                actor=claim.customer.user,
                now=t + timedelta(days=8),
            )
            services.record_hearing(
                dispute=dispute,
                held_at=t + timedelta(days=12),
                place="Shanghai service centre",
                notes="Both sides heard.",
                actor=bob,
                now=t + timedelta(days=12),
            )
            made.append(f"{claim.case.reference} disputed ({dispute.case.reference})")
    except DomainError as exc:
        stdout.write(f"claims: demo stopped: {exc.message}\n")
    stdout.write(f"claims: {', '.join(made) or 'demo claims already present'}\n")


def _refuse(claim: Claim, bob, at: datetime) -> None:
    version = claim.policy.product_version
    exemption = version.clauses.filter(kind="exemption").first()
    cover = version.clauses.filter(coverage=claim.coverage).first() or version.clauses.first()
    clause = exemption or cover
    if clause is None:
        raise DomainError(f"{version} has no clause a refusal could cite.")
    services.refuse_claim(
        claim=Claim.objects.get(pk=claim.pk),
        ground="exclusion" if exemption else "not_covered",
        reasons="The damage built up gradually over a long period; it was not caused by a "
        "sudden event the policy covers.",
        clauses=[
            {
                "number": clause.number,
                "how_it_applies": "Our surveyor found long-standing damage, not a sudden event.",
            }
        ],
        confirm_warnings=True,
        actor=bob,
        now=at,
    )
