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


def fixture_kb(tmp_path):
    kb_dir = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, kb_dir)
    return kb_dir, tmp_path / "data"


def test_a_current_pointer_holding_garbage_is_rebuilt(tmp_path):
    """F6: CURRENT with bytes that are not UTF-8 raised UnicodeDecodeError and the bot never started."""
    kb_dir, data = fixture_kb(tmp_path)
    KnowledgeBase(kb_dir, data, "fake-encoder", FakeEncoder).open()
    (data / "index" / "CURRENT").write_bytes(b"\xff\xfe\x00\x81")
    again = KnowledgeBase(kb_dir, data, "fake-encoder", FakeEncoder)
    assert again.open().published and again.snapshot is not None


def test_a_damaged_index_falls_back_to_the_version_before_it(tmp_path):
    """F6: with the current version damaged and the articles not building, the bot refused to start, although
    the version before it was kept on disk for just this."""
    kb_dir, data = fixture_kb(tmp_path)
    first = KnowledgeBase(kb_dir, data, "fake-encoder", FakeEncoder, today=lambda: date(2026, 11, 29))
    first.open()
    kept = first.snapshot.manifest.corpus_hash
    (kb_dir / "ssw.md").write_text((kb_dir / "ssw.md").read_text().replace("April 2019", "1 April 2019"))
    assert first.rebuild().published
    (first.store.root / first.store.current_version() / "passages.jsonl").write_text('{"id": "broken"')
    (kb_dir / "rusak.md").write_text("no front matter, so nothing builds")
    again = KnowledgeBase(kb_dir, data, "fake-encoder", FakeEncoder, today=lambda: date(2026, 11, 29))
    report = again.open()
    assert not report.published and report.problems
    assert again.snapshot is not None and again.snapshot.manifest.corpus_hash == kept


def test_a_damaged_embedding_cache_is_started_afresh(tmp_path, caplog):
    """F6: a garbage cache file stopped the start even with a good index; the cache is only a cache."""
    kb_dir, data = fixture_kb(tmp_path)
    KnowledgeBase(kb_dir, data, "fake-encoder", FakeEncoder).open()
    (data / "embedding-cache.sqlite").write_bytes(b"garbage " * 1000)
    again = KnowledgeBase(kb_dir, data, "fake-encoder", FakeEncoder)
    assert again.open() is None  # the published index serves
    assert again.rebuild(refit_scope=True).published  # and the cache fills again
    assert "embedding cache is damaged" in caplog.text


def test_failed_publishes_leave_no_staging_folders(tmp_path, monkeypatch):
    """F7: each publish that failed (a full disk) left its partial folder behind, filling the disk further."""
    from embeddings import store as store_module

    kb_dir, data = fixture_kb(tmp_path)
    kb = KnowledgeBase(kb_dir, data, "fake-encoder", FakeEncoder)
    kb.open()

    def disk_full(folder, snapshot):
        (folder / "passages.jsonl").write_text("partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module, "_write_snapshot", disk_full)
    for _ in range(3):
        with pytest.raises(OSError):
            kb.store.publish(kb.snapshot)
    assert list(kb.store.root.glob(".tmp-*")) == []


def test_a_killed_builds_leftover_with_our_own_process_id_is_removed(tmp_path):
    """F7: in a container the bot restarts with the same process id, and leftovers named with it stayed forever."""
    kb_dir, data = fixture_kb(tmp_path)
    kb = KnowledgeBase(kb_dir, data, "fake-encoder", FakeEncoder)
    kb.open()
    leftover = kb.store.root / f".tmp-20260101T000000-deadbeef-{os.getpid()}"
    leftover.mkdir()
    kb.store.publish(kb.snapshot)
    assert not leftover.exists()


OTHER_PUBLISHER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from embeddings.build import build_snapshot
    from embeddings.store import IndexStore
    from knowledge.loader import load_articles
    from tests.fakes import FakeEncoder
    from datetime import date
    snapshot = build_snapshot(load_articles(Path(sys.argv[1]), today=date(2026, 11, 29)).articles, FakeEncoder())[0]
    print("publishing", flush=True)
    print(IndexStore(Path(sys.argv[2])).publish(snapshot), flush=True)
""")


def test_a_reindex_beside_the_bot_does_not_delete_its_staging_folder(tmp_path, monkeypatch):
    """F17: `python -m bot reindex` deleted the running bot's staging folder mid-publish, so that publish failed."""
    from embeddings import store as store_module

    kb_dir, data = fixture_kb(tmp_path)
    kb = KnowledgeBase(kb_dir, data, "fake-encoder", FakeEncoder)
    kb.open()
    other_kb = tmp_path / "other-kb"
    shutil.copytree(kb_dir, other_kb)
    (other_kb / "ssw.md").write_text((other_kb / "ssw.md").read_text().replace("April 2019", "1 April 2019"))
    write = store_module._write_snapshot
    other = []

    def slow_write(folder, snapshot):  # while this process writes, the other one publishes
        other.append(subprocess.Popen([sys.executable, "-c", OTHER_PUBLISHER, str(other_kb), str(data)], cwd=REPO,
                                      stdout=subprocess.PIPE, text=True))
        assert other[0].stdout.readline().strip() == "publishing"
        time.sleep(2.0)  # time enough to publish, had it not waited for this one
        write(folder, snapshot)

    monkeypatch.setattr(store_module, "_write_snapshot", slow_write)
    mine = kb.store.publish(kb.snapshot)
    theirs = other[0].stdout.readline().strip()
    assert other[0].wait(timeout=30) == 0
    assert {mine, theirs} <= {path.name for path in kb.store.root.iterdir()}
    assert kb.store.current_version() == theirs  # it published after this one, not during
