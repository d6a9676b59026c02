"""`python -m embeddings.onnx_export [MODEL ...]`: export sentence-transformers models to ONNX.

The export needs torch; the bot then serves the export with ONNX Runtime and never imports torch.
An export is kept only if it reproduces the torch model's vectors on sample texts, so the two
backends can share one index. Covers the usual shape: a BERT-like transformer, mean or CLS pooling,
optional normalisation; anything else stays on torch.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

from embeddings.encoder import OnnxEncoder, SentenceTransformerEncoder, onnx_export_dir

MAX_DIFFERENCE = 1e-4  # the largest vector component difference accepted between torch and ONNX
PARITY_TEXTS = [
    "kak syarat magang jepang apa aja?",
    "What does SSW (ii) allow that SSW (i) does not?",
    "特定技能 tokutei ginou 介護",
    "biaya " * 400,  # longer than any model's maximum: truncation must match
    "a",
]
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class UnsupportedModel(Exception):
    pass


def describe(st_model) -> dict[str, object]:
    """What OnnxEncoder needs besides the graph: pooling, normalisation, lengths and padding."""
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling

    modules = list(st_model)
    pooling = next((m for m in modules if isinstance(m, Pooling)), None)
    if pooling is None or pooling.pooling_mode not in ("mean", "cls"):
        raise UnsupportedModel(f"pooling {getattr(pooling, 'pooling_mode', None)!r} is not mean or cls")
    if len(modules) != 2 + any(isinstance(m, Normalize) for m in modules):
        raise UnsupportedModel(f"modules {[type(m).__name__ for m in modules]} are not transformer, pooling, normalize")
    tokenizer = st_model.tokenizer
    if not getattr(tokenizer, "is_fast", False):
        raise UnsupportedModel("the tokenizer has no fast (Rust) version")
    return {"dimension": int(st_model.get_embedding_dimension()), "pooling": pooling.pooling_mode,
            "normalize": any(isinstance(m, Normalize) for m in modules),
            "max_seq_length": int(st_model.max_seq_length), "pad_id": int(tokenizer.pad_token_id),
            "pad_token": tokenizer.pad_token}


def export(model: str, target: Path | None = None) -> Path:
    """Export `model` (by default into its folder under models/onnx/), check it against torch, then move
    it into place in one rename, so a reader never sees half an export."""
    import torch

    target = target or onnx_export_dir(model)
    if target is None:
        raise UnsupportedModel(f"{model} is not a local folder")
    reference = SentenceTransformerEncoder(model)
    st_model = reference._model
    spec = {"model": model, **describe(st_model)}
    transformer = st_model[0].auto_model.eval()
    wanted = [name for name in INPUTS if name in st_model.tokenizer.model_input_names]

    class Graph(torch.nn.Module):  # positional inputs in, token embeddings out
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, *tensors):
            return self.transformer(**dict(zip(wanted, tensors))).last_hidden_state

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=target.parent))
    try:
        sample = [torch.ones((2, 8), dtype=torch.long) for _ in wanted]
        axes = {name: {0: "batch", 1: "tokens"} for name in [*wanted, "token_embeddings"]}
        with torch.no_grad():
            torch.onnx.export(Graph(), tuple(sample), str(staging / "model.onnx"), input_names=wanted,
                              output_names=["token_embeddings"], dynamic_axes=axes, opset_version=17,
                              dynamo=False)
        st_model.tokenizer.backend_tokenizer.save(str(staging / "tokenizer.json"))
        (staging / "encoder.json").write_text(json.dumps(spec, indent=2), encoding="utf-8")
        difference = float(np.abs(OnnxEncoder(model, staging).encode(PARITY_TEXTS)
                                  - reference.encode(PARITY_TEXTS)).max())
        if difference > MAX_DIFFERENCE:
            raise UnsupportedModel(f"the export differs from torch by {difference:.2g} (> {MAX_DIFFERENCE})")
        if target.exists():  # another process finished first: keep its export
            return target
        staging.chmod(0o755)  # mkdtemp made it private to us
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def main(argv: list[str] | None = None) -> int:
    from bot.config import BUNDLED_MODEL, TUNED_MODEL

    parser = argparse.ArgumentParser(prog="python -m embeddings.onnx_export",
                                     description="Export sentence-transformers models to ONNX for torch-free serving.")
    parser.add_argument("models", nargs="*", help="models to export (default: the shipped and the bundled one)")
    parser.add_argument("--out", type=Path, help="the export folder, for one model (default: under models/onnx/)")
    args = parser.parse_args(argv)
    if args.out and len(args.models) != 1:
        parser.error("--out takes exactly one model")
    status = 0
    for model in args.models or [TUNED_MODEL, BUNDLED_MODEL]:
        target = args.out or onnx_export_dir(model)
        if target is not None and (target / "encoder.json").exists():
            continue
        try:
            print(f"{model}: exported to {export(model, target)}", file=sys.stderr)
        except UnsupportedModel as error:
            print(f"{model}: not exported ({error}); it will run on torch", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
