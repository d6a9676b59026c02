"""The knowledge base checks itself: key facts stated alike everywhere, and old articles flagged."""

from datetime import date

import pytest

from bot.config import SHIPPED_KNOWLEDGE_DIR
from knowledge.facts import SHIPPED_FACTS, _sentences, check_facts, load_facts
from knowledge.freshness import stale_articles
from knowledge.loader import load_articles
from knowledge.model import Article

FACTS, _ = load_facts(SHIPPED_FACTS)
SHIPPED = load_articles(SHIPPED_KNOWLEDGE_DIR, today=date.today())  # articles are checked on later days too


def article(body: str, slug: str = "baru", as_of: date = date(2026, 12, 1)) -> Article:
    return Article(slug, f"Artikel {slug}", body, ("https://example.org/",), as_of, "id", ("ssw",))


def test_the_shipped_articles_state_every_key_fact_alike():
    assert SHIPPED.problems == ()
    assert check_facts(SHIPPED.articles, SHIPPED.facts) == []


def test_every_declared_fact_is_stated_somewhere_so_no_rule_is_dead():
    stating = {fact.name for a in SHIPPED.articles for sentence in _sentences(a) for fact in FACTS
               if fact.about.search(sentence) and not (fact.unless and fact.unless.search(sentence))
               and fact.states.search(sentence)}
    assert stating == {fact.name for fact in FACTS}


@pytest.mark.parametrize(("sentence", "fact"), [
    # the errors the fact check of December 2026 found, as they were written
    ("Menurut Kompas (2025), skema G to G BP2MI ke Jepang meminta peserta lulusan SMA.", "G to G (EPA) education"),
    ("Izin tinggal SSW (ii) diperpanjang per 3 tahun, 1 tahun, atau 6 bulan.", "SSW (ii) permit periods"),
    # and other ways a new article could contradict the rest
    ("Saat ini SSW terbuka untuk 14 bidang kerja.", "number of SSW (i) fields"),
    ("SSW (ii) tersedia di 12 bidang.", "number of SSW (ii) fields"),
    ("Program EPA menerima perawat berusia maksimal 40 tahun.", "G to G (EPA) maximum age"),
    ("Ikusei Shūrō mulai berlaku pada 1 April 2028.", "Ikusei Shūrō start date"),
    ("Biaya LPK untuk Ikusei Shūrō dibatasi dua bulan gaji.", "Ikusei Shūrō cap on sending-agency fees"),
    ("Dattai ichijikin dihitung paling banyak 36 bulan iuran.", "pension refund (dattai ichijikin) cap"),
    ("Usia maksimal SSW adalah 30 tahun.", "SSW has no maximum age"),
    ("Rata-rata nasional upah minimum Jepang 1.055 yen per jam.", "national average minimum wage"),
    ("Rata-rata nasional upah minimum Jepang saat ini 1.121 yen per jam.", "national average minimum wage"),
    ("JFT-Basic lulus dengan skor minimal 180.", "JFT-Basic pass score"),
    ("Syaratnya lulus ujian keterampilan dan ujian bahasa Jepang (atau lulus magang TITP tahap 2 di bidang yang sama).",
     "TITP stage-2 alumni's SSW exemptions"),
])
def test_a_sentence_stating_a_key_fact_differently_is_reported(sentence, fact):
    problems = check_facts([article(sentence)], FACTS)
    assert [p.field for p in problems] == [f.name for f in FACTS if f.name.startswith(fact)]
    assert problems[0].file == "baru" and sentence[:40] in problems[0].reason


@pytest.mark.parametrize("sentence", [
    "Saat dibuka pada April 2019, SSW punya 14 bidang.",  # a past figure, dated
    "Kabinet memutuskan pada 23 Januari 2026 bahwa SSW akan menjadi 19 bidang.",  # a plan, said as one
    "Lulusan SMA tidak bisa ikut program G to G ke Jepang.",
    "Batas dua bulan gaji untuk biaya LPK Ikusei Shūrō baru berupa rancangan.",
    "Batas dattai ichijikin dinaikkan dari 36 bulan menjadi 60 bulan sejak April 2021.",
    "Jepang tidak menetapkan usia maksimal SSW; situs LPK yang menulis batas usia 35 tahun keliru.",
    "Rata-rata nasional upah minimum tahun fiskal 2024 adalah 1.055 yen.",
    "Rata-rata nasional upah minimum tahun fiskal 2025 adalah 1.121 yen.",
    "Lulusan magang tahap 2 bebas ujian bahasa Jepang, dan juga bebas ujian keterampilan jika bidangnya berhubungan.",
    "TITP stage 2 graduates skip the Japanese test, and the skills test only when the job is related.",
])
def test_a_dated_or_qualified_statement_is_not_a_conflict(sentence):
    assert check_facts([article(sentence)], FACTS) == []


def test_a_malformed_facts_file_is_reported_like_a_bad_article(tmp_path):
    (tmp_path / "facts.yaml").write_text("facts:\n  - name: x\n    about: '('\n    states: 'y'\n    value: '1'\n",
                                         encoding="utf-8")
    facts, problems = load_facts(tmp_path / "facts.yaml")
    assert facts == () and problems[0].file == "facts.yaml" and "cannot be read" in problems[0].reason
    loaded = load_articles(tmp_path, today=date(2026, 12, 4))
    assert [p.field for p in loaded.problems] == ["facts"]


def test_stale_articles_are_listed_oldest_first():
    old, older, fresh = (article("isi", slug, as_of) for slug, as_of in (
        ("lama", date(2025, 6, 1)), ("lebih-lama", date(2024, 4, 22)), ("baru", date(2026, 11, 1))))
    assert stale_articles([old, fresh, older], today=date(2026, 12, 4)) == [older, old]
    assert stale_articles([old], today=date(2026, 12, 4), max_age_days=600) == []
