"""A question prepared for search: normalised, expanded with synonyms, tokenised, split into concepts."""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass

from knowledge.glossary import (
    indonesian_for_english,
    informal_variants,
    matched_groups,
    normalise_informal,
    other_names,
)
from knowledge.text import detect_language, is_stop_word, tokenize


MAX_LOOKED_UP_WORDS = 32  # words of one question given to known_forms: a question has far fewer; crafted text more

Phrase = tuple[str, ...]
"""The tokens of one name of a concept; all of them must occur. "Kementerian Pelindungan Pekerja Migran"
is one name of KP2MI: a passage with just "pekerja" (-> "kerja") does not name it."""


def names_in(phrases: Iterable[Phrase], words: Container[str]) -> bool:
    """Whether any of the phrases occurs whole among the words."""
    return any(all(word in words for word in phrase) for phrase in phrases)


@dataclass(frozen=True, slots=True)
class Query:
    text: str  # as the user wrote it
    expanded: str  # normalised, plus the other names of the concepts it mentions: what both indexes see
    tokens: tuple[str, ...]  # stemmed tokens of `expanded`
    concepts: tuple[tuple[str, frozenset[Phrase]], ...]  # each token of the question, and the names that satisfy it

    @classmethod
    def parse(cls, text: str, known_forms: Callable[[str], Iterable[str]] | None = None) -> Query:
        """Prepare a question; `known_forms` maps a word the index lacks to the indexed words it may mean."""
        normalised = normalise_informal(text)
        alternatives: dict[str, set[Phrase]] = {token: {(token,)} for token in tokenize(normalised)}
        groups = matched_groups(normalised)
        for group, terms in groups:
            names = {phrase for phrase in (tuple(tokenize(name)) for name in group) if phrase}
            for term in terms:
                for token in tokenize(term):
                    alternatives.setdefault(token, {(token,)}).update(names)
        translated: list[str] = []
        if _looks_english(normalised):
            named_together = [tokenize(term) for _, terms in groups for term in terms]
            in_a_name = {token for tokens in named_together if len(tokens) > 1 for token in tokens}
            for term, indonesian in indonesian_for_english(normalised):
                names = {phrase for phrase in (tuple(tokenize(word)) for word in indonesian) if phrase}
                words = tokenize(term)
                if len(words) == 1 and words[0] in in_a_name:
                    continue  # "paid" of "paid leave" means paid leave, not "gaji" or "bayar" wherever they occur
                for token in words:
                    if names:
                        alternatives.setdefault(token, {(token,)}).update(names)
                    elif len(alternatives.get(token, ())) <= 1:
                        alternatives.pop(token, None)  # "after" is "setelah", a stop word: a frame word too
                translated += indonesian
        resolved: list[str] = []
        if known_forms is not None:
            unmatched = [token for token, alts in alternatives.items() if len(alts) == 1]
            for token in unmatched[:MAX_LOOKED_UP_WORDS]:
                forms = [form for form in known_forms(token) if form != token]
                if not forms and _informal_stop_word(token):
                    del alternatives[token]  # "carane" is "caranya": a frame word, not an unknown topic
                    continue
                alternatives[token].update((form,) for form in forms)
                resolved += forms
        expanded = " ".join([normalised, *other_names(groups), *translated, *resolved])
        return cls(
            text=text,
            expanded=expanded,
            tokens=tuple(tokenize(expanded)),
            concepts=tuple((token, frozenset(alts)) for token, alts in alternatives.items()),
        )


def _looks_english(text: str) -> bool:
    """Translate only English questions: "bank" or "status" in an Indonesian one is Indonesian already."""
    return detect_language(text) == "en"


def _informal_stop_word(token: str) -> bool:
    """Whether a word the index lacks is a stop word with a chat or regional suffix ("carane", "caranya").
    Only suffixes: a changed letter can turn a topic into a stop word ("agen" into "agan")."""
    return any(token.startswith(variant) and is_stop_word(variant) for variant in informal_variants(token))
