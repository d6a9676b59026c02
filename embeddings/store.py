"""Snapshots on disk: versioned folders, an atomic CURRENT pointer, and the embedding cache.

A version folder is written completely under a temporary name, then renamed; only after that is
CURRENT replaced (os.replace is atomic). A reader therefore sees the old index or the new one,
never half of one, even if the process is killed mid-build. Publishing holds a lock file, so the bot and
`python -m bot reindex` never publish at once, and a staging folder found while holding it is a dead one's.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from pathlib import Path

import numpy as np

from embeddings.dense import DenseIndex
from embeddings.lexical import LexicalIndex
from embeddings.scope import ScopeModel, feature_count
from embeddings.snapshot import INDEX_FORMAT, Manifest, Snapshot
from knowledge.model import Article, Passage
from knowledge.text import TOKENIZER_ID

logger = logging.getLogger(__name__)

KEEP_VERSIONS = 2  # the live version and the one before it, for /rollback
KNOWLEDGE_COPY = "knowledge"  # in a version folder: the knowledge files it was built from, for /rollback


class IndexMismatch(Exception):
    """The index on disk was built by another model or is damaged; it must be rebuilt."""


class IndexStore:
    """The `index/` folder under BOT_DATA_DIR."""

    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir) / "index"

    def current_version(self) -> str | None:
        pointer = self.root / "CURRENT"
        return pointer.read_text(encoding="utf-8").strip() or None if pointer.exists() else None

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """One publisher at a time, across processes; the lock goes with the process if it is killed."""
        with self._lock_file(".lock", wait=True):
            yield

    def rebuilding(self, wait: bool = False) -> contextlib.AbstractContextManager[bool]:
        """One rebuild at a time among every process and thread sharing this folder; yields whether this one may
        build: without `wait`, False at once when another is building."""
        return self._lock_file(".reload.lock", wait)

    @contextmanager
    def _lock_file(self, name: str, wait: bool) -> Iterator[bool]:
        """An exclusive flock on `name` (threads conflict too: each opens the file apart); it goes with the
        process if it is killed."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / name, "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def publish(self, snapshot: Snapshot, files: Mapping[str, bytes] | None = None) -> str:
        """Write the snapshot as a new version and make it current, atomically. A failed publish (a full disk)
        removes what it wrote. `files` are the knowledge files it was built from (name -> bytes), kept with
        it so that a roll-back restores the articles and the index together."""
        version = version_of(snapshot)
        with self._locked():
            self._remove_leftovers()
            staging = self.root / f".tmp-{version}-{os.getpid()}"
            pointer_tmp = self.root / f".CURRENT-{os.getpid()}"
            try:
                staging.mkdir()
                if files is not None:  # before the snapshot, whose manifest marks a complete folder
                    (staging / KNOWLEDGE_COPY).mkdir()
                    for name, data in files.items():
                        (staging / KNOWLEDGE_COPY / name).write_bytes(data)
                _write_snapshot(staging, snapshot)
                final = self.root / version
                shutil.rmtree(final, ignore_errors=True)
                staging.rename(final)
                pointer_tmp.write_text(version, encoding="utf-8")
                _fsync(pointer_tmp)
                os.replace(pointer_tmp, self.root / "CURRENT")
            finally:
                shutil.rmtree(staging, ignore_errors=True)
                pointer_tmp.unlink(missing_ok=True)
            self._remove_old_versions(keep=version)
        return version

    def load(self, expected_model: str) -> Snapshot | None:
        """The current snapshot, or None if none was published; IndexMismatch if it cannot be trusted."""
        try:
            version = self.current_version()
        except (OSError, UnicodeDecodeError) as error:  # CURRENT holding garbage must not stop the start
            raise IndexMismatch(f"CURRENT cannot be read ({type(error).__name__}: {error})") from error
        if version is None:
            return None
        return self.load_version(version, expected_model)

    def load_previous(self, expected_model: str) -> Snapshot | None:
        """The newest kept version other than the current one that loads and fits: served when the current one
        cannot be read, until a rebuild replaces it (or instead, if the articles no longer build)."""
        try:
            current = self.current_version()
        except (OSError, UnicodeDecodeError):
            current = None
        for folder in sorted(self._version_folders(), reverse=True):  # versions are named by build time
            if folder.name == current:
                continue
            try:
                snapshot = self.load_version(folder.name, expected_model)
            except IndexMismatch as problem:
                logger.info("Not falling back to %s: %s", folder.name, problem)
                continue
            logger.warning("Serving the previous index version %s", folder.name)
            return snapshot
        return None

    def earlier_version(self) -> str | None:
        """The newest kept version built before the current one: what /rollback returns to."""
        current = self.current_version()
        older = sorted(f.name for f in self._version_folders() if current is None or f.name < current)
        return older[-1] if older else None

    def knowledge_files(self, version: str) -> dict[str, bytes] | None:
        """The knowledge files a version was built from; None for a version published without them."""
        folder = self.root / version / KNOWLEDGE_COPY
        if not folder.is_dir():
            return None
        return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}

    def roll_back_to(self, version: str) -> None:
        """Make an earlier kept version current, and remove the versions built after it: the roll-back is an
        undo, and the next publish follows on from it."""
        with self._locked():
            if not (self.root / version / "manifest.json").exists():
                raise IndexMismatch(f"index {version} is not kept")
            pointer_tmp = self.root / f".CURRENT-{os.getpid()}"
            try:
                pointer_tmp.write_text(version, encoding="utf-8")
                _fsync(pointer_tmp)
                os.replace(pointer_tmp, self.root / "CURRENT")
            finally:
                pointer_tmp.unlink(missing_ok=True)
            for later in [f for f in self._version_folders() if f.name > version]:
                shutil.rmtree(later, ignore_errors=True)

    def _version_folders(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return [path for path in self.root.iterdir() if path.is_dir() and not path.name.startswith(".")]

    def load_version(self, version: str, expected_model: str) -> Snapshot:
        """One kept version; IndexMismatch if it is damaged, removed meanwhile, or not for this model."""
        folder = self.root / version
        try:
            snapshot = _read_snapshot(folder)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise IndexMismatch(f"index {version} is damaged ({type(error).__name__}: {error})") from error
        if snapshot.manifest.model != expected_model:
            raise IndexMismatch(
                f"index {version} was built with {snapshot.manifest.model!r}, not the configured {expected_model!r}"
            )
        if snapshot.manifest.tokenizer != TOKENIZER_ID:  # its keyword index would not match the questions' tokens
            raise IndexMismatch(f"index {version} was built with another tokenizer (stop words or stemmer changed)")
        if snapshot.manifest.format != INDEX_FORMAT:
            raise IndexMismatch(f"index {version} has format {snapshot.manifest.format}, not {INDEX_FORMAT}")
        return snapshot

    def _remove_old_versions(self, keep: str) -> None:
        versions = sorted(self._version_folders())
        for stale in [path for path in versions if path.name != keep][: max(0, len(versions) - KEEP_VERSIONS)]:
            shutil.rmtree(stale, ignore_errors=True)

    def _remove_leftovers(self) -> None:
        """Under the lock, a staging folder or pointer is a killed publisher's, whatever its process id: in a
        container the bot is restarted with the same one, and another process's live one holds the lock."""
        for leftover in [*self.root.glob(".tmp-*"), *self.root.glob(".CURRENT-*")]:
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)


def version_of(snapshot: Snapshot) -> str:
    """A version's folder name: its build time (so names sort by age) and its corpus."""
    return snapshot.manifest.built_at.replace(":", "").replace("-", "") + "-" + snapshot.manifest.corpus_hash[:8]


def _write_snapshot(folder: Path, snapshot: Snapshot) -> None:
    with open(folder / "passages.jsonl", "w", encoding="utf-8") as out:
        for passage in snapshot.passages:
            out.write(json.dumps(_passage_to_dict(passage), ensure_ascii=False) + "\n")
    articles = [_article_to_dict(article) for article in snapshot.articles.values()]
    (folder / "articles.json").write_text(json.dumps(articles, ensure_ascii=False), encoding="utf-8")
    snapshot.dense.save(folder)
    snapshot.lexical.save(folder)
    if snapshot.sentence_vectors is not None:
        np.save(folder / "sentence_vectors.npy", snapshot.sentence_vectors)
    if snapshot.scope is not None:
        np.save(folder / "scope.npy", snapshot.scope.to_array())
    # the manifest goes last: its presence marks a complete folder
    (folder / "manifest.json").write_text(json.dumps(asdict(snapshot.manifest), indent=2), encoding="utf-8")
    for path in folder.rglob("*"):
        if path.is_file():
            _fsync(path)


def _read_snapshot(folder: Path) -> Snapshot:
    manifest = Manifest(**json.loads((folder / "manifest.json").read_text(encoding="utf-8")))
    with open(folder / "passages.jsonl", encoding="utf-8") as lines:
        passages = tuple(Passage(**json.loads(line)) for line in lines)
    articles = {
        item["slug"]: _article_from_dict(item)
        for item in json.loads((folder / "articles.json").read_text(encoding="utf-8"))
    }
    dense = DenseIndex.load(folder)
    lexical = LexicalIndex.load(folder)
    if not (len(passages) == manifest.passages == len(dense.vectors) == lexical.size):
        raise ValueError(f"{folder.name}: passage counts disagree between manifest and files")
    if dense.vectors.shape[1] != manifest.dimension:
        raise ValueError(f"{folder.name}: vector dimension {dense.vectors.shape[1]} != manifest {manifest.dimension}")
    scope = ScopeModel.from_array(np.load(folder / "scope.npy")) if (folder / "scope.npy").exists() else None
    if scope is not None and scope.weights.shape != (feature_count(manifest.dimension),):
        raise ValueError(f"{folder.name}: scope model of {scope.weights.shape} features, not for {manifest.dimension}")
    sentences = folder / "sentence_vectors.npy"
    sentence_vectors = np.load(sentences) if sentences.exists() else None
    snapshot = Snapshot(manifest, passages, articles, lexical, dense, scope, sentence_vectors)
    if sentence_vectors is not None and len(sentence_vectors) != snapshot._sentence_start[-1]:
        raise ValueError(f"{folder.name}: {len(sentence_vectors)} sentence vectors for "
                         f"{snapshot._sentence_start[-1]} sentences")
    return snapshot


def _passage_to_dict(passage: Passage) -> dict:
    return {name: getattr(passage, name) for name in ("id", "article", "title", "section", "text")}


def _article_to_dict(article: Article) -> dict:
    return {
        "slug": article.slug, "title": article.title, "body": article.body, "sources": list(article.sources),
        "as_of": article.as_of.isoformat(), "lang": article.lang, "topics": list(article.topics),
    }


def _article_from_dict(item: Mapping) -> Article:
    return Article(
        slug=item["slug"], title=item["title"], body=item["body"], sources=tuple(item["sources"]),
        as_of=date.fromisoformat(item["as_of"]), lang=item["lang"], topics=tuple(item["topics"]),
    )


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


class EmbeddingCache:
    """Vectors keyed by (model, text hash), so a rebuild embeds only new or edited passages.

    Only a cache: a damaged file is deleted and started afresh (its vectors are embedded again), never a
    reason not to start or not to publish."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._create()
        except sqlite3.DatabaseError as error:
            if not self._reset_if_damaged(error):
                raise
            self._create()

    def _create(self) -> None:
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS embeddings ("
                " model TEXT NOT NULL, text_hash TEXT NOT NULL, vector BLOB NOT NULL,"
                " PRIMARY KEY (model, text_hash))"
            )

    def _reset_if_damaged(self, error: sqlite3.DatabaseError) -> bool:
        """Whether the error says the file is damaged (then it is gone): locked or full are not damage."""
        if error.sqlite_errorname not in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
            return False
        logger.warning("The embedding cache is damaged (%s): starting a new one", error)
        for path in (self.path, Path(f"{self.path}-journal")):
            path.unlink(missing_ok=True)
        self._create()
        return True

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A short-lived connection per call: each build runs in its own thread."""
        db = sqlite3.connect(self.path, timeout=30)
        try:
            with db:  # commits, or rolls back on error
                yield db
        finally:
            db.close()

    def get_many(self, model: str, text_hashes: Sequence[str]) -> dict[str, np.ndarray]:
        try:
            return self._get_many(model, text_hashes)
        except sqlite3.DatabaseError as error:
            if not self._reset_if_damaged(error):
                raise
            return {}

    def _get_many(self, model: str, text_hashes: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._connect() as db:
            for start in range(0, len(text_hashes), 500):  # SQLite's bound-parameter limit
                chunk = list(text_hashes[start : start + 500])
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    f"SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN ({marks})",
                    [model, *chunk],
                )
                found.update((text_hash, np.frombuffer(blob, dtype=np.float32)) for text_hash, blob in rows)
        return found

    def put_many(self, model: str, items: Iterable[tuple[str, np.ndarray]]) -> None:
        rows = [(model, text_hash, np.asarray(vector, dtype=np.float32).tobytes()) for text_hash, vector in items]
        try:
            with self._connect() as db:
                db.executemany("INSERT OR REPLACE INTO embeddings (model, text_hash, vector) VALUES (?, ?, ?)", rows)
        except sqlite3.DatabaseError as error:
            if not self._reset_if_damaged(error):
                raise
