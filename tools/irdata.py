"""The retrieval benchmarks on disk (`shared/benchmarks/<name>/`), read the same way by the bench and training.

A folder holds `corpus.jsonl` ({"id", "title", "text"} per passage), `queries.jsonl` ({"id", "text",
"answers", "split"} per question; split is train, valid or test) and `qrels.tsv` (question id, passage id,
grade). Only questions with a relevant passage are kept: the others cannot be scored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_BENCHMARKS = REPO.parent / "shared" / "benchmarks"
FILES = ("corpus.jsonl", "queries.jsonl", "qrels.tsv")


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    split: str
    answers: tuple[str, ...]
    relevant: frozenset[str]  # passage ids


@dataclass(frozen=True, slots=True)
class Benchmark:
    name: str
    ids: tuple[str, ...]  # passage ids, in corpus order
    titles: tuple[str, ...]
    texts: tuple[str, ...]
    questions: tuple[Question, ...]  # in file order

    def split(self, name: str | None) -> list[Question]:
        """The questions of one split (None: all of them)."""
        return [q for q in self.questions if name is None or q.split == name]


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def load_benchmark(folder: Path) -> Benchmark:
    """Read one benchmark folder; a missing file is named in the error."""
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(f"benchmark folder {folder} has no {', '.join(missing)}")
    corpus = _jsonl(folder / "corpus.jsonl")
    relevant: dict[str, set[str]] = {}
    for line in (folder / "qrels.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip():
            qid, pid, *_ = line.split("\t")
            relevant.setdefault(qid, set()).add(pid)
    questions = tuple(Question(q["id"], q["text"], q.get("split", ""), tuple(q.get("answers", ())),
                               frozenset(relevant[q["id"]]))
                      for q in _jsonl(folder / "queries.jsonl") if q["id"] in relevant)
    return Benchmark(folder.name, tuple(row["id"] for row in corpus), tuple(row.get("title") or "" for row in corpus),
                     tuple(row["text"] for row in corpus), questions)
