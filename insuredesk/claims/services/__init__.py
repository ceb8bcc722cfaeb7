"""Every write to claims: one keyword-only function per business operation.

Each top-level service runs in `transaction.atomic(durable=True)`, changes status only through
casework transitions, and issues its letters and outbox messages inside the same transaction
(delivery happens after the commit).
"""

from insuredesk.claims.services.assessment import assess_loss
from insuredesk.claims.services.disputes import decide_dispute, open_dispute, record_hearing
from insuredesk.claims.services.documents import request_missing_documents, upload_claim_document
from insuredesk.claims.services.fast_track import fast_track_checks, fast_track_claim
from insuredesk.claims.services.negotiation import accept_offer, counter_offer, make_offer
from insuredesk.claims.services.payments import (
    approve_payment,
    flag_advance_payments,
    issue_payment_advice,
    order_payment,
)
from insuredesk.claims.services.progress import send_limitation_warnings, send_progress_updates
from insuredesk.claims.services.refusal import refusal_warnings, refuse_claim
from insuredesk.claims.services.reporting import (
    close_claim,
    report_claim,
    send_delay_notice,
    send_due_delay_notices,
    withdraw_claim,
)
from insuredesk.claims.services.survey import dispatch_surveyor, file_survey_report, pick_surveyor

__all__ = [
    "accept_offer",
    "approve_payment",
    "assess_loss",
    "close_claim",
    "counter_offer",
    "decide_dispute",
    "dispatch_surveyor",
    "fast_track_checks",
    "fast_track_claim",
    "file_survey_report",
    "flag_advance_payments",
    "issue_payment_advice",
    "make_offer",
    "open_dispute",
    "order_payment",
    "pick_surveyor",
    "record_hearing",
    "refusal_warnings",
    "refuse_claim",
    "report_claim",
    "request_missing_documents",
    "send_delay_notice",
    "send_due_delay_notices",
    "send_limitation_warnings",
    "send_progress_updates",
    "upload_claim_document",
    "withdraw_claim",
]
