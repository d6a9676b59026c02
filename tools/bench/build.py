"""Section 4, build and reload: a generated 10k-passage knowledge base opened from its embedding cache, then
reloaded after a one-article edit. It runs before section 3, which serves the knowledge base built here."""

from __future__ import annotations

from datetime import date

import numpy as np

from bot.config import load_settings
from bot.services import open_knowledge_base
from embeddings.build import build_snapshot, text_hash
from knowledge.chunker import split_into_passages
from knowledge.loader import load_articles
from knowledge.text import split_sentences
from tools.bench.data import SECTIONS_PER_ARTICLE, edit_article, write_generated_articles
from tools.bench.run import GeneratedKB, Run, stopwatch
from tools.report import Section, Table, check

RELOAD_SECONDS = 2.0


def prepare_knowledge_base(run: Run) -> dict[str, float]:
    """A 10k-passage knowledge folder; its embedding cache is filled by a real build (--full) or derived vectors."""
    folder, data_dir = run.tmp / "kb", run.tmp / "kb-data"
    slugs = write_generated_articles(run.pool, folder, run.sizes.kb_articles, SECTIONS_PER_ARTICLE, run.seed)
    settings = load_settings(knowledge_dir=folder, bot_data_dir=data_dir, embedding_model=run.model)
    kb = open_knowledge_base(settings, lambda: run.encoder)
    articles = load_articles(folder, today=date.today()).articles
    if run.full:  # the real thing: every passage through the model, the cache filled as a side effect
        with stopwatch() as timer:
            _, stats = build_snapshot(articles, run.encoder, kb.cache)
        run.scratch_build = ("the generated knowledge base", stats.passages, timer.seconds)
    else:  # what the build embeds: every passage, and every sentence of it (to choose answer sentences)
        passages = [p for article in articles for p in split_into_passages(article)]
        sentences = list(dict.fromkeys(s for p in passages for s in split_sentences(p.text)))
        rng = np.random.default_rng(run.seed)
        kb.cache.put_many(run.model, zip((text_hash(p.indexed_text) for p in passages),
                                         run.pool.vector_of_text(rng, [p.text for p in passages])))
        kb.cache.put_many(run.model, zip(map(text_hash, sentences), run.pool.vector_of_text(rng, sentences)))
    with stopwatch() as opening:
        kb.open()
    edit_article(folder / f"{slugs[0]}.md", 1, "satu")
    with stopwatch() as reload:
        report = kb.rebuild()
    run.kb = GeneratedKB(folder, data_dir, kb, slugs)
    return {"open_s": opening.seconds, "reload_s": reload.seconds, "reload_build_s": report.seconds,
            "reload_embedded": report.embedded, "passages": report.passages, "articles": report.articles}


def measure(run: Run, section: Section) -> None:
    figures = prepare_knowledge_base(run)
    what, passages, seconds = run.scratch_build
    run.figures["build"] = {**figures, "scratch_passages": passages, "scratch_s": seconds}
    table = Table("Indexing and reloading", ["what", "passages", "time (s)", "passages/s", "target"])
    table.add("index from scratch (embed + BM25 + FAISS)", f"{passages:,}", f"{seconds:.1f}", f"{passages / seconds:.0f}",
              "report only")
    table.add(f"open: build all {figures['passages']:,} passages from the embedding cache, publish",
              f"{figures['passages']:,}", f"{figures['open_s']:.2f}", f"{figures['passages'] / figures['open_s']:.0f}",
              "report only")
    table.add(f"reload after editing one article ({figures['reload_embedded']} passage(s) re-embedded)",
              f"{figures['passages']:,}", check(figures["reload_s"], RELOAD_SECONDS, "{:.2f}"), "",
              f"≤ {RELOAD_SECONDS:.0f} s")
    table.notes += [
        f"knowledge base: {figures['articles']} generated articles × {SECTIONS_PER_ARTICLE} sections of 50-150 words "
        f"(recombined tydiqa sentences) = {figures['passages']:,} passages, in a temporary folder.",
        "reload = `KnowledgeBase.rebuild()`: load and validate every file, chunk, hash, cache look-up, embed "
        f"what changed, BM25 + FAISS, publish with fsync; of its {figures['reload_s']:.2f} s, "
        f"{figures['reload_build_s']:.2f} s is `build_snapshot`.",
    ]
    if run.full:
        table.notes.append("from scratch: `build_snapshot` over the generated 10k-passage knowledge base, every "
                           "passage through the model.")
    else:
        table.notes.append(f"from scratch (--quick): the {passages:,}-passage {what} index of section 1; "
                           "--full indexes the 10k-passage knowledge base. In --quick the embedding cache is "
                           "pre-filled with derived vectors of the passages and their sentences (see section 2), so "
                           "the cache path is what is timed.")
    section.tables.append(table)
