"""Complaint analytics: rates per 10 000 policies, deadlines met, time to respond, repeat
complainants, plans, satisfaction. Read-only; a handful of aggregate queries per report."""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Avg, Count, F, Q
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from insuredesk.complaints.choices import PlanStatus, RootCauseCategory, ServiceStage
from insuredesk.complaints.models import Complaint, ImprovementPlan, Rating
from insuredesk.policies.choices import PolicyStatus
from insuredesk.policies.models import Policy

PER = 10_000


@dataclass
class Row:
    key: str
    label: str
    complaints: int
    per_10k: float | None
    late: int = 0  # by month: complaints received that month and answered after the deadline


@dataclass
class Report:
    start: date
    end: datetime
    jurisdiction: str | None
    policies: int
    complaints: int
    by_product: list[Row] = field(default_factory=list)
    by_category: list[Row] = field(default_factory=list)
    by_root_cause: list[Row] = field(default_factory=list)
    by_stage: list[Row] = field(default_factory=list)
    by_month: list[Row] = field(default_factory=list)
    within_deadline: dict[str, Any] = field(default_factory=dict)
    median_days_to_respond: float | None = None
    repeat_complainants: int = 0
    plans: dict[str, int] = field(default_factory=dict)
    satisfaction: dict[str, Any] = field(default_factory=dict)
    satisfaction_by_month: list[Row] = field(default_factory=list)


def _rate(count: int, base: int) -> float | None:
    return round(count * PER / base, 2) if base else None


def _month_start(day: date, back: int) -> date:
    total = day.year * 12 + day.month - 1 - back
    return date(total // 12, total % 12 + 1, 1)


def complaint_report(*, now: datetime, months: int = 12, jurisdiction: str | None = None) -> Report:
    """The analytics of complaints received in the last `months` calendar months (this one
    included), optionally for one jurisdiction."""
    months = max(1, min(months, 36))
    today = timezone.localdate(now)  # the calendar the received_at__date and TruncMonth use
    start = _month_start(today, months - 1)
    complaints = Complaint.objects.filter(received_at__date__gte=start, received_at__lte=now)
    # The denominator is exposure: policies in force at some point of the period (a cancelled
    # or rescinded contract never counts), not every policy ever written.
    policies = Policy.objects.exclude(
        status__in=[PolicyStatus.CANCELLED, PolicyStatus.RESCINDED]
    ).filter(start_date__lte=today, end_date__gte=start)
    if jurisdiction:
        complaints = complaints.filter(case__jurisdiction=jurisdiction)
        policies = policies.filter(jurisdiction=jurisdiction)
    policy_count = policies.count()
    report = Report(
        start=start,
        end=now,
        jurisdiction=jurisdiction,
        policies=policy_count,
        complaints=complaints.count(),
    )

    # Per product: the rate uses that product's policies.
    per_product_policies = dict(
        policies.values_list("product_version__product__code").annotate(n=Count("pk"))
    )
    products = (
        complaints.annotate(
            code=Coalesce(F("product__code"), F("policy__product_version__product__code")),
            name=Coalesce(F("product__name"), F("policy__product_version__product__name")),
        )
        .values("code", "name")
        .annotate(n=Count("pk"))
        .order_by("-n", "code")
    )
    report.by_product = [
        Row(
            p["code"] or "none",
            p["name"] or "No product",
            p["n"],
            _rate(p["n"], per_product_policies.get(p["code"], 0)),
        )
        for p in products
    ]
    categories = (
        complaints.values("category__code", "category__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "category__code")
    )
    report.by_category = [
        Row(
            c["category__code"] or "unclassified",
            c["category__name"] or "Unclassified",
            c["n"],
            _rate(c["n"], policy_count),
        )
        for c in categories
    ]
    causes = dict(RootCauseCategory.choices)
    report.by_root_cause = [
        Row(
            c["root_cause__category"],
            causes.get(c["root_cause__category"], ""),
            c["n"],
            _rate(c["n"], policy_count),
        )
        for c in complaints.filter(root_cause__isnull=False)
        .values("root_cause__category")
        .annotate(n=Count("pk"))
        .order_by("-n")
    ]
    stages = dict(ServiceStage.choices)
    report.by_stage = [
        Row(
            s["service_stage"] or "unknown",
            stages.get(s["service_stage"], "Not recorded"),
            s["n"],
            _rate(s["n"], policy_count),
        )
        for s in complaints.values("service_stage").annotate(n=Count("pk")).order_by("-n")
    ]
    monthly = dict(
        (row["month"].date() if isinstance(row["month"], datetime) else row["month"], row["n"])
        for row in complaints.annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(n=Count("pk"))
    )
    late = dict(
        (row["month"].date() if isinstance(row["month"], datetime) else row["month"], row["n"])
        for row in complaints.filter(responded_in_time=False)
        .annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(n=Count("pk"))
    )
    month_starts = [_month_start(today, back) for back in range(months - 1, -1, -1)]
    month_ends = [*(m - timedelta(days=1) for m in month_starts[1:]), today]
    in_force = policies.aggregate(
        **{
            f"m{i}": Count("pk", filter=Q(start_date__lte=last, end_date__gte=first))
            for i, (first, last) in enumerate(zip(month_starts, month_ends, strict=True))
        }
    )
    for i, month in enumerate(month_starts):
        count = monthly.get(month, 0)
        report.by_month.append(
            Row(
                month.isoformat()[:7],
                f"{month:%b %Y}",
                count,
                _rate(count, in_force[f"m{i}"]),
                late=late.get(month, 0),
            )
        )

    timed = complaints.filter(responded_in_time__isnull=False).aggregate(
        total=Count("pk"), met=Count("pk", filter=Q(responded_in_time=True))
    )
    report.within_deadline = {
        "responded": timed["total"],
        "in_time": timed["met"],
        "share": round(timed["met"] * 100 / timed["total"], 1) if timed["total"] else None,
    }
    durations = [
        (responded - received).total_seconds() / 86400
        for received, responded in complaints.filter(responded_at__isnull=False).values_list(
            "received_at", "responded_at"
        )
        if responded is not None  # always, by the filter; the column is nullable
    ]
    report.median_days_to_respond = round(statistics.median(durations), 1) if durations else None
    report.repeat_complainants = (
        complaints.values("case__customer").annotate(n=Count("pk")).filter(n__gte=2).count()
    )
    plans = ImprovementPlan.objects.aggregate(
        open=Count("pk", filter=Q(status=PlanStatus.OPEN)),
        effective=Count("pk", filter=Q(status=PlanStatus.VERIFIED_EFFECTIVE)),
        ineffective=Count("pk", filter=Q(status=PlanStatus.VERIFIED_INEFFECTIVE)),
    )
    report.plans = {**plans, "verified": plans["effective"] + plans["ineffective"]}
    ratings = Rating.objects.filter(complaint__in=complaints)
    summary = ratings.aggregate(count=Count("pk"), average=Avg("score"))
    spread = dict(ratings.values_list("score").annotate(n=Count("pk")))
    report.satisfaction = {
        "count": summary["count"],
        "average": round(summary["average"], 2) if summary["average"] is not None else None,
        "distribution": {score: spread.get(score, 0) for score in range(1, 6)},
    }
    rated = dict(
        (row["month"].date() if isinstance(row["month"], datetime) else row["month"], row["avg"])
        for row in ratings.annotate(month=TruncMonth("rated_at"))
        .values("month")
        .annotate(avg=Avg("score"))
    )
    report.satisfaction_by_month = [
        Row(
            m.key,
            m.label,
            0,
            round(rated[d], 2) if (d := date.fromisoformat(m.key + "-01")) in rated else None,
        )
        for m in report.by_month
    ]
    return report


def report_rows(report: Report) -> list[list[Any]]:
    """The report as CSV rows: section, key, label, complaints, per 10 000 policies."""
    rows: list[list[Any]] = [["section", "key", "label", "complaints", "per_10000_policies"]]
    for section, items in (
        ("product", report.by_product),
        ("category", report.by_category),
        ("root_cause", report.by_root_cause),
        ("service_stage", report.by_stage),
        ("month", report.by_month),
    ):
        rows += [[section, r.key, r.label, r.complaints, r.per_10k] for r in items]
    deadline = report.within_deadline
    rows += [
        ["summary", "policies", "Policies", report.policies, ""],
        ["summary", "complaints", "Complaints", report.complaints, ""],
        [
            "summary",
            "responded_in_time",
            "Responded within the deadline",
            deadline["in_time"],
            deadline["share"],
        ],
        ["summary", "responded", "Responded", deadline["responded"], ""],
        [
            "summary",
            "median_days_to_respond",
            "Median days to respond",
            "",
            report.median_days_to_respond,
        ],
        ["summary", "repeat_complainants", "Repeat complainants", report.repeat_complainants, ""],
        ["summary", "plans_open", "Improvement plans open", report.plans["open"], ""],
        ["summary", "plans_verified", "Improvement plans verified", report.plans["verified"], ""],
        [
            "summary",
            "rating_average",
            "Average rating (1-5)",
            report.satisfaction["count"],
            report.satisfaction["average"],
        ],
    ]
    return rows
