"""Background tasks of the consultation app: idempotent, they load fresh rows themselves."""

from django.utils import timezone
from django_tasks import task

from insuredesk.consultation import knowledge, services


@task()
def send_lecture_reminders() -> int:
    """The day-before reminder sweep; run it periodically (each reminder goes out once)."""
    return services.send_lecture_reminders(now=timezone.now())


@task()
def refresh_answer_index(article_ids: list[int]) -> None:
    """Bring changed articles into this worker's answer index and save it for the others."""
    knowledge.refresh(article_ids=article_ids)


# Run by the worker's sweep: the day-before reminder of each lecture seat, once.
PERIODIC_JOBS = [("lecture_reminders", services.send_lecture_reminders)]
