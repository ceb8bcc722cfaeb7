"""Periodic work of the case engine, run by `insuredesk worker`."""

from insuredesk.casework.services import sweep_clocks

# (name, function(*, now)) pairs the worker's sweep calls every pass; each is idempotent.
PERIODIC_JOBS = [("clocks", sweep_clocks)]
