"""`insuredesk serve`: the web server (gunicorn) and the task worker, stopped by one Ctrl-C."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

DEMO_LOGINS = (
    "alice, mallory (customers) · dave (agent) · ursula (underwriter) · bob (claims handler) · "
    "sam (surveyor) · erin (complaint handler) · carol (supervisor) · admin — password: demo"
)


class Command(BaseCommand):
    help = "Serve the web application and run the background worker until interrupted."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument(
            "--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )
        parser.add_argument("--no-worker", action="store_true", help="Serve pages only.")

    def handle(self, *args, port: int, host: str, web_workers: int, no_worker: bool, **options):
        python = sys.executable
        manage = [python, "-m", "insuredesk"]
        children = [
            subprocess.Popen(
                [
                    python,
                    "-m",
                    "gunicorn",
                    "insuredesk.wsgi:application",
                    "--bind",
                    f"{host}:{port}",
                    "--workers",
                    str(web_workers),
                    "--threads",
                    "4",
                    "--access-logfile",
                    "-",
                    "--graceful-timeout",
                    "5",
                ]
            )
        ]
        if not no_worker:
            children.append(subprocess.Popen([*manage, "worker"]))
        url = f"http://{host}:{port}"
        self.stdout.write(
            self.style.SUCCESS(
                f"\n  {settings.INSUREDESK['INSURER_NAME']} service desk on {url}\n"
                f"    portal   {url}/portal/\n    console  {url}/console/\n"
                f"    admin    {url}/admin/\n    API docs {url}/api/v1/docs\n"
                f"  Demo logins: {DEMO_LOGINS}\n  Ctrl-C stops the server and the worker.\n"
            )
        )
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.5)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        failed = [c for c in children if c.returncode not in (0, -signal.SIGTERM, None)]
        if failed and not stopping:
            raise SystemExit("A child process stopped unexpectedly; see its output above.")
