"""Statuses of policies, premium instalments and arrears, and the transitions between them."""

from django.db import models

from insuredesk.casework.registry import ClockSpec


class PolicyStatus(models.TextChoices):
    PENDING = "pending", "Pending"  # issued, cover not yet started
    IN_FORCE = "in_force", "In force"  # cover running, premiums up to date or in grace
    SUSPENDED = "suspended", "Suspended"  # unpaid past grace: cover suspended (IL Art. 36)
    LAPSED = "lapsed", "Lapsed"  # not reinstated within 2 years, or terminated for non-payment
    CANCELLED = "cancelled", "Cancelled"  # cancelled in the cooling-off period
    SURRENDERED = "surrendered", "Surrendered"  # ended by the policyholder later (IL Art. 47)
    RESCINDED = "rescinded", "Rescinded"  # rescinded for non-disclosure (IL Art. 16)
    EXPIRED = "expired", "Expired"  # the term ended


class PremiumFrequency(models.TextChoices):
    ANNUAL = "annual", "Annual"
    MONTHLY = "monthly", "Monthly"
    SINGLE = "single", "Single premium"


class InstalmentStatus(models.TextChoices):
    DUE = "due", "Due"  # not yet paid; may be overdue
    PAID = "paid", "Paid"
    WAIVED = "waived", "Waived"


# A policy's status moves only along these lines (`move_policy` checks them).
POLICY_TRANSITIONS: dict[str, set[str]] = {
    PolicyStatus.PENDING: {PolicyStatus.IN_FORCE, PolicyStatus.CANCELLED, PolicyStatus.RESCINDED},
    PolicyStatus.IN_FORCE: {
        PolicyStatus.SUSPENDED,
        PolicyStatus.CANCELLED,
        PolicyStatus.SURRENDERED,
        PolicyStatus.RESCINDED,
        PolicyStatus.EXPIRED,
    },
    PolicyStatus.SUSPENDED: {
        PolicyStatus.IN_FORCE,
        PolicyStatus.LAPSED,
        PolicyStatus.SURRENDERED,
        PolicyStatus.RESCINDED,
    },
    PolicyStatus.LAPSED: set(),
    PolicyStatus.CANCELLED: set(),
    PolicyStatus.SURRENDERED: set(),
    PolicyStatus.RESCINDED: set(),
    PolicyStatus.EXPIRED: set(),
}

# An instalment is paid once, or waived (the contract undone); neither comes back.
INSTALMENT_TRANSITIONS: dict[str, set[str]] = {
    InstalmentStatus.DUE: {InstalmentStatus.PAID, InstalmentStatus.WAIVED},
    InstalmentStatus.PAID: set(),
    InstalmentStatus.WAIVED: set(),
}


class PaymentMethod(models.TextChoices):
    """How a premium reached us. InsureDesk takes no card details and runs no gateway: a payment
    is recorded as received, with the payer's or the bank's reference to trace it."""

    BANK_CARD = "bank_card", "Bank card"  # paid by card; the reference is the authorisation code
    BANK_TRANSFER = "bank_transfer", "Bank transfer"  # the transfer's bank reference
    DIRECT_DEBIT = "direct_debit", "Direct debit"  # collected under the policyholder's mandate
    CASH = "cash", "Cash at the counter"  # taken by staff at a branch; the counter slip number


# Cash is handed to a person: only staff record it.
CUSTOMER_PAYMENT_METHODS = (
    PaymentMethod.BANK_CARD,
    PaymentMethod.BANK_TRANSFER,
    PaymentMethod.DIRECT_DEBIT,
)


class ArrearsStatus(models.TextChoices):
    """The arrears case of a policy: from the first premium demand to its outcome."""

    DEMANDED = (
        "demanded",
        "Premium demanded",
    )  # demand notice sent; still covered in the grace period
    CLEARED = "cleared", "Arrears paid"  # paid within the grace period; nothing else happens
    SUSPENDED = "suspended", "Cover suspended"  # unpaid past the grace period (IL Art. 36)
    REINSTATEMENT_REQUESTED = "reinstatement_requested", "Reinstatement applied for"  # to decide
    REINSTATEMENT_AGREED = "reinstatement_agreed", "Reinstatement agreed"  # waiting for the arrears
    REINSTATED = "reinstated", "Reinstated"  # arrears paid after agreement: in force again
    TERMINATED = "terminated", "Terminated"  # not reinstated in time (IL Art. 37): cash value due


ARREARS_TRANSITIONS: dict[str, set[str]] = {
    # Terminated from demanded too: the policyholder may surrender in the grace period.
    ArrearsStatus.DEMANDED: {
        ArrearsStatus.CLEARED,
        ArrearsStatus.SUSPENDED,
        ArrearsStatus.TERMINATED,
    },
    ArrearsStatus.SUSPENDED: {ArrearsStatus.REINSTATEMENT_REQUESTED, ArrearsStatus.TERMINATED},
    # A declined application leaves the policy suspended: the policyholder may apply again.
    ArrearsStatus.REINSTATEMENT_REQUESTED: {
        ArrearsStatus.REINSTATEMENT_AGREED,
        ArrearsStatus.SUSPENDED,
    },
    # Agreed but never paid: the period runs out and the policy may be terminated.
    ArrearsStatus.REINSTATEMENT_AGREED: {ArrearsStatus.REINSTATED, ArrearsStatus.TERMINATED},
    ArrearsStatus.CLEARED: set(),
    ArrearsStatus.REINSTATED: set(),
    ArrearsStatus.TERMINATED: set(),
}
ARREARS_CLOSED = {ArrearsStatus.CLEARED, ArrearsStatus.REINSTATED, ArrearsStatus.TERMINATED}
# While these are open the policy is suspended and may come back (IL Art. 37).
ARREARS_SUSPENDED = {
    ArrearsStatus.SUSPENDED,
    ArrearsStatus.REINSTATEMENT_REQUESTED,
    ArrearsStatus.REINSTATEMENT_AGREED,
}


class ReinstatementDecision(models.TextChoices):
    AGREED = "agreed", "Agreed"  # reinstated once the arrears are paid
    DECLINED = "declined", "Declined"  # with written reasons; the policy stays suspended


class BeneficiaryRelation(models.TextChoices):
    SPOUSE = "spouse", "Spouse"
    CHILD = "child", "Child"
    PARENT = "parent", "Parent"
    OTHER = "other", "Other"


# The reinstatement decision clock runs under the insurer's service standard SVC-14 (5 business
# days) from the application; the decision, either way, stops it.
REINSTATEMENT_CLOCK_RULE = "SVC-14"
ARREARS_CLOCKS = [
    ClockSpec(
        "decide",
        "Decide the reinstatement",
        rules={
            "CN": REINSTATEMENT_CLOCK_RULE,
            "GB": REINSTATEMENT_CLOCK_RULE,
            "US-CA": REINSTATEMENT_CLOCK_RULE,
        },
        starts_on={"reinstatement_requested"},
        stops_on={"reinstatement_agreed", "reinstatement_declined"},
    )
]


# -- surrender (services/surrender.py) ------------------------------------------------------------


class SurrenderStatus(models.TextChoices):
    REFUND_DUE = "refund_due", "Refund due"  # the contract has ended; we owe the amount
    REFUNDED = "refunded", "Refunded"  # paid, and the policyholder told the amount
    NOTHING_DUE = "nothing_due", "Nothing due"  # the policy had no value on the day


SURRENDER_TRANSITIONS: dict[str, set[str]] = {
    SurrenderStatus.REFUND_DUE: {SurrenderStatus.REFUNDED, SurrenderStatus.NOTHING_DUE},
    SurrenderStatus.REFUNDED: set(),
    SurrenderStatus.NOTHING_DUE: set(),
}
SURRENDER_CLOSED = {SurrenderStatus.REFUNDED, SurrenderStatus.NOTHING_DUE}
# The refund clock: CN-14 (IL Art. 47) in China; elsewhere the insurer's own standard SVC-15.
SURRENDER_CLOCKS = [
    ClockSpec(
        "refund",
        "Refund the surrender value",
        rules={"CN": "CN-14", "GB": "SVC-15", "US-CA": "SVC-15"},
        starts_on={"opened"},
        stops_on={"refunded", "nothing_due"},
    )
]


# -- regular visits (services in visiting.py) ----------------------------------------------------


class VisitPurpose(models.TextChoices):
    WELCOME = "welcome", "Welcome and delivery"  # a new policy, explained while it can be undone
    REVIEW = "review", "Annual review"  # each policy anniversary of a multi-year policy
    RENEWAL = "renewal", "Before renewal"  # ahead of the end of the policy's term
    CARE = "care", "Care after a claim"  # a claim on the policy was closed
    AFTER_COMPLAINT = "after_complaint", "After a complaint"  # a complaint was resolved
    REQUESTED = "requested", "Requested by the customer"  # the customer asked for a visit


class VisitStatus(models.TextChoices):
    PLANNED = "planned", "Planned"  # due: the agent arranges a time with the customer
    PROPOSED = "proposed", "Time proposed"  # the customer proposed a time: the agent confirms
    SCHEDULED = "scheduled", "Scheduled"  # time, channel and place agreed with the customer
    COMPLETED = "completed", "Completed"  # it took place; outcome and needs recorded
    NOT_REACHED = "not_reached", "Not reached"  # no contact after repeated attempts
    DECLINED = "declined", "Declined"  # the customer did not want the visit
    CANCELLED = "cancelled", "Cancelled"  # no longer needed: the policy ended before it


VS = VisitStatus
_ENDINGS = {VS.COMPLETED, VS.NOT_REACHED, VS.DECLINED, VS.CANCELLED}
# A self-transition (proposed -> proposed, scheduled -> scheduled) is a new proposal or a moved
# appointment: it goes through the same compare-and-set and writes its own event.
VISIT_TRANSITIONS: dict[str, set[str]] = {
    VS.PLANNED: {VS.PROPOSED, VS.SCHEDULED, *_ENDINGS},
    VS.PROPOSED: {VS.PROPOSED, VS.SCHEDULED, VS.PLANNED, *_ENDINGS},
    VS.SCHEDULED: {VS.PROPOSED, VS.SCHEDULED, VS.PLANNED, *_ENDINGS},
    VS.COMPLETED: set(),
    VS.NOT_REACHED: set(),
    VS.DECLINED: set(),
    VS.CANCELLED: set(),
}
VISIT_CLOSED_STATUSES = set(_ENDINGS)
VISIT_OPEN_STATUSES = [s for s in VS.values if s not in VISIT_CLOSED_STATUSES]


class VisitChannel(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone call"
    VIDEO = "video", "Video call"


class VisitOutcome(models.TextChoices):
    COMPLETED = "completed", "Completed"  # the visit took place
    UNREACHABLE = "unreachable", "Customer unreachable"  # an attempt that found no one
    DECLINED = "declined", "Declined by the customer"
    RESCHEDULED = "rescheduled", "Rescheduled"  # moved to another time at the customer's wish


class VisitNeed(models.TextChoices):
    COVER_GAP = "cover_gap", "Cover gap"  # the cover no longer fits the customer's life
    ADDRESS_CHANGE = "address_change", "Change of address or contact details"
    BENEFICIARY_CHANGE = "beneficiary_change", "Change of beneficiary"
    QUOTE = "quote", "Wants a quote"
    COMPLAINT = "complaint", "Wants to complain"
    EXPLAIN_AGAIN = "explain_again", "Clauses or cooling-off to explain again"
    OTHER = "other", "Other"


class FollowUpAction(models.TextChoices):
    CONSULTATION = "consultation", "Consultation on the policy"  # answered in writing by an agent
    COMPLAINT = "complaint", "Complaint"  # recorded for the complaint handlers (channel: visit)
    TASK = "task", "Task for the agent"  # an internal to-do with a due date
