"""Periodic work of sales, run by `insuredesk worker`."""

from insuredesk.sales.services import expire_offers

# (name, function(*, now)) pairs the worker's sweep calls every pass; each is idempotent.
PERIODIC_JOBS = [("offers", expire_offers)]
