"""Domain vocabulary shared by both indexes: one concept, many words (Indonesian, Japanese, English).

A worker may write "tokutei ginou" where the article says "SSW", or "kak" and "gmn" where an
article never would; queries are normalised and expanded here, so one vocabulary finds the other.
"""

from __future__ import annotations

import re
from functools import lru_cache

SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("ssw", "tokutei ginou", "tokutei ginō", "tokutei gino", "specified skilled worker",
     "pekerja berketerampilan spesifik", "tenaga kerja berketerampilan spesifik", "特定技能"),
    ("magang", "pemagangan", "titp", "technical intern training", "ginou jisshuu", "ginō jisshū",
     "gino jisshu", "ginou jisshu", "jisshusei", "jisshūsei", "intern", "internship", "trainee", "技能実習"),
    ("ikusei shuro", "ikusei shūrō", "ikusei shuuro", "ikusei", "育成就労", "employment for skill development"),
    ("kaigo", "perawat lansia", "nursing care", "care worker", "caregiver", "介護"),
    ("lpk", "lembaga pelatihan kerja"),
    ("sending organization", "sending organisation", "lembaga pengirim"),
    ("kanri dantai", "supervising organization", "supervising organisation", "organisasi pengawas", "監理団体"),
    ("rso", "registered support organization", "tōroku shien kikan", "toroku shien kikan", "登録支援機関"),
    ("p3mi", "pptkis", "perusahaan penempatan pekerja migran", "agen penyalur"),
    ("kp2mi", "bp2mi", "bnp2tki", "kementerian perlindungan pekerja migran", "badan pelindungan pekerja migran"),
    ("kemnaker", "kemenaker", "kementerian ketenagakerjaan", "ministry of manpower"),
    ("bpvp", "blk", "balai pelatihan vokasi", "balai latihan kerja"),
    ("im japan", "imm japan", "international manpower development"),
    ("otit", "organization for technical intern training", "外国人技能実習機構"),
    ("jft-basic", "jft basic", "jft", "japan foundation test"),
    ("jlpt", "japanese-language proficiency test", "japanese language proficiency test", "nouryoku shiken",
     "日本語能力試験"),
    ("coe", "certificate of eligibility", "在留資格認定証明書"),
    ("zairyu card", "zairyū card", "kartu zairyu", "residence card", "kartu izin tinggal", "在留カード"),
    ("pmi", "pekerja migran indonesia", "tki", "tenaga kerja indonesia", "migrant worker"),
    ("kbri", "kedutaan besar republik indonesia", "embassy of indonesia", "kedubes"),
    ("gaji", "upah", "salary", "wage", "wages"),
    ("biaya", "ongkos", "fee", "fees", "cost", "costs"),
    ("syarat", "persyaratan", "requirement", "requirements"),
    ("penipuan", "scam", "fraud", "calo"),
    ("keluarga", "family"),
    ("pindah kerja", "ganti perusahaan", "change jobs", "job change", "tenshoku"),
)

INFORMAL: dict[str, str] = {
    # chat spellings -> standard words, so they become stopwords or match article text
    "yg": "yang", "gmn": "bagaimana", "gimana": "bagaimana", "gmna": "bagaimana", "brp": "berapa",
    "brapa": "berapa", "gak": "tidak", "ga": "tidak", "gk": "tidak", "nggak": "tidak", "enggak": "tidak",
    "tdk": "tidak", "utk": "untuk", "dgn": "dengan", "sy": "saya", "aku": "saya", "sdh": "sudah",
    "udah": "sudah", "blm": "belum", "bs": "bisa", "bisa2": "bisa", "jg": "juga", "aja": "saja",
    "apa2": "apa", "dr": "dari", "krn": "karena", "tp": "tetapi", "kalo": "kalau", "klo": "kalau",
    "kak": "", "min": "", "gan": "", "bang": "", "mas": "", "mbak": "", "dong": "", "sih": "", "nih": "",
    "ya": "", "yah": "", "deh": "", "kah": "", "tolong": "", "mohon": "", "info": "", "nanya": "",
    "tanya": "", "mau": "", "pengen": "", "pingin": "", "ingin": "", "jepun": "jepang", "jpn": "jepang",
    "jepan": "jepang", "kerjaan": "kerja", "syarat2": "syarat",
}
"""Informal words mapped to standard ones; an empty value drops a word that carries no meaning."""


def _term_pattern(term: str) -> str:
    """Whole words for Latin script; Japanese is written without spaces, so a plain substring there."""
    if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", term):
        return re.escape(term)
    return rf"(?<!\w){re.escape(term)}(?!\w)"


@lru_cache(maxsize=1)
def _group_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(
        re.compile("|".join(_term_pattern(term) for term in sorted(group, key=len, reverse=True)))
        for group in SYNONYMS
    )


_WORD = re.compile(r"[\w-]+")


def normalise_informal(text: str) -> str:
    """Lowercase and replace chat spellings word by word (keeps everything else as written)."""
    return _WORD.sub(lambda m: INFORMAL.get(m.group(0), m.group(0)), text.lower())


def matched_groups(text: str) -> list[tuple[tuple[str, ...], list[str]]]:
    """Each glossary group some term of which occurs in the text, with the terms found."""
    lowered = text.lower()
    found = []
    for group, pattern in zip(SYNONYMS, _group_patterns()):
        terms = [match.group(0) for match in pattern.finditer(lowered)]
        if terms:
            found.append((group, terms))
    return found


def expand_query(text: str) -> str:
    """The normalised question followed by the other names of every concept it mentions."""
    normalised = normalise_informal(text)
    extra = [term for group, terms in matched_groups(normalised) for term in group if term not in terms]
    return " ".join([normalised, *extra]) if extra else normalised
