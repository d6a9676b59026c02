"""A question prepared for search: normalised, expanded with synonyms, tokenised, split into concepts."""

from __future__ import annotations

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
    def parse(cls, text: str) -> Query:
        normalised = normalise_informal(text)
        expanded = expand_query(text)
        alternatives = {token: {token} for token in tokenize(normalised)}
        for group, terms in matched_groups(normalised):
            synonyms = set(tokenize(" ".join(group)))
            for term in terms:
                for token in tokenize(term):
                    alternatives.setdefault(token, {token}).update(synonyms)
        return cls(
            text=text,
            expanded=expanded,
            tokens=tuple(tokenize(expanded)),
            concepts=tuple((token, frozenset(alts)) for token, alts in alternatives.items()),
        )
