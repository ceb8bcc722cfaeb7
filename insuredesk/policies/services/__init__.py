"""Every write to policies, by topic: issuing (`issuing`), premiums after issue (`premiums`),
cancellation in the cooling-off period (`cooling_off`); status moves in `transitions`.

Each function is one business operation, keyword-only, with an explicit `actor` and `now`.
Statuses move by compare-and-set (`UPDATE … WHERE status = expected`), so two people (or a
person and the nightly job) cannot both move the same policy.

The names below are the package's public face: callers import them from
`insuredesk.policies.services`, whichever module holds them.
"""

from insuredesk.policies.services.cooling_off import (
    CoolingOff,
    cancel_in_cooling_off,
    cooling_off_period,
    open_cooling_off,
    statutory_cooling_off_rule,
)
from insuredesk.policies.services.issuing import (
    ISSUING_ROLES,
    MAX_DAYS_AHEAD,
    MAX_LOADING_PERCENT,
    NUMBER_PREFIX,
    PERSONAL_LINES,
    SERVICING_ROLES,
    PricedTerms,
    _next_number,
    add_months,
    add_years,
    issue_policy,
    premium_schedule,
    price_terms,
    write_policy,
)
from insuredesk.policies.services.premiums import (
    premium_paid,
    record_premium_payment,
    suspend_for_arrears,
    terminate_suspended_policy,
)
from insuredesk.policies.services.transitions import move_policy

__all__ = [
    "ISSUING_ROLES",
    "MAX_DAYS_AHEAD",
    "MAX_LOADING_PERCENT",
    "NUMBER_PREFIX",
    "PERSONAL_LINES",
    "SERVICING_ROLES",
    "CoolingOff",
    "PricedTerms",
    "_next_number",
    "add_months",
    "add_years",
    "cancel_in_cooling_off",
    "cooling_off_period",
    "issue_policy",
    "move_policy",
    "open_cooling_off",
    "premium_paid",
    "premium_schedule",
    "price_terms",
    "record_premium_payment",
    "statutory_cooling_off_rule",
    "suspend_for_arrears",
    "terminate_suspended_policy",
    "write_policy",
]
