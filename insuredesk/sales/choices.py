"""Statuses of an application for insurance, and the application case kind's transitions.

An application is a case: it waits in the underwriters' queue while it is referred, and its
event log is the record of the sale (what was declared, asked, decided and accepted).

    submitted ──(straight through)──────────────► offered ──► issued
        └──► referred ──► exam_required ──► referred    │
                 ├──► offered                            └──► withdrawn / expired
                 ├──► declined
                 └──► postponed
"""

from django.db import models

from insuredesk.casework.registry import ClockSpec


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"  # received; automatic underwriting has not yet run
    REFERRED = "referred", "With an underwriter"  # needs a person's decision
    EXAM_REQUIRED = "exam_required", "Medical examination"  # waiting for the free exam's result
    OFFERED = "offered", "Offer made"  # terms decided; waiting for the applicant to accept
    ISSUED = "issued", "Policy issued"  # accepted and issued: the policy is in the portal
    DECLINED = "declined", "Declined"  # the insurer will not cover the risk (written reasons)
    POSTPONED = "postponed", "Postponed"  # not now: apply again after the stated date
    WITHDRAWN = "withdrawn", "Withdrawn"  # the applicant changed their mind before issue
    EXPIRED = "expired", "Offer expired"  # the offer was not accepted in time


TRANSITIONS = {
    ApplicationStatus.SUBMITTED: {
        ApplicationStatus.OFFERED,
        ApplicationStatus.REFERRED,
        ApplicationStatus.WITHDRAWN,
    },
    ApplicationStatus.REFERRED: {
        ApplicationStatus.EXAM_REQUIRED,
        ApplicationStatus.OFFERED,
        ApplicationStatus.DECLINED,
        ApplicationStatus.POSTPONED,
        ApplicationStatus.WITHDRAWN,
    },
    ApplicationStatus.EXAM_REQUIRED: {ApplicationStatus.REFERRED, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.OFFERED: {
        ApplicationStatus.ISSUED,
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.EXPIRED,
    },
    ApplicationStatus.ISSUED: set(),
    ApplicationStatus.DECLINED: set(),
    ApplicationStatus.POSTPONED: set(),
    ApplicationStatus.WITHDRAWN: set(),
    ApplicationStatus.EXPIRED: set(),
}

# Waiting on the applicant (an offer, an exam appointment) takes a case out of the work queue.
OPEN_FOR_STAFF = {ApplicationStatus.SUBMITTED, ApplicationStatus.REFERRED}
CLOSED_STATUSES = {
    ApplicationStatus.ISSUED,
    ApplicationStatus.DECLINED,
    ApplicationStatus.POSTPONED,
    ApplicationStatus.WITHDRAWN,
    ApplicationStatus.EXPIRED,
}


# The underwriter's decision clock runs under the insurer's service standard SVC-02 (5 business
# days): from the referral, and afresh from the medical examination's result. Asking for the
# exam stops it (the applicant's appointment is not the underwriter's time); a decision, or the
# applicant withdrawing, ends it.
DECISION_CLOCK_RULE = "SVC-02"
CLOCKS = [
    ClockSpec(
        "decide",
        "Decide the application",
        rules={"CN": DECISION_CLOCK_RULE, "GB": DECISION_CLOCK_RULE, "US-CA": DECISION_CLOCK_RULE},
        starts_on={"referred", "exam_completed"},
        stops_on={"exam_requested", "offered", "declined", "postponed", "withdrawn"},
    )
]


class SalesChannel(models.TextChoices):
    ONLINE = "online", "Online (portal or API)"
    IN_PERSON = "in_person", "In person with an agent"
    PHONE = "phone", "By phone"
    BANK = "bank", "Through a bank"
    CONCURRENT_AGENT = "concurrent_agent", "Through a concurrent agent"


class Decision(models.TextChoices):
    STANDARD = "standard", "Accepted at standard terms"
    LOADED = "loaded", "Accepted with an extra premium"
    DECLINED = "declined", "Declined"
    POSTPONED = "postponed", "Postponed"


class ExamStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"  # the applicant is invited to book it
    COMPLETED = "completed", "Completed"  # the clinic's result is recorded
    CANCELLED = "cancelled", "Cancelled"
