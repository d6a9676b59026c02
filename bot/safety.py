"""Questions the bot must decline whatever it retrieves: requests to cheat or break the law, and other countries.

These are rules, not retrieval: a question asking how to buy a fake diploma may match our articles on
diplomas perfectly. They sit beside the decision that applies them (bot/decision.py), not in the glossary.
"""

from __future__ import annotations

import re

from knowledge.glossary import mentions, normalise_informal

OTHER_DESTINATIONS = (
    "korea", "korsel", "eps-topik", "taiwan", "hong kong", "hongkong", "singapura", "singapore", "malaysia",
    "brunei", "arab saudi", "saudi", "uni emirat arab", "dubai", "qatar", "kuwait", "oman", "australia",
    "selandia baru", "new zealand", "jerman", "germany", "amerika", "usa", "kanada", "canada", "polandia",
    "poland", "turki", "eropa", "europe", "china", "tiongkok",
)
"""Other countries workers go to: the knowledge base is about Japan only, so these are declined."""

JAPAN_WORDS = ("jepang", "japan", "japanese", "日本", "tokyo", "osaka", "nihon")

HARMFUL = (
    "memalsukan", "memalsu", "dipalsukan", "pemalsuan", "forge", "suap", "menyuap", "nyogok", "sogok",
    "amplop", "uang pelicin", "pelicin", "joki", "selundup", "menyelundupkan", "nyelundupin", "kerja ilegal",
    "bekerja ilegal", "kerja secara ilegal", "bekerja secara ilegal", "work illegally", "illegal work", "illegally",
    "kerja tanpa visa", "bekerja tanpa visa", "work without a visa",
    # cheating a selection or a test
    "kunci jawaban", "bocoran soal", "bocoran ujian", "bocoran tes", "contekan", "nyontek", "menyontek",
    "answer key", "leaked questions", "orang dalam", "jalur belakang",
    # a false identity: age or birth date changed, another person's papers
    "ganti tanggal lahir", "ubah tanggal lahir", "mengubah tanggal lahir", "ganti umur", "ubah umur",
    "ganti tahun lahir", "ubah tahun lahir", "mengubah tahun lahir", "change my birth", "change the birth",
    "change birth", "change my age", "someone else's",
    # evading detection, or deceiving others
    "tidak ketahuan", "tanpa ketahuan", "tidak ketauan", "tanpa ketauan", "tidak terdeteksi", "tanpa terdeteksi",
    "tidak bisa dilacak", "tidak dilacak", "without getting caught", "without being caught", "not get caught",
    "undetected", "will not see it", "won't see it", "will not notice", "won't notice", "cara nipu", "cara menipu",
    "how to scam", "how to trick",
)
"""Requests to deceive or break the law: the bot helps people stay safe, not get round the rules.
Bribes go by idioms too: an "amplop" (envelope) or "uang pelicin" (grease money) for a selector, a
paid "orang dalam" (insider). Asking what happens *if* one is caught is staying safe, so only "without
being caught" counts, not "caught"."""

FAKE = ("palsu", "aspal", "fake", "forged", "counterfeit")
TRADED = ("beli", "membeli", "jual", "dijual", "buy", "sell", "bought")
DOCUMENTS = (
    "ijazah", "sertifikat", "paspor", "passport", "dokumen", "document", "documents", "ktp", "akta",
    "visa", "surat", "diploma", "certificate", "certificates", "skck", "zairyu", "residence card",
    "letter", "transcript", "id card", "transkrip",
)
CREDENTIALS = ("ijazah", "sertifikat", "diploma", "certificate", "certificates", "transkrip", "transcript",
               "surat pengalaman", "surat keterangan kerja", "experience letter", "reference letter", "nilai")
MADE_FOR_ME = ("bikinin", "buatin", "buatkan", "bikinkan", "make me", "make a", "create a", "write me")
"""Someone asked to make a diploma, a certificate or an experience letter for the worker is asked to forge
it: schools and employers issue these. (A passport or an SKCK one applies for, so those do not count.) Read
before normalising: Kamus Alay turns "bikinin" (make it for me) into a plain "membikin"."""
FAKEABLE = ("kartu", "card", "hasil", "result", "results", "medical", "mcu", "umur", "age", "data")
"""A fake medical result or age is as much a forgery as a fake diploma; buying a test result is not a
test voucher, so these count with a fake, not with a purchase."""
SAFETY_FRAMING = (
    "lapor", "melapor", "laporkan", "report", "ciri", "ciri-ciri", "tanda", "kenali", "cek", "mengecek", "hindari",
    "avoid", "spot", "penipuan", "tipu", "ditipu", "scam", "waspada", "bahaya", "hukuman", "sanksi", "penalty",
    # asking whether an offer is genuine ("jual visa kerja jalur cepat, asli gk tuh?", as normalised)
    "asli tidak", "asli atau", "apakah asli", "keaslian", "legit", "is it real", "is this real", "real or fake",
    "penipu", "hoax", "hoaks",
)
"""A fake or bought document is a request to cheat; a fake recruiter, how to spot or report a fake document
or an offer of a bribe, or whether an offer seen online is genuine, is exactly what a worker staying safe asks
about."""


TASK = re.compile(
    r"^\W*(?:(?:tolong|bantu|bantuin|please|pls|plz|can you|could you|kak|min)\W+)*"
    r"(?:terjemahin|terjemahkan|translate)\b"
    r"|\b(?:kerjain|kerjakan|jawab|jawabin|bantu|bantuin)\s+pr\b|\b(?:homework|tugas sekolah|tugas kuliah)\b",
    re.IGNORECASE)
"""A task, not a question: translating a text, doing homework. Asked to translate, the bot would answer
from whatever article shares the text's words; "do the documents need translating?" is a question, and so is
translating a document ("terjemahin ijazah ke bahasa jepang dimana?"): the articles say who may do it. Not "soal"
or "tugas" alone: "bisa bantu soal gaji?" asks about pay, "tugas pemagang" are an intern's duties."""


_INFORMAL_VERB = re.compile(r"\b(\w{3,}?)(?:in|kin)\b")


def _without_informal_suffix(text: str) -> str:
    """Jakarta chat makes a verb of a word with -in/-kin ("palsuin" = memalsukan, "jokiin" = carikan joki): the
    rules' words are found in the word it is made of."""
    return _INFORMAL_VERB.sub(lambda match: f"{match.group(0)} {match.group(1)}", text)


def safety_reason(text: str) -> str | None:
    """"harmful", "elsewhere" or "task" when a message is outside what the bot may answer, whatever it retrieves."""
    lowered = _without_informal_suffix(normalise_informal(text))
    fake_document = (mentions(lowered, FAKE) and mentions(lowered, DOCUMENTS + FAKEABLE)
                     or mentions(lowered, TRADED) and mentions(lowered, DOCUMENTS)
                     or mentions(text.lower(), MADE_FOR_ME) and mentions(lowered, CREDENTIALS))
    if (mentions(lowered, HARMFUL) or fake_document) and not mentions(lowered, SAFETY_FRAMING):
        return "harmful"
    if mentions(lowered, OTHER_DESTINATIONS) and not mentions(lowered, JAPAN_WORDS):
        return "elsewhere"
    if TASK.search(text) and not mentions(lowered, DOCUMENTS):
        return "task"
    return None
