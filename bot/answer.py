"""From a question and retrieved passages to an answer: extractive, cited, or a kind decline.

Extractive on purpose: every sentence shown is a sentence of a reviewed article, so the bot can
be wrong only in what it picks, never in what it says. No Telegram here, no I/O.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from bot.decision import MIN_COVERAGE, Decision
from embeddings.query import Query, names_in
from embeddings.snapshot import TOP_K, Hit, Retrieved, Snapshot
from knowledge.model import Article, Passage
from knowledge.text import detect_language, split_sentences, tokenize

WORD_BUDGET = 120  # words taken from the best passage: a phone screen, enough for a list of requirements
SUPPORT_SCORE = 0.75  # other passages add a sentence only when their fused score is this close to the best
MAX_SOURCES = 3
LANGUAGE_MARGIN = 0.5  # a same-language passage this close to the best is preferred: workers read their own language
MAX_RELATED = 3


@dataclass(frozen=True, slots=True)
class Source:
    number: int
    title: str
    as_of: date
    url: str | None
    stale: bool = False  # checked so long ago that the worker is told to check the official source


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    source: int  # Source.number


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    lang: str
    sentences: tuple[Sentence, ...]
    sources: tuple[Source, ...]
    hits: tuple[Hit, ...]  # the passages the sentences came from, best first
    related: tuple[Passage, ...]  # next-best sections: their headings are questions the knowledge base answers
    topics: tuple[str, ...] = ()  # of the article that answered, for statistics
    answered: bool = True
    carried: tuple[str, ...] = ()  # concepts understood from the question before (bot/followup.py), shown


@dataclass(frozen=True, slots=True)
class Decline:
    question: str
    lang: str
    reason: str  # one of bot.decision.REASONS
    contact_heading: str  # the contact section chosen, e.g. "Mengadu soal biaya atau penipuan: KP2MI"
    where_to_ask: tuple[Sentence, ...]  # its first sentences, cited like any answer
    sources: tuple[Source, ...]
    hits: tuple[Hit, ...]  # what was found, for the journal and the evaluation
    related: tuple[Passage, ...] = ()
    topics: tuple[str, ...] = ()
    answered: bool = False
    carried: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reply:
    """A message that asked several questions: a part for each, its sources numbered across all of them."""

    question: str
    lang: str
    parts: tuple[Answer | Decline, ...]
    sources: tuple[Source, ...]

    @property
    def answered(self) -> bool:
        return any(part.answered for part in self.parts)

    @property
    def hits(self) -> tuple[Hit, ...]:
        return tuple(hit for part in self.parts for hit in part.hits)

    @property
    def related(self) -> tuple[Passage, ...]:
        return next((part.related for part in self.parts if part.answered), ())

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(topic for part in self.parts for topic in part.topics))


def combine(question: str, lang: str, parts: Sequence[Answer | Decline]) -> Reply:
    """One reply to a message of several questions; a source cited by two parts keeps one number."""
    numbers: dict[str, int] = {}
    sources: list[Source] = []
    renumbered = []
    for part in parts:
        for source in part.sources:
            if source.title not in numbers:
                numbers[source.title] = len(sources) + 1
                sources.append(dataclasses.replace(source, number=numbers[source.title]))
        local = {source.number: numbers[source.title] for source in part.sources}
        field = "sentences" if isinstance(part, Answer) else "where_to_ask"
        moved = tuple(dataclasses.replace(s, source=local[s.source]) for s in getattr(part, field))
        renumbered.append(dataclasses.replace(part, **{field: moved}))
    return Reply(question, lang, tuple(renumbered), tuple(sources))


def compose(retrieved: Retrieved, decision: Decision, snapshot: Snapshot,
            stale_before: date = date.min) -> Answer | Decline:
    """The reply to one searched question, as the decision says: cited sentences, or where to ask instead.
    Sources checked before `stale_before` are marked so."""
    query, hits, articles, idf = retrieved.query, retrieved.hits[:TOP_K], snapshot.articles, snapshot.lexical.idf
    question = query.text
    lang = detect_language(question)
    if not decision.answers:
        contacts = snapshot.contacts if decision.points_to_contact else ()
        return _decline(question, lang, decision.reason, query, hits, articles, idf, contacts, stale_before)

    # A close runner-up in the worker's own language reads better than the top hit in another one.
    confident = decision.confident
    same_language = [hit for hit in confident if articles[hit.passage.article].lang == lang]
    best = confident[0]
    if same_language and same_language[0].score >= LANGUAGE_MARGIN * best.score:
        best = same_language[0]
    chosen: list[tuple[Hit, list[str]]] = [(best, _best_window(best.passage.text, query, idf))]
    for hit in same_language:
        if len(chosen) == MAX_SOURCES or hit.score < SUPPORT_SCORE * best.score:
            break
        if any(hit.passage.article == used.passage.article for used, _ in chosen):
            continue
        if not set(articles[hit.passage.article].topics) & set(articles[best.passage.article].topics):
            continue  # support stays on the answer's programme: no SSW rule under a magang answer
        sentence = _best_sentence(hit.passage.text, query, idf)
        if sentence:
            chosen.append((hit, [sentence]))

    sources = _number_sources([hit.passage.article for hit, _ in chosen], articles, stale_before)
    number = {source.title: source.number for source in sources}
    sentences = tuple(
        Sentence(text, number[articles[hit.passage.article].title]) for hit, texts in chosen for text in texts
    )
    used_sections = {(hit.passage.article, hit.passage.section) for hit, _ in chosen}
    return Answer(
        question=question,
        lang=lang,
        sentences=sentences,
        sources=sources,
        hits=tuple(hit for hit, _ in chosen),
        related=_related(hits, used_sections, articles, lang),
        topics=articles[best.passage.article].topics,
    )


def _sentence_score(sentence: str, query: Query, idf: Callable[[str], float]) -> float:
    words = set(tokenize(sentence))
    return sum(idf(token) for token, names in query.concepts if names_in(names, words))


def _best_window(text: str, query: Query, idf: Callable[[str], float]) -> list[str]:
    """The run of consecutive sentences within WORD_BUDGET that covers the question best.

    Consecutive, because list answers ("syaratnya: - usia…, - sehat…") share no words with the
    question item by item; the run around the matching sentence carries them.
    """
    sentences = split_sentences(text)
    scores = [_sentence_score(sentence, query, idf) for sentence in sentences]
    best_run, best_value = sentences[:1], -1.0
    for start in [0] + [i for i in range(1, len(sentences)) if not _points_back(sentences[i])]:
        words = 0
        for end in range(start, len(sentences)):
            words += len(sentences[end].split())
            if words > WORD_BUDGET and end > start:
                break
            value = sum(scores[start : end + 1])
            if value > best_value:
                best_run, best_value = sentences[start : end + 1], value
    return best_run


_DEMONSTRATIVES = frozenset({"itu", "ini", "tersebut", "this", "that", "these", "those", "it", "they"})


def _points_back(sentence: str) -> bool:
    """A sentence that names its subject by pointing back ("Aturan itu …", "Syarat seperti ini …", "This
    means …") needs the sentence before it, so an answer never starts there."""
    return any(word in _DEMONSTRATIVES for word in sentence.lower().split()[:3])


def _best_sentence(text: str, query: Query, idf: Callable[[str], float]) -> str | None:
    """A supporting sentence must on its own cover as much of the question as a passage must to answer.

    A sentence that announces a list ("harus memenuhi syarat berikut:") says nothing without the list, so it
    never supports on its own."""
    scored = [(_sentence_score(sentence, query, idf), sentence) for sentence in split_sentences(text)
              if not sentence.rstrip().endswith(":")]
    score, sentence = max(scored, key=lambda item: item[0], default=(0.0, None))
    total = sum(idf(token) for token, _ in query.concepts)
    return sentence if total and score / total >= MIN_COVERAGE else None


def _number_sources(slugs: Sequence[str], articles: Mapping[str, Article],
                    stale_before: date = date.min) -> tuple[Source, ...]:
    sources: list[Source] = []
    for slug in dict.fromkeys(slugs):
        article = articles[slug]
        url = article.sources[0] if article.sources else None
        sources.append(Source(len(sources) + 1, article.title, article.as_of, url, article.as_of < stale_before))
    return tuple(sources)


def _related(
    hits: Sequence[Hit], used_sections: set[tuple[str, str]], articles: Mapping[str, Article], lang: str
) -> tuple[Passage, ...]:
    """The next-best sections: their headings are phrased as a worker would ask, and answerable by construction."""
    related: list[Passage] = []
    for hit in hits:
        passage = hit.passage
        if ((passage.article, passage.section) in used_sections or not passage.section
                or passage.section in {p.section for p in related} or articles[passage.article].lang != lang):
            continue
        related.append(passage)
        if len(related) == MAX_RELATED:
            break
    return tuple(related)


def _decline(
    question: str,
    lang: str,
    reason: str,
    query: Query,
    hits: Sequence[Hit],
    articles: Mapping[str, Article],
    idf: Callable[[str], float],
    contacts: Sequence[Passage],
    stale_before: date = date.min,
) -> Decline:
    """Say where to ask instead: the contact section that fits the question; none for an unrelated question."""
    scored = [(_sentence_score(p.indexed_text, query, idf), -i, p) for i, p in enumerate(contacts)]
    score, _, best = max(scored, key=lambda item: item[:2], default=(0.0, 0, None))
    if best is None or score == 0:
        return Decline(question, lang, reason, "", (), (), tuple(hits))
    sentences: list[Sentence] = []
    words = 0
    for text in split_sentences(best.text):  # contact details tend to follow the first sentence: keep reading
        words += len(text.split())
        if sentences and words > WORD_BUDGET:
            break
        sentences.append(Sentence(text, 1))
    return Decline(question, lang, reason, best.section, tuple(sentences),
                   _number_sources([best.article], articles, stale_before), tuple(hits))
