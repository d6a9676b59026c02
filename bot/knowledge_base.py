"""The live knowledge base: which snapshot answers questions now, and how it is replaced.

Reloads are serialised by a lock in the index folder, shared by every process serving it (replicas, `reindex`),
and built in a worker thread; publishing swaps one reference, so questions keep being answered from the old
snapshot until the new one is complete. A process that did not build follows CURRENT (`follow_published`).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from bot.knowledge_files import read_folder, restore_folder
from bot.question import prepare_question
from embeddings.build import build_snapshot, embed_cached, text_hash
from embeddings.encoder import Encoder
from embeddings.snapshot import Snapshot
from embeddings.store import EmbeddingCache, IndexMismatch, IndexStore, version_of
from knowledge.facts import check_facts
from knowledge.loader import load_articles
from knowledge.model import Article, Problem
from knowledge.routes import RouteRules, load_routes

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReloadReport:
    """What a rebuild did, for the admin who asked and for `reindex`."""

    published: bool
    articles: int = 0
    passages: int = 0
    embedded: int = 0
    added: tuple[str, ...] = ()  # article titles
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    seconds: float = 0.0
    problems: tuple[Problem, ...] = ()
    already_running: bool = False
    conflicts: tuple[Problem, ...] = ()  # key facts stated differently (knowledge/facts.py): published anyway


@dataclass(frozen=True, slots=True)
class RollbackReport:
    """What /rollback did, or why it did nothing."""

    done: bool
    refused: str = ""  # why not: "none" (no earlier version), "no_files" (kept without its knowledge files),
    # "unusable" (it cannot be served, e.g. built by another model)
    version: str = ""  # the version now served
    added: tuple[str, ...] = ()  # article titles, as a reload reports them
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    written: tuple[str, ...] = ()  # knowledge files put back
    deleted: tuple[str, ...] = ()  # knowledge files taken out (a copy is kept)


class KnowledgeBase:
    def __init__(
        self,
        knowledge_dir: Path,
        data_dir: Path,
        model: str,
        build_encoder: Callable[[], Encoder],
        today: Callable[[], date] = date.today,
    ) -> None:
        self.knowledge_dir = Path(knowledge_dir)
        self.model = model
        self.store = IndexStore(data_dir)
        self.cache = EmbeddingCache(Path(data_dir) / "embedding-cache.sqlite")
        self._make_build_encoder = build_encoder
        self._build_encoder: Encoder | None = None
        self._today = today
        self._swap_lock = threading.Lock()  # a rebuild's swap and a followed version's never cross
        self._unloadable: str | None = None  # a published version that failed to load: not tried every second
        self.snapshot: Snapshot | None = None
        self.version: str | None = None  # the version served, as named in CURRENT
        self.routes: RouteRules | None = None  # the route finder's rules, published with the snapshot

    def load_published(self) -> bool:
        """Serve the published index if it fits the configured model; a damaged or mismatched one is left for
        the next rebuild to replace, and meanwhile the newest kept version that loads is served. Whether the
        current one was loaded."""
        try:
            snapshot = self.store.load(self.model)
        except IndexMismatch as problem:
            logger.warning("Rebuilding the index: %s", problem)
            previous = self.store.load_previous(self.model)
            self.snapshot, self.version = previous, version_of(previous) if previous else None
            return False
        if snapshot is not None:
            logger.info("Loaded index: %d passages from %d articles", snapshot.manifest.passages,
                        snapshot.manifest.articles)
            self._serve(snapshot, self._routes_for(snapshot))
        return snapshot is not None

    def _routes_for(self, snapshot: Snapshot) -> RouteRules | None:
        routes, problems = load_routes(self.knowledge_dir, snapshot.articles.keys())
        for problem in problems:  # the route finder is off until an admin fixes the file and reloads
            logger.error("Route finder rules: %s", problem)
        return routes

    def _serve(self, snapshot: Snapshot, routes: RouteRules | None) -> None:
        with self._swap_lock:
            self.snapshot = snapshot  # the swap: one reference, atomic for every reader
            self.routes = routes
            self.version = version_of(snapshot)

    def follow_published(self) -> bool:
        """Serve the version another process published (a replica's reload, `reindex`), if CURRENT names one
        this process does not serve. Whether it swapped; a version that does not load is logged once and the
        one served is kept."""
        try:
            version = self.store.current_version()
        except (OSError, UnicodeDecodeError):
            return False
        if version is None or version in (self.version, self._unloadable):
            return False
        try:
            snapshot = self.store.load_version(version, self.model)
        except IndexMismatch as problem:
            if self.store.current_version() == version:  # not merely replaced while it was read
                logger.error("Not following the published index: %s", problem)
                self._unloadable = version
            return False
        routes = self._routes_for(snapshot)
        with self._swap_lock:
            if self.store.current_version() != version:
                return False  # a newer one was published meanwhile: the next call takes that one
            self.snapshot, self.routes, self.version = snapshot, routes, version
        logger.info("Now serving index version %s, published by another process", version)
        return True

    def open(self) -> ReloadReport | None:
        """Serve the published index, or build one (once) when there is none that fits. If that build fails,
        an older kept version may still be served: whether anything is served is `snapshot is not None`."""
        if self.load_published():
            return None
        with self.store.rebuilding(wait=True):  # replicas starting together: one builds, the others serve it
            if self.load_published():
                return None
            report = self._rebuild(refit_scope=False)
        if not report.published and self.snapshot is not None:
            logger.error("The index could not be rebuilt, serving an older version: %s",
                         "; ".join(str(problem) for problem in report.problems) or "another rebuild is running")
        return report

    def rebuild(self, refit_scope: bool = False, wait: bool = False) -> ReloadReport:
        """Load, validate, build and publish; with any invalid article nothing is published.
        The scope model is kept from the live snapshot unless its examples changed or `refit_scope`.
        A rebuild already running, in this process or another sharing the index, is reported as such, or with
        `wait` waited for (an upload must be published)."""
        with self.store.rebuilding(wait) as building:
            if not building:
                return ReloadReport(published=False, already_running=True)
            self.follow_published()  # what another process published is what this build changes
            return self._rebuild(refit_scope)

    def _rebuild(self, refit_scope: bool) -> ReloadReport:
        """Under the rebuild lock."""
        files = read_folder(self.knowledge_dir)  # kept with the version, for /rollback
        loaded = load_articles(self.knowledge_dir, today=self._today())
        if loaded.problems:
            return ReloadReport(published=False, articles=len(loaded.articles), problems=loaded.problems)
        snapshot, stats = build_snapshot(loaded.articles, self._encoder(), self.cache, scope=loaded.scope,
                                         previous=None if refit_scope else self.snapshot)
        conflicts = tuple(check_facts(loaded.articles, loaded.facts))
        self.store.publish(snapshot, files)
        old = self.snapshot.articles if self.snapshot else {}
        self._serve(snapshot, loaded.routes)
        return ReloadReport(published=True, articles=stats.articles, passages=stats.passages, embedded=stats.embedded,
                            **_title_changes(old, snapshot.articles), seconds=stats.seconds, conflicts=conflicts)

    def _encoder(self) -> Encoder:
        """The build encoder, made on first use (under the rebuild lock: an encoder must not be shared by threads)."""
        if self._build_encoder is None:
            self._build_encoder = self._make_build_encoder()
        return self._build_encoder

    def rollback(self, backups: Path) -> RollbackReport:
        """Serve the version published before the current one again, with the knowledge files it was built
        from (what they replace is kept in `backups`), and forget the versions after it; other processes follow
        CURRENT to it. Waits for a reload running: the two must not interleave."""
        with self.store.rebuilding(wait=True):
            self.follow_published()
            version = self.store.earlier_version()
            if version is None:
                return RollbackReport(False, "none")
            files = self.store.knowledge_files(version)
            if files is None:
                return RollbackReport(False, "no_files", version)
            try:
                snapshot = self.store.load_version(version, self.model)
            except IndexMismatch as problem:
                logger.warning("Cannot roll back to %s: %s", version, problem)
                return RollbackReport(False, "unusable", version)
            written, deleted = restore_folder(self.knowledge_dir, files, backups)
            self.store.roll_back_to(version)
            old = self.snapshot.articles if self.snapshot else {}
            self._serve(snapshot, self._routes_for(snapshot))
            return RollbackReport(True, version=version, **_title_changes(old, snapshot.articles),
                                  written=tuple(written), deleted=tuple(deleted))

    def question_vectors(self, questions: Sequence[str]) -> np.ndarray:
        """Questions embedded as the scope model reads them (cleaned, glossary-expanded), through the embedding
        cache, by the build encoder: the query lane's encoder is the workers', and an encoder must not be
        shared by threads, so this waits for a reload running."""
        with self.store.rebuilding(wait=True):
            snapshot = self.snapshot
            if snapshot is None:
                raise RuntimeError("the knowledge base is not loaded yet")
            texts = [snapshot.prepare(prepare_question(question)).expanded for question in questions]
            return embed_cached(texts, [text_hash("query\n" + text) for text in texts], self._encoder(), self.cache)

    async def reload(self, wait: bool = False) -> ReloadReport:
        """Rebuild off the event loop; a second reload while one runs is told so, unless it `wait`s."""
        return await asyncio.to_thread(self.rebuild, wait=wait)


def _title_changes(old: Mapping[str, Article], new: Mapping[str, Article]) -> dict[str, tuple[str, ...]]:
    return {
        "added": tuple(sorted(new[slug].title for slug in new.keys() - old.keys())),
        "changed": tuple(sorted(new[slug].title for slug in new.keys() & old.keys() if new[slug] != old[slug])),
        "removed": tuple(sorted(old[slug].title for slug in old.keys() - new.keys())),
    }
