"""`insuredesk bench answers`: the answer engine on InsuranceQA (Feng et al. 2015, V2).

    insuredesk bench answers --lang {en,zh} [--split valid|test] [--train] [--json] [--limit N]

Fetches `insuranceqa-data==1.0` from PyPI into a cache on first use (never committed), builds
(once per model) the index of all 27,413 answers, and measures, for the split, the engine and
plain BM25 side by side (engine/insuranceqa.py says what each figure means). `--train` first
fine-tunes on the train split through `insuredesk kb train --insuranceqa <lang>`.
Progress bars go to stderr; the summary table to stdout; with `--json` the last line printed
is one JSON object: top1, mrr, recall_at_1, recall_at_5, p50_ms, p95_ms, questions and
baseline (the same keys for BM25), plus lang, split, model (and index_build_s when built).

The bench command (`insuredesk/claims/management/commands/bench.py`) maps the subject `answers`
to this module: it declares the flags with `add_arguments`, calls `run(stdout=, stderr=,
options=)` and prints the returned dict as the JSON line. `python -m
insuredesk.consultation.benchmarks` takes the same flags without the command.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

SUBJECT = "answers"
HELP = "The answer engine on InsuranceQA: top-1, MRR, recall@1/@5, latency, vs BM25."
KEYS = ("top1", "mrr", "recall_at_1", "recall_at_5", "p50_ms", "p95_ms", "questions")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("en", "zh"), default="en")
    parser.add_argument("--split", choices=("valid", "test"), default="valid")
    parser.add_argument(
        "--train", action="store_true", help="fine-tune on the train split first (needs torch)"
    )
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions")
    parser.add_argument("--cache-dir", default=None, help="where the data set is kept")
    parser.add_argument("--model-dir", default=None, help="fine-tuned weights to measure")


def _option(options: Any, key: str, default: Any = None) -> Any:
    """A knob from parsed options, or from the bench command's `--set key=value` pairs."""
    if isinstance(options, dict):
        value = options.get(key)
        if value is None:
            value = (options.get("set") or {}).get(key)
    else:
        value = getattr(options, key, None)
    return default if value is None else value


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true", "yes", "on")


def run(options: Any = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> dict:
    """Run the benchmark; print progress (stderr) and the table (stdout); return the summary.

    `options` is a dict (the bench command's: `lang`, `split`, `train`, `limit`, `cache_dir`,
    `model_dir`, directly or under `set`) or an argparse namespace. The returned dict is the
    JSON line (`summary`); the bench command prints it last under `--json`.
    """
    from insuredesk.consultation.engine import insuranceqa

    options = options or {}
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    lang = str(_option(options, "lang", "en"))
    split = str(_option(options, "split", "valid"))
    if lang not in ("en", "zh"):
        raise ValueError("lang must be en or zh")
    if split not in ("valid", "test"):
        raise ValueError("split must be valid or test (train is for training)")
    limit = _option(options, "limit")
    limit = int(limit) if limit not in (None, "") else None
    if limit is not None and limit < 1:
        raise ValueError("limit must be at least 1")

    def log(line: str) -> None:
        err.write(line + "\n")
        err.flush()

    cache_dir = _option(options, "cache_dir")
    model_dir = _option(options, "model_dir")
    train = _flag(_option(options, "train", False))
    if train and _django_ready():
        model_dir = _train_with_kb_command(lang, cache_dir, err)
        train = False
    result = insuranceqa.run_benchmark(
        lang=lang,
        split=split,
        train=train,
        limit=limit,
        cache_dir=cache_dir,
        model_dir=model_dir,
        progress=True,  # tqdm writes its bars to stderr
        log=log,
    )
    out.write(insuranceqa.format_report(result) + "\n")
    out.flush()
    return summary(result)


def _django_ready() -> bool:
    from django.apps import apps

    return apps.ready


def _train_with_kb_command(lang: str, cache_dir: str | None, err: TextIO) -> str:
    """`insuredesk kb train --insuranceqa <lang>` into the cache; returns the model directory."""
    from django.core.management import call_command

    from insuredesk.consultation.engine import insuranceqa
    from insuredesk.consultation.engine.training import BENCHMARK_SETTINGS

    side = BENCHMARK_SETTINGS[lang]["side"]
    output = insuranceqa.cache_dir_or_default(cache_dir).expanduser() / f"model-{lang}-{side}"
    call_command(
        "kb",
        "train",
        insuranceqa=lang,
        insuranceqa_cache=cache_dir,
        output=str(output),
        stdout=err,
    )
    return str(output)


def summary(result: dict) -> dict:
    """The JSON line: the required keys first, the baseline with the same keys, then context."""
    line = {key: result[key] for key in KEYS}
    line["baseline"] = {key: result["baseline"][key] for key in KEYS}
    for extra in ("lang", "split", "model", "index_build_s"):
        if extra in result:
            line[extra] = result[extra]
    return line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="insuredesk bench answers", description=HELP)
    add_arguments(parser)
    args = parser.parse_args(argv)
    line = run(args)
    if args.json:
        print(json.dumps(line))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
