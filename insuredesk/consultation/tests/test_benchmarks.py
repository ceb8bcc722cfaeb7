"""The `answers` benchmark wrapper: options in, table out, the JSON line's keys."""

import importlib.util
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from insuredesk.consultation import benchmarks
from insuredesk.consultation.engine import insuranceqa

FIGURES = {
    "top1": 0.5,
    "mrr": 0.6,
    "recall_at_1": 0.4,
    "recall_at_5": 0.7,
    "p50_ms": 20.0,
    "p95_ms": 40.0,
    "questions": 3,
}


def _fake(calls):
    def run_benchmark(**kwargs):
        calls.append(kwargs)
        return {
            **FIGURES,
            "baseline": dict(FIGURES),
            "lang": kwargs["lang"],
            "split": kwargs["split"],
            "model": "packaged",
        }

    return run_benchmark


def test_bench_answers_passes_its_options_and_ends_with_the_json_line(monkeypatch, db):
    calls: list = []
    monkeypatch.setattr(insuranceqa, "run_benchmark", _fake(calls))
    out = io.StringIO()
    call_command(
        "bench",
        "answers",
        "--lang",
        "zh",
        "--split",
        "test",
        "--limit",
        "3",
        "--json",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert calls[0]["lang"] == "zh" and calls[0]["limit"] == 3 and calls[0]["train"] is False
    last = json.loads(out.getvalue().strip().splitlines()[-1])
    assert set(benchmarks.KEYS) | {"baseline"} <= set(last)
    assert set(last["baseline"]) == set(benchmarks.KEYS)
    assert "top-1 (pool)" in out.getvalue()


def test_the_standalone_entry_point_takes_the_flags(monkeypatch, capsys):
    calls: list = []
    monkeypatch.setattr(insuranceqa, "run_benchmark", _fake(calls))
    benchmarks.main(["--lang", "en", "--split", "test", "--limit", "3", "--json"])
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert last["questions"] == 3 and calls[0]["split"] == "test"


@pytest.mark.skipif(
    importlib.util.find_spec("torch") is not None, reason="the train extra is installed here"
)
def test_bench_answers_train_goes_through_kb_train_and_names_the_missing_extra(
    monkeypatch, db, tmp_path
):
    calls: list = []
    monkeypatch.setattr(insuranceqa, "run_benchmark", _fake(calls))
    with pytest.raises(CommandError, match=r"pip install 'insuredesk\[train\]'"):
        call_command(
            "bench",
            "answers",
            "--train",
            "--cache-dir",
            str(tmp_path),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert calls == []  # nothing measured with a model that was never trained
    assert list(tmp_path.iterdir()) == []  # and nothing fetched before the extra was checked
