"""Periodic work of policies, run by `insuredesk worker`: premium reminders (SVC-11), premium
demand notices and suspension for arrears (CN-15, IL Art. 36), termination of policies not
reinstated in time (CN-16, IL Art. 37), the regular visit plan (SVC-03) and the day-before
reminders of scheduled visits."""

from insuredesk.policies.services import sweep_premiums
from insuredesk.policies.visiting import plan_visits, send_visit_reminders

# (name, function(*, now)) pairs the worker's sweep calls every pass; each is idempotent.
PERIODIC_JOBS = [
    ("premiums", sweep_premiums),
    ("visit_plan", plan_visits),
    ("visit_reminders", send_visit_reminders),
]
