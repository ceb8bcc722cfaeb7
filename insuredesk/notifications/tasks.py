"""Background tasks of the outbox: they take ids, load fresh rows and are idempotent."""

from django.utils import timezone
from django_tasks import task

from insuredesk.notifications import services


@task()
def deliver_message(message_id: int) -> str:
    """Deliver one outbox message if it is still due; a repeat or late task does nothing."""
    return services.deliver_message(
        message_id=message_id, worker=services.worker_name(), now=timezone.now()
    )
