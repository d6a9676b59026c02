"""Indonesian text utilities shared by the chunker, the BM25 index and answer composition.

One place decides what a sentence, a token and a language are, so indexing and querying always agree.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
from Sastrawi.Stemmer.Stemmer import Stemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

# --- sentences ---------------------------------------------------------------------------------

# Sentence-final punctuation, then any closing quotes or brackets, then whitespace. Dots inside
# "Rp1.500.000", "3.000", "22/4/2024", URLs and e-mail addresses have no whitespace after them,
# so they never match. A match starts only where a run of marks starts, and the runs are taken whole
# (possessive): otherwise a long run without whitespace ("....") is rescanned from each of its
# characters, quadratic time that froze the bot on a 16 KB upload.
_BOUNDARY = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’»)\]]*+(?=\s)")
_NEXT_CHAR = re.compile(r"\s*(\S?)")
# Longer than any abbreviation: how far back _ends_sentence looks for the word before a full stop.
_WORD_BEFORE_CHARS = 40

# Abbreviations after which a capitalised word or a number continues the sentence ("No. 12",
# "Rp. 1.500.000", "Dr. Tanaka", "a.n. Budi"). Abbreviations that usually end a list (dll., dsb.,
# dst., etc.) are not here: they end the sentence when a capital follows and, like every other
# full stop, never when a lower-case word follows.
_ABBREVIATIONS = frozenset({
    "no", "rp", "bpk", "sdr", "sdri", "jl", "jln", "dr", "drs", "prof", "ir", "hj", "yth",
    "kab", "kec", "kel", "prov", "tel", "telp", "hlm", "tgl", "mr", "mrs", "ms", "st", "vs",
    "a.n", "s.d", "u.s", "e.g", "i.e",
})

# A Markdown bullet or numbered item at the start of a line: its "1." is a marker, not a full stop.
_LIST_MARKER = re.compile(r"\s*(?:[-*+•]|\d{1,3}[.)])\s+")


def split_sentences(text: str) -> list[str]:
    """Whole sentences are what passages are packed from and answers quote, so never cut one."""
    sentences: list[str] = []
    for line in text.splitlines():  # a line break always ends a sentence (list items, headings)
        start = 0
        skip_marker = _LIST_MARKER.match(line)
        for boundary in _BOUNDARY.finditer(line, skip_marker.end() if skip_marker else 0):
            if _ends_sentence(line, boundary):
                sentences.append(line[start:boundary.end()].strip())
                start = boundary.end()
        sentences.append(line[start:].strip())
    return [sentence for sentence in sentences if sentence]


def continues_a_list(sentence: str) -> bool:
    """A sentence starting in lower case is an item of a list announced before it ("… tetap ada batas keras:
    - paling banyak 720 jam …"): alone, it does not say what it is a limit or a condition of."""
    return _LIST_MARKER.sub("", sentence, count=1)[:1].islower()


def _ends_sentence(line: str, boundary: re.Match[str]) -> bool:
    """A full stop before a lower-case word, or after an abbreviation or initial, is not an end."""
    # Bounded looks around the boundary: slicing the rest of the line at each of thousands of full stops
    # on one line would be quadratic too.
    following = _NEXT_CHAR.match(line, boundary.end()).group(1)
    if not following:
        return True
    if following.islower():
        return False
    punctuation = boundary.group()
    if "?" in punctuation or "!" in punctuation or punctuation.startswith("…"):
        return True
    before = line[max(0, boundary.start() - _WORD_BEFORE_CHARS):boundary.start()].rsplit(maxsplit=1)
    word = before[-1].lstrip("([\"'“‘").lower() if before else ""
    is_initial = len(word) == 1 and word.isalpha()
    return not (is_initial or word in _ABBREVIATIONS)


# --- tokens ------------------------------------------------------------------------------------

# Letters and digits only: "jft-basic" → "jft", "basic"; "snake_case" → "snake", "case".
_WORD = re.compile(r"[^\W_]+")

# Question-frame words of English questions; Sastrawi's list covers the Indonesian ones. An English word no
# Indonesian passage shares weighs against answering ("after", "over", "kind of action" declined questions
# on unpaid wages), so the list is the Glasgow IR group's (as scikit-learn ships it; not imported, the bot
# does not load scikit-learn) without the words that name our topics (back, bill, call, detail, fire, first,
# full, interest, last, move, must, part, system) or ask something ("often"), plus what is left of English
# contractions ("don't" -> "don") and the words of asking and of the asker's feelings, which no answer shares.
_GLASGOW = """
    a about above across after afterwards again against all almost alone along already also although always
    am among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere are around as
    at be became because become becomes becoming been before beforehand behind being below beside besides
    between beyond both bottom but by can cannot cant co con could couldnt cry de describe do done down due
    during each eg eight either eleven else elsewhere empty enough etc even ever every everyone everything
    everywhere except few fifteen fifty fill find five for former formerly forty found four from front further
    get give go had has hasnt have he hence her here hereafter hereby herein hereupon hers herself him himself
    his how however hundred i ie if in inc indeed into is it its itself keep latter latterly least less ltd
    made many may me meanwhile might mill mine more moreover most mostly much my myself name namely neither
    never nevertheless next nine no nobody none noone nor not nothing now nowhere of off on once one
    only onto or other others otherwise our ours ourselves out over own per perhaps please put rather re same
    see seem seemed seeming seems serious several she should show side since sincere six sixty so some somehow
    someone something sometime sometimes somewhere still such take ten than that the their them themselves
    then thence there thereafter thereby therefore therein thereupon these they thick thin third this those
    though three through throughout thru thus to together too top toward towards twelve twenty two un under
    until up upon us very via was we well were what whatever when whence whenever where whereafter whereas
    whereby wherein whereupon wherever whether which while whither who whoever whole whom whose why will with
    within without would yet you your yours yourself yourselves
"""
_CONTRACTIONS = "don doesn didn isn wasn aren weren couldn wouldn shouldn won ll ve hasn haven hadn im ive dont"
_ASKING = """
    did does doing got just happen happens happened going way try need needs want wants wanted know tell really
    possible ask asked asking question questions wonder wondering curious thanks thank example scenario
    situation kind sort currently actually basically probably maybe okay ok sure says said told heard hear
    think thought like guys thing things stuff specific sense exactly let lot lots bit idea understand
    confused worried concerned scared afraid
"""
ENGLISH_STOPWORDS = frozenset(" ".join([_GLASGOW, _CONTRACTIONS, _ASKING]).split())

# Chat words that carry no topic: particles (tuh, nih, sih), forms of address (kak, gan, min), clitic
# pronouns (ku, mu), greetings (halo, assalamualaikum) and informal function words (biar = agar,
# kudu = harus, bentar = sebentar). Sastrawi's list is of formal Indonesian and lacks them, and an unknown
# word weighs most against answering, so "magang tuh brp thn sih" was declined for its particles. No
# published list covers chat Indonesian.
_CHAT_STOPWORDS = frozenset("""
    tuh nih sih deh lho loh yah nah wah eh kak kakak gan agan sis bro min mimin bang mas mbak
    ku mu gue gw lu lo biar kudu bentar assalamualaikum assalamu alaikum waalaikumsalam halo hallo hai hi hello
    permisi misi
""".split())

# Sastrawi lists "kerja", "bekerja" and "bulan" as stop words, but "kerja di jepang" and
# "gaji per bulan" hinge on them, and the stemmer turns "pekerja"/"pekerjaan" into "kerja" anyway.
_DOMAIN_WORDS = frozenset({"kerja", "bekerja", "bulan", "lama", "masa"})

_STOPWORDS = ((frozenset(StopWordRemoverFactory().get_stop_words()) - _DOMAIN_WORDS) | ENGLISH_STOPWORDS
              | _CHAT_STOPWORDS)

_ROOT_WORDS = frozenset(StemmerFactory().get_words())  # Sastrawi's dictionary of Indonesian root words
# Sastrawi's own CachedStemmer keeps every word it ever saw; the bounded lru_cache below replaces it.
_STEMMER = Stemmer(ArrayDictionary(list(_ROOT_WORDS)))

# Hepburn long vowels: articles write "jūminzei" and "ginō", workers type "juminzei" and "ginou".
_LONG_VOWELS = "āīūēōâîûêô", "aiueoaiueo"
_PLAIN_VOWELS = str.maketrans(*_LONG_VOWELS)

# What an index's BM25 tokens depend on: an index built under other stop words, another stemmer
# dictionary or other vowel folding is rebuilt at start rather than served (embeddings/store.py).
TOKENIZER_ID = hashlib.sha256("\n".join([*sorted(_STOPWORDS), "|", *sorted(_ROOT_WORDS), "|", *_LONG_VOWELS])
                              .encode()).hexdigest()[:16]

# Enough for the whole knowledge base vocabulary plus a long tail of users' words.
_STEM_CACHE_SIZE = 65_536


def is_stop_word(word: str) -> bool:
    """Whether a lower-case word is dropped by tokenize; cheap, for checks that must not stem."""
    return word in _STOPWORDS


def is_root_word(word: str) -> bool:
    """Whether a lower-case word is an Indonesian root word (Sastrawi's dictionary): a word, not a typo."""
    return word in _ROOT_WORDS


def tokenize(text: str) -> list[str]:
    """BM25 tokens: lower-case, long vowels plain, stop words out, stemmed, so "pelatihan" finds "latih"."""
    return [_stem(word) for word in _WORD.findall(text.lower().translate(_PLAIN_VOWELS)) if word not in _STOPWORDS]


def stem(word: str) -> str:
    """The stem of one lower-case word, stop word or not: what tokenize makes of the words it keeps."""
    return _stem(word)


@lru_cache(maxsize=_STEM_CACHE_SIZE)
def _stem(word: str) -> str:
    """Sastrawi is slow pure Python; the same few thousand words come back all the time."""
    if not word.isascii():  # Sastrawi drops non-ASCII letters ("特定技能"); keep such words whole
        return word
    return _STEMMER.stem(word) or word


# --- language ----------------------------------------------------------------------------------

# Function words frequent in questions and prose of one language and absent from the other.
_ENGLISH_MARKERS = frozenset("""
    what how why when where which who is are was do does did can could should would will the an of
    to for in on my i you your much many there this that and or with about have has
""".split())
_INDONESIAN_MARKERS = frozenset("""
    apa apakah bagaimana gimana gmn berapa brp kapan mana siapa kenapa mengapa kak gak nggak ga
    enggak tidak yg yang itu ini dan atau untuk utk ke dari di saya aku bisa ada aja saja dong
    ya sih dengan buat juga sudah udah mau harus
""".split())


def detect_language(text: str) -> str:
    """Answer in the user's language; most users write Indonesian, so a tie means "id"."""
    return written_language(text) or "id"


def written_language(text: str) -> str | None:
    """ "en" or "id" when the function words say so, None when they do not ("SSW?", "ok"): a bot that keeps
    speaking a worker's language must not switch on a word that belongs to neither."""
    words = _WORD.findall(text.lower())
    english = sum(word in _ENGLISH_MARKERS for word in words)
    indonesian = sum(word in _INDONESIAN_MARKERS for word in words)
    return "en" if english > indonesian else "id" if indonesian > english else None
