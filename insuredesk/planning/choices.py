"""Kinds and statuses of risk planning, and the insurance proposal case kind's transitions.

A risk check (questionnaire, assessment and plan) is a record, not a case: nothing waits on
staff. A written insurance proposal is a case, because staff owe it by a deadline (SVC-22):

    requested ──► drafted ──(a supervisor approves: the letter goes out)──► issued
        ▲            │                                                        ├──► accepted
        └─(returned)─┘                                                        ├──► declined
    requested / drafted ──► withdrawn                                         └──► expired
"""

from django.db import models

from insuredesk.casework.registry import ClockSpec


class Area(models.TextChoices):
    """The parts of a customer's life the risk check asks about, in the order asked."""

    PERSONAL = "personal", "You and your family"
    HEALTH = "health", "Health and work"
    HOME = "home", "Your home"
    MOTOR = "motor", "Your car"
    BUSINESS = "business", "Your business"


class RiskCategory(models.TextChoices):
    LIFE = "life", "Life and income"  # the family's income if the earner dies
    HEALTH = "health", "Health"  # serious illness: treatment and income lost
    PROPERTY = "property", "Home and belongings"  # fire, flood, burglary
    MOTOR = "motor", "Motor"  # damage to the car and to others on the road
    BUSINESS = "business", "Business"  # premises, equipment and stock


class Treatment(models.TextChoices):
    """The four classic answers to a risk, in the order a risk manager considers them."""

    AVOID = "avoid", "Avoid"  # stop or move the activity: likely, and nothing can carry it
    REDUCE = "reduce", "Reduce and prevent"  # prevention measures first; small losses kept
    RETAIN = "retain", "Retain"  # a loss the customer's savings can bear: no premium worth it
    TRANSFER = "transfer", "Transfer by insurance"  # too large to bear: insure it


class FitStatus(models.TextChoices):
    """How a recommended cover fits the customer's annual budget for insurance."""

    FITS = "fits", "Fits the budget"  # the full sum insured, within what is left of the budget
    REDUCED = "reduced", "Reduced to fit"  # a lower sum insured fits; the rest stays uncovered
    OVER_BUDGET = "over_budget", "Beyond the budget"  # even the smallest cover would not fit
    UNAVAILABLE = "unavailable", "Not available"  # the product cannot cover it (age, limits)


class ProposalStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"  # waiting for an agent to draft it
    DRAFTED = "drafted", "Waiting for approval"  # drafted; a supervisor must approve it
    ISSUED = "issued", "Issued"  # approved and sent; waiting for the customer's answer
    ACCEPTED = "accepted", "Accepted"  # the customer chose an option and may apply for it
    DECLINED = "declined", "Declined"  # the customer does not want it
    EXPIRED = "expired", "Expired"  # not answered within its validity (SVC-22.valid)
    WITHDRAWN = "withdrawn", "Withdrawn"  # no longer wanted before it was issued


TRANSITIONS = {
    ProposalStatus.REQUESTED: {ProposalStatus.DRAFTED, ProposalStatus.WITHDRAWN},
    ProposalStatus.DRAFTED: {
        ProposalStatus.ISSUED,
        ProposalStatus.REQUESTED,  # returned by the supervisor for another draft
        ProposalStatus.WITHDRAWN,
    },
    ProposalStatus.ISSUED: {
        ProposalStatus.ACCEPTED,
        ProposalStatus.DECLINED,
        ProposalStatus.EXPIRED,
    },
    ProposalStatus.ACCEPTED: set(),
    ProposalStatus.DECLINED: set(),
    ProposalStatus.EXPIRED: set(),
    ProposalStatus.WITHDRAWN: set(),
}

# An issued proposal waits on the customer: it stays open (it can still be accepted) but is no
# longer staff's to work on.
OPEN_FOR_STAFF = {ProposalStatus.REQUESTED, ProposalStatus.DRAFTED}
CLOSED_STATUSES = {
    ProposalStatus.ACCEPTED,
    ProposalStatus.DECLINED,
    ProposalStatus.EXPIRED,
    ProposalStatus.WITHDRAWN,
}

# The delivery clock runs under the insurer's own standard SVC-22 (10 business days, U): from
# the request to the letter's issue. A return to drafting does not restart it: the customer is
# still waiting. Withdrawing ends it.
DELIVERY_CLOCK_RULE = "SVC-22"
VALIDITY_RULE = "SVC-22.valid"
CLOCKS = [
    ClockSpec(
        "deliver",
        "Deliver the written proposal",
        rules={"CN": DELIVERY_CLOCK_RULE, "GB": DELIVERY_CLOCK_RULE, "US-CA": DELIVERY_CLOCK_RULE},
        starts_on={"requested"},
        stops_on={"issued", "withdrawn"},
    )
]
