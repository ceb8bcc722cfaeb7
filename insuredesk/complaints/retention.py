"""How long a complaint's record is kept: 3 years from receipt (GB-13, DISP 1.9.1R).

GB-13 is the GB profile's rule; we hold every complaint to it whatever its jurisdiction (the CN
and US-CA profiles have no shorter complaint-record rule), so one date is shown on the console
workspace and enforced by `Complaint.delete`, the complaint queryset's `delete` and the admin.
"""

from collections.abc import Iterable
from datetime import date, datetime

from insuredesk.complaints.models import Complaint
from insuredesk.rules.registry import get_profile, get_rule

RULE = "GB-13"
SOURCE = "DISP 1.9.1R"


def retention_years() -> int:
    period = get_rule("GB", RULE).period
    if period is None or period.unit != "years":
        raise RuntimeError(f"{RULE} should give a period in years, not {period}")
    return period.amount


def keep_until(received_at: datetime, jurisdiction: str) -> date:
    """The first day the record may be deleted: receipt (local date) plus three years.

    A complaint received on 29 February is kept until 1 March (never a day short).
    """
    received = get_profile(jurisdiction or "GB").today(received_at)
    year = received.year + retention_years()
    try:
        return received.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def may_delete(complaint: Complaint, now: datetime) -> bool:
    """Whether the period has ended at `now`, counted in the complaint's own calendar, as
    `keep_until` counts the day of receipt."""
    jurisdiction = complaint.case.jurisdiction
    return get_profile(jurisdiction or "GB").today(now) >= keep_until(
        complaint.received_at, jurisdiction
    )


def refuse_early_deletion(complaints: Iterable[Complaint], now: datetime) -> None:
    """Raise NotPermitted naming GB-13 if any of `complaints` is still within its period."""
    from insuredesk.errors import NotPermitted

    for complaint in complaints:
        if not may_delete(complaint, now):
            until = keep_until(complaint.received_at, complaint.case.jurisdiction)
            raise NotPermitted(
                f"Complaint {complaint.case.reference} must be kept until {until} "
                f"({RULE}, {SOURCE}: 3 years from receipt).",
                code="retention_period",
                rule=RULE,
                keep_until=until.isoformat(),
                reference=complaint.case.reference,
            )
