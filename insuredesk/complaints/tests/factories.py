"""Builders for complaint tests: plain functions on top of insuredesk/tests/factories.py."""

from datetime import datetime
from zoneinfo import ZoneInfo

from insuredesk.complaints import services
from insuredesk.complaints.choices import Channel
from insuredesk.complaints.models import Complaint
from insuredesk.customers.models import CustomerProfile
from insuredesk.tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
LONDON = ZoneInfo("Europe/London")


def at(year: int, month: int, day: int, hour: int = 10, *, tz=SHANGHAI) -> datetime:
    return datetime(year, month, day, hour, tzinfo=tz)


def make_gb_customer(username: str = "gwen") -> CustomerProfile:
    return factories.make_customer(username, full_name="Gwen Hughes", jurisdiction="GB")


def submit(
    customer: CustomerProfile,
    *,
    now: datetime,
    policy=None,
    description: str = "My claim for the burst pipe has had no answer for a month.",
    desired_outcome: str = "A decision on the claim and an apology.",
    **extra,
) -> Complaint:
    return services.submit_complaint(
        customer=customer,
        actor=customer.user,
        now=now,
        channel=extra.pop("channel", Channel.PORTAL),
        description=description,
        desired_outcome=desired_outcome,
        policy=policy,
        **extra,
    )


def classified(complaint: Complaint, *, handler, now: datetime, category: str = "claims_delay"):
    services.classify_complaint(
        complaint=complaint, actor=handler, now=now, category=category, service_stage="claims"
    )
    complaint.refresh_from_db()
    complaint.case.refresh_from_db()
    return complaint


def reload(complaint: Complaint) -> Complaint:
    fresh = Complaint.objects.select_related("case").get(pk=complaint.pk)
    return fresh
