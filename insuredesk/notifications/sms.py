"""SMS gateways behind one small interface; settings.INSUREDESK["SMS_BACKEND"] picks one.

A backend is a class with `send(*, to, body, reference) -> None` that raises on failure.
`reference` is the outbox message's public id: gateways that accept a client reference can use
it to drop a duplicate if the worker ever sends the same message twice.
"""

import logging
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("insuredesk.sms")

# What MemoryBackend sent, for tests: dicts with to, body, reference.
outbox: list[dict[str, str]] = []


class LogBackend:
    """The default: writes the SMS to the log instead of sending it."""

    def send(self, *, to: str, body: str, reference: str) -> None:
        logger.info("SMS to %s (ref %s): %s", to, reference, body)


class MemoryBackend:
    """Keeps sent SMS in `insuredesk.notifications.sms.outbox` (tests, demos)."""

    def send(self, *, to: str, body: str, reference: str) -> None:
        outbox.append({"to": to, "body": body, "reference": reference})


@cache
def _backend_class(path: str) -> type:
    return import_string(path)


def get_backend():
    path = settings.INSUREDESK.get("SMS_BACKEND") or "insuredesk.notifications.sms.LogBackend"
    return _backend_class(path)()
