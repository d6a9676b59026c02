"""tools/report.py: the one Markdown table writer and the target verdicts every bench table shows."""

from __future__ import annotations

from tools.report import Section, Table, check, markdown_table


def test_a_verdict_says_met_or_missed_and_which_way_the_target_points() -> None:
    assert check(12.34, 15.0) == "12.3 ✅ (≤ 15.0)"
    assert check(15.01, 15.0) == "15.0 ❌ (≤ 15.0)"
    assert check(0.81, 0.8, "{:.3f}", at_most=False) == "0.810 ✅ (≥ 0.800)"
    assert check(0.79, 0.8, "{:.2f}", at_most=False) == "0.79 ❌ (≥ 0.80)"


def test_floats_read_alike_in_every_table() -> None:
    assert markdown_table(["a", "b"], [[0.12345, 123.456], ["x", 7]]) == (
        "| a | b |\n|---|---|\n| 0.123 | 123.5 |\n| x | 7 |")


def test_a_section_renders_its_notes_then_its_tables_with_theirs() -> None:
    table = Table("Speed", ["size", "ms"], notes=["measured once"])
    table.add("1k", 1.5)
    section = Section("2. Latency", [table], notes=["generated corpora"])
    assert section.markdown() == (
        "## 2. Latency\n\n_generated corpora_\n"
        "### Speed\n\n| size | ms |\n|---|---|\n| 1k | 1.500 |\n\n- measured once\n")
