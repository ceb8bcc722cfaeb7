"""Background tasks of complaints: idempotent, safe to run as often as the worker likes."""

from django.utils import timezone
from django_tasks import task

from insuredesk.complaints.services.plans import remind_overdue_measures


@task()
def remind_owners_of_overdue_measures() -> int:
    """Message each owner once about each improvement measure past its due date."""
    return remind_overdue_measures(now=timezone.now())


# Run by the worker's sweep: owners hear once about each measure past its due date.
PERIODIC_JOBS = [("improvement_measures", remind_overdue_measures)]
