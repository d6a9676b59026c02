"""Labelled answer sentences (#14): which sentence of a passage holds what the question asks.

A labelled example is a question, the sentences of one passage (split as the bot splits them) and which of
them contain an answer string. Two sources: our gold sets (`gold_examples`: each passage the bot would read
for a question, labelled by the question's key facts), on which the selector is trained, and the benchmarks
tydiqa-id and facqa-id (`build_examples`: the gold passage, labelled by the answer strings), on which the
benchmark report scores it. A method chooses one sentence; its score is the share of questions whose chosen
sentence contains an answer. Methods: the first sentence, the sentence sharing the most IDF-weighted
question words (what bot/answer.py ranked by before), a random one (seeded), and the trained selector
(bot/sentences.py). Both the selector's training (tools/train_selector.py) and the benchmark report call this
module.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.candidates import passage_features
from bot.decision import Policy, decide
from bot.pipeline import Asked
from bot.sentences import FEATURES, QuestionCues, SentenceSelector, sentence_features
from embeddings.encoder import Encoder
from embeddings.lexical import LexicalIndex
from embeddings.query import Query
from embeddings.snapshot import Snapshot
from knowledge.text import split_sentences, tokenize
from tools.evaluate import EvalSet
from tools.irdata import Benchmark, load_benchmark
from tools.report import Table

BENCHMARKS = ("tydiqa-id", "facqa-id")
RANDOM_SEED = 0
METHODS = ("first", "overlap", "random", "selector")
METHOD_NAMES = {"first": "first sentence", "overlap": "most IDF-weighted question words",
                "random": f"random (seed {RANDOM_SEED})", "selector": "selector (ours)"}


@dataclass(frozen=True, eq=False)
class Example:
    """One question and the sentences of its gold passage, with what the selector reads of them."""

    question: str
    kind: str  # bot.sentences.answer_type
    sentences: tuple[str, ...]
    labels: np.ndarray  # bool per sentence: contains a gold answer string
    features: np.ndarray  # (len(sentences), len(FEATURES))


def answer_labels(sentences: Sequence[str], answers: Sequence[str]) -> np.ndarray:
    """Which sentences contain an answer string (case-insensitive)."""
    wanted = [answer.casefold() for answer in answers if answer.strip()]
    return np.array([any(answer in sentence.casefold() for answer in wanted) for sentence in sentences], dtype=bool)


def build_examples(bench: Benchmark, splits: Sequence[str], encoder: Encoder) -> dict[str, list[Example]]:
    """The labelled examples of each split: IDF and word forms from a lexical index over the benchmark's
    whole corpus (as the bot's index is over its whole knowledge base), cosines from `encoder`."""
    index = LexicalIndex.build([tokenize(text) for text in bench.texts])
    text_of = dict(zip(bench.ids, bench.texts))
    prepared = []
    for split in splits:
        for question in bench.split(split):
            passages = [split_sentences(text_of[pid]) for pid in bench.ids if pid in question.relevant]
            # the one question in both benchmarks with two gold chunks: the chunk that holds its answer
            sentences = next((s for s in passages if answer_labels(s, question.answers).any()), passages[0])
            prepared.append((split, question, Query.parse(question.text, index.known_forms), sentences))
    texts = list(dict.fromkeys(s for _, _, _, sentences in prepared for s in sentences))
    row = {text: i for i, text in enumerate(texts)}
    sentence_vectors = encoder.encode(texts)
    question_vectors = encoder.encode([query.expanded for _, _, query, _ in prepared])  # as the bot embeds them
    examples: dict[str, list[Example]] = {split: [] for split in splits}
    for (split, question, query, sentences), vector in zip(prepared, question_vectors):
        cues = QuestionCues.of(query, index.idf)
        similarities = sentence_vectors[[row[s] for s in sentences]] @ vector
        examples[split].append(Example(question.text, cues.kind, tuple(sentences),
                                       answer_labels(sentences, question.answers),
                                       sentence_features(cues, sentences, similarities)))
    return examples


def gold_examples(snapshot: Snapshot, gold: EvalSet, asked: Sequence[Asked],
                  policy: Policy = Policy()) -> list[Example]:
    """Examples as the bot meets them: for each answerable question of a gold set that the bot answers, one per
    passage its decision keeps (the passages bot/candidates.py reads), the sentences labelled by the question's
    key facts. `asked` is the set searched (tools.evaluate.search), its first questions in order. Only the first
    question of a message counts: the key fact is written for it."""
    examples = []
    for question, searched in zip(gold.questions, asked):
        found = searched.retrieved[0]
        decision = decide(found, policy)
        if not decision.answers:
            continue
        cues = QuestionCues.of(found.query, snapshot.lexical.idf)
        for hit in decision.confident:
            sentences, features = passage_features(cues, hit, found, snapshot)
            if sentences:
                examples.append(Example(question.text, cues.kind, sentences, answer_labels(sentences, question.facts),
                                        features))
    return examples


def choices(examples: Sequence[Example], method: str, selector: SentenceSelector | None = None) -> list[int]:
    """The sentence each method picks for each example (ties go to the earlier sentence)."""
    if method == "first":
        return [0] * len(examples)
    if method == "overlap":
        column = FEATURES.index("coverage_sum")
        return [int(np.argmax(example.features[:, column])) for example in examples]
    if method == "random":
        rng = random.Random(RANDOM_SEED)
        return [rng.randrange(len(example.sentences)) for example in examples]
    if method == "selector" and selector is not None:
        return [int(np.argmax(selector.score(example.features))) for example in examples]
    raise ValueError(f"unknown method {method!r} (the selector needs a model)")


def accuracy(examples: Sequence[Example], chosen: Sequence[int]) -> float:
    """The share of examples whose chosen sentence contains an answer."""
    return float(np.mean([example.labels[i] for example, i in zip(examples, chosen)])) if examples else 0.0


def scores(examples: Sequence[Example], selector: SentenceSelector | None) -> dict[str, float]:
    """Every method's accuracy on the examples (the selector only when there is one)."""
    return {method: accuracy(examples, choices(examples, method, selector))
            for method in METHODS if method != "selector" or selector is not None}


def answer_sentence_table(examples: dict[tuple[str, str], Sequence[Example]],
                          selector: SentenceSelector | None) -> Table:
    """One row per (benchmark, split): questions, sentences per passage, and each method's accuracy."""
    methods = [m for m in METHODS if m != "selector" or selector is not None]
    table = Table("Answer sentence: does the chosen sentence of the gold passage hold the answer?",
                  ["benchmark", "split", "questions", "sentences / passage", *(METHOD_NAMES[m] for m in methods)])
    for (bench, split), rows in examples.items():
        measured = scores(rows, selector)
        table.add(bench, split, len(rows), float(np.mean([len(e.sentences) for e in rows])),
                  *(measured[m] for m in methods))
    table.notes += [
        "A question counts when the one sentence a method picks from its gold passage contains a gold answer "
        "string (case-insensitive); sentences are split with knowledge.text.split_sentences.",
        "Overlap is the IDF-weighted share of the question's concepts a sentence names (the bot's ranking "
        "before the selector); IDF from a lexical index over each benchmark's corpus.",
    ]
    return table


def answer_type_table(examples: dict[tuple[str, str], Sequence[Example]], selector: SentenceSelector) -> Table:
    """Overlap and selector accuracy per answer type, pooled over the benchmarks, for the split given."""
    table = Table("Answer sentence by answer type (both benchmarks pooled)",
                  ["split", "answer type", "questions", METHOD_NAMES["overlap"], METHOD_NAMES["selector"]])
    for split in dict.fromkeys(split for _, split in examples):
        pooled = [e for (_, s), rows in examples.items() if s == split for e in rows]
        for kind in sorted({e.kind for e in pooled}, key=lambda k: -sum(e.kind == k for e in pooled)):
            rows = [e for e in pooled if e.kind == kind]
            measured = scores(rows, selector)
            table.add(split, kind, len(rows), measured["overlap"], measured["selector"])
    return table


def benchmark_answer_sentences(benchmarks: Path, encoder: Encoder, selector: SentenceSelector | None = None,
                               splits: Sequence[str] = ("test",)) -> Table:
    """The answer-sentence table for the benchmark report: both benchmarks' `splits`, all four methods,
    with the shipped selector unless one is given."""
    return answer_sentence_table(benchmark_examples(benchmarks, encoder, splits), selector or SentenceSelector.load())


def benchmark_examples(benchmarks: Path, encoder: Encoder,
                       splits: Sequence[str] = ("test",)) -> dict[tuple[str, str], list[Example]]:
    """Both benchmarks' labelled examples, by (benchmark, split)."""
    examples = {}
    for name in BENCHMARKS:
        built = build_examples(load_benchmark(benchmarks / name), splits, encoder)
        examples.update({(name, split): built[split] for split in splits})
    return examples
