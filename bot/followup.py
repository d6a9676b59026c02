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

from bot.question import is_question
from bot.sentences import answer_type
from knowledge.glossary import matched_groups, normalise_informal
from knowledge.text import detect_language, tokenize

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
ROUTE_KINDS = ("programme", "thing")
"""A follow-up naming one of these names a new route or body ("kalo di lpk swasta?" after a BPVP question): it
replaces both kinds of the question before. A field alone ("kalo kaigo?") keeps the programme."""

# Opening words of a message that leans on the one before ("kalau kaigo?", "terus biayanya?"), and the words
# that point at the subject before ("itu resmi?", "is that accepted instead of the JLPT?").
_OPENS_ON_IT = re.compile(
    r"^(?:kalau|kalo|klo|kl|terus|trus|trs|lalu|yang|yg|tadi(?=\W*$)|yang tadi|untuk|buat|nah|and|what about|how about"
    r"|and for|and under|what if|same for)\b", re.IGNORECASE)
# "kids too?", "for technical intern also can?": the question before, asked again of something else. Only at the
# end of a message: at its start, "also" and "juga" add a new question ("aku juga mau tanya ...", "also, how ...")
_ASKS_AGAIN = re.compile(r"\b(?:also|too|as well|juga|jg)(?:\W+\w+)?\W*$", re.IGNORECASE)
# "the 5 year one?", "a small one on the arm?": English "one" standing for a thing named before
_ONE_BEFORE = re.compile(r"\b(?:the|a|an)\s+(?:[\w-]+\s+){0,2}ones?\s*(?:$|[?.!,]|(?:on|in|at|for|with|from|of)\b)",
                         re.IGNORECASE)
# "which one applies to me?", "aku yg SSW masuk yg mana?" chooses among things named before, unless it names them
# itself, two of a kind ("which one is cheaper, SSW or magang?")
_WHICH_ONE = re.compile(r"\b(?:which\s+ones?|(?:yang|yg)\s+mana)\b", re.IGNORECASE)
# "tadi" points back as "yang tadi" or at the end ("kalo itu tadi?"); "tadi temenku bilang ..." is "earlier today"
_POINTS_AT_IT = re.compile(r"\b(?:itu|(?:yang|yg)\s+tadi|tadi(?=\W*$)|tersebut|tsb|that|it|those|this one)\b",
                           re.IGNORECASE)
# "btw ...", "oh iya, ...", "satu lagi ...", "different question: ...": the worker says a new question begins
_NEW_QUESTION = re.compile(
    r"^\W*(?:\w+\W+){0,2}?(?:btw|by the way|oh ya|oh iya|satu (?:lagi|lg)|1 (?:lagi|lg)|(?:tanya|pertanyaan) lain"
    r"|ganti topik|beda topik|different question|another question|other question|new question|unrelated)\b",
    re.IGNORECASE)
_TOPIC_MARKERS = frozenset({"itu", "tersebut", "tsb", "it"})
_ENGLISH_PRONOUN = "it"  # refers to the last thing named, a topic too ("renew my passport, it expires soon")

STANDS_ALONE_WORDS = 4
"""Words of its own (tokens, stop words aside) from which a chat message that neither names a subject nor
points back is taken as a new question: in the five dialogue sets every follow-up of that sort had at most
three ("in Tokyo?", "what's the interest rate?"), and most new questions four or more ("btw cara bikin paspor
gmn?")."""


NEW_QUESTION_WORDS = 3
"""Words of its own after "btw", "satu lagi" or "different question" from which a message is a new question even
if it points with "itu" ("min satu lagi, kalau paspor ditahan sama perusahaan itu boleh ga sih?")."""


def _word_count(normalised: str) -> int:
    """Words of a text's own (distinct tokens, stop words aside), to tell whether it says enough to stand alone."""
    return len(set(tokenize(normalised)))


def _points_at_subject_before(normalised: str, own: dict[str, dict[str, list[str]]]) -> bool:
    """Whether a pointing word ("itu", "that") points at the question before. Indonesian "itu" after a subject
    the question names itself marks that subject as the topic ("BPVP itu apa?" asks what BPVP is), as English
    "it" refers to anything it names that the glossary knows ("I passed JFT-Basic, is it enough?", "renew my
    passport, it expires soon", "the boss decides my paid leave, is it legal?"); English "that" after it need
    not ("is the agent who told him that a scammer?")."""
    pointers = list(_POINTS_AT_IT.finditer(normalised))
    subjects = [term for kind in SUBJECT_KINDS for terms in own[kind].values() for term in terms]
    known = ([term for _, terms in matched_groups(normalised) for term in terms]  # "my paid leave, is it legal?"
             if any(pointer.group().lower() == _ENGLISH_PRONOUN for pointer in pointers) else [])
    for pointer in pointers:
        before = normalised[:pointer.start()]
        word = pointer.group().lower()
        named = known if word == _ENGLISH_PRONOUN else subjects
        if word in _TOPIC_MARKERS and any(re.search(rf"(?<!\w){re.escape(term)}(?!\w)", before, re.IGNORECASE)
                                          for term in named):
            continue
        return True
    return False


@dataclass(frozen=True, slots=True)
class Understood:
    text: str  # what is searched: the question, plus the question before it when it leans on that one
    carried: tuple[str, ...] = ()  # the inherited concepts, to show the worker what was understood
    leans_back: bool = False  # it means the question before it: it also shares that question's fate
    tentative: bool = False  # it leans back only for naming no subject: its own words may show it stands alone


_POSSESSIVE = re.compile(r"\b(\w{3,}?)(?:nya|ny)\b")  # "biayanya", "umurny": the topic is "biaya", "umur"


def _normalised(text: str) -> str:
    english = detect_language(text) == "en"
    normalised = normalise_informal(text, english)
    return normalised if english else _POSSESSIVE.sub(r"\1", normalised)  # "-nya" ends "biayanya", not "company"


def concepts_by_kind(text: str) -> dict[str, list[str]]:
    """The programmes, fields and topics a question names (glossary heads, in the order of KINDS)."""
    return {kind: list(named) for kind, named in _named_by_kind(text).items()}


def _named_by_kind(text: str) -> dict[str, dict[str, list[str]]]:
    """For each kind, the glossary heads a text names and the words it names each with."""
    found = {group[0]: terms for group, terms in matched_groups(_normalised(text))}
    return {kind: {head: found[head] for head in heads if head in found} for kind, heads in KINDS.items()}


# Words that only qualify a subject ("bidang perikanan", "the nursing care one", "SSW workers", "lpk swasta"):
# they ask nothing of their own, so "what about the nursing care one?" still asks the age limit asked before.
_QUALIFIERS = frozenset("""
    bidang sektor jalur program pekerja orang swasta negeri peserta jepang indonesia
    field sector route programme program one ones worker workers people job jobs under same participant
    participants nurse nurses caregiver caregivers japan
""".split())
_QUALIFIER_TOKENS = frozenset(tokenize(" ".join(_QUALIFIERS)))  # as questions are compared: "peserta" is "serta"


def _asks_something_of_its_own(text: str) -> bool:
    """Whether words beyond the glossary's subjects and their qualifiers remain ("how often", "bayar"): then
    only the subject is missing, not what is asked about it."""
    normalised = _normalised(text)
    named = {token for _, terms in matched_groups(normalised) for term in terms for token in tokenize(term)}
    return bool(set(tokenize(normalised)) - named - _QUALIFIER_TOKENS)


_CLAUSE_END = re.compile(r"(?<=[.?!,;])\s+")


def _what_was_asked(previous: str, new_turn: bool = True) -> str:
    """The question clauses of the message before, and the concepts its other clauses name, without the story
    around them: "aku lulusan smk kesehatan" told with a question about kaigo would pull a question about
    restaurants towards nursing routes. Only the subjects: a topic told in passing ("minta dp dulu sebelum tes")
    is not what was asked. A story the question points at ("..., what is it?") is what was asked."""
    clauses = [clause for clause in _CLAUSE_END.split(previous) if clause.strip()]
    asks = [is_question(clause) for clause in clauses]
    if not any(asks):
        return previous
    # in a chat, a story that the question right after it points at is what was asked: "ada potongan kanri hi
    # dari gaji, apa itu?", "my company fired me suddenly, is that legal?" (within one message, the part that
    # told the story was searched with it already: measured, keeping it pulls the later parts off)
    asked_of = [new_turn and not asking and next_asks and _points_at_story(next_clause)
                for asking, next_asks, next_clause in zip(asks, asks[1:] + [False], clauses[1:] + [""])]
    kept = [clause if asking or story else _subject_words(clause)
            for clause, asking, story in zip(clauses, asks, asked_of)]
    return " ".join(" ".join(kept).split())


def _points_at_story(question: str) -> bool:
    """Whether a question points at something told before it and names no subject of its own."""
    return bool(_POINTS_AT_IT.search(question)) and not _subject_words(question)


def _subject_words(text: str) -> str:
    """The words a text names its programmes, fields and things with."""
    named = _named_by_kind(text)
    return " ".join(term for kind in SUBJECT_KINDS for terms in named[kind].values() for term in terms)


_ASKED_ABOUT = r"(?:for|under|untuk|buat|bagi)\s+(?:the\s+|an?\s+|yang\s+|yg\s+)?"


def _asked_about(normalised: str, terms: list[str]) -> bool:
    """Whether a subject is what a pointing follow-up now asks about: "same for SSW?", "different under Ikusei
    Shuro?", "berlaku juga untuk magang?"."""
    return any(re.search(rf"(?<!\w){_ASKED_ABOUT}{re.escape(term)}(?!\w)", normalised, re.IGNORECASE)
               for term in terms)


def understand(question: str, previous: str | None, new_turn: bool = True) -> Understood:
    """The question as meant after `previous`. It leans on it when it names no subject of its own (programme,
    field or thing), or opens by pointing back. Then it is searched together with `previous`, minus the
    concepts of the kinds it names itself ("kalau kaigo?" after "syarat SSW perhotelan?" drops the hotel
    field, keeps SSW and the requirements; a programme or body replaces both, ROUTE_KINDS; nothing is replaced
    in a question that points at the subject before), minus the topic when it asks something of its own, and
    minus the story told around the question before (_what_was_asked). A question that stands alone is left
    as it is. One that only names no subject is `tentative`: "resep nasi goreng" after a question about SSW is
    a new question, which the pipeline tells by its own words' scope; so is a new turn (`new_turn`: `previous`
    is the chat's message before, not an earlier part of the same message) that says enough of its own, or
    opens by saying a new question begins ("btw ...", "satu lagi ...")."""
    if not previous:
        return Understood(question)
    marked_new = _NEW_QUESTION.search(question)
    if new_turn and marked_new and _word_count(_normalised(question[marked_new.end():])) >= NEW_QUESTION_WORDS:
        return Understood(question)  # "btw kalau di jepang kena gempa apa yg harus dilakukan?", not "btw kalo kaigo?"
    own = _named_by_kind(question)
    normalised = _normalised(question).strip()
    points_at_it = _points_at_subject_before(normalised, own)
    says_enough = _word_count(normalised) >= STANDS_ALONE_WORDS
    asks_again = bool(_ASKS_AGAIN.search(normalised)) and not says_enough
    chooses_among_before = (bool(_WHICH_ONE.search(question))  # as typed: normalising drops "mana"
                            and max(len(own[kind]) for kind in SUBJECT_KINDS) < 2)
    points_back = (points_at_it or asks_again or chooses_among_before or bool(_OPENS_ON_IT.search(normalised))
                   or bool(_ONE_BEFORE.search(normalised)))
    if not points_back and any(own[kind] for kind in SUBJECT_KINDS):
        return Understood(question)
    # "biayanya?" also points back (the cost of that), though a question with a subject of its own may say it;
    # in English, "company?" does not
    possessive = detect_language(question) != "en" and _POSSESSIVE.search(normalise_informal(question))
    tentative = not points_back and not possessive
    if tentative and new_turn and says_enough:
        return Understood(question)  # "Do Japanese employers have to pay for my flight to Japan?" says it all
    previous = _what_was_asked(previous, new_turn)
    before = _named_by_kind(previous)
    # its own subjects replace those before, unless it points at them ("is that accepted instead of the JLPT?")
    # without naming them as what it now asks about ("is it the same for SSW?")
    mine = own if not points_at_it else {kind: {head: terms for head, terms in own[kind].items()
                                                if _asked_about(normalised, terms)} for kind in KINDS}
    replaced = [kind for kind in SUBJECT_KINDS
                if mine[kind] or kind in ROUTE_KINDS and any(mine[k] for k in ROUTE_KINDS)]
    # a follow-up that points back asks something of what it points at: a verdict on the topic ("is it legal?" of
    # the passport kept), or anything of the topic when no subject was named ("how long does it take?" of the
    # pension refund applied for); otherwise "it" is the subject ("how often can I take it?" of JFT-Basic, not
    # its fee)
    points_at_topic = points_at_it and (answer_type(question) == "yesno"
                                        or not any(before[kind] for kind in SUBJECT_KINDS))
    if own["topic"] or _asks_something_of_its_own(question) and not points_at_topic:
        replaced.append("topic")
    context = _normalised(previous)
    for kind in replaced:
        for terms in before[kind].values():
            context = re.sub("|".join(rf"(?<!\w){re.escape(term)}(?!\w)" for term in terms), " ", context)
    carried = tuple(head for kind in KINDS if kind not in replaced for head in before[kind])
    return Understood(f"{question} {' '.join(context.split())}".strip(), carried, leans_back=True,
                      tentative=tentative)
