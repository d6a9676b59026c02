"""The command line as a newcomer uses it, with the real bundled model on the fixture knowledge base."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.__main__ import cli

pytestmark = pytest.mark.model
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FIXTURE_KB = str(FIXTURES / "kb")


@pytest.fixture
def runner(monkeypatch, tmp_path):
    """The fixture articles with a small scope file: fitting the shipped one's 1,357 examples would take most
    of a build's time (the tests that only ask start from `built_data`, indexed with the shipped one)."""
    knowledge = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, knowledge)
    shutil.copy(FIXTURES / "scope-small.yaml", knowledge / "scope.yaml")
    monkeypatch.setenv("KNOWLEDGE_DIR", str(knowledge))
    return CliRunner()


def test_reindex_then_ask_json(runner):
    first = runner.invoke(cli, ["reindex"])
    assert first.exit_code == 0, first.output
    assert "articles: 4" in first.output and "embedded anew:" in first.output
    again = runner.invoke(cli, ["reindex"])
    assert "embedded anew: 0" in again.output  # the embedding cache at work

    result = runner.invoke(cli, ["ask", "--json", "kak syarat magang jepang apa aja?"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output.strip().splitlines()[-1])
    assert payload["answered"] is True
    assert payload["passages"][0]["article"] == "magang"
    assert payload["sources"][0] == {"title": "Magang ke Jepang (TITP) singkat", "as_of": "2026-11-01",
                                     "url": "https://www.otit.go.jp/"}
    assert "Sumber:" in payload["answer"]


def test_ask_declines_unrelated_questions(runner, built_data, tmp_path):
    built_data(tmp_path / "data")  # indexed already, from the fixture articles and the shipped scope model
    result = runner.invoke(cli, ["ask", "--json", "resep nasi goreng enak"])
    payload = json.loads(result.output.strip().splitlines()[-1])
    assert payload["answered"] is False
    assert "Maaf" in payload["answer"]


def test_no_token_explains_and_falls_back_to_the_console_chat(runner, built_data, tmp_path):
    built_data(tmp_path / "data")
    result = runner.invoke(cli, [], input="SSW boleh bawa keluarga?\n/keluar\n")
    assert result.exit_code == 0, result.output
    assert "@BotFather" in result.output
    assert "Tanya Jepang" in result.output and "Sumber:" in result.output


def test_a_bad_setting_is_one_line_naming_the_variable(runner, monkeypatch):
    monkeypatch.setenv("BOT_ADMIN_IDS", "alice")
    result = runner.invoke(cli, ["ask", "halo"])
    assert result.exit_code == 2
    assert "BOT_ADMIN_IDS" in result.output and "Traceback" not in result.output


def test_invalid_articles_are_listed_not_traced(runner, monkeypatch, tmp_path):
    (tmp_path / "rusak.md").write_text("---\ntitle: x\n---\nbody")
    monkeypatch.setenv("KNOWLEDGE_DIR", str(tmp_path))
    result = runner.invoke(cli, ["reindex"])
    assert result.exit_code == 1
    assert "rusak.md: sources" in result.output


def test_check_lists_conflicting_facts_and_stale_articles_and_fails_on_conflicts(tmp_path, monkeypatch):
    import shutil

    folder = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, folder)
    monkeypatch.setenv("KNOWLEDGE_DIR", str(folder))
    clean = CliRunner().invoke(cli, ["check"])
    assert clean.exit_code == 0, clean.output
    assert "Conflicting key facts: 0" in clean.output
    (folder / "lama.md").write_text(
        "---\ntitle: Catatan lama SSW\nsources: [https://example.org/lama]\nas_of: 2020-01-15\nlang: id\n"
        "topics: [ssw]\n---\n\n## Bidang\n\nSaat ini SSW terbuka untuk 14 bidang kerja di Jepang, dan pendaftarannya "
        "dibuka setiap bulan untuk semua lulusan sekolah menengah.\n", encoding="utf-8")
    flagged = CliRunner().invoke(cli, ["check"])
    assert flagged.exit_code == 1
    assert "Conflicting key facts: 1" in flagged.output and "lama: number of SSW (i) fields" in flagged.output
    assert "lama: as_of 2020-01-15 — https://example.org/lama" in flagged.output
