"""Periodic work of risk planning, run by `insuredesk worker`."""

from insuredesk.planning.services import expire_proposals

# (name, function(*, now)) pairs the worker's sweep calls every pass; each is idempotent.
PERIODIC_JOBS = [("proposals", expire_proposals)]
