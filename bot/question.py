"""What is asked: a chat message cleaned into the text that is searched, stored and answered.

Every entry point (Telegram, the console, `ask`, the evaluation) goes through the pipeline, which cleans
with this first, so what is measured is what users get.
"""

from __future__ import annotations

import html
import re
import unicodedata

MAX_QUESTION_CHARS = 500  # a question, not an essay: longer text only dilutes both searches
MAX_RAW_CHARS = 4 * MAX_QUESTION_CHARS  # what is cleaned at all: markup and links may shrink, not by more
MAX_COMBINING_MARKS = 2  # per letter; more is "zalgo" text meant to break things, not a language's need

# Linear time on any text: no attempt rescans what a failed attempt at an earlier character scanned
# ("[" × 4,096 or "a." × 2,048 took 50 ms each on the event loop). A link is tried once per run of scheme
# characters, from the first letter that starts a word in it, as `\b[a-z][a-z0-9+.-]*://` would find it.
_MARKDOWN_LINK = re.compile(r"\[([^\[\]]*)\]\([^)\[]*\)")
_URL = re.compile(r"(?<![a-z0-9+.-])(?P<before>(?:[0-9+.-]|\B[a-z])*+)\b[a-z][a-z0-9+.-]*+://(?P<host>[^/?#\s]*)\S*",
                  re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[a-z][^<>]*>", re.IGNORECASE)


def prepare_question(text: str) -> str:
    """What is searched and stored: markup, links, control and format characters and mark floods removed,
    spaces folded. Tags, entities and link paths pasted into a chat are no part of what was asked, and as
    unknown words they would count against answering; a link keeps its domain ("is kp2mi.go.id real?")."""
    text = text[:MAX_RAW_CHARS]
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _URL.sub(lambda link: link["before"] + (f" {link['host']} " if "." in link["host"] else " "), text)
    text = _HTML_TAG.sub(" ", html.unescape(text))
    kept: list[str] = []
    marks = 0
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn") and not char.isspace():
            continue
        marks = marks + 1 if category.startswith("M") else 0
        if marks <= MAX_COMBINING_MARKS:
            kept.append(char)
    return " ".join("".join(kept).split())[:MAX_QUESTION_CHARS]


# --- several questions in one message ---------------------------------------------------------------------

MAX_PARTS = 4  # more numbered items than this is a list of facts pasted in, not questions
MIN_PART_WORDS = 2  # "2) brp?" alone asks nothing we can search

# Words that make a clause a question, in formal and chat Indonesian, Javanese and Sundanese chat, and English.
QUESTION_WORDS = frozenset("""
    apa apakah apaan ap berapa brp brapa brpa kapan kpn siapa sapa dimana dmn mana kemana kmn gimana bagaimana
    gmn gmna gmana knp kenapa mengapa bisakah bolehkah perlukah haruskah wajibkah piye piro kumaha naon sabaraha
    sopo saha pripun pinten ngopo naha
    what how when where who whom whose why which can could is are do does did should must will may
""".split())
_YES_NO_TAIL = re.compile(r"\b(?:ga|gak|gk|nggak|enggak|ngga|tidak|tdk|ora|teu|ndak|nggak\s*sih|gak\s*sih|or not)\s*\??$",
                          re.IGNORECASE)
_NUMBERED = re.compile(r"(?:^|\s)\(?([1-9])[).:]\s+")
_JOINERS = re.compile(r"\s(?:terus|trus|trs|tapi|lalu|kemudian|sama|and|also|plus)\s", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")


def is_question(clause: str) -> bool:
    words = [word.lower() for word in _WORD.findall(clause)]
    return len(words) >= MIN_PART_WORDS and (
        "?" in clause or bool(QUESTION_WORDS.intersection(words)) or bool(_YES_NO_TAIL.search(clause.strip())))


def split_questions(text: str) -> list[str]:
    """The questions a message asks, in order: numbered ones ("1) … 2) …"), several sentences ending in "?",
    or questions joined by "terus", "sama", "and". A clause that is no question of its own (a worker's story,
    "bedanya ssw sama magang apa") stays with its neighbour; a single question comes back whole."""
    numbered = list(_NUMBERED.finditer(text))
    if 2 <= len(numbered) <= MAX_PARTS and [int(m.group(1)) for m in numbered] == list(range(1, len(numbered) + 1)):
        lead = text[: numbered[0].start()].strip()
        parts = [text[m.end(): following.start() if following else len(text)].strip(" ;,")
                 for m, following in zip(numbered, [*numbered[1:], None])]
        if all(is_question(part) or len(_WORD.findall(part)) >= MIN_PART_WORDS for part in parts):
            return [f"{lead} {part}".strip() if lead and not is_question(lead) else part for part in parts]
    clauses = [clause for clause in re.split(r"(?<=\?)\s+", text) if clause.strip()]
    clauses = [piece for clause in clauses for piece in _split_joined(clause)]
    questions: list[str] = []
    for clause in clauses:
        if questions and (not is_question(clause) or not is_question(questions[-1])):
            questions[-1] = f"{questions[-1]} {clause}"  # a story, or a fragment: one question with its context
        else:
            questions.append(clause)
    return questions[:MAX_PARTS] if len(questions) > 1 else [text]


def _split_joined(clause: str) -> list[str]:
    """ "syarat ssw apa aja terus biayanya brp" -> two questions; "bedanya ssw sama magang apa" -> one."""
    for joiner in _JOINERS.finditer(clause):
        left, right = clause[: joiner.start()], clause[joiner.end():]
        if is_question(left) and is_question(right) and not right.lower().startswith(("aja", "saja")):
            return [left.strip(), *_split_joined(right.strip())]
    return [clause]
