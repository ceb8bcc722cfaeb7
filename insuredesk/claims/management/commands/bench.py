"""`insuredesk bench <subject>`: run one app's benchmark and print its numbers.

Each subject is a module `insuredesk.<subject>.benchmarks` with
`run(*, stdout, stderr, options: dict) -> dict` (it prints its own summary; the dict is what
`--json` prints as the last line). To add a subject, write that module: nothing here changes.
App-specific knobs travel as `--set key=value` (repeatable) in `options["set"]`.
"""

import json
from importlib import import_module

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run a benchmark by subject: `bench claims` (insuredesk.<subject>.benchmarks)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("subject", help="Which benchmark, e.g. claims.")
        parser.add_argument("--policies", type=int, default=None, help="Policies to create.")
        parser.add_argument("--claims", type=int, default=None, help="Claims to run.")
        parser.add_argument("--json", action="store_true", help="Last line: one JSON object.")
        parser.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="A subject-specific option (repeatable).",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        subject = options["subject"]
        try:
            module = import_module(f"insuredesk.{subject}.benchmarks")
        except ModuleNotFoundError as exc:
            raise CommandError(
                f"No benchmark called {subject!r} (looked for insuredesk.{subject}.benchmarks)."
            ) from exc
        extra = {}
        for item in options["set"]:
            key, _, value = item.partition("=")
            extra[key] = value
        result = module.run(
            stdout=self.stdout, stderr=self.stderr, options={**options, "set": extra}
        )
        if options["json"]:
            self.stdout.write(json.dumps(result))
