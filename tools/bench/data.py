"""The benchmark's data: benchmark passages as our pipeline sees them, and corpora and knowledge bases generated
by recombining benchmark sentences, whose dense vectors are derived from the real embeddings of the passages the
sentences came from (see SentencePool), never downloaded."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import numpy as np

from embeddings.build import text_hash
from embeddings.dense import DenseIndex
from embeddings.lexical import LexicalIndex
from embeddings.snapshot import INDEX_FORMAT, Manifest, Snapshot
from knowledge.model import TOPICS, Article, Passage
from knowledge.text import TOKENIZER_ID, split_sentences, tokenize
from tools.irdata import Benchmark

SECTIONS_PER_ARTICLE = 20  # of a generated article: one passage each


def benchmark_passages(bench: Benchmark) -> list[Passage]:
    """One passage per corpus row, so our pipeline and the baselines see the same units."""
    return [Passage(id=pid, article=pid, title=title, section="", text=text)
            for pid, title, text in zip(bench.ids, bench.titles, bench.texts)]


def snapshot_from_passages(passages: Sequence[Passage], vectors: np.ndarray, model: str,
                           articles: dict[str, Article] | None = None, dense_kind: str = "auto") -> Snapshot:
    """What build_snapshot does after chunking and embedding, for passages that are not from articles."""
    dense = DenseIndex.build(vectors, kind=dense_kind)
    hashes = sorted(text_hash(p.indexed_text) for p in passages)
    manifest = Manifest(model=model, dimension=vectors.shape[1], passages=len(passages),
                        articles=len(articles or {}), corpus_hash=text_hash("\n".join(hashes)),
                        built_at=datetime.now(timezone.utc).isoformat(timespec="microseconds"), dense_kind=dense.kind,
                        tokenizer=TOKENIZER_ID, format=INDEX_FORMAT)
    counts = [len(split_sentences(p.text)) for p in passages]
    sentence_vectors = np.repeat(np.asarray(vectors, dtype=np.float16), counts, axis=0)  # as much work as real ones
    return Snapshot(manifest, tuple(passages), articles or {},
                    LexicalIndex.build([tokenize(p.indexed_text) for p in passages]), dense,
                    sentence_vectors=sentence_vectors)


def placeholder_articles(passages: Sequence[Passage]) -> dict[str, Article]:
    """Snapshot.articles for generated passages: answer composition and the index store need one per slug."""
    slugs = dict.fromkeys(p.article for p in passages)
    return {slug: Article(slug=slug, title=f"Artikel {slug}", body="", sources=(f"https://example.org/{slug}",),
                          as_of=date(2025, 1, 1), lang="id", topics=("news",)) for slug in slugs}


@dataclass
class SentencePool:
    """Sentences of embedded benchmark passages; generated text is made by recombining them.

    A generated passage's vector is the normalised mean of its source passages' real embeddings plus
    noise: clustered like real data (near passages on the same subject), and far cheaper than
    running the model over 100k passages.
    """

    sentences: list[str]
    sources: list[int]
    vectors: np.ndarray  # real embeddings of the source passages
    noise: float = 0.5

    @classmethod
    def from_texts(cls, texts: Sequence[str], vectors: np.ndarray) -> SentencePool:
        sentences, sources = [], []
        for row, text in enumerate(texts):
            for sentence in split_sentences(text):
                clean = " ".join(re.sub(r"[|#*_`\[\]<>]", " ", sentence).split()).lstrip("-+•0123456789.) ")
                if 5 <= len(clean.split()) <= 50:
                    sentences.append(clean)
                    sources.append(row)
        return cls(sentences, sources, vectors)

    def texts(self, rng: np.random.Generator, count: int, low: int = 50, high: int = 150) -> list[tuple[str, list[int]]]:
        """`count` texts of low..high words, each with the source rows of its sentences."""
        made = []
        picks = iter(rng.integers(0, len(self.sentences), size=count * 12))
        for _ in range(count):
            target, words, parts, rows = int(rng.integers(low, high)), 0, [], []
            while words < target:
                i = next(picks, None)
                i = int(rng.integers(0, len(self.sentences))) if i is None else int(i)
                if words + len(self.sentences[i].split()) > high and parts:
                    break  # close enough: the passage stays under `high` words
                parts.append(self.sentences[i])
                rows.append(self.sources[i])
                words += len(self.sentences[i].split())
            made.append((" ".join(parts), rows))
        return made

    def vectors_for(self, rng: np.random.Generator, row_lists: Sequence[Sequence[int]]) -> np.ndarray:
        dimension = self.vectors.shape[1]
        means = np.stack([self.vectors[list(rows)].mean(axis=0) if rows else np.zeros(dimension) for rows in row_lists])
        means /= np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-9)
        means += rng.standard_normal(means.shape) * (self.noise / np.sqrt(dimension))
        return (means / np.linalg.norm(means, axis=1, keepdims=True)).astype(np.float32)

    def vector_of_text(self, rng: np.random.Generator, texts: Sequence[str]) -> np.ndarray:
        """For passages the chunker made from generated articles: look their sentences up again."""
        by_text = dict(zip(self.sentences, self.sources))
        return self.vectors_for(rng, [[by_text[s] for s in split_sentences(t) if s in by_text] for t in texts])

    def corpus(self, count: int, seed: int, per_article: int = 20) -> tuple[list[Passage], np.ndarray]:
        rng = np.random.default_rng(seed)
        made = self.texts(rng, count)
        passages = [Passage(id=f"g{i:07d}", article=f"gen-{i // per_article:05d}", title="", section="", text=text)
                    for i, (text, _) in enumerate(made)]
        return passages, self.vectors_for(rng, [rows for _, rows in made])


def write_generated_articles(pool: SentencePool, folder: Path, count: int, sections: int, seed: int) -> list[str]:
    """`count` article files of `sections` sections of 50-150 words: one passage per section.

    As in the shipped knowledge base, one article (the last) is the contacts article a decline cites."""
    rng = np.random.default_rng(seed)
    topics = sorted(TOPICS - {"contacts"})
    folder.mkdir(parents=True, exist_ok=True)
    slugs = []
    for a in range(count):
        texts = pool.texts(rng, sections)
        body = "\n\n".join(f"## Bagian {s + 1}: {' '.join(text.split()[:6]).rstrip('.,;:')}\n\n{text}"
                           for s, (text, _) in enumerate(texts))
        slug = f"gen-{a:04d}"
        front = (f"---\ntitle: {json.dumps(f'Artikel {a:04d}: ' + ' '.join(texts[0][0].split()[:5]))}\n"
                 f"sources: [https://example.org/{slug}]\nas_of: 2025-01-01\nlang: id\n"
                 f"topics: [{'contacts' if a == count - 1 else topics[a % len(topics)]}]\n---\n\n")
        (folder / f"{slug}.md").write_text(front + body + "\n", encoding="utf-8")
        slugs.append(slug)
    return slugs


def edit_article(path: Path, sections: int, tag: str) -> None:
    """Change the first `sections` sections' text, as an editor fixing facts would."""
    lines, changed = path.read_text(encoding="utf-8").split("\n"), 0
    in_body = False
    for i, line in enumerate(lines):
        if line.startswith("## "):
            in_body = True
        elif in_body and line.strip() and changed < sections:
            lines[i] = line + f" Catatan revisi {tag}."
            changed += 1
    path.write_text("\n".join(lines), encoding="utf-8")
