"""Domain vocabulary shared by both indexes: one concept, many words (Indonesian, Japanese, English).

A worker may write "tokutei ginou" where the article says "SSW", or "kak" and "gmn" where an
article never would; queries are normalised here, and expanded (embeddings/query.py) with the other names
of the concepts found here, so one vocabulary finds the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from indoNLP.preprocessing.slang_data import SLANG_DATA  # Kamus Alay, the Colloquial Indonesian Lexicon

from knowledge.text import ENGLISH_STOPWORDS, detect_language

SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("ssw", "tokutei ginou", "tokutei ginō", "tokutei gino", "specified skilled worker",
     "pekerja berketerampilan spesifik", "tenaga kerja berketerampilan spesifik", "特定技能"),
    # its two levels: workers number them ("ssw 2", "tokutei ginou 2go"), the articles write "SSW (ii)"; as a
    # phrase, the "2" is part of a name and not a number the worker quotes (embeddings/snapshot.py)
    ("ssw (ii)", "ssw ii", "ssw 2", "ssw2", "ssw tipe 2", "ssw type 2", "tokutei ginou 2", "tokutei ginō (ii)",
     "tokutei ginou ii", "tokutei gino 2", "tokutei ginou 2go", "tokutei ginou 2 go", "specified skilled worker (ii)",
     "ssw level 2", "tokutei ginou level 2", "ssw tingkat 2", "tokutei ginou tingkat 2", "特定技能2号"),
    ("ssw (i)", "ssw 1", "ssw1", "ssw tipe 1", "ssw type 1", "tokutei ginou 1", "tokutei ginō (i)", "tokutei gino 1",
     "tokutei ginou 1go", "tokutei ginou 1 go", "specified skilled worker (i)", "ssw level 1", "tokutei ginou level 1",
     "ssw tingkat 1", "tokutei ginou tingkat 1", "特定技能1号"),
    ("magang", "pemagangan", "pemagang", "titp", "technical intern training", "ginou jisshuu", "ginō jisshū",
     "gino jisshu", "ginou jisshu", "jisshusei", "jisshūsei", "technical intern", "intern", "internship", "trainee",
     "技能実習"),
    ("ikusei shuro", "ikusei shūrō", "ikusei shuuro", "ikusei", "育成就労", "employment for skill development"),
    ("kaigo", "perawat lansia", "nursing care", "care worker", "caregiver", "careworker", "caregiving",
     "elderly care", "介護"),
    ("g to g", "g2g", "g-to-g", "ijepa", "epa", "government to government"),
    # the SSW and Ikusei fields, as workers and ISA name them
    ("pertanian", "agriculture", "agricultural", "farming", "farm", "bertani", "petani", "nogyo", "nōgyō", "農業"),
    ("peternakan", "livestock", "dairy", "ternak"),
    ("perikanan", "fishery", "fisheries", "fishing", "aquaculture", "nelayan", "gyogyo", "gyogyō", "漁業"),
    ("konstruksi", "construction", "kensetsu", "建設"),
    ("restoran", "gaishoku", "food service", "restaurant", "外食"),
    ("pengolahan makanan", "makanan dan minuman", "food manufacturing", "food and beverage", "飲食料品製造"),
    ("manufaktur", "manufacturing", "pabrik", "factory", "seizo", "seizō", "製造"),
    ("perbaikan mobil", "otomotif", "automobile repair", "car maintenance", "bengkel", "自動車整備"),
    ("pembersihan gedung", "building cleaning", "cleaning service", "cleaning", "cleaner", "ビルクリーニング"),
    ("perhotelan", "hotel", "shukuhaku", "宿泊"),
    ("galangan kapal", "shipbuilding", "zosen", "zōsen", "造船"),
    ("penerbangan", "aviation", "bandara", "koku", "kōkū", "航空"),
    ("angkutan mobil", "sopir", "supir", "driver", "truk", "truck", "taksi", "taxi", "自動車運送"),
    ("kereta api", "railway", "tetsudo", "tetsudō", "鉄道"),
    ("kehutanan", "forestry", "ringyo", "ringyō", "林業"),
    ("industri kayu", "wood industry", "mokuzai", "木材"),
    ("lpk", "lembaga pelatihan kerja"),
    ("sending organization", "sending organisation", "lembaga pengirim", "so", "lpk-so"),
    ("kanri dantai", "supervising organization", "supervising organisation", "organisasi pengawas", "監理団体",
     "kumiai"),  # what interns call it: most are business cooperatives (事業協同組合)
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
    ("kbri", "kedutaan besar republik indonesia", "embassy of indonesia", "indonesian embassy", "indonesia embassy",
     "kedubes", "kedutaan indonesia"),
    ("gaji", "upah", "salary", "wage", "wages"),
    ("upah minimum", "umr", "ump", "umk", "minimum wage", "saitei chingin", "最低賃金"),
    ("dattai ichijikin", "lump-sum withdrawal", "lump sum", "pension refund", "脱退一時金"),
    ("biaya", "ongkos", "fee", "fees", "cost", "costs"),
    ("syarat", "persyaratan", "requirement", "requirements"),
    ("penipuan", "scam", "fraud", "calo"),
    ("lapor", "melapor", "laporan", "mengadu", "ngadu", "pengaduan", "aduan", "report", "complain", "complaint"),
    ("ilegal", "illegal", "bodong", "abal-abal", "abal", "unlicensed"),
    ("pindah kerja", "ganti perusahaan", "change jobs", "job change", "tenshoku"),
    ("phk", "dipecat", "pemecatan", "fired", "dismissed", "dismissal", "laid off", "layoff", "kaiko", "解雇"),
    ("mengundurkan diri", "berhenti", "resign", "resignation", "quit", "taishoku", "退職"),
    # everyday words, Indonesian and English, so an English question meets Indonesian articles and vice versa
    ("keluarga", "family", "istri", "suami", "pasangan", "spouse", "wife", "husband", "anak", "children"),
    ("gratis", "free", "free of charge", "tanpa biaya"),
    ("pelatihan", "kursus", "training", "course", "courses"),
    ("umur", "usia", "age"),
    # workers ask for the "maksimal", articles state the "batas" ("dibatasi 45 jam sebulan")
    ("batas", "maksimal", "maksimum", "paling lama", "paling banyak", "limit", "maximum"),
    ("sma", "smk", "slta", "sekolah menengah atas", "high school", "vocational high school"),  # Kamus Alay: sma = "sama"
    ("smp", "sltp", "sekolah menengah pertama", "junior high school", "junior high"),  # Kamus Alay: "sampai"
    ("ujian", "tes", "test", "exam"),
    ("daftar", "mendaftar", "register", "apply", "sign up"),
    ("resmi", "terdaftar", "legit", "official", "licensed"),
    ("paspor", "passport"),
    ("perusahaan", "majikan", "employer", "company"),
    ("darurat", "emergency"),
    ("ambulans", "ambulance"),
    ("polisi", "police"),
    ("cuti", "holiday", "holidays", "vacation"),
    # paid leave is its own right: "cuti" alone also finds maternity, sick and the 5-year limit's leave
    ("cuti berbayar", "paid leave", "paid holiday", "paid holidays", "annual leave", "yukyu",
     "yūkyū", "yuukyuu", "nenji yūkyū", "有給", "有休", "年休"),
    ("asuransi", "insurance"),
    ("asuransi kesehatan", "kenko hoken", "kenkō hoken", "健康保険", "health insurance"),
    ("pensiun", "pension", "nenkin"),
    ("sertifikat", "certificate"),
    ("utang", "hutang", "debt"),
    ("lembur", "overtime", "zangyo", "zangyou", "残業"),
    ("kontrak", "contract"),
    ("tiket", "ticket", "tiket pesawat", "flight", "flight ticket", "plane ticket", "airfare"),
    ("pulang", "go home", "going home", "return home", "back home", "returning home", "came back", "pulang kampung"),
    ("klaim", "claim", "claims", "mengklaim"),
    ("bayar", "membayar", "pay", "pays", "paid", "payment"),
    ("uang", "money", "cash"),
    ("teman", "friend", "friends"),
    ("atasan", "bos", "boss", "supervisor", "mandor", "manager"),
    ("kekerasan", "violence", "abuse", "abused", "bully", "dibully", "bullying", "dibentak", "membentak", "bentak",
     "yelling", "pelecehan", "harassment", "pawahara"),
    ("sakit", "sick", "ill"),
    ("rumah sakit", "hospital"),
    ("dokter", "doctor"),
    ("visa turis", "visa kunjungan", "tourist visa", "visa waiver", "bebas visa"),
    # standard or Japanese words that workers write where the articles use another one ("sholat" for "salat");
    # unknown to the index, they were read as a near spelling of something else ("lajang" as "larang")
    ("salat", "sholat", "shalat", "solat", "sembahyang"),
    ("perempuan", "wanita"),
    ("gaji bersih", "tedori", "手取り", "take home pay", "take-home pay"),
    ("kabur", "melarikan diri", "shissou", "shissō", "失踪"),
    ("belum menikah", "lajang", "bujang"),
    ("denda", "penalti"),
    # Japanese words workers use for what the articles say in Indonesian
    ("kerja sampingan", "arubaito", "baito", "fukugyo", "副業", "アルバイト"),
    ("pesangon", "taishokukin", "退職金"),
    ("tunjangan pengangguran", "shitsugyo kyufu", "shitsugyō kyūfu", "失業給付", "失業手当", "kihon teate",
     "基本手当"),
    ("apartemen", "apato", "アパート"),
    ("izin tinggal permanen", "eijuken", "eijū", "eiju", "永住権", "永住"),
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
    "pake": "pakai", "taun": "tahun", "thn": "tahun", "th": "tahun", "msh": "masih", "skrg": "sekarang",
    "skrng": "sekarang",
    "hrs": "harus", "kayak": "seperti", "kyk": "seperti", "cewek": "perempuan", "cewe": "perempuan",
    "cowok": "laki-laki", "cowo": "laki-laki", "dapet": "dapat", "pas": "saat", "mending": "lebih baik",
    "dimana": "", "kemana": "", "mana": "", "ciri2": "ciri", "org": "orang", "krj": "kerja", "bgt": "sekali",
    "emang": "memang", "gimana2": "bagaimana", "bener": "benar", "banget": "sekali", "kalau2": "kalau",
    "bikin": "buat", "gede": "besar", "ngaruh": "pengaruh", "kaya": "seperti", "makasih": "", "trims": "",
    "thx": "", "tq": "",
}
"""Informal words mapped to standard ones; an empty value drops a word that carries no meaning."""

REGIONAL: dict[str, str] = {
    # Javanese (ngoko and krama) and Sundanese function words, which many workers mix into chat Indonesian.
    # Kamus Alay lacks them, and an unknown word weighs most against answering: "syarate piye" is "syarat bagaimana".
    "piye": "bagaimana", "pripun": "bagaimana", "kumaha": "bagaimana", "opo": "apa", "nopo": "apa", "naon": "apa",
    "piro": "berapa", "pinten": "berapa", "sabaraha": "berapa", "sopo": "siapa", "sinten": "siapa", "saha": "siapa",
    "ngopo": "kenapa", "kenopo": "kenapa", "naha": "kenapa", "endi": "", "pundi": "", "ora": "tidak",
    "mboten": "tidak", "ndak": "tidak", "teu": "tidak", "henteu": "tidak", "iso": "bisa", "isa": "bisa",
    "saged": "bisa", "tiasa": "bisa", "kudu": "harus", "kedah": "harus", "nek": "kalau", "lek": "kalau",
    "menawi": "kalau", "upami": "kalau", "sing": "yang", "ingkang": "yang", "anu": "",
    "kulo": "saya", "kula": "saya", "abdi": "saya", "wis": "sudah", "uwis": "sudah", "sampun": "sudah",
    "tos": "sudah", "durung": "belum", "dereng": "belum", "acan": "belum", "arep": "", "ajeng": "", "bade": "",
    "hoyong": "", "karo": "dengan", "kalih": "dengan", "sareng": "dengan", "neng": "di", "ning": "di",
    "teng": "di", "soko": "dari", "seko": "dari", "saking": "dari", "wae": "saja", "mawon": "saja",
    "atuh": "", "mah": "", "euy": "", "lur": "", "dulur": "", "akang": "", "teteh": "", "sampeyan": "kamu",
    "panjenengan": "kamu", "dadi": "jadi", "dados": "jadi", "gawe": "kerja", "kerjo": "kerja",
    "nyambut": "", "duit": "uang", "ben": "agar", "supados": "agar", "nanging": "tetapi", "aya": "ada",
    "wonten": "ada", "nu": "yang", "kang": "", "ari": "", "iku": "itu", "kuwi": "itu", "niku": "itu",
    "isih": "masih", "tasih": "masih", "damel": "kerja", "ngiring": "ikut", "melu": "ikut", "budhal": "berangkat",
    "mangkat": "berangkat", "lawas": "lama", "anyar": "baru", "enggal": "baru", "basa": "bahasa",
    "nyalira": "sendiri", "dhewe": "sendiri", "dewe": "sendiri", "urang": "", "yo": "", "wes": "sudah",
    "uwes": "sudah", "duwe": "punya", "gadah": "punya", "gaduh": "punya", "mung": "hanya", "namung": "hanya",
    "punten": "", "nuwun": "", "sewu": "", "monggo": "", "mangga": "", "nuhun": "", "matur": "", "nya": "",
}
"""Regional words mapped like INFORMAL; only function words and a few everyday ones, never a topic."""


_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _term_pattern(term: str, plural: bool = False) -> str:
    """Whole words for Latin script; Japanese is written without spaces, so a plain substring there. With
    `plural`, an English plural of a name of four letters or more counts too ("drivers", "caregivers")."""
    if _JAPANESE.search(term):
        return re.escape(term)
    ending = "(?:e?s)?" if plural and len(term) >= 4 and term[-1].isalpha() and term[-1] != "s" else ""
    return rf"(?<!\w){re.escape(term)}{ending}(?!\w)"


def mentions(text: str, terms: tuple[str, ...]) -> bool:
    """Whether any of the terms occurs in the (normalised) text as whole words."""
    return _alternation(terms).search(text) is not None


@lru_cache(maxsize=32)
def _alternation(terms: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled pattern per term list: asked for every question, and there are a hundred terms."""
    return re.compile("|".join(_term_pattern(term) for term in terms))



@dataclass(frozen=True, slots=True)
class _GroupMatcher:
    """One glossary group, compiled once: its pattern, and what a text must hold for the pattern to be worth
    running (a first word of one of its Latin-script terms, or one of its Japanese terms anywhere)."""

    group: tuple[str, ...]
    pattern: re.Pattern[str]
    openings: frozenset[str]
    japanese: tuple[str, ...]

    def may_match(self, lowered: str, words: frozenset[str]) -> bool:
        return not self.openings.isdisjoint(words) or any(term in lowered for term in self.japanese)


@lru_cache(maxsize=1)
def _group_matchers() -> tuple[_GroupMatcher, ...]:
    return tuple(
        _GroupMatcher(
            group,
            re.compile("|".join(_term_pattern(term, plural=True) for term in sorted(group, key=len, reverse=True))),
            frozenset(re.match(r"\w+", term).group() for term in group if not _JAPANESE.search(term)),
            tuple(term for term in group if _JAPANESE.search(term)),
        )
        for group in SYNONYMS
    )


_WORD = re.compile(r"[\w-]+")


def informal_variants(word: str) -> list[str]:
    """Standard spellings a colloquial word may stand for, most likely first (nunggu -> tunggu, dicairin -> dicairkan).

    Jakarta-style speech marks verbs with a nasal prefix (ng-/ny-/n-/m-) and an -in suffix, drops an
    initial h, and says e where the standard word has a; Javanese and Sundanese add a possessive (-e, -ne,
    -na); callers keep the variants their vocabulary knows.
    """
    stems = [word]
    if word.endswith("in") and len(word) > 4:
        stems += [word[:-2] + "kan", word[:-2], word[:-2] + "i"]
    if len(word) > 4:  # Javanese and Sundanese possessives: gajine, syarate, gajina (= gajinya)
        if word[-3] in "aiueo" and word.endswith(("ne", "na")):
            stems.append(word[:-2])
        if word[-2] not in "aiueo" and word.endswith("e"):
            stems.append(word[:-1])
    variants: list[str] = []
    for stem in stems:
        variants.append(stem)
        if stem.startswith("nge"):
            variants.append(stem[3:])
        if stem.startswith("ng"):
            variants += [stem[2:], "k" + stem[2:]]
        if stem.startswith("ny"):
            variants += ["c" + stem[2:], "s" + stem[2:]]
        if stem.startswith("n") and len(stem) > 1 and stem[1] in "aiueo":
            variants.append("t" + stem[1:])
        if stem.startswith("m") and len(stem) > 1 and stem[1] in "aiueo":
            variants.append("p" + stem[1:])
        if stem.startswith("di") and len(stem) > 3 and stem[2] in "aiueo":
            variants.append("dih" + stem[2:])
        if stem[:1] in "aiueo":
            variants.append("h" + stem)
        last_e = stem.rfind("e")
        if last_e > 0 and last_e >= len(stem) - 3:
            variants.append(stem[:last_e] + "a" + stem[last_e + 1:])
    return list(dict.fromkeys(v for v in variants[1:] if v != word))


@lru_cache(maxsize=1)
def _domain_words() -> frozenset[str]:
    return frozenset(word for group in SYNONYMS for term in group for word in term.split())


def _standard_word(word: str, english: bool = False) -> str:
    """Our own chat and regional spellings first; domain words and English function words as they are
    (SO is a sending organisation, not "sok"); then, in an Indonesian text, the 4,000 entries of Kamus Alay
    (Salsabila et al., 2018), which read English as chat ("week" as "wig", "pass" as "pas"); "berkas2" is
    "berkas"."""
    if word in INFORMAL:
        return INFORMAL[word]
    if word in REGIONAL:
        return REGIONAL[word]
    if word in _domain_words() or word in ENGLISH_STOPWORDS:  # Kamus Alay reads "or" as "orang"
        return word
    if word.endswith("2") and word[:-1].isalpha() and len(word) > 3:
        word = word[:-1]
    return word if english else SLANG_DATA.get(word, word)


def normalise_informal(text: str, english: bool | None = None) -> str:
    """Lowercase and replace chat spellings word by word (keeps everything else as written). `english`: whether
    the text is English, when the caller knows it better than the text does (one word of a question)."""
    if english is None:
        english = detect_language(text) == "en"
    return _WORD.sub(lambda m: _standard_word(m.group(0), english), text.lower())


def _words_and_singulars(lowered: str) -> frozenset[str]:
    words = set(re.findall(r"\w+", lowered))
    return frozenset(words | {word[:-1] for word in words if word.endswith("s")}
                     | {word[:-2] for word in words if word.endswith("es")})


def matched_groups(text: str) -> list[tuple[tuple[str, ...], list[str]]]:
    """Each glossary group some term of which occurs in the text, with the terms found. A group whose terms open
    with no word of the text is not searched: a hundred alternations run over a long passage took seconds."""
    lowered = text.lower()
    words = _words_and_singulars(lowered)
    found = []
    for matcher in _group_matchers():
        if not matcher.may_match(lowered, words):
            continue
        terms = [match.group(0) for match in matcher.pattern.finditer(lowered)]
        if terms:
            found.append((matcher.group, terms))
    return found


def other_names(groups: list[tuple[tuple[str, ...], list[str]]]) -> list[str]:
    """The names of the matched concepts that the text did not use itself (from matched_groups)."""
    return [term for group, terms in groups for term in group if term not in terms]


ENGLISH_WORDS_FILE = Path(__file__).with_name("english_indonesian.tsv")


_WORDS = re.compile(r"[^\W_]+")  # a hyphen or an apostrophe separates words: "take-home", "workers' compensation"


@lru_cache(maxsize=1)
def _english_phrases() -> tuple[dict[tuple[str, ...], tuple[str, ...]], int]:
    """Everyday English words and phrases of workers' questions -> the words our Indonesian articles use for them
    (data, not code: 3,600 entries, most written from the articles' own vocabulary; the file's header says how),
    read once and keyed by word sequence ("take-home" and "take home" alike), with the longest key in words: a
    lookup per word and length, where one regular expression of 3,000 alternatives took 6 ms a question."""
    phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
    for line in ENGLISH_WORDS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            english, indonesian = line.split("\t")
            words = tuple(word.strip() for word in indonesian.split("|") if word.strip())
            phrases.setdefault(tuple(_WORDS.findall(english)), words)
    return phrases, max(map(len, phrases), default=1)


def indonesian_for_english(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """The English words and phrases of a (normalised) question that our Indonesian articles say otherwise, each
    with the Indonesian words for it: an English question then finds the Indonesian passages that answer it. A
    phrase adds to its words rather than replacing them ("recruitment agency" is a P3MI, and an agency still an
    "agen")."""
    words, (phrases, longest) = _WORDS.findall(text), _english_phrases()
    found = []
    for start in range(len(words)):
        for size in range(min(longest, len(words) - start), 0, -1):
            indonesian = phrases.get(tuple(words[start:start + size]))
            if indonesian:
                found.append((" ".join(words[start:start + size]), indonesian))
    return found
