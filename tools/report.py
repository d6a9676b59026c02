"""Markdown tables for every report the tools write (benchmark, evaluation, training)."""

from __future__ import annotations

from collections.abc import Sequence


def cell(value: object) -> str:
    """Floats to three decimals below 10, one above: ratios and seconds read alike in every table."""
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)
