"""Every write to complaints, one function per business operation (see each module).

Other apps call: `submit_complaint` (e.g. a claims page offering "complain about this claim").
"""

from insuredesk.complaints.services.handling import (
    RuleRefused,
    approve_extension,
    assign_complaint,
    classify_complaint,
    find_assignee,
    finish_appraisal,
    mark_complex,
    rate_complaint,
    record_root_cause,
    refuse_extension,
    request_extension,
    resolve_complaint,
    respond_to_complaint,
    send_holding_letter,
    start_appraisal,
)
from insuredesk.complaints.services.intake import (
    NewAttachment,
    acknowledge_complaint,
    add_attachment,
    held_documents,
    request_documents,
    submit_complaint,
    withdraw_complaint,
)
from insuredesk.complaints.services.plans import (
    TooEarly,
    add_measure,
    create_plan,
    update_measure,
    verify_plan,
)

__all__ = [
    "NewAttachment",
    "RuleRefused",
    "TooEarly",
    "acknowledge_complaint",
    "add_attachment",
    "add_measure",
    "approve_extension",
    "assign_complaint",
    "classify_complaint",
    "create_plan",
    "find_assignee",
    "finish_appraisal",
    "held_documents",
    "mark_complex",
    "rate_complaint",
    "record_root_cause",
    "refuse_extension",
    "request_documents",
    "request_extension",
    "resolve_complaint",
    "respond_to_complaint",
    "send_holding_letter",
    "start_appraisal",
    "submit_complaint",
    "update_measure",
    "verify_plan",
    "withdraw_complaint",
]
