"""Complaint statuses, transitions, clocks and the lists complaints are classified by.

Deadlines (shared/REGULATION.md):
- CN (CBIRC Order 2020 No. 3, "CM"): decide and inform within 15 days (CN-28), a complex
  complaint within 30 (CN-28.complex), a further 30 with a supervisor's recorded approval and a
  notice to the complainant (CN-28.extended), never beyond 60 (CN-28.max); time spent on an
  external appraisal does not count (the complainant is told).
- GB (FCA DISP): acknowledge at once (GB-07, DISP 1.6); resolved by close of the third business
  day -> summary resolution communication (GB-08, DISP 1.5); otherwise a final response within
  8 weeks, or a holding letter at 8 weeks (GB-09, GB-09.holding, DISP 1.6.2R).

The CN decision clock is re-timed by `complaints.clocks` when a complaint is marked complex or
its extension is approved, and paused by it for appraisals; see that module for why.
"""

from django.db import models

from insuredesk.casework.registry import CaseKind, ClockSpec

KIND = "complaint"


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", "Received"  # arrived; the acknowledgement goes out at once
    ACKNOWLEDGED = "acknowledged", "Acknowledged"  # written acknowledgement sent (GB-07)
    INVESTIGATING = "investigating", "Investigating"  # classified and assigned, being looked into
    APPRAISAL = "appraisal", "External appraisal"  # decision clock paused (CN-28), told
    RESPONDED = "responded", "Responded"  # decision notice / final response / SRC sent
    RESOLVED = "resolved", "Resolved"  # closed with its root cause recorded
    WITHDRAWN = "withdrawn", "Withdrawn"  # the complainant withdrew; closed that day (CN-34)


S = ComplaintStatus
TRANSITIONS: dict[str, set[str]] = {
    S.RECEIVED: {S.ACKNOWLEDGED, S.WITHDRAWN},
    S.ACKNOWLEDGED: {S.INVESTIGATING, S.APPRAISAL, S.RESPONDED, S.WITHDRAWN},
    S.INVESTIGATING: {S.APPRAISAL, S.RESPONDED, S.WITHDRAWN},
    S.APPRAISAL: {S.INVESTIGATING, S.WITHDRAWN},
    S.RESPONDED: {S.RESOLVED},
}
CLOSED_STATUSES = {S.RESOLVED, S.WITHDRAWN}
OPEN_STATUSES = [s for s in S.values if s not in CLOSED_STATUSES]

# Event kinds that send the decisive letter; each stops the statutory clock.
RESPONSE_EVENTS = {"decision_notice_sent", "summary_resolution_sent", "final_response_sent"}

CLOCKS = [
    # CN-28: re-timed to CN-28.complex / CN-28.extended and paused for appraisals by
    # complaints.clocks (the pauses live on the clock row, as the casework engine keeps them).
    ClockSpec(
        "decide",
        "Decide and inform the complainant",
        rules={"CN": "CN-28"},
        starts_on={"received"},
        stops_on={*RESPONSE_EVENTS, "withdrawn"},
    ),
    # GB-09: a final response, or at 8 weeks a holding letter (GB-09.holding) meets it.
    ClockSpec(
        "final_response",
        "Final response or holding letter",
        rules={"GB": "GB-09"},
        starts_on={"received"},
        stops_on={*RESPONSE_EVENTS, "holding_letter_sent", "withdrawn"},
    ),
]


def case_kind() -> CaseKind:
    return CaseKind(
        kind=KIND,
        prefix="CMP",
        label="Complaint",
        initial_status=S.RECEIVED,
        transitions=TRANSITIONS,
        closed_statuses=CLOSED_STATUSES,
        clocks=CLOCKS,
        status_labels=dict(ComplaintStatus.choices),
        console_url="console:complaint-detail",
        portal_url="portal:complaint-detail",
    )


class Channel(models.TextChoices):
    PORTAL = "portal", "Customer portal"  # the complainant typed it in
    API = "api", "API"  # a partner system or app sent it
    PHONE = "phone", "Phone call"  # staff recorded a call
    LETTER = "letter", "Letter"  # staff recorded a letter
    VISIT = "visit", "Visit"  # staff recorded a visit to a branch
    REGULATOR = "regulator", "Forwarded by the regulator"  # e.g. from the NFRA or the FCA


STAFF_CHANNELS = {Channel.PHONE, Channel.LETTER, Channel.VISIT, Channel.REGULATOR}


class ComplainantRole(models.TextChoices):
    CUSTOMER = "customer", "The customer"  # complains for themselves
    PROXY = "proxy", "A proxy with written authority"  # authority evidence required
    HEIR = "heir", "An heir or estate representative"  # authority evidence required


class ServiceStage(models.TextChoices):
    PRE_SALE = "pre_sale", "Pre-sale"  # information, consultation, clause explanation
    SALE = "sale", "Sale"  # application, underwriting, issuance
    AFTER_SALE = "after_sale", "After-sale"  # premiums, visits, changes, inquiries
    CLAIMS = "claims", "Claims"  # reporting to payment or refusal


class Priority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"  # vulnerable complainant, media or regulator interest
    URGENT = "urgent", "Urgent"  # ongoing harm, e.g. treatment waiting on a payment


class Outcome(models.TextChoices):
    UPHELD = "upheld", "Upheld, with redress"  # we were wrong and put it right
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"  # some points upheld, redress for those
    REDRESS_WITHOUT_ADMISSION = (
        "redress_without_admission",
        "Redress offered without admitting fault",  # GB-09 (DISP 1.6.2R)
    )
    REJECTED = "rejected", "Rejected, with reasons"  # reasons are required
    RESOLVED_SUMMARY = "resolved_summary", "Resolved by the third business day"  # GB-08


REDRESS_OUTCOMES = {Outcome.UPHELD, Outcome.PARTLY_UPHELD, Outcome.REDRESS_WITHOUT_ADMISSION}


class ResponseKind(models.TextChoices):
    DECISION_NOTICE = "decision_notice", "Decision notice"  # CN-28, CN-31
    SUMMARY_RESOLUTION = "summary_resolution", "Summary resolution communication"  # GB-08
    FINAL_RESPONSE = "final_response", "Final response"  # GB-09


class RootCauseCategory(models.TextChoices):
    UNCLEAR_TERM = "unclear_term", "Unclear or unfair contract term"
    EXEMPTION_NOT_EXPLAINED = "exemption_not_explained", "Exemption clause not explained"
    PRODUCT_DESIGN = "product_design", "Product design"
    SERVICE_DELAY = "service_delay", "Service delay"
    STAFF_CONDUCT = "staff_conduct", "Staff conduct"
    PROCESS_ERROR = "process_error", "Process or system error"
    NO_FAULT = "no_fault", "No fault found"


class AttachmentKind(models.TextChoices):
    DOCUMENT = "document", "Document or photo"  # evidence the complainant sends
    AUDIO = "audio", "Audio recording"  # of a complaint meeting or call (CN-33)
    VIDEO = "video", "Video recording"  # of a complaint meeting (CN-33)
    AUTHORITY = "authority", "Proof of authority"  # power of attorney, heirship certificate


class HeldDocument(models.TextChoices):
    """Documents a handler might need; CN-34 forbids asking for those we already hold."""

    POLICY_CONTRACT = "policy_contract", "Policy contract"
    IDENTITY = "identity", "Proof of identity"
    AUTHORITY = "authority", "Proof of authority"
    CLAIM_FORM = "claim_form", "Claim form"
    MEDICAL_RECORDS = "medical_records", "Medical records"
    RECEIPTS = "receipts", "Receipts or invoices"
    BANK_DETAILS = "bank_details", "Bank details"
    CORRESPONDENCE = "correspondence", "Our letters to you"
    RECORDING = "recording", "Call or meeting recording"
    OTHER = "other", "Other document"


class ExtensionStatus(models.TextChoices):
    REQUESTED = "requested", "Awaiting a supervisor"  # the clock has not moved
    APPROVED = "approved", "Approved"  # the clock is re-timed, the complainant told
    REFUSED = "refused", "Refused"  # the deadline stands


class PlanStatus(models.TextChoices):
    OPEN = "open", "Open"  # measures being implemented
    VERIFIED_EFFECTIVE = "verified_effective", "Verified: it worked"
    VERIFIED_INEFFECTIVE = "verified_ineffective", "Verified: it did not work"


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"  # evidence of implementation recorded
    DROPPED = "dropped", "Dropped"  # no longer pursued, with a reason in the evidence


OPEN_MEASURE_STATUSES = [MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS]


class WaiverPosition(models.TextChoices):
    """Whether we object if the ombudsman's time limits have passed (GB-08, GB-09)."""

    CONSENT = "consent", "We consent to the ombudsman considering a late complaint"
    NO_CONSENT = "no_consent", "We do not consent to the ombudsman considering a late complaint"
    CASE_BY_CASE = "case_by_case", "We decide case by case"
