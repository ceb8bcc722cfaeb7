"""Every write to policies, by topic: issuing (`issuing`); premiums after issue: the rules, where
a policy stands and paying (`premiums`), the worker's reminders, demand notices and suspension
(`arrears`), reinstatement and termination (`reinstatement`); cancellation in the cooling-off
period (`cooling_off`), surrender after it (`surrender`); status moves in `transitions`.

Each function is one business operation, keyword-only, with an explicit `actor` and `now`.
Statuses move by compare-and-set (`UPDATE … WHERE status = expected`), so two people (or a
person and the nightly job) cannot both move the same policy.

The names below are the package's public face: callers import them from
`insuredesk.policies.services`, whichever module holds them.
"""

from insuredesk.policies.services.arrears import (
    demand_premium,
    send_demand_notices,
    send_premium_reminders,
    suspend_for_arrears,
    suspend_unpaid_policies,
    sweep_premiums,
)
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
    MAX_REFERENCE,
    PAYMENT_ROLES,
    PremiumPosition,
    PremiumRules,
    arrears_on,
    grace_applies,
    last_day_of_grace,
    open_arrears,
    premium_paid,
    premium_position,
    premium_rules,
    record_premium_payment,
    reminder_lead_days,
)
from insuredesk.policies.services.reinstatement import (
    DECIDING_ROLES,
    apply_for_reinstatement,
    can_apply_for_reinstatement,
    decide_reinstatement,
    outstanding,
    reinstatement_deadline,
    terminate_suspended_policy,
    terminate_unreinstated_policies,
)
from insuredesk.policies.services.surrender import (
    REFUND_ROLES,
    SURRENDERABLE,
    cash_values,
    record_surrender_refund,
    request_surrender,
    surrender_quote,
    why_not_surrender,
)
from insuredesk.policies.services.transitions import move_policy

__all__ = [
    "DECIDING_ROLES",
    "ISSUING_ROLES",
    "MAX_DAYS_AHEAD",
    "MAX_LOADING_PERCENT",
    "MAX_REFERENCE",
    "NUMBER_PREFIX",
    "PAYMENT_ROLES",
    "PERSONAL_LINES",
    "REFUND_ROLES",
    "SERVICING_ROLES",
    "SURRENDERABLE",
    "CoolingOff",
    "PremiumPosition",
    "PremiumRules",
    "PricedTerms",
    "_next_number",
    "add_months",
    "add_years",
    "apply_for_reinstatement",
    "arrears_on",
    "can_apply_for_reinstatement",
    "cancel_in_cooling_off",
    "cash_values",
    "cooling_off_period",
    "decide_reinstatement",
    "demand_premium",
    "grace_applies",
    "issue_policy",
    "last_day_of_grace",
    "move_policy",
    "open_arrears",
    "open_cooling_off",
    "outstanding",
    "premium_paid",
    "premium_position",
    "premium_rules",
    "premium_schedule",
    "price_terms",
    "record_premium_payment",
    "record_surrender_refund",
    "reinstatement_deadline",
    "reminder_lead_days",
    "request_surrender",
    "send_demand_notices",
    "send_premium_reminders",
    "statutory_cooling_off_rule",
    "surrender_quote",
    "suspend_for_arrears",
    "suspend_unpaid_policies",
    "sweep_premiums",
    "terminate_suspended_policy",
    "terminate_unreinstated_policies",
    "why_not_surrender",
    "write_policy",
]
