"""The ONNX encoder: the same vectors as the torch model, a bot process without torch, exports made on demand."""

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest

import embeddings.encoder as encoder_module
from bot.config import SHIPPED_KNOWLEDGE_DIR
from embeddings.build import build_snapshot
from embeddings.encoder import (
    BUNDLED_MODEL,
    TUNED_MODEL,
    OnnxEncoder,
    SentenceTransformerEncoder,
    load_encoder,
    onnx_export_dir,
)
from knowledge.loader import load_articles
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures"
from tests.fakes import FakeEncoder

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def passages():
    """Passages of the shipped knowledge base from the shortest to the longest (past the model's 256-token
    window), Indonesian, English and Japanese: every tenth by length, and the five longest, whose truncation
    is where two runtimes would part first. All of them would take torch a minute and a half more."""
    articles = load_articles(SHIPPED_KNOWLEDGE_DIR, today=date.today()).articles
    texts = sorted((p.text for p in build_snapshot(articles, FakeEncoder())[0].passages), key=len)
    return texts[::10] + texts[-5:]


def test_onnx_and_torch_give_the_same_vectors(passages, bundled_encoder):
    assert isinstance(bundled_encoder, OnnxEncoder)  # what every other model test runs on
    texts = passages + ["kak syarat magang jepang apa aja?", "SSW 2号 kazoku", "🙂", "a"]
    onnx = bundled_encoder.encode(texts)
    torch = SentenceTransformerEncoder(BUNDLED_MODEL).encode(texts)
    assert onnx.shape == torch.shape == (len(texts), 384)
    assert np.abs(onnx - torch).max() < 1e-4


def test_the_backend_is_chosen_by_configuration():
    assert isinstance(load_encoder(BUNDLED_MODEL, "onnx"), OnnxEncoder)
    assert isinstance(load_encoder(BUNDLED_MODEL, "torch"), SentenceTransformerEncoder)


def test_a_hub_model_cannot_be_forced_onto_onnx():
    assert onnx_export_dir("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2") is None
    with pytest.raises(RuntimeError, match="not a local folder"):
        load_encoder("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2", "onnx")


def test_a_missing_export_says_how_to_make_it_and_auto_runs_the_model_on_torch(tmp_path, monkeypatch):
    monkeypatch.setattr(encoder_module, "ONNX_DIR", tmp_path / "onnx")
    with pytest.raises(encoder_module.MissingExport, match="python -m tools.onnx_export bundled:all-MiniLM-L6-v2"):
        load_encoder(BUNDLED_MODEL, "onnx")
    assert isinstance(load_encoder(BUNDLED_MODEL, "auto"), SentenceTransformerEncoder)  # torch is installed here


def test_the_shipped_model_is_shipped_with_its_export():
    """The bot's default model runs on ONNX Runtime from a fresh clone: no torch needed to serve it."""
    folder = onnx_export_dir(TUNED_MODEL)
    assert (folder / "encoder.json").exists() and (folder / "model.onnx").exists()
    tracked = subprocess.run(["git", "ls-files", str(folder.relative_to(REPO))], cwd=REPO, capture_output=True,
                             text=True).stdout.split()
    if not tracked and not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    assert {Path(name).name for name in tracked} >= {"encoder.json", "model.onnx", "tokenizer.json"}


def test_fp16_trained_weights_are_exported_at_half_the_size(tmp_path):
    """The shipped model was saved in fp16: its export stores float16 weights, and still matches torch."""
    import onnx
    from onnx import TensorProto

    from tools.onnx_export import export

    folder = export(TUNED_MODEL, tmp_path / "minilm-id")
    graph = onnx.load(str(folder / "model.onnx")).graph
    assert {init.data_type for init in graph.initializer} == {TensorProto.FLOAT16}
    assert (folder / "model.onnx").stat().st_size < 50 * 2**20  # 90 MB in float32
    texts = ["kak syarat magang jepang apa aja?", "Berapa gaji pekerja magang di Jepang?"]
    onnx_vectors = OnnxEncoder(TUNED_MODEL, folder).encode(texts)
    assert np.abs(onnx_vectors - SentenceTransformerEncoder(TUNED_MODEL).encode(texts)).max() < 1e-4


def test_the_export_folder_follows_the_weights(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "model.safetensors").write_bytes(b"weights v1")
    first = onnx_export_dir(str(model))
    (model / "model.safetensors").write_bytes(b"weights v2")
    assert onnx_export_dir(str(model)) != first  # a retrained model never runs on a stale export


def test_the_bot_answers_without_loading_torch(tmp_path):
    """`python -m bot ask` builds the index (fitting the scope model too) and answers with torch and
    scikit-learn never imported (a third of the memory). The test knowledge base keeps it quick: what is
    checked is what gets imported, not how much is embedded."""
    knowledge = tmp_path / "kb"
    shutil.copytree(FIXTURES / "kb", knowledge)
    shutil.copy(FIXTURES / "scope-small.yaml", knowledge / "scope.yaml")
    script = (
        "import runpy, sys\n"
        "sys.argv = ['bot', 'ask', '--json', 'kak syarat magang jepang apa aja?']\n"
        "try:\n"
        "    runpy.run_module('bot', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('torch loaded:', 'torch' in sys.modules, 'sentence_transformers' in sys.modules, 'sklearn' in sys.modules)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "BOT_DATA_DIR": str(tmp_path / "data"),
           "KNOWLEDGE_DIR": str(knowledge), "EMBEDDING_MODEL": BUNDLED_MODEL, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
                            env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert '"answered": true' in result.stdout
    assert "torch loaded: False False False" in result.stdout
