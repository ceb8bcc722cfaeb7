"""`insuredesk worker`: run background tasks and the periodic sweep in one process.

Two loops share the process:

1. the task loop (django-tasks-db's `db_worker` Worker, in the main thread) runs queued tasks —
   outbox deliveries and whatever other apps enqueue;
2. the sweep loop (a thread) wakes every `--sweep-interval` seconds and
   a. repairs the outbox (`notifications.services.sweep_outbox`): messages whose worker died
      mid-send after the lease, and due pending/failed messages with no task queued;
   b. runs every app's periodic jobs: the `PERIODIC_JOBS` list of `insuredesk.<app>.tasks`,
      each `(name, function(*, now) -> dict | int)` — case clocks' due-soon and breach alerts,
      claims' advance-payment flags and delay letters, lecture reminders, overdue improvement
      measures. Discovered, not imported by name, so no app depends on the worker's list.

SIGINT/SIGTERM stop both cleanly: the task loop finishes the task in hand (a second signal
aborts it), the sweep loop finishes its current pass, and connections are closed. With a task
backend other than the database one (e.g. ImmediateBackend, where tasks run inline), only the
sweep loop runs.
"""

import logging
import os
import signal
import threading
from collections.abc import Callable
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connections
from django.utils import timezone

from insuredesk.notifications.services import sweep_outbox, worker_name

logger = logging.getLogger("insuredesk.worker")


def periodic_jobs() -> list[tuple[str, Callable]]:
    """The outbox repair, then each installed app's PERIODIC_JOBS, in INSTALLED_APPS order."""
    jobs: list[tuple[str, Callable]] = [("outbox", sweep_outbox)]
    for app_config in apps.get_app_configs():
        if not app_config.name.startswith("insuredesk."):
            continue
        module_name = f"{app_config.name}.tasks"
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        jobs += list(getattr(module, "PERIODIC_JOBS", []))
    return jobs


def sweep_once(now=None) -> dict[str, dict]:
    """One pass of every periodic job; a job that fails is logged and the others still run."""
    now = now or timezone.now()
    results: dict[str, dict] = {}
    for name, job in periodic_jobs():
        try:
            outcome = job(now=now)
            results[name] = outcome if isinstance(outcome, dict) else {"done": outcome or 0}
        except Exception:
            logger.exception("Periodic sweep %s failed; it runs again next time", name)
            results[name] = {"error": 1}
    return results


class SweepLoop(threading.Thread):
    """Calls `sweep_once` every `interval` seconds until `stop` is set."""

    def __init__(self, interval: float, stop: threading.Event) -> None:
        super().__init__(name="insuredesk-sweep", daemon=True)
        self.interval = interval
        self.stop = stop

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                close_old_connections()
                results = sweep_once()
                busy = {k: v for k, v in results.items() if any(v.values())}
                if busy:
                    logger.info("Sweep: %s", busy)
                self.stop.wait(self.interval)
        finally:
            connections.close_all()


class Command(BaseCommand):
    help = "Run background tasks and the periodic sweep (outbox repair, clock alerts)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--sweep-interval",
            type=float,
            default=float(os.environ.get("WORKER_SWEEP_SECONDS", "30")),
            help="Seconds between sweeps (default 30, env WORKER_SWEEP_SECONDS).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait for a task when the queue is empty (default 1).",
        )
        parser.add_argument("--queue-name", default="*", help="Queues to run, comma-separated.")
        parser.add_argument(
            "--once",
            action="store_true",
            help="Sweep once, run every queued task, then exit (cron, tests, debugging).",
        )
        parser.add_argument("--no-sweep", action="store_true", help="Run tasks only.")

    def handle(self, *args, sweep_interval, interval, queue_name, once, no_sweep, **options):
        task_worker = self._task_worker(queue_name=queue_name, interval=interval, batch=once)
        if once:
            if not no_sweep:
                self.stdout.write(f"sweep: {sweep_once()}")
            if task_worker is not None:
                task_worker.run()
            return

        stop = threading.Event()
        sweeper = None if no_sweep else SweepLoop(sweep_interval, stop)
        if sweeper is not None:
            sweeper.start()
        logger.info(
            "Worker %s: tasks %s, sweep every %ss",
            worker_name(),
            "on" if task_worker else "inline (not a database backend)",
            sweep_interval if sweeper else "—",
        )
        try:
            if task_worker is not None:
                # Its handlers finish the running task on the first signal and exit (SystemExit)
                # while idle; a second signal aborts the task.
                task_worker.configure_signals()
                task_worker.run()
            else:
                self._wait_for_signal(stop)
        finally:
            stop.set()
            if sweeper is not None:
                sweeper.join(timeout=max(sweep_interval, 30))
            connections.close_all()
            logger.info("Worker stopped")

    @staticmethod
    def _task_worker(*, queue_name: str, interval: float, batch: bool):
        from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.management.commands.db_worker import Worker

        if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
            return None
        queues = [q.strip() for q in queue_name.split(",") if q.strip()] or ["*"]
        return Worker(
            queue_names=queues,
            interval=interval,
            batch=batch,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=not batch,
            max_tasks=None,
            worker_id=worker_name()[:64],
            excluded_queue_names=[],
        )

    @staticmethod
    def _wait_for_signal(stop: threading.Event) -> None:
        def on_signal(signum, frame):
            stop.set()

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        while not stop.wait(1):
            pass
