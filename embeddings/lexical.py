"""BM25 over Indonesian-stemmed tokens (bm25s), plus the per-token view the confidence score needs.

Indonesian questions are poorly served by an English embedding model alone, and exact terms
(N4, JFT, kaigo) matter, so keyword search is half of every retrieval.
"""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np

from knowledge.glossary import informal_variants
from knowledge.text import is_root_word, is_stop_word, tokenize

logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets its logger to DEBUG when imported


TYPO_MIN_LENGTH = 5  # shorter words have too many one-letter neighbours to guess which was meant
COMPOUND_MIN_LENGTH, COMPOUND_MIN_PART = 6, 4  # a short word splits into fragments by chance ("anime": "ani" + "me")
# Longer "words" are no typo or compound anyone typed ("ketidakbertanggungjawaban" has 25 letters), and their
# search costs grow with the square of the length: 60 ms for a crafted 500-letter word.
TYPO_MAX_LENGTH, COMPOUND_MAX_LENGTH = 25, 30
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _edits1(word: str) -> set[str]:
    """Every string one deletion, swap, replacement or insertion away (Norvig's spelling corrector)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return {
        *(a + b[1:] for a, b in splits if b),
        *(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1),
        *(a + c + b[1:] for a, b in splits if b for c in LETTERS),
        *(a + c + b for a, b in splits for c in LETTERS),
    }


def _plain_long_vowels(word: str) -> str:
    """Japanese long vowels as typed on a keyboard ("touroku", "juuminzei") spelled as the index folds the
    articles' macrons ("tōroku" -> "toroku")."""
    return word.replace("ou", "o").replace("uu", "u")


_VARIANT_VOWELS = {"e": "i", "i": "e", "o": "u", "u": "o"}


def _spelling_variants(word: str) -> set[str]:
    """The other spellings of a real Indonesian word: e/i and o/u vary (praktek, praktik; resiko, risiko;
    kebon, kebun) and an e drops out (telpon, telepon). Any other one-letter change makes another word."""
    return {
        *(word[:i] + _VARIANT_VOWELS[char] + word[i + 1:] for i, char in enumerate(word) if char in _VARIANT_VOWELS),
        *(word[:i] + "e" + word[i:] for i in range(1, len(word))),
    }


class LexicalIndex:
    """A bm25s index and the document frequency of every token, for IDF-weighted query coverage."""

    def __init__(self, retriever: bm25s.BM25, doc_freq: dict[str, int], size: int) -> None:
        self._retriever = retriever
        self._doc_freq = doc_freq
        self.size = size

    @classmethod
    def build(cls, token_lists: Sequence[Sequence[str]]) -> LexicalIndex:
        # Lucene's BM25 (k1=1.5, b=0.75), named rather than left to bm25s' defaults: idf() below is Lucene's IDF,
        # and _concept_bm25 divides bm25s' per-token scores by it to recover term-frequency saturation.
        retriever = bm25s.BM25(method="lucene", idf_method="lucene", k1=1.5, b=0.75)
        # bm25s rejects an empty document list and empty documents; a placeholder token keeps rows aligned.
        corpus = [list(tokens) or ["\u2205"] for tokens in token_lists] or [["\u2205"]]
        retriever.index(corpus, show_progress=False)
        doc_freq = Counter(token for tokens in token_lists for token in set(tokens))
        return cls(retriever, dict(doc_freq), len(token_lists))

    def __contains__(self, token: str) -> bool:
        return token in self._doc_freq

    def idf(self, token: str) -> float:
        """BM25's IDF; a token no document has gets the highest possible weight."""
        df = self._doc_freq.get(token, 0)
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def known_forms(self, token: str) -> tuple[str, ...]:
        """The indexed tokens an unknown question word most likely means: its standard spelling, or a typo fix.

        Informal spellings (nunggu, dicairin) and typos (magng) would otherwise match nothing and, as
        unknown words, weigh most against answering; a word no variant explains stays unknown. A typo fix
        keeps the first letter, which misspellings rarely change: "malam" is a word we lack, not "alam"; and
        an Indonesian root word is no typo, only maybe another spelling: "marah" (angry) is a word we lack, not
        "murah" (cheap), but "praktek" is "praktik".
        """
        if token in self._doc_freq:
            return (token,)
        for variant in informal_variants(token):
            known = [t for t in tokenize(variant) if t in self._doc_freq]
            if known:
                return tuple(known)
        if (plain := _plain_long_vowels(token)) != token:
            known = [t for t in tokenize(plain) if t in self._doc_freq]
            if known:
                return tuple(known)
        if TYPO_MIN_LENGTH <= len(token) <= TYPO_MAX_LENGTH and token.isalpha():
            edits = _spelling_variants(token) if is_root_word(token) else _edits1(token)
            fixes = [edit for edit in edits if edit in self._doc_freq and edit[0] == token[0]]
            if fixes:
                return (max(fixes, key=lambda fix: (self._doc_freq[fix], fix)),)
        return self._compound_parts(token)

    def _compound_parts(self, token: str) -> tuple[str, ...]:
        """A compound or two words typed as one ("kerjasama", "tenagakerja", "dijepang"): the indexed words of
        the split whose halves are each a stop word or an indexed word, at least one half indexed. A half
        we cannot read (the "nas" of "timnas") means the word is something else, and it stays unknown."""
        if not COMPOUND_MIN_LENGTH <= len(token) <= COMPOUND_MAX_LENGTH or not token.isalpha():
            return ()
        splits = []
        for cut in range(2, len(token) - 1):
            halves = (token[:cut], token[cut:])  # not stemmed: every unknown word of every question comes here
            known = tuple(half for half in halves if half in self._doc_freq)
            readable = all(half in self._doc_freq or is_stop_word(half) for half in halves)
            if readable and known and all(len(word) >= COMPOUND_MIN_PART for word in known):
                splits.append(known)
        return max(splits, key=lambda words: sum(self._doc_freq[word] for word in words), default=())

    def token_scores(self, tokens: Sequence[str]) -> dict[str, np.ndarray]:
        """BM25 score of every document for each known token; BM25 is a sum of these."""
        scores = {}
        for token in dict.fromkeys(tokens):
            token_id = self._retriever.vocab_dict.get(token)
            if token_id is not None and token in self._doc_freq:
                scores[token] = self._retriever.get_scores_from_ids([token_id])
        return scores

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every document for the whole query (repeated query tokens count once)."""
        per_token = self.token_scores(tokens)
        if not per_token:
            return np.zeros(self.size, dtype=np.float32)
        return np.sum(list(per_token.values()), axis=0, dtype=np.float32)[: self.size]

    def save(self, folder: Path) -> None:
        self._retriever.save(str(folder / "bm25"))
        (folder / "doc_freq.json").write_text(
            json.dumps({"size": self.size, "doc_freq": self._doc_freq}, ensure_ascii=False), encoding="utf-8"
        )

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        retriever = bm25s.BM25.load(str(folder / "bm25"))
        stored = json.loads((folder / "doc_freq.json").read_text(encoding="utf-8"))
        return cls(retriever, stored["doc_freq"], stored["size"])
