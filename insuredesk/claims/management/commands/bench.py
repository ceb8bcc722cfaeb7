"""`insuredesk bench <subject> [options]`: run one benchmark and print its numbers.

Subjects and the module that measures each:

    claims   insuredesk.claims.benchmarks        fast-track latency, report throughput
    answers  insuredesk.consultation.benchmarks  InsuranceQA accuracy and answer latency

A module provides `run(*, stdout, stderr, options: dict) -> dict` (it prints its own progress
and summary; the dict is the one JSON object printed as the last line under `--json`) and may
provide `add_arguments(parser)` for its own options.
"""

import json
from importlib import import_module

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

SUBJECTS = {
    "claims": "insuredesk.claims.benchmarks",
    "answers": "insuredesk.consultation.benchmarks",
}


def _claims_arguments(parser) -> None:
    parser.add_argument("--policies", type=int, default=None, help="Policies to create.")
    parser.add_argument("--claims", type=int, default=None, help="Claims to run.")
    parser.add_argument("--json", action="store_true", help="Last line: one JSON object.")


class Command(BaseCommand):
    help = "Run a benchmark: `bench claims` or `bench answers --lang en` (see --help of each)."

    def add_arguments(self, parser):
        subjects = parser.add_subparsers(dest="subject", required=True, metavar="SUBJECT")
        for subject, path in SUBJECTS.items():
            module = import_module(path)
            sub = subjects.add_parser(subject, help=(module.__doc__ or "").strip().split("\n")[0])
            sub.add_argument(
                "--set",
                action="append",
                default=[],
                metavar="KEY=VALUE",
                help="A subject-specific option (repeatable).",
            )
            if hasattr(module, "add_arguments"):
                module.add_arguments(sub)
            else:
                _claims_arguments(sub)

    def handle(self, *args, **options):
        subject = options["subject"]
        if subject not in SUBJECTS:
            raise CommandError(f"No benchmark called {subject!r}; try: {', '.join(SUBJECTS)}.")
        module = import_module(SUBJECTS[subject])
        # A benchmark measures the configured database as it is; bring its schema up to date.
        call_command("migrate", verbosity=0, interactive=False)
        extra = dict(item.partition("=")[::2] for item in options["set"])
        try:
            result = module.run(
                stdout=self.stdout, stderr=self.stderr, options={**options, "set": extra}
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options.get("json"):
            self.stdout.write(json.dumps(result))
