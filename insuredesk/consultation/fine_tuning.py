"""`insuredesk kb train`: fine-tune the answer engine on the insurer's own answered questions.

Examples (question → the passage that answers it):
1. every published article with a question: its question → the article;
2. every answered consultation whose answer cites a source and was not rated below 4: the
   question that led to it → each cited article or clause.
Only the question side of the model learns (`side="query"`, see engine/training.py), so the index
keeps its vectors. Each question is ranked against the passages some example accepted, not against
articles nobody has cited yet: a new article is unknown, not wrong. The weights go to
`knowledge.model_dir()` and are loaded from then on.
PyTorch comes with the `train` extra only; without it this raises RuntimeError with the
install line.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from insuredesk.consultation import knowledge
from insuredesk.consultation.choices import ArticleStatus, MessageKind, SourceRole
from insuredesk.consultation.models import ConsultationMessage, KnowledgeArticle


def examples() -> list:
    from insuredesk.consultation.engine.training import TrainingExample

    found = [
        TrainingExample(a.question, a.passage_id)
        for a in KnowledgeArticle.objects.filter(status=ArticleStatus.PUBLISHED).exclude(
            question=""
        )
    ]
    answers = (
        ConsultationMessage.objects.filter(kind=MessageKind.ANSWER)
        .exclude(rating__lt=4)
        .prefetch_related("sources")
        .select_related("consultation")
    )
    for answer in answers:
        question = (
            answer.consultation.messages.filter(kind=MessageKind.QUESTION, id__lt=answer.id)
            .order_by("-id")
            .first()
        )
        if question is None:
            continue
        for source in answer.sources.all():
            if source.role == SourceRole.CITED:
                found.append(TrainingExample(question.body, source.ref))
    return found


def default_output() -> Path:
    configured = settings.INSUREDESK.get("ANSWER_MODEL_DIR")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "answer-model"


def train(
    *,
    output: str | None = None,
    epochs: float = 1.0,
    minutes: float = 30.0,
    insuranceqa: str | None = None,
    insuranceqa_cache: str | None = None,
    log: Callable[[str], object] = print,
) -> Path:
    """Fine-tune and save; returns the model directory."""
    from insuredesk.consultation.engine import training

    training.require_train_extra()  # fail before any work when PyTorch is missing
    if insuranceqa:
        return training.train_for_benchmark(
            lang=insuranceqa, cache_dir=insuranceqa_cache, output_dir=output, log=log
        )
    index = knowledge.get_index()
    pairs = [e for e in examples() if e.answer_id in index]
    if not pairs:
        raise RuntimeError(
            "Nothing to train on yet: publish articles with questions, or answer consultations."
        )
    target = Path(output) if output else default_output()
    started = time.perf_counter()
    log(f"fine-tuning on {len(pairs)} question-answer pairs against {len(index)} passages")
    training.fine_tune(
        pairs,
        target,
        side="query",
        passage_ids=index.ids,
        passage_vectors=index.embeddings,
        epochs=epochs,
        negatives_accepted_only=True,
        time_budget_s=minutes * 60,
        log=log,
    )
    log(f"trained in {(time.perf_counter() - started) / 60:.1f} min")
    if output is None or target == default_output():
        knowledge.set_encoders(*_load(target))
    return target


def _load(target: Path):
    from insuredesk.consultation.engine.encoder import load_encoders

    return load_encoders(target)
