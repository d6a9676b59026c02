"""Crashes at the worst moments: a reindex killed mid-build, an index damaged on disk, SIGTERM while serving."""

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest

from bot.knowledge_base import KnowledgeBase
from tests.fakes import FakeEncoder

REPO = Path(__file__).resolve().parents[2]
FIXTURE_KB = REPO / "tests" / "fixtures" / "kb"

SLOW_BUILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from bot.knowledge_base import KnowledgeBase
    from tests.fakes import FakeEncoder
    kb = KnowledgeBase(Path(sys.argv[1]), Path(sys.argv[2]), "fake-encoder", lambda: FakeEncoder(delay=60))
    print("building", flush=True)
    kb.rebuild()
""")


def test_a_reindex_killed_halfway_leaves_the_last_good_index_serving(tmp_path):
    kb_dir, data = tmp_path / "kb", tmp_path / "data"
    shutil.copytree(FIXTURE_KB, kb_dir)
    good = KnowledgeBase(kb_dir, data, "fake-encoder", FakeEncoder, today=lambda: date(2026, 11, 29))
    good.open()
    version = good.store.current_version()
    (kb_dir / "ssw.md").write_text((kb_dir / "ssw.md").read_text().replace("April 2019", "1 April 2019"))

    child = subprocess.Popen([sys.executable, "-c", SLOW_BUILD, str(kb_dir), str(data)], cwd=REPO,
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "building"
    time.sleep(1.0)  # inside encode(): the new version is not written yet
    child.kill()
    child.wait(timeout=10)

    restarted = KnowledgeBase(kb_dir, data, "fake-encoder", FakeEncoder)
    assert restarted.open() is None  # served from disk, no rebuild needed
    assert restarted.store.current_version() == version
    assert restarted.snapshot.manifest.corpus_hash == good.snapshot.manifest.corpus_hash


def test_a_damaged_index_at_start_is_rebuilt_with_a_clear_log_line(tmp_path, caplog):
    kb_dir, data = tmp_path / "kb", tmp_path / "data"
    shutil.copytree(FIXTURE_KB, kb_dir)
    first = KnowledgeBase(kb_dir, data, "fake-encoder", FakeEncoder)
    first.open()
    (first.store.root / first.store.current_version() / "passages.jsonl").write_text('{"id": "broken"')
    again = KnowledgeBase(kb_dir, data, "fake-encoder", FakeEncoder)
    report = again.open()
    assert report is not None and report.published
    assert "damaged" in caplog.text and "Rebuilding" in caplog.text
    assert len(again.snapshot.passages) == len(first.snapshot.passages)


def test_a_missing_index_folder_is_rebuilt(tmp_path):
    kb_dir, data = tmp_path / "kb", tmp_path / "data"
    shutil.copytree(FIXTURE_KB, kb_dir)
    first = KnowledgeBase(kb_dir, data, "fake-encoder", FakeEncoder)
    first.open()
    shutil.rmtree(first.store.root / first.store.current_version())
    again = KnowledgeBase(kb_dir, data, "fake-encoder", FakeEncoder)
    assert again.open().published
