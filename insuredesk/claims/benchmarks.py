"""`insuredesk bench claims`: fast-track latency and full-API report throughput.

1. Set up (once per run): a bench product, N policies for one bench customer, an API token.
   Everything is written to the configured database under "bench-<run>" names.
2. Fast-track: for each claim, report (service) → upload the required documents (service) →
   the fast-track task runs on commit in-process (TASKS forced to the immediate backend, e-mail
   to memory) → paid. The latency is the server time from the report to the claim being paid,
   letters (PDF) and outbox included.
3. Throughput: POST /api/v1/claims through Django's full stack (middleware, auth, idempotency,
   validation, services) with the test client, claims per second.
"""

import json
import secrets
import statistics
import time
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone
from tqdm import tqdm

from insuredesk.claims import services
from insuredesk.claims.choices import ClaimStatus
from insuredesk.claims.models import Claim


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _setup(run_id: str, policies: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from insuredesk.catalog.choices import ClauseKind, Line
    from insuredesk.catalog.models import Clause, Coverage, Product, ProductVersion
    from insuredesk.customers.services import create_customer
    from insuredesk.policies.models import Policy

    today = timezone.localdate()
    password = secrets.token_urlsafe(16)
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=f"bench-{run_id}", password=password, email=f"bench-{run_id}@example.com"
        )
        user.groups.add(Group.objects.get_or_create(name="customer")[0])
        customer = create_customer(
            full_name=f"Bench {run_id}",
            email=user.email,
            user=user,
            region="Shanghai",
            jurisdiction="CN",
        )
        product = Product.objects.create(
            code=f"bench-{run_id}",
            name=f"Bench home {run_id}",
            line=Line.HOME,
            summary="Benchmark product.",
        )
        version = ProductVersion.objects.create(
            product=product,
            version=1,
            effective_from=today - timedelta(days=400),
            rating_method="home_building",
            rating_table={},
        )
        coverage = Coverage.objects.create(
            product_version=version,
            code="building",
            name="Building damage",
            sum_insured_max=Decimal("1000000"),
            deductible=Decimal("200"),
            loss_types=["fire", "water_damage"],
            required_documents=[
                {"code": "photos", "name": "Photos of the damage"},
                {"code": "invoice", "name": "Repair invoice"},
            ],
        )
        Clause.objects.create(
            product_version=version,
            coverage=coverage,
            number="2.1",
            title="Water and fire",
            kind=ClauseKind.COVERAGE,
            text="We pay for sudden water or fire damage.",
            explanation="Sudden damage is covered.",
        )
        rows = [
            Policy(
                number=f"B-{run_id}-{i:06d}",
                product_version=version,
                policyholder=customer,
                insured_name=customer.full_name,
                sum_insured=Decimal("500000"),
                premium=Decimal("900"),
                start_date=today - timedelta(days=200),
                end_date=today + timedelta(days=165),
                issued_at=timezone.now(),
            )
            for i in range(policies)
        ]
        Policy.objects.bulk_create(rows, batch_size=500)
    return user, password, list(Policy.objects.filter(product_version=version).order_by("pk"))


def _document(n: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        f"doc{n}.pdf",
        b"%PDF-1.4\n%bench " + str(n).encode() + b"\n%%EOF",
        content_type="application/pdf",
    )


def run(*, stdout, stderr, options: dict[str, Any]) -> dict[str, Any]:
    claims = options.get("claims") or 50
    policies = max(options.get("policies") or 100, claims)
    run_id = secrets.token_hex(3)
    from django.conf import settings

    with override_settings(
        TASKS={
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
            # Payment advice PDFs are rendered after the payment commits; here they wait and
            # are timed separately below.
            "bench_letters": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
        },
        INSUREDESK={**settings.INSUREDESK, "CLAIMS_LETTER_TASK_BACKEND": "bench_letters"},
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ):
        import logging

        logging.getLogger("django_tasks").setLevel(logging.WARNING)
        logging.getLogger("weasyprint").setLevel(logging.WARNING)
        logging.getLogger("fontTools").setLevel(logging.WARNING)
        user, password, policy_rows = _setup(run_id, policies)

        # 2. fast-track report → paid, one claim per policy (a clean claim history each).
        latencies: list[float] = []
        unpaid = 0
        event_day = timezone.localdate() - timedelta(days=3)
        for index in tqdm(range(claims), desc="fast-track", file=stderr, unit="claim"):
            policy = policy_rows[index]
            started = time.perf_counter()
            now = timezone.now()
            claim = services.report_claim(
                policy=policy,
                event_date=event_day,
                event_place="Bench street 1",
                loss_type="water_damage",
                description="Burst pipe in the kitchen.",
                amount_claimed=Decimal("1800.00"),
                actor=user,
                now=now,
            )
            for n, code in enumerate(("photos", "invoice")):
                services.upload_claim_document(
                    claim=claim,
                    upload=_document(index * 10 + n),
                    code=code,
                    actor=user,
                    now=timezone.now(),
                )
            elapsed = time.perf_counter() - started
            status = Claim.objects.filter(pk=claim.pk).values_list("case__status", flat=True)[0]
            if status == ClaimStatus.PAID:
                latencies.append(elapsed * 1000)
            else:
                unpaid += 1

        # The deferred payment advice letters (PDF), each in its own transaction.
        from insuredesk.claims.models import Payment

        letter_ms: list[float] = []
        pending = Payment.objects.filter(order__claim__policy__in=policy_rows, letter__isnull=True)
        for payment in tqdm(list(pending), desc="advice PDFs", file=stderr, unit="letter"):
            started = time.perf_counter()
            services.issue_payment_advice(payment=payment, now=timezone.now())
            letter_ms.append((time.perf_counter() - started) * 1000)

        # 3. full-API report throughput (reports only: above the fast-track limit).
        client = Client()
        from insuredesk.customers.services import issue_token

        _, token = issue_token(username=user.username, password=password)
        authorization = f"Bearer {token}"
        statuses: dict[int, int] = {}
        started = time.perf_counter()
        for index in tqdm(range(claims), desc="API reports", file=stderr, unit="claim"):
            policy = policy_rows[index % len(policy_rows)]
            body = {
                "policy": policy.number,
                "event_date": (timezone.localdate() - timedelta(days=10)).isoformat(),
                "event_place": "Bench street 2",
                "loss_type": "fire",
                "description": "Fire in the living room.",
                "amount_claimed": "90000.00",
            }
            response = client.post(
                "/api/v1/claims",
                json.dumps(body),
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY=f"bench-{run_id}-{index}",
                HTTP_AUTHORIZATION=authorization,
            )
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        api_seconds = time.perf_counter() - started

    from django.db import connection

    result = {
        "fast_track_p50_ms": round(_percentile(latencies, 0.50), 1),
        "fast_track_p95_ms": round(_percentile(latencies, 0.95), 1),
        "report_throughput_per_s": round(claims / api_seconds, 1) if api_seconds else 0.0,
        "claims": claims,
    }
    stdout.write(f"claims benchmark on {connection.vendor} ({claims} claims, {policies} policies)")
    stdout.write(
        f"  fast-track report → paid: p50 {result['fast_track_p50_ms']} ms, "
        f"p95 {result['fast_track_p95_ms']} ms, mean "
        f"{round(statistics.fmean(latencies), 1) if latencies else 0} ms "
        f"({len(latencies)} paid, {unpaid} not paid) — target p95 < 1000 ms"
    )
    stdout.write(
        f"  payment advice letter (PDF, after the payment commits): "
        f"p50 {round(_percentile(letter_ms, 0.5), 1)} ms, "
        f"p95 {round(_percentile(letter_ms, 0.95), 1)} ms"
    )
    stdout.write(
        f"  full-API report throughput: {result['report_throughput_per_s']} claims/s "
        f"(HTTP statuses {statuses})"
    )
    return result
