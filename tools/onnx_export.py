"""`python -m tools.onnx_export [MODEL ...]`: export sentence-transformers models to ONNX.

The export needs torch; the bot then serves the export with ONNX Runtime and never imports torch.
An export is kept only if it reproduces the torch model's vectors on sample texts, so the two
backends can share one index. Covers the usual shape: a BERT-like transformer, mean or CLS pooling,
optional normalisation; anything else stays on torch.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

import click
import numpy as np

from embeddings.encoder import BUNDLED_MODEL, TUNED_MODEL, OnnxEncoder, SentenceTransformerEncoder, onnx_export_dir

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


def halve_exact_weights(path: Path) -> bool:
    """Store the graph's float32 weights as float16, each cast back to float32 before use, when every one of
    them is exactly a float16 value; whether it did.

    Weights trained and saved in fp16 (models/minilm-id) are all such values: the file halves (90 -> 45 MB),
    ONNX Runtime folds the casts when it loads the graph, and the vectors are bit-identical."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(path))
    graph = model.graph
    weights = {init.name: numpy_helper.to_array(init) for init in graph.initializer
               if init.data_type == TensorProto.FLOAT}
    if not weights or any(not np.array_equal(w.astype(np.float16).astype(np.float32), w) for w in weights.values()):
        return False
    kept = [init for init in graph.initializer if init.name not in weights]
    halves = [numpy_helper.from_array(w.astype(np.float16), f"{name}.fp16") for name, w in weights.items()]
    casts = [helper.make_node("Cast", [f"{name}.fp16"], [name], to=TensorProto.FLOAT) for name in weights]
    nodes = list(graph.node)
    del graph.initializer[:], graph.node[:]
    graph.initializer.extend(kept + halves)
    graph.node.extend(casts + nodes)  # casts first: every node still comes after what it reads
    onnx.save(model, str(path))
    return True


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
        halve_exact_weights(staging / "model.onnx")
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


@click.command()
@click.argument("models", nargs=-1)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="The export folder, for one model (default: under models/onnx/).")
def main(models: tuple[str, ...], out: Path | None) -> None:
    """Export sentence-transformers MODELS (default: the shipped and the bundled one) to ONNX for torch-free
    serving; an export already in place is kept."""
    if out and len(models) != 1:
        raise click.UsageError("--out takes exactly one model")
    status = 0
    for model in models or (TUNED_MODEL, BUNDLED_MODEL):
        target = out or onnx_export_dir(model)
        if target is not None and (target / "encoder.json").exists():
            continue
        try:
            click.echo(f"{model}: exported to {export(model, target)}", err=True)
        except UnsupportedModel as error:
            click.echo(f"{model}: not exported ({error}); it will run on torch", err=True)
            status = 1
    sys.exit(status)


if __name__ == "__main__":
    main()
