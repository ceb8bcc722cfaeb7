"""States shared by every case type."""

from django.db import models


class ClockState(models.TextChoices):
    RUNNING = "running", "Running"  # counting towards its deadline
    PAUSED = "paused", "Paused"  # stopped while waiting on the customer (CN-20)
    MET = "met", "Met"  # stopped before the deadline
    BREACHED = "breached", "Breached"  # the deadline passed while running, or stopped late
    CANCELLED = "cancelled", "Cancelled"  # no longer applies (case withdrawn, clock restarted)


OPEN_CLOCK_STATES = (ClockState.RUNNING, ClockState.PAUSED)
