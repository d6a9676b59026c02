"""One index, published once: processes sharing BOT_DATA_DIR (replicas, `reindex`) build one at a time, and each
serves what any of them published. Two KnowledgeBase objects on one folder stand for two processes: the locks are
flocks, which threads holding their own file descriptions contend for as processes do."""

import shutil
import threading
import time

from bot.knowledge_base import KnowledgeBase
from tests.fakes import FakeEncoder
from tests.unit.test_index_build import FIXTURE_KB, TODAY


def replica(kb_dir, data_dir, encoder=None):
    return KnowledgeBase(kb_dir, data_dir, "fake-encoder", lambda: encoder or FakeEncoder(), today=lambda: TODAY)


def test_a_version_published_by_one_process_is_served_by_the_other(tmp_path):
    kb_dir = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, kb_dir)
    first, second = replica(kb_dir, tmp_path / "data"), replica(kb_dir, tmp_path / "data")
    first.open()
    assert second.open() is None  # the published index is loaded, not built again
    assert second.version == first.version == first.store.current_version()
    assert second.follow_published() is False  # nothing new

    (kb_dir / "bpvp.md").unlink()
    report = first.rebuild()
    assert report.published and report.removed == ("Pelatihan di BPVP",)
    assert second.version != first.version
    assert second.follow_published() is True
    assert second.version == first.version and "bpvp" not in second.snapshot.articles
    assert second.routes is not None or first.routes is None


def test_a_rebuild_starts_from_the_version_published_elsewhere(tmp_path):
    """Its report of what changed is against what is live, not against what this process served last."""
    kb_dir = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, kb_dir)
    first, second = replica(kb_dir, tmp_path / "data"), replica(kb_dir, tmp_path / "data")
    first.open()
    second.open()
    (kb_dir / "bpvp.md").unlink()
    assert first.rebuild().removed == ("Pelatihan di BPVP",)
    report = second.rebuild()  # second had not followed yet
    assert report.published and report.removed == () and report.added == ()


def test_two_reloads_at_once_one_builds_and_the_other_is_told(tmp_path):
    kb_dir = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, kb_dir)
    slow = FakeEncoder(delay=0.3)
    first, second = replica(kb_dir, tmp_path / "data", slow), replica(kb_dir, tmp_path / "data")
    first.open()
    second.open()
    (kb_dir / "magang.md").write_text((kb_dir / "magang.md").read_text() + "\nCatatan revisi.\n")
    building = threading.Thread(target=first.rebuild)
    calls = slow.calls
    building.start()
    while slow.calls == calls:  # first holds the lock once it embeds
        time.sleep(0.01)
    report = second.rebuild()
    building.join()
    assert report.already_running and not report.published
    assert second.follow_published() and second.version == first.version
    waited = second.rebuild(wait=True)  # an upload waits its turn instead
    assert waited.published


def test_a_published_version_that_does_not_load_is_reported_once_and_the_old_one_kept(tmp_path, caplog):
    kb_dir = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, kb_dir)
    first, second = replica(kb_dir, tmp_path / "data"), replica(kb_dir, tmp_path / "data")
    first.open()
    second.open()
    served = second.snapshot
    (kb_dir / "bpvp.md").unlink()
    first.rebuild()
    (first.store.root / first.version / "passages.jsonl").write_text("")  # damaged after publishing
    assert second.follow_published() is False and second.follow_published() is False
    assert second.snapshot is served
    assert caplog.text.count("Not following the published index") == 1
