"""Admins' changes to the knowledge folder: sections made articles, scope examples appended with the file's
layout kept, checks on a scratch copy, and /rollback restoring the index and the files together."""

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.knowledge_base import KnowledgeBase
from bot.knowledge_files import (
    ScopeFileError, add_scope_examples, article_file, check_folder, free_name, read_folder, restore_folder,
    section_article,
)
from knowledge.loader import SHIPPED_SCOPE, load_articles, load_scope_examples, parse_article
from tests.fakes import FakeEncoder

FIXTURE_KB = Path(__file__).resolve().parents[1] / "fixtures" / "kb"
TODAY = date(2026, 12, 1)
SECTION = """## Bagaimana cara membuat SIM di Jepang?
Pekerja asing yang ingin menyetir di Jepang harus menukar SIM Indonesia dengan SIM Jepang di pusat SIM
prefektur, membawa terjemahan resmi SIM, paspor, kartu izin tinggal, dan mengikuti ujian praktik singkat.
Sumber: https://www.npa.go.jp/english/bureau/traffic/index.html
topik: ssw, magang
"""


@pytest.fixture
def kb_dir(tmp_path):
    folder = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, folder)
    return folder


def test_a_section_becomes_a_valid_article():
    article, problem = section_article(SECTION, ["bpvp"], TODAY)
    assert problem is None
    parsed, problems = parse_article("sim.md", article, today=TODAY)
    assert problems == ()
    assert parsed.title == "Bagaimana cara membuat SIM di Jepang?"
    assert parsed.sources == ("https://www.npa.go.jp/english/bureau/traffic/index.html",)
    assert (parsed.as_of, parsed.lang, parsed.topics) == (TODAY, "id", ("ssw", "magang"))
    assert "Sumber:" not in parsed.body and "topik" not in parsed.body and "ujian praktik" in parsed.body


@pytest.mark.parametrize("reply, problem", [
    ("cara bikin SIM di jepang ya begitu https://x.org", "not_section"),
    ("## Judul saja", "not_section"),
    ("## SIM Jepang\nTukar SIM di pusat SIM prefektur.", "no_source"),
])
def test_a_reply_that_is_not_a_section_is_named(reply, problem):
    assert section_article(reply, [], TODAY) == (None, problem)


def test_a_whole_article_is_taken_as_it_is():
    article = "---\ntitle: X\n---\n## a\nb"
    assert section_article(article, [], TODAY) == (article + "\n", None)


def test_free_names_never_clash(kb_dir):
    assert free_name(kb_dir, "SSW", "md") == "ssw-2.md"
    assert free_name(kb_dir, "Berita: Visa Baru!", "txt") == "berita-visa-baru.txt"
    assert free_name(kb_dir, "!!!", "md") is None
    assert article_file(kb_dir, "ssw").name == "ssw.md" and article_file(kb_dir, "tidak-ada") is None


def test_scope_examples_are_appended_keeping_comments_and_other_lists(kb_dir, tmp_path):
    backups = tmp_path / "backups"
    added = add_scope_examples(kb_dir, "out_of_scope", ["cara jadi youtuber di jepang", "cara  jadi youtuber di jepang",
                                                        "jadwal timnas"], "/gaps 2026-12-01", backups)
    assert added == ["cara jadi youtuber di jepang", "jadwal timnas"]
    text = (kb_dir / "scope.yaml").read_text()
    assert text.startswith(SHIPPED_SCOPE.read_text().split("\n", 1)[0])  # the shipped comments stay
    before, _ = load_scope_examples(SHIPPED_SCOPE)
    after, problems = load_scope_examples(kb_dir / "scope.yaml")
    assert problems == ()
    assert after.in_scope == before.in_scope
    assert after.out_of_scope == (*before.out_of_scope, "cara jadi youtuber di jepang", "jadwal timnas")
    assert add_scope_examples(kb_dir, "out_of_scope", ["jadwal timnas"], "x", backups) == []
    more = add_scope_examples(kb_dir, "in_scope", ['kalau "kaigo" gmn?'], "x", backups)
    assert more == ['kalau "kaigo" gmn?']
    assert load_scope_examples(kb_dir / "scope.yaml")[0].in_scope[-1] == 'kalau "kaigo" gmn?'
    assert len(list(backups.iterdir())) == 1  # the folder's own file before the second change (the first
    # started from the shipped one)


def test_a_scope_file_that_cannot_be_appended_to_is_left_alone(kb_dir, tmp_path):
    flow = "in_scope: [a, b]\nout_of_scope: [c, d]\n"
    (kb_dir / "scope.yaml").write_text(flow)
    with pytest.raises(ScopeFileError):
        add_scope_examples(kb_dir, "in_scope", ["baru"], "x", tmp_path / "backups")
    assert (kb_dir / "scope.yaml").read_text() == flow
    unindented = "in_scope:\n- a\n- b\n# comment\nout_of_scope:\n- c\n"
    (kb_dir / "scope.yaml").write_text(unindented)
    add_scope_examples(kb_dir, "in_scope", ["baru"], "x", tmp_path / "backups")
    data = yaml.safe_load((kb_dir / "scope.yaml").read_text())
    assert [item if isinstance(item, str) else item["q"] for item in data["in_scope"]] == ["a", "b", "baru"]


def test_a_change_is_checked_on_a_copy(kb_dir):
    assert check_folder(kb_dir, {"baru.md": b"no front matter here at all"}, "baru.md")
    assert not (kb_dir / "baru.md").exists()
    assert check_folder(kb_dir, {"magang.md": None}) == []
    assert (kb_dir / "magang.md").exists()


def test_restoring_a_folder_keeps_what_it_replaces(kb_dir, tmp_path):
    files = read_folder(kb_dir)
    (kb_dir / "baru.md").write_text("x")
    (kb_dir / "ssw.md").write_text("changed")
    written, removed = restore_folder(kb_dir, files, tmp_path / "backups")
    assert (written, removed) == (["ssw.md"], ["baru.md"])
    assert read_folder(kb_dir) == files
    assert sorted(p.name.split(".")[0] for p in (tmp_path / "backups").iterdir()) == ["baru", "ssw"]


def test_rollback_serves_the_previous_version_with_its_files(kb_dir, tmp_path):
    data, backups = tmp_path / "data", tmp_path / "data" / "article-backups"
    kb = KnowledgeBase(kb_dir, data, "fake-encoder", FakeEncoder, today=lambda: TODAY)
    assert kb.rollback(backups).refused == "none"
    assert kb.open().published
    first = kb.store.current_version()
    assert kb.rollback(backups).refused == "none"

    (kb_dir / "bpvp.md").unlink()
    (kb_dir / "ssw.md").write_text((kb_dir / "ssw.md").read_text().replace("April 2019", "April 2020"))
    assert kb.rebuild().published
    assert "bpvp" not in kb.snapshot.articles

    report = kb.rollback(backups)
    assert report.done and report.version == first == kb.store.current_version()
    assert report.added == ("Pelatihan di BPVP",) and report.changed == ("SSW (Tokutei Ginou) singkat",)
    assert sorted(report.written) == ["bpvp.md", "ssw.md"] and report.deleted == ()
    assert "bpvp" in kb.snapshot.articles and "April 2019" in (kb_dir / "ssw.md").read_text()
    assert load_articles(kb_dir, today=TODAY).problems == ()
    assert kb.rollback(backups).refused == "none"  # the later version is gone: a roll-back is an undo
    reopened = KnowledgeBase(kb_dir, data, "fake-encoder", FakeEncoder, today=lambda: TODAY)
    assert reopened.open() is None and reopened.snapshot.manifest == kb.snapshot.manifest


def test_a_version_kept_without_its_files_is_not_rolled_back_to(kb_dir, tmp_path):
    import shutil as sh

    kb = KnowledgeBase(kb_dir, tmp_path / "data", "fake-encoder", FakeEncoder, today=lambda: TODAY)
    kb.open()
    sh.rmtree(kb.store.root / kb.store.current_version() / "knowledge")  # as published before #17
    (kb_dir / "bpvp.md").unlink()
    kb.rebuild()
    before = read_folder(kb_dir)
    assert kb.rollback(tmp_path / "backups").refused == "no_files"
    assert read_folder(kb_dir) == before
