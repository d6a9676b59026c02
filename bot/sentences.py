"""Which sentence of a retrieved passage answers the question (#14).

Retrieval finds the right passage, but the sentences that share the most question words are often not the
one that answers: "kapan SSW dimulai?" shares "SSW" with every sentence, and only one has a year in it. A
question asks for a kind of answer (an amount, a date, a name, a yes or no), and a sentence shows whether it
holds one. A linear model reads a few named features of each (question, sentence) pair: how much of the
question the sentence covers and which part of it, how close their embeddings are, where the sentence stands
in its passage, and which kinds of answer it holds, crossed with the kind the question asks for. It is fitted
on labelled questions by `tools/train_selector.py` and shipped as a small JSON file (models/); scoring is a dot
product, numpy only, so the bot never loads scikit-learn or torch for it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from embeddings.logistic import fit_logistic
from embeddings.query import Phrase, Query, names_in
from knowledge.glossary import normalise_informal
from knowledge.text import ENGLISH_STOPWORDS, detect_language, stem, tokenize

MODEL_FILE = Path(__file__).resolve().parents[1] / "models" / "answer-selector.json"

# --- what a question asks for --------------------------------------------------------------------

ANSWER_TYPES = ("amount", "date", "who", "where", "yesno", "how", "why", "what")

_WORDS = re.compile(r"[^\W_]+")

# Question words after the chat and regional normaliser (brp, piro, sabaraha -> berapa; saha -> siapa; piye,
# kumaha, gmn -> bagaimana; naha, ngopo -> kenapa), with the -kah of formal questions taken off.
_QUESTION_WORDS = {
    "berapa": "amount", "kapan": "date", "iraha": "date", "siapa": "who", "bagaimana": "how", "cara": "how",
    "caranya": "how", "kenapa": "why", "mengapa": "why", "knp": "why", "napa": "why",
    "dimana": "where", "kemana": "where", "darimana": "where", "dmn": "where", "kmn": "where",
    "pundi": "where", "kamana": "where",
    "when": "date", "who": "who", "whom": "who", "whose": "who", "where": "where", "why": "why",
}
_DATE_UNITS = frozenset({"tahun", "tanggal", "bulan", "hari", "jam", "pukul", "abad", "year", "date", "day", "time",
                         "month"})  # "tahun berapa", "what year": a date, where "berapa tahun" is an amount
_ENGLISH_AMOUNT = frozenset({"much", "many", "long", "old", "far", "often", "big", "large", "high"})
# Words that make a question ask whether: modal verbs, and a trailing "ga?" ("boleh bawa hp ga?")
_YES_NO_CUES = frozenset({"apakah", "boleh", "bisa", "wajib", "harus", "perlu", "dapat", "pernah", "entuk", "olih",
                          "kenging", "meunang", "tiasa", "can", "must", "may"})
_PRONOUNS = frozenset({"saya", "aku", "kamu", "anda", "kita", "kami", "dia", "ia", "mereka", "i", "we", "you"})
_YES_NO_TAILS = frozenset({"tidak", "belum", "nggak", "gak", "ga", "ora", "teu", "or", "not"})
_ENGLISH_YES_NO = frozenset({"can", "do", "does", "is", "are", "should", "must", "may", "will", "did", "am",
                             "could", "would", "have", "has"})
# "Apakah nama/arti/kepanjangan ..." asks what something is, not whether: formal "apakah" opens both.
_WHAT_AFTER_APAKAH = frozenset({"yang", "nama", "arti", "maksud", "kepanjangan", "singkatan", "definisi",
                                "pengertian", "itu", "jenis", "isi", "tujuan", "fungsi", "bahasa", "judul",
                                "gelar", "hubungan", "perbedaan", "beda", "syarat", "saja"})


def _unasked(word: str) -> str:
    """A word without the -kah of formal questions (siapakah, berapakah, dimanakah)."""
    return word.removesuffix("kah") if len(word) > 5 else word


def answer_type(question: str) -> str:
    """What kind of answer a question asks for: the first question word decides; modal verbs or a
    trailing "ga?" make it a yes/no question; anything else asks "what"."""
    raw = [_unasked(word) for word in _WORDS.findall(question.lower())]
    english = detect_language(question) == "en"
    words = [normalise_informal(word, english).strip() or word for word in raw]  # "brp" -> "berapa", kept if dropped
    for i, word in enumerate(words):
        before = words[i - 1] if i else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        if word == "berapa":
            return "date" if before in _DATE_UNITS else "amount"
        if word in ("endi", "ndi") or word == "mana" and before != "yang":  # "yang mana" is "which one"
            return "where"
        if word == "how":
            return "amount" if after in _ENGLISH_AMOUNT else "how"
        if word in ("what", "which") and after in _DATE_UNITS:
            return "date"
        if word in ("apa", "apakah") and (after in _YES_NO_CUES or after in _PRONOUNS):
            return "yesno"  # "apa boleh ...", "apakah saya ..."
        if word in ("apa", "what", "which") or word == "apakah" and after in _WHAT_AFTER_APAKAH:
            return "what"
        kind = _QUESTION_WORDS.get(word)
        if kind:
            return kind
    if (any(word in _YES_NO_CUES for word in words) or (words and words[-1] in _YES_NO_TAILS)
            or (words and words[0] in _ENGLISH_YES_NO)):
        return "yesno"
    return "what"


# --- what a sentence holds -----------------------------------------------------------------------

_MONTHS = frozenset("""
    januari februari maret april mei juni juli agustus september oktober november desember
    jan feb mar apr jun jul agu agt ags sep sept okt nov des
    january february march may june july august october december
    senin selasa rabu kamis jumat sabtu monday tuesday wednesday thursday friday saturday sunday
    tanggal tgl abad masehi reiwa heisei
""".split())
_NUMBER_WORDS = frozenset("""
    satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas belas puluh ratus ribu juta
    seratus seribu setengah separuh
    one two three four five six seven eight nine ten eleven twelve hundred thousand million half
""".split())
_AMOUNT_WORDS = frozenset("""
    yen rp rupiah juta ribu miliar milyar triliun persen usd dolar dollar man
    km m2 km2 kg ton hektar ha meter kilometer liter jiwa penduduk
    percent million billion thousand
""".split())
_AMOUNT_SIGNS = ("¥", "%", "$", "円", "万", "²")
_DURATION_WORDS = frozenset("""
    tahun bulan minggu pekan hari jam menit detik lama selama
    year years month months week weeks day days hour hours minute minutes
""".split())
_YES_NO_WORDS = frozenset("""
    boleh wajib bisa dilarang harus perlu dapat diperbolehkan dibolehkan diizinkan diwajibkan larangan
    can cannot must allowed prohibited required may forbidden
""".split())
# A verdict, where "yesno" is only a modal word somewhere ("bisa" is in most sentences): a sentence that opens
# with yes or no ("Bisa.", "Tidak otomatis:", "Yes,"), or negates a modal ("tidak wajib", "not allowed").
_VERDICT_OPENERS = frozenset({"ya", "tidak", "bisa", "boleh", "wajib", "bukan", "belum", "yes", "no", "cannot"})
_NEGATIONS = frozenset({"tidak", "tak", "bukan", "belum", "not", "no", "never", "cannot"})
_MODALS = frozenset("""
    boleh dibolehkan diperbolehkan membolehkan memperbolehkan wajib diwajibkan mewajibkan harus diharuskan
    mengharuskan perlu bisa dapat diizinkan mengizinkan otomatis
    allowed permitted required need needed must legal can automatically
""".split())
_NEGATED_MODALS = frozenset({"dilarang", "melarang", "terlarang", "prohibited", "forbidden", "illegal", "banned",
                             "cannot"})
_REASON_WORDS = frozenset({"karena", "sebab", "disebabkan", "akibat", "sehingga", "agar", "supaya", "alasan",
                           "because", "due", "reason"})
_DEFINITION_WORDS = frozenset({"adalah", "merupakan", "ialah", "yaitu", "yakni", "disebut", "berarti", "artinya",
                               "means", "refers"})
_PLACE_PREPOSITIONS = frozenset({"di", "ke", "dari", "at", "in", "from", "to"})
_ADDRESS_WORDS = frozenset({"jl", "jalan", "gedung", "lantai", "alamat", "address", "chome", "prefektur", "kantor"})
_CONTACT_SIGNS = ("http", "www.", "@", ".go.id", ".jp", ".com")
_PHONE = re.compile(r"\+?\d[\d\s\-()]{7,}\d")  # eight digits or more, with spaces or dashes: a phone number
_NUMERIC_DATE = re.compile(r"\d{1,2}/\d{1,2}\b")
_DIGIT = re.compile(r"\d")

EVIDENCE = ("number", "amount", "date", "duration", "name", "place", "contact", "yesno", "verdict", "reason",
            "definition", "list")
"""What kinds of answer a sentence holds; all cheap: word-set lookups, and three small patterns where digits are."""

EXPECTS = {
    "amount": ("number", "amount", "duration"),
    "date": ("date", "number"),
    "who": ("name",),
    "where": ("place", "contact"),
    "yesno": ("yesno", "verdict"),
    "how": ("list", "contact"),
    "why": ("reason",),
    "what": ("definition", "name"),
}
"""The evidence that answers each kind of question: each pair is a feature (its weight says how much it counts)."""


def evidence(sentence: str, question_words: frozenset[str] = frozenset()) -> frozenset[str]:
    """The kinds of answer (EVIDENCE) a sentence holds, by its words and a few signs. A number or a name the
    question itself contains is not evidence: the answer is what the question lacks ("... tahun 2005?")."""
    raw = _WORDS.findall(sentence)
    return _evidence(sentence, [word.lower() for word in raw], _capitalised(raw), question_words)


def _capitalised(raw: Sequence[str]) -> list[int]:
    """Where the words written with a capital stand, the sentence's first word aside."""
    return [j for j in range(1, len(raw)) if raw[j][0].isupper()]


def _evidence(sentence: str, words: Sequence[str], capitalised: Sequence[int],
              question_words: frozenset[str]) -> frozenset[str]:
    vocabulary = set(words)
    new = vocabulary - question_words
    digits = _DIGIT.search(sentence) is not None and any(word[0].isdigit() for word in new)
    numeric = digits or not _NUMBER_WORDS.isdisjoint(new)
    found = set()
    if numeric:
        found.add("number")
        if not _AMOUNT_WORDS.isdisjoint(vocabulary):
            found.add("amount")
        if not _DURATION_WORDS.isdisjoint(vocabulary):
            found.add("duration")
    if any(sign in sentence for sign in _AMOUNT_SIGNS):
        found.add("amount")
    years = digits and any(len(w) == 4 and w[:2] in ("19", "20") and w.isdigit() for w in new)
    if not _MONTHS.isdisjoint(new) or years or digits and _NUMERIC_DATE.search(sentence):
        found.add("date")
    names = [j for j in capitalised if words[j] not in question_words]
    if names:
        found.add("name")
        if any(words[j - 1] in _PLACE_PREPOSITIONS for j in names):
            found.add("place")
    if (any(sign in sentence for sign in _CONTACT_SIGNS) or not _ADDRESS_WORDS.isdisjoint(vocabulary)
            or digits and _PHONE.search(sentence)):
        found.add("contact")
    if not _YES_NO_WORDS.isdisjoint(vocabulary):
        found.add("yesno")
    if words and (words[0] in _VERDICT_OPENERS or not _NEGATED_MODALS.isdisjoint(vocabulary)
                  or any(w in _NEGATIONS and _MODALS.intersection(words[i + 1:i + 3]) for i, w in enumerate(words))):
        found.add("verdict")
    if not _REASON_WORDS.isdisjoint(vocabulary):
        found.add("reason")
    if not _DEFINITION_WORDS.isdisjoint(vocabulary):
        found.add("definition")
    if ":" in sentence or sentence.lstrip()[:1] in ("-", "•", "*"):
        found.add("list")
    return frozenset(found)


# --- features --------------------------------------------------------------------------------------

_CROSSED = tuple((kind, found) for kind, expected in EXPECTS.items() for found in expected)
FEATURES = (
    "coverage",  # IDF-weighted share of the question's concepts the sentence names (the bot's passage coverage)
    "coverage_sum",  # their IDF sum: a rare word shared says more than a common one
    "relation",  # coverage of the concepts that are not names: "lahir", "gaji" tell sentences about SSW apart
    "distinct",  # coverage, each concept weighed down the more of the passage's sentences name it
    "near",  # coverage, each concept weighted by 1 / (1 + its distance in words from the question word)
    "near_words",  # the same over the question's words as written, with the words Sastrawi drops (panjang, pertama)
    "bigrams",  # share of the question's word pairs, as written, found in the sentence: questions copy phrases
    "previous",  # the previous sentence's coverage: a sentence often answers what the one before introduced
    "best_coverage",  # the sentence has the passage's best coverage (ties count)
    "similarity",  # cosine of the sentence's embedding to the question's
    "best_similarity",  # the sentence is the passage's closest to the question
    "first",  # the passage's first sentence: a section opens with its point
    "heading",  # on a section's first sentence, how much of the question its heading covers: our headings are
    # questions a worker asks and their first sentence answers them (KB rules), so a heading that matches the
    # question points at the sentence that answers it
    "position",  # 0 for the first sentence, 1 for the last
    "chance",  # 1 / the passage's sentence count: how likely any one sentence is to answer
    "length",  # log(1 + words): a long sentence holds more
    "names",  # log(1 + names the question lacks): who and what questions are answered by names
    "expected",  # the sentence holds some evidence the question's answer type asks for (EXPECTS)
    *(f"{kind}:{found}" for kind, found in _CROSSED),  # ...and which: an amount question, a sentence with a number
)
_AT = {name: column for column, name in enumerate(FEATURES)}

TRANSLATED = 0.5  # what an English question's word counts in near_words when a sentence has only its Indonesian
# (a sentence of an English article that has the word itself should still lead)

# Function words only: Sastrawi's stop list also drops words questions hinge on (panjang, pertama, jumlah, boleh)
_FUNCTION_WORDS = frozenset("""
    apa siapa berapa kapan mana dimana kemana darimana bagaimana mengapa kenapa
    yang di ke dari dan atau itu ini pada dengan untuk dalam oleh adalah merupakan ialah sebagai akan telah sudah
    tidak juga nya kah lah pun se para sang si tersebut bahwa saat ketika karena jika kalau agar supaya serta
    saya aku kamu anda kita kami dia ia mereka
""".split()) | ENGLISH_STOPWORDS
_ANY_QUESTION_WORD = frozenset({"apa", "siapa", "berapa", "kapan", "mana", "dimana", "kemana", "darimana",
                                "bagaimana", "mengapa", "kenapa", "what", "which", "who", "when", "where", "how",
                                "why"})


@dataclass(frozen=True, slots=True)
class _Concept:
    token: str
    words: frozenset[str]  # its one-word names: a set lookup, where names_in tries every phrase
    phrases: tuple[Phrase, ...]  # its longer names
    idf: float
    closeness: float  # 1 / (1 + distance from the question word)

    def named_in(self, tokens: set[str] | frozenset[str]) -> bool:
        return not self.words.isdisjoint(tokens) or names_in(self.phrases, tokens)


def _translations(query: Query) -> dict[str, frozenset[str]]:
    """The one-word names of an English question's concepts, its Indonesian ones among them ("leave" -> cuti,
    pulang): the words as written are looked for in sentences, and our sentences are mostly Indonesian."""
    return {token: frozenset(name[0] for name in names if len(name) == 1) for token, names in query.concepts}


@dataclass(frozen=True, slots=True)
class QuestionCues:
    """What the features read of a question, worked out once for all the passages it is matched against."""

    kind: str  # answer_type
    words: frozenset[str]  # as written, lower-case
    pairs: frozenset[tuple[str, str]]  # consecutive words
    concepts: tuple[_Concept, ...]
    content: tuple[tuple[frozenset[str], frozenset[str], float], ...]  # each non-function word: its forms, its
    # Indonesian forms if the question is English, and its closeness
    names: frozenset[str]  # tokens of the words it writes with a capital

    @classmethod
    def of(cls, query: Query, idf: Callable[[str], float], kind: str | None = None) -> QuestionCues:
        words = _WORDS.findall(query.text.lower())
        english = detect_language(query.text) == "en"
        anchor = next((i for i, word in enumerate(words) if _unasked(word) in _ANY_QUESTION_WORD
                       or normalise_informal(word, english).strip() in _ANY_QUESTION_WORD), 0)
        closeness: dict[str, float] = {}
        content: dict[str, tuple[frozenset[str], frozenset[str], float]] = {}
        translated = _translations(query) if english else {}
        for position, word in enumerate(words):
            near = 1.0 / (1 + abs(position - anchor))  # questions copy the words beside the answer next to "siapa"
            tokens = tokenize(normalise_informal(word, english))
            for token in tokens:
                closeness[token] = max(closeness.get(token, 0.0), near)
            if _unasked(word) not in _FUNCTION_WORDS and (word not in content or content[word][2] < near):
                indonesian = frozenset().union(*(translated.get(token, ()) for token in tokens))
                content[word] = (frozenset({word, stem(word)}), indonesian, near)
        return cls(kind or answer_type(query.text), frozenset(words), frozenset(zip(words, words[1:])),
                   tuple(_Concept(token, frozenset(p[0] for p in names if len(p) == 1),
                                  tuple(p for p in names if len(p) > 1), idf(token), closeness.get(token, 0.0))
                         for token, names in query.concepts),
                   tuple(content.values()),
                   frozenset(tokenize(" ".join(w for w in _WORDS.findall(query.text)[1:] if w[0].isupper()))))


@lru_cache(maxsize=20_000)
def _heading_tokens(heading: str) -> frozenset[str]:
    """Once per heading: every question reads the headings of the passages it is answered from."""
    return frozenset(tokenize(heading))


def sentence_features(cues: QuestionCues, sentences: Sequence[str], similarities: Sequence[float],
                      heading: str = "") -> np.ndarray:
    """One row of FEATURES per sentence of one passage, in its order. `similarities` are the cosines of the
    sentences' embeddings to the question's (the caller's: sentence embeddings are computed at index build);
    `heading`, the section's heading when the passage opens its section.
    One call per passage: relation, distinct, previous and best_* read the passage's other sentences."""
    rows = np.zeros((len(sentences), len(FEATURES)), dtype=np.float32)
    if not len(sentences):
        return rows
    named = np.zeros((len(sentences), len(cues.concepts)), dtype=bool)  # which concepts each sentence names
    capitalised: list[str] = []
    near_total = sum(near for _, _, near in cues.content) or 1.0
    for i, sentence in enumerate(sentences):
        raw = _WORDS.findall(sentence)
        words = [word.lower() for word in raw]
        tokens = set(tokenize(sentence))
        named[i] = [concept.named_in(tokens) for concept in cues.concepts]
        capitals = _capitalised(raw)
        capitalised += [raw[j] for j in capitals]
        present = tokens.union(words)  # a question word counts as written or by its stem
        found = _evidence(sentence, words, capitals, cues.words)
        row = rows[i]
        row[_AT["near_words"]] = sum(near if not forms.isdisjoint(present) else
                                     TRANSLATED * near if not indonesian.isdisjoint(present) else 0.0
                                     for forms, indonesian, near in cues.content) / near_total
        row[_AT["bigrams"]] = len(cues.pairs.intersection(zip(words, words[1:]))) / (len(cues.pairs) or 1)
        row[_AT["length"]] = math.log1p(len(words))
        row[_AT["names"]] = math.log1p(sum(1 for j in capitals if words[j] not in cues.words))
        row[_AT["expected"]] = not found.isdisjoint(EXPECTS[cues.kind])
        for name in EXPECTS[cues.kind]:
            row[_AT[f"{cues.kind}:{name}"]] = name in found
    # Names are what the passage (or the question) writes with a capital: workers write "ssw", articles "SSW"
    names = cues.names.union(tokenize(" ".join(capitalised)))
    weights = np.array([(c.idf, c.idf * (c.token not in names), c.idf * c.closeness)
                        for c in cues.concepts]).reshape(-1, 3)
    covered = named @ weights
    totals = np.maximum(weights.sum(axis=0), 1e-9)
    spread = np.log(len(sentences) / np.maximum(named.sum(axis=0), 1))  # 0 for a concept every sentence names
    local = weights[:, 0] * spread
    rows[:, _AT["coverage"]] = covered[:, 0] / totals[0]
    rows[:, _AT["coverage_sum"]] = covered[:, 0]
    rows[:, _AT["relation"]] = covered[:, 1] / totals[1]
    rows[:, _AT["near"]] = covered[:, 2] / totals[2]
    rows[:, _AT["distinct"]] = named @ local / max(local.sum(), 1e-9)
    rows[1:, _AT["previous"]] = rows[:-1, _AT["coverage"]]
    similarity = np.asarray(similarities, dtype=np.float32).reshape(len(sentences))
    coverage = rows[:, _AT["coverage"]]
    rows[:, _AT["similarity"]] = similarity
    rows[:, _AT["best_coverage"]] = coverage >= coverage.max() - 1e-6
    rows[:, _AT["best_similarity"]] = similarity >= similarity.max()
    rows[0, _AT["first"]] = 1.0
    if heading:
        in_heading = _heading_tokens(heading)
        rows[0, _AT["heading"]] = sum(c.idf for c in cues.concepts if c.named_in(in_heading)) / totals[0]
    rows[:, _AT["position"]] = np.arange(len(sentences)) / max(len(sentences) - 1, 1)
    rows[:, _AT["chance"]] = 1.0 / len(sentences)
    return rows


# --- the model ---------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class SentenceSelector:
    weights: np.ndarray  # one per name in `features`
    bias: float
    features: tuple[str, ...]  # the names the weights were fitted for

    @classmethod
    def fit(cls, passages: Sequence[tuple[np.ndarray, np.ndarray]], weights: Sequence[float] | None = None,
            regularisation: float = 1.0) -> SentenceSelector:
        """Fit on passages, each (sentence_features rows, whether each sentence holds the answer), each passage
        weighing `weights[i]` (default 1).

        Ranking: logistic regression on differences, each answering sentence minus each other sentence of its
        passage (both ways round, so no intercept), its weight shared among its passage's pairs: the weights
        learn what makes a sentence beat its neighbours, which is the choice the bot makes. Scale: a logistic
        regression of the label on that score and `chance`, so score() gives probabilities that compare across
        passages of different lengths."""
        weights = np.ones(len(passages)) if weights is None else np.asarray(weights, dtype=np.float64)
        differences, pair_weights = [], []
        for (rows, labels), weight in zip(passages, weights):
            answering = np.asarray(labels, dtype=bool)
            pairs = (rows[answering][:, None, :] - rows[~answering][None, :, :]).reshape(-1, rows.shape[1])
            differences.append(pairs)
            pair_weights.append(np.full(len(pairs), weight / max(len(pairs), 1)))
        better, pair_weight = np.vstack(differences), np.concatenate(pair_weights)
        ranking, _ = fit_logistic(np.vstack([better, -better]), np.r_[np.ones(len(better)), np.zeros(len(better))],
                                  np.r_[pair_weight, pair_weight], regularisation, intercept=False)
        features = np.vstack([rows for rows, _ in passages]).astype(np.float64)
        answers = np.concatenate([labels for _, labels in passages]).astype(np.float64)
        sentence_weight = np.concatenate([np.full(len(rows), weight) for (rows, _), weight in zip(passages, weights)])
        chance = _AT["chance"]
        (scale, prior), bias = fit_logistic(np.column_stack([features @ ranking, features[:, chance]]), answers,
                                            sentence_weight, regularisation)
        combined = ranking * scale
        combined[chance] += prior  # the same for all of a passage's sentences: the ranking gave it no weight
        return cls(combined.astype(np.float32), bias, FEATURES)

    def score(self, features: np.ndarray) -> np.ndarray:
        """The probability that each sentence (a row of sentence_features) holds the answer."""
        return 1.0 / (1.0 + np.exp(-(np.asarray(features, dtype=np.float32) @ self.weights + self.bias)))

    def save(self, path: Path) -> None:
        """A small JSON file: the bias and one weight per named feature, readable in a diff."""
        named = {name: round(float(weight), 6) for name, weight in zip(self.features, self.weights)}
        path.write_text(json.dumps({"bias": round(self.bias, 6), "weights": named}, indent=1) + "\n",
                        encoding="utf-8")

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> SentenceSelector:
        """A model fitted for other features is refused, never served with its weights on the wrong columns."""
        stored = json.loads(path.read_text(encoding="utf-8"))
        names = tuple(stored["weights"])
        if names != FEATURES:
            raise ValueError(f"{path} was fitted for features {names}; the code computes {FEATURES}: retrain it "
                             "with python -m tools.train_selector")
        return cls(np.array([stored["weights"][name] for name in names], dtype=np.float32),
                   float(stored["bias"]), names)
