"""Markdown tables for every report the tools write (benchmark, evaluation, training), and the benchmark's
verdicts on its targets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


def cell(value: object) -> str:
    """Floats to three decimals below 10, one above: ratios and seconds read alike in every table."""
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)


def mark(ok: bool) -> str:
    return "✅" if ok else "❌"


def check(value: float, limit: float, fmt: str = "{:.1f}", at_most: bool = True) -> str:
    """A figure with its target verdict, e.g. "12.3 ✅ (≤ 15)": every target in a report says met or missed."""
    ok = value <= limit if at_most else value >= limit
    return f"{fmt.format(value)} {mark(ok)} ({'≤' if at_most else '≥'} {fmt.format(limit)})"


@dataclass
class Table:
    """A titled table with notes under it that say how its figures were measured."""

    title: str
    columns: Sequence[str]
    rows: list[Sequence[object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *cells: object) -> None:
        self.rows.append(cells)

    def markdown(self) -> str:
        lines = [f"### {self.title}", "", markdown_table(self.columns, self.rows), ""]
        return "\n".join(lines + [f"- {note}" for note in self.notes]).rstrip() + "\n"


@dataclass
class Section:
    title: str
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        parts = [f"## {self.title}", ""] + [f"_{note}_\n" for note in self.notes]
        return "\n".join(parts) + "\n".join(table.markdown() for table in self.tables)
