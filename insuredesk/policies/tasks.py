"""Periodic work of policies, run by `insuredesk worker`."""

from insuredesk.policies.visiting import plan_visits, send_visit_reminders

# (name, function(*, now)) pairs the worker's sweep calls every pass; each is idempotent:
# the visit plan (SVC-03) and the day-before reminders of scheduled visits.
PERIODIC_JOBS = [("visit_plan", plan_visits), ("visit_reminders", send_visit_reminders)]
