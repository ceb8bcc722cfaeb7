"""Statuses of claims and claim disputes, their transitions, and the clocks they run.

Every deadline named here comes from the case's jurisdiction profile (insuredesk/rules/profiles);
a jurisdiction without the rule runs no such clock (GB sets no claim decision period: GB-04).
"""

from django.db import models

from insuredesk.casework.registry import ClockSpec


class ClaimStatus(models.TextChoices):
    REPORTED = "reported", "Reported"  # received; documents being gathered and checked
    AWAITING_DOCUMENTS = "awaiting_documents", "Awaiting documents"  # notice sent (CN-18/20)
    INVESTIGATING = "investigating", "Investigating"  # documents in; handler or surveyor at work
    ASSESSED = "assessed", "Loss assessed"  # covered; payable amount worked out (decision made)
    OFFERED = "offered", "Offer made"  # an offer is with the customer to accept or counter
    AGREED = "agreed", "Amount agreed"  # settlement agreement signed; payment clock running
    PAID = "paid", "Paid"  # the agreed amount has been paid in full
    REFUSED = "refused", "Refused"  # not covered; a written refusal notice goes out (CN-22)
    DISPUTED = "disputed", "Disputed"  # the customer contests a refusal or an offer
    CLOSED = "closed", "Closed"  # file closed
    WITHDRAWN = "withdrawn", "Withdrawn"  # the customer withdrew the claim


S = ClaimStatus
TRANSITIONS: dict[str, set[str]] = {
    S.REPORTED: {S.AWAITING_DOCUMENTS, S.INVESTIGATING, S.ASSESSED, S.REFUSED, S.WITHDRAWN},
    S.AWAITING_DOCUMENTS: {S.INVESTIGATING, S.REFUSED, S.WITHDRAWN},
    S.INVESTIGATING: {S.AWAITING_DOCUMENTS, S.ASSESSED, S.REFUSED, S.WITHDRAWN},
    S.ASSESSED: {S.OFFERED, S.INVESTIGATING, S.REFUSED, S.WITHDRAWN},
    S.OFFERED: {S.AGREED, S.ASSESSED, S.DISPUTED, S.REFUSED, S.WITHDRAWN},
    S.AGREED: {S.PAID},
    S.PAID: {S.CLOSED, S.DISPUTED},
    S.REFUSED: {S.DISPUTED, S.CLOSED},
    S.DISPUTED: {S.INVESTIGATING, S.OFFERED, S.REFUSED, S.PAID, S.CLOSED},
    S.CLOSED: {S.DISPUTED},
}
CLOSED_STATUSES = {S.CLOSED, S.WITHDRAWN}
# Decided or ended: the customer owes us no more documents, so none are listed as still needed.
DOCUMENTS_SETTLED = {S.REFUSED, S.PAID, S.CLOSED, S.WITHDRAWN}
# Statuses in which the customer may contest: an offer, a refusal, a payment, a closed claim.
DISPUTABLE = {S.OFFERED, S.REFUSED, S.PAID, S.CLOSED}

# Event kinds that mean "the claim has been decided" (accepted with an amount, or refused).
DECIDED = {"assessed", "refused", "withdrawn"}

CLOCKS = [
    # CN-19 / CN-20 (IL Art. 23, JI-II Art. 15): decide within 30 days of receiving the claim;
    # paused from the missing-documents notice until the supplement arrives.
    ClockSpec(
        "decision",
        "Decide the claim",
        rules={"CN": "CN-19"},
        starts_on={"opened"},
        stops_on=DECIDED,
        pauses_on={"documents_requested"},
        resumes_on={"documents_received"},
    ),
    # CA-01 (10 CCR 2695.5(e)): acknowledge within 15 days of notice.
    ClockSpec(
        "acknowledgement",
        "Acknowledge the claim",
        rules={"US-CA": "CA-01"},
        starts_on={"opened"},
        stops_on={"acknowledged", "withdrawn"},
    ),
    # CA-05 (10 CCR 2695.7(b)): accept or deny within 40 days of proof of claim.
    ClockSpec(
        "decision_ca",
        "Accept or deny the claim",
        rules={"US-CA": "CA-05"},
        starts_on={"documents_completed"},
        stops_on=DECIDED,
    ),
    # CA-08 (10 CCR 2695.7(c)(1)): a written delay notice by day 40, then every 30 days.
    ClockSpec(
        "delay_notice",
        "Send a delay notice",
        rules={"US-CA": "CA-08"},
        starts_on={"documents_completed"},
        stops_on={*DECIDED, "delay_notice_sent"},
    ),
    ClockSpec(
        "delay_notice_next",
        "Send the next delay notice",
        rules={"US-CA": "CA-08.every"},
        starts_on={"delay_notice_sent"},
        stops_on=DECIDED,
    ),
    # CN-23 (IL Art. 25): amount not fixed 60 days after claim and documents → pay in advance.
    ClockSpec(
        "advance_payment",
        "Fix the amount or pay the determinable part in advance",
        rules={"CN": "CN-23"},
        starts_on={"documents_completed"},
        stops_on={"agreed", "refused", "withdrawn", "advance_paid"},
    ),
    # CN-21 (IL Art. 23): pay within 10 days of agreement; CA-11 (2695.7(h)): within 30 days.
    ClockSpec(
        "payment",
        "Pay the agreed amount",
        rules={"CN": "CN-21", "US-CA": "CA-11"},
        starts_on={"agreed"},
        stops_on={"paid"},
    ),
    # CN-22 (IL Art. 24): written refusal notice with reasons within 3 days of the decision.
    ClockSpec(
        "refusal_notice",
        "Send the refusal notice",
        rules={"CN": "CN-22"},
        starts_on={"refused"},
        stops_on={"refusal_notice_sent"},
    ),
]


class DisputeStatus(models.TextChoices):
    OPEN = "open", "Open"  # the customer's contest is received and being looked at
    HEARING = "hearing", "In hearing"  # a hearing, mediation or proceedings are scheduled
    UPHELD = "upheld", "Upheld"  # the customer was right: reassessment and payment follow
    DISMISSED = "dismissed", "Dismissed"  # the decision stands; a reasons letter was sent
    WITHDRAWN = "withdrawn", "Withdrawn"  # the customer withdrew the contest


D = DisputeStatus
DISPUTE_TRANSITIONS: dict[str, set[str]] = {
    D.OPEN: {D.HEARING, D.UPHELD, D.DISMISSED, D.WITHDRAWN},
    D.HEARING: {D.UPHELD, D.DISMISSED, D.WITHDRAWN},
}
DISPUTE_CLOSED = {D.UPHELD, D.DISMISSED, D.WITHDRAWN}


class DisputeChannel(models.TextChoices):
    INTERNAL_REVIEW = "internal_review", "Internal review"  # the insurer reviews its decision
    COMPLAINT = "complaint", "Complaint"  # a complaint to the insurer
    MEDIATION = "mediation", "Mediation"  # an industry mediation body
    ARBITRATION = "arbitration", "Arbitration"  # by arbitration agreement
    LITIGATION = "litigation", "Litigation"  # a court
    REGULATOR = "regulator", "Regulator"  # NFRA / FCA-FOS / California Dept. of Insurance


class DocumentKind(models.TextChoices):
    REQUIRED = "required", "Required document"  # one of the catalogue's required documents
    OTHER = "other", "Other supporting document"  # anything else the customer adds
    SURVEY_PHOTO = "survey_photo", "Survey photo"  # taken by the surveyor
    EVIDENCE = "evidence", "Evidence"  # supporting a counter-offer or a dispute


class SurveyStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"  # appointment booked with the customer
    REPORTED = "reported", "Reported"  # the surveyor filed the report
    CANCELLED = "cancelled", "Cancelled"


class OfferStatus(models.TextChoices):
    OPEN = "open", "Open"  # with the customer
    ACCEPTED = "accepted", "Accepted"  # became the settlement agreement
    COUNTERED = "countered", "Countered"  # the customer asked for more, with reasons
    SUPERSEDED = "superseded", "Superseded"  # a revised offer replaced it
    WITHDRAWN = "withdrawn", "Withdrawn"  # the claim went another way


class PaymentKind(models.TextChoices):
    SETTLEMENT = "settlement", "Settlement"  # pays the agreed amount (or part of it)
    ADVANCE = "advance", "Advance payment"  # the determinable part before agreement (CN-23)


class PaymentStatus(models.TextChoices):
    PENDING = "pending", "Awaiting approval"  # ordered; needs an approval within authority
    PAID = "paid", "Paid"  # approved and executed exactly once
    CANCELLED = "cancelled", "Cancelled"


class RefusalGround(models.TextChoices):
    NOT_COVERED = "not_covered", "Loss not covered"  # outside the insured perils
    EXCLUSION = "exclusion", "Excluded by an exemption clause"  # IL Art. 17 evidence matters
    OUT_OF_TERM = "out_of_term", "Outside the period of cover"
    WAITING_PERIOD = "waiting_period", "Within the waiting period"
    NON_DISCLOSURE = "non_disclosure", "Non-disclosure"  # CN-06: rescind first
    BREACH_OF_CONDITION = "breach_of_condition", "Breach of a policy condition"  # GB-05 guard
    FRAUD = "fraud", "Fraudulent claim"


class ReportChannel(models.TextChoices):
    PORTAL = "portal", "Portal"
    API = "api", "API"
    PHONE = "phone", "Phone (recorded by staff)"
