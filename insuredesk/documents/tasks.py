"""Periodic work of the documents app, run by `insuredesk worker`."""

from insuredesk.documents.orphans import sweep_orphan_files

# (name, function(*, now)) pairs the worker's sweep calls every pass; each is idempotent.
PERIODIC_JOBS = [("orphan_files", sweep_orphan_files)]
