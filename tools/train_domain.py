"""Second stage: tune the Indonesian model on our own gold questions, so dense retrieval tells sections apart.

    python -m tools.train_domain --base models/minilm-id --out models/minilm-id-domain

Stage one (tools/train_minilm.py) taught all-MiniLM-L6-v2 Indonesian on Wikipedia questions. Workers ask
otherwise ("nenkin bisa dicairin ga?"), in English about Indonesian articles, and the section that answers sits
among sections of the same article that share its words. Each answerable question of the gold sets in
tests/eval (each follow-up as the bot understands it) becomes a triplet: the question as the encoder sees it,
the best-ranked passage holding its key fact, and the best-ranked one that does not (often the section that
wrongly beats it). The sets in --hold-out are never used, nor, naturally, any set written after the model:
they measure it. Needs the `train` extra; the base model runs on torch.
"""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import click

from bot.config import Settings
from bot.pipeline import Pipeline
from embeddings.build import build_snapshot
from embeddings.encoder import Encoder, SentenceTransformerEncoder
from embeddings.snapshot import Snapshot
from knowledge.loader import load_articles
from tools.evaluate import EVAL_DIR, is_dialogue_set, load_dialogues, load_eval_set
from tools.train_minilm import Hyperparameters, load_model, save_model, train

HELD_OUT = ("twentyfifth", "twentysixth", "twentyseventh", "twentyeighth", "twentyninth", "thirtieth", "real4",
            "dialogues12", "dialogues13", "dialogues14", "dialogues15", "dialogues16", "dialogues17")
"""Never trained on, so they measure the model: the newest blind sets when the shipped model was tuned, and the
ones written after it (add each new set here, or a retrained model learns the questions that measure it)."""
SEARCH_DEPTH = 20  # hits searched for the fact's passage and a hard negative


@dataclass(frozen=True, slots=True)
class Asking:
    """One gold question: what the worker wrote, the chat message before it, and the key fact strings."""

    text: str
    previous: str | None
    facts: tuple[str, ...]


def gold_questions(folder: Path, hold_out: Iterable[str]) -> tuple[list[Asking], list[str]]:
    """The answerable questions of every set in `folder` but the held-out ones, and the sets they came from."""
    held, asked, used = set(hold_out), [], []
    for path in sorted(folder.glob("*.yaml")):
        if path.stem in held:
            continue
        if is_dialogue_set(path):
            asked += [Asking(d.then, d.first, d.facts) for d in load_dialogues(path) if d.articles]
        else:
            asked += [Asking(q.text, None, q.facts) for q in load_eval_set(path).questions]
        used.append(path.stem)
    return asked, used


def _holds(text: str, facts: Sequence[str]) -> bool:
    return any(fact.lower() in text.lower() for fact in facts)


def triplets(snapshot: Snapshot, encoder: Encoder, asked: Sequence[Asking]) -> tuple[list[dict], dict[str, int]]:
    """(anchor, positive, negative) rows, searched as the bot searches: each question of a message as it is
    understood, encoded as the encoder sees it, against passages as they are indexed."""
    found = Pipeline().retrieve(snapshot, encoder, [a.text for a in asked], previous=[a.previous for a in asked],
                                k=SEARCH_DEPTH)
    rows, stats = [], {"questions": len(asked), "fact_in_hits": 0, "fact_elsewhere": 0, "no_fact_passage": 0}
    for asking, message in zip(asked, found):
        made = 0
        for retrieved in message.retrieved:
            hits = retrieved.hits
            positive = next((hit for hit in hits if _holds(hit.passage.text, asking.facts)), None)
            negative = next((hit for hit in hits if not _holds(hit.passage.text, asking.facts)), None)
            if positive is not None and negative is not None:
                rows.append({"anchor": retrieved.query.expanded, "positive": positive.passage.indexed_text,
                             "negative": negative.passage.indexed_text})
                made += 1
        if made:
            stats["fact_in_hits"] += 1
            continue
        # not retrieved at all: the passage that holds it is the lesson, the best hit the mistake
        elsewhere = next((p for p in snapshot.passages if _holds(p.text, asking.facts)), None)
        retrieved = message.retrieved[0]
        if elsewhere is None or not retrieved.hits:
            stats["no_fact_passage"] += 1
            continue
        rows.append({"anchor": retrieved.query.expanded, "positive": elsewhere.indexed_text,
                     "negative": retrieved.hits[0].passage.indexed_text})
        stats["fact_elsewhere"] += 1
    return rows, stats


def _record(out: Path, base: Path, used: list[str], hold_out: Sequence[str], stats: dict, hp: Hyperparameters,
            seconds: float, steps: int, rows: int) -> None:
    """The stage's record beside the model: in training.json under "domain", and a section of TRAINING.md."""
    record = {"finished": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "base": str(base),
              "trained_on": used, "held_out": list(hold_out), "data": stats, "triplets": rows,
              "hyperparameters": dataclasses.asdict(hp),
              "steps": steps, "training_seconds": round(seconds, 1)}
    path = out / "training.json"
    stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    stored["domain"] = record
    path.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    notes = out / "TRAINING.md"
    text = notes.read_text(encoding="utf-8") if notes.exists() else ""
    text = text.split("\n## Stage two", 1)[0].rstrip() + "\n\n" + (
        "## Stage two: our own questions (tools/train_domain.py)\n\n"
        f"Tuned further from `{base}` on {rows} triplets from {stats['questions']} answerable questions of "
        f"{len(used)} gold sets ({stats['fact_in_hits']} with the fact's passage among the first {SEARCH_DEPTH} "
        f"hits, {stats['fact_elsewhere']} taken from elsewhere in the knowledge base); {steps} steps, "
        f"{seconds / 60:.0f} min on CPU. Never trained on (they measure it): {', '.join(hold_out)}, and every set "
        "written later. Trained on: " + ", ".join(used) + ".\n")
    notes.write_text(text, encoding="utf-8")


@click.command()
@click.option("--base", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The stage-one model folder, models/minilm-id.")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the tuned model, e.g. models/minilm-id-domain.")
@click.option("--hold-out", default=",".join(HELD_OUT), show_default=True, help="Gold sets never trained on.")
@click.option("--epochs", type=float, default=1.0, show_default=True)
@click.option("--seed", type=int, default=13, show_default=True)
def main(base: Path, out: Path, hold_out: str, epochs: float, seed: int) -> None:
    """Mine triplets with the base model over the shipped articles, fine-tune it on them, save it to --out."""
    settings = Settings()
    held = [name for name in hold_out.split(",") if name]
    encoder = SentenceTransformerEncoder(str(base))
    loaded = load_articles(settings.knowledge_dir, today=date.today())
    snapshot, _ = build_snapshot(loaded.articles, encoder)  # no scope model: what is retrieved does not use it
    asked, used = gold_questions(EVAL_DIR, held)
    rows, stats = triplets(snapshot, encoder, asked)
    random.Random(seed).shuffle(rows)
    click.echo(f"{len(rows)} triplets from {stats}", err=True)
    hp = Hyperparameters(epochs=epochs, seed=seed)
    model = load_model(str(base))
    model.max_seq_length = hp.max_seq_length
    seconds, steps = train(model, rows, hp)
    out.mkdir(parents=True, exist_ok=True)
    save_model(model, out, fp16=True)
    for name in ("TRAINING.md", "training.json"):  # stage one's record, which stage two extends
        if (base / name).exists() and not (out / name).exists():
            (out / name).write_text((base / name).read_text(encoding="utf-8"), encoding="utf-8")
    _record(out, base, used, held, stats, hp, seconds, steps, len(rows))
    click.echo(f"saved {out}; export it with `python -m tools.onnx_export` and rebuild the index", err=True)


if __name__ == "__main__":
    main()
