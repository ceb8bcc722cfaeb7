"""Every write to risk planning: one keyword-only function per business operation.

Each runs in `transaction.atomic(durable=True)`; proposals change status only through casework
transitions, and their letters and outbox messages are written in the same transaction
(delivered after the commit).
"""

from insuredesk.planning.services.assessments import (
    ASSESSING_ROLES,
    assess_risks,
    change_budget,
    typed_answers,
)
from insuredesk.planning.services.proposals import (
    APPROVING_ROLES,
    DRAFTING_ROLES,
    accept_proposal,
    approve_proposal,
    decline_proposal,
    draft_proposal,
    expire_proposals,
    letter_context,
    request_proposal,
    return_proposal,
    withdraw_proposal,
)

__all__ = [
    "APPROVING_ROLES",
    "ASSESSING_ROLES",
    "DRAFTING_ROLES",
    "accept_proposal",
    "approve_proposal",
    "assess_risks",
    "change_budget",
    "decline_proposal",
    "draft_proposal",
    "expire_proposals",
    "letter_context",
    "request_proposal",
    "return_proposal",
    "typed_answers",
    "withdraw_proposal",
]
