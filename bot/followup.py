"""Understanding a question with the one before it: "syarat SSW apa aja?" then "kalau kaigo?".

Workers chat. A question that names no programme of its own, or points back ("itu", "yang tadi", "kalau
…?", "terus …?"), means the subject of the question before it. Without a language model we carry over what
the retrieval already knows: the glossary's programmes, fields and topics. The follow-up's own words win:
only the kinds it lacks are carried. The same rule joins the parts of one message ("syarat SSW apa aja?
terus biayanya brp?") and the turns of a chat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.glossary import matched_groups, normalise_informal
from knowledge.text import tokenize

PROGRAMMES = ("ssw", "magang", "ikusei shuro", "g to g", "bpvp", "im japan")
FIELDS = ("kaigo", "pertanian", "peternakan", "perikanan", "konstruksi", "restoran", "pengolahan makanan",
          "manufaktur", "perbaikan mobil", "pembersihan gedung", "perhotelan", "galangan kapal", "penerbangan",
          "angkutan mobil", "kereta api", "kehutanan", "industri kayu")
THINGS = ("jft-basic", "jlpt", "coe", "zairyu card", "dattai ichijikin", "lpk", "sending organization", "p3mi",
          "rso", "kanri dantai", "otit", "kp2mi", "kemnaker", "kbri", "upah minimum")
TOPICS = ("syarat", "biaya", "gaji", "ujian", "umur", "daftar", "keluarga", "pindah kerja", "pelatihan", "paspor",
          "asuransi", "pensiun", "kontrak", "lembur")
KINDS = {"programme": PROGRAMMES, "field": FIELDS, "thing": THINGS, "topic": TOPICS}
"""Glossary concepts (by the first name of their group) that a follow-up may inherit, by kind: what a question
is about (a programme, a field, a thing such as a test or an office) and what it asks about it (a topic)."""
SUBJECT_KINDS = ("programme", "field", "thing")

# Opening words of a message that leans on the one before ("kalau kaigo?", "terus biayanya?", "itu resmi?").
_POINTS_BACK = re.compile(
    r"^(?:kalau|kalo|klo|kl|terus|trus|trs|lalu|yang|yg|itu|tadi|yang tadi|untuk|buat|nah|and|what about|how about"
    r"|and for|and under|what if|same for)\b|\b(?:itu|tadi|tersebut|tsb|that|it|those|this one)\b",
    re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Understood:
    text: str  # what is searched: the question, plus the question before it when it leans on that one
    carried: tuple[str, ...] = ()  # the inherited concepts, to show the worker what was understood
    leans_back: bool = False  # it means the question before it: it also shares that question's fate
    tentative: bool = False  # it leans back only for naming no subject: its own words may show it stands alone


_POSSESSIVE = re.compile(r"\b(\w{3,}?)(?:nya|ny)\b")  # "biayanya", "umurny": the topic is "biaya", "umur"


def _normalised(text: str) -> str:
    return _POSSESSIVE.sub(r"\1", normalise_informal(text))


def concepts_by_kind(text: str) -> dict[str, list[str]]:
    """The programmes, fields and topics a question names (glossary heads, in the order of KINDS)."""
    return {kind: list(named) for kind, named in _named_by_kind(text).items()}


def _named_by_kind(text: str) -> dict[str, dict[str, list[str]]]:
    """For each kind, the glossary heads a text names and the words it names each with."""
    found = {group[0]: terms for group, terms in matched_groups(_normalised(text))}
    return {kind: {head: found[head] for head in heads if head in found} for kind, heads in KINDS.items()}


def _asks_something_of_its_own(text: str) -> bool:
    """Whether words beyond the glossary's subjects remain ("how often", "resmi"): then only the subject is
    missing, not what is asked about it."""
    normalised = _normalised(text)
    named = {token for _, terms in matched_groups(normalised) for term in terms for token in tokenize(term)}
    return bool(set(tokenize(normalised)) - named)


def understand(question: str, previous: str | None) -> Understood:
    """The question as meant after `previous`. It leans on it when it names no subject of its own (programme,
    field or thing), or opens by pointing back. Then it is searched together with `previous`, minus the
    concepts of the kinds it names itself ("kalau kaigo?" after "syarat SSW perhotelan?" drops the hotel
    field, keeps SSW and the requirements), and minus the topic when it asks something of its own. A
    question that stands alone is left as it is. One that only names no subject is `tentative`: "resep nasi
    goreng" after a question about SSW is a new question, which the pipeline tells by its own words' scope."""
    if not previous:
        return Understood(question)
    own = _named_by_kind(question)
    points_back = bool(_POINTS_BACK.search(_normalised(question).strip()))
    if not points_back and any(own[kind] for kind in SUBJECT_KINDS):
        return Understood(question)
    # "biayanya?" also points back (the cost of that), though a question with a subject of its own may say it
    tentative = not points_back and not _POSSESSIVE.search(normalise_informal(question))
    before = _named_by_kind(previous)
    replaced = [kind for kind in KINDS if own[kind]]
    if not own["topic"] and _asks_something_of_its_own(question):
        replaced.append("topic")
    context = _normalised(previous)
    for kind in replaced:
        for terms in before[kind].values():
            context = re.sub("|".join(rf"(?<!\w){re.escape(term)}(?!\w)" for term in terms), " ", context)
    carried = tuple(head for kind in KINDS if kind not in replaced for head in before[kind])
    return Understood(f"{question} {' '.join(context.split())}".strip(), carried, leans_back=True,
                      tentative=tentative)
