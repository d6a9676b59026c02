"""A question prepared for search: normalised, expanded with synonyms, tokenised, split into concepts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from knowledge.glossary import expand_query, matched_groups, normalise_informal
from knowledge.text import tokenize


@dataclass(frozen=True, slots=True)
class Query:
    text: str  # as the user wrote it
    expanded: str  # normalised, plus the other names of the concepts it mentions: what both indexes see
    tokens: tuple[str, ...]  # stemmed tokens of `expanded`
    concepts: tuple[tuple[str, frozenset[str]], ...]  # each token of the question, and the tokens that satisfy it

    @classmethod
    def parse(cls, text: str, known_forms: Callable[[str], Iterable[str]] | None = None) -> Query:
        """Prepare a question; `known_forms` maps a word the index lacks to the indexed words it may mean."""
        normalised = normalise_informal(text)
        alternatives = {token: {token} for token in tokenize(normalised)}
        for group, terms in matched_groups(normalised):
            synonyms = set(tokenize(" ".join(group)))
            for term in terms:
                for token in tokenize(term):
                    alternatives.setdefault(token, {token}).update(synonyms)
        resolved: list[str] = []
        if known_forms is not None:
            for token, alts in alternatives.items():
                if len(alts) == 1:
                    forms = [form for form in known_forms(token) if form != token]
                    alts.update(forms)
                    resolved += forms
        expanded = " ".join([expand_query(text), *resolved])
        return cls(
            text=text,
            expanded=expanded,
            tokens=tuple(tokenize(expanded)),
            concepts=tuple((token, frozenset(alts)) for token, alts in alternatives.items()),
        )
