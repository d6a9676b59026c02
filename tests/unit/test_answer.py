"""Answer composition: extractive, cited, ordered, and declining when nothing fits."""

from datetime import date

import numpy as np

from bot.answer import WORD_BUDGET, Answer, Decline
from bot.decision import MIN_COVERAGE
from bot.render import to_html, to_plain
from bot.sentences import FEATURES, SentenceSelector
from embeddings.snapshot import Hit
from knowledge.model import Article, Passage
from tests.fakes import compose_from_hits as compose_answer


def article(slug, title, topics=("ssw",), lang="id", url="https://example.org/"):
    return Article(slug, title, "body", (url + slug,), date(2026, 10, 1), lang, topics)


ARTICLES = {
    "ssw": article("ssw", "Tentang SSW"),
    "ssw-hak": article("ssw-hak", "Hak pekerja SSW"),
    "magang": article("magang", "Tentang magang", ("magang",)),
    "kontak": article("kontak", "Kontak resmi", ("contacts",)),
    "contacts-en": article("contacts-en", "Official contacts", ("contacts",), lang="en"),
}


def passage(pid, slug, section, text):
    return Passage(pid, slug, ARTICLES[slug].title, section, text)


SSW_STAY = passage(
    "p1", "ssw", "Lama tinggal",
    "Program SSW dimulai tahun 2019. Pemegang SSW (i) boleh tinggal paling lama 5 tahun. "
    "Pemegang SSW (ii) boleh membawa keluarga. Cuaca di Jepang bervariasi.",
)
MAGANG_STAY = passage("p2", "magang", "Lama magang", "Magang berlangsung paling lama 5 tahun. Peserta magang tinggal di asrama.")
SSW_RENEWAL = passage("p3", "ssw-hak", "Perpanjangan", "Izin tinggal SSW diperpanjang tiap tahun sampai 5 tahun.")
CONTACT_FEE = passage("c1", "kontak", "Mengadu soal biaya", "Laporkan pungutan biaya liar ke KP2MI. Simpan bukti.")
CONTACT_GENERAL = passage("c2", "kontak", "Pertanyaan umum", "Tanya hal umum ke layanan KP2MI.")


def hit(p, score, confidence):
    return Hit(p, score, confidence, lexical=score * 10, dense=0.5)


def idf(token):
    return 1.0


def test_answer_is_extractive_and_cites_its_source():
    result = compose_answer("berapa lama SSW boleh tinggal", [hit(SSW_STAY, 1.0, 0.9)], ARTICLES, idf)
    assert isinstance(result, Answer) and result.answered
    assert all(s.text in SSW_STAY.text for s in result.sentences)
    assert any("5 tahun" in s.text for s in result.sentences)
    assert result.sources[0].title == "Tentang SSW" and result.sources[0].url == "https://example.org/ssw"
    assert {s.source for s in result.sentences} == {1}


def test_the_passage_is_read_in_order_within_the_word_budget():
    result = compose_answer("SSW tinggal 5 tahun keluarga", [hit(SSW_STAY, 1.0, 0.9)], ARTICLES, idf)
    texts = [s.text for s in result.sentences]
    positions = [SSW_STAY.text.index(t) for t in texts]
    assert positions == sorted(positions) and len(texts) >= 2
    assert sum(len(t.split()) for t in texts) <= WORD_BUDGET


def test_a_sentence_added_from_the_lead_passage_stands_where_the_passage_has_it():
    """A passage's verdict read after the sentences that qualify it reads backwards: the lead's own passage keeps
    its order, whichever of its sentences was chosen first."""
    filler = ("dan aturan ini dijelaskan panjang lebar oleh kantor imigrasi dengan contoh yang banyak sekali, "
              "ditambah catatan kaki serta penjelasan dari kantor tenaga kerja setempat")
    long = passage("p8", "ssw", "Pesangon", " ".join(f"Kalimat {word} tentang pesangon SSW {filler}." for word in
                                                     ("satu", "dua", "tiga", "empat", "lima", "enam")))
    # the first and the last sentence most likely to answer, the last a little more: the window holds the last
    first_and_last = SentenceSelector(np.array([9.0 * (name == "first") + 10.0 * (name == "position")
                                                for name in FEATURES], dtype=np.float32), -5.0, FEATURES)
    result = compose_answer("pesangon SSW", [hit(long, 1.0, 0.9)], ARTICLES, idf, selector=first_and_last)
    texts = [s.text for s in result.sentences]
    assert texts[0].startswith("Kalimat satu") and texts[-1].startswith("Kalimat enam")
    assert [long.text.index(t) for t in texts] == sorted(long.text.index(t) for t in texts)


def test_the_answer_leads_with_the_sentence_that_holds_an_amount_when_asked_for_one():
    wage = passage("p9", "ssw-hak", "Gaji", "Pekerja SSW digaji seperti pekerja Jepang. Upah minimumnya 1.121 yen per jam "
                   "pada tahun fiskal 2025. Perusahaan membayar gaji tiap bulan.")
    result = compose_answer("berapa upah minimum per jam pekerja ssw", [hit(wage, 1.0, 0.9)], ARTICLES, idf)
    assert any("1.121 yen" in s.text for s in result.sentences)


def test_a_close_second_article_adds_a_second_numbered_source():
    hits = [hit(SSW_STAY, 1.0, 0.9), hit(SSW_RENEWAL, 1.0, 0.8)]  # as close as can be
    # sentences judged by the share of the question they name alone, so that how close is close enough does not
    # move with the shipped selector's weights
    by_coverage = SentenceSelector(np.array([4.0 * (name == "coverage") for name in FEATURES], dtype=np.float32),
                                   -2.0, FEATURES)
    result = compose_answer("berapa lama tinggal 5 tahun", hits, ARTICLES, idf, selector=by_coverage)
    assert sorted(s.number for s in result.sources) == [1, 2]
    by_number = {s.number: s.title for s in result.sources}
    texts_of = {"Tentang SSW": SSW_STAY.text, "Hak pekerja SSW": SSW_RENEWAL.text}
    assert all(s.text in texts_of[by_number[s.source]] for s in result.sentences)


def test_support_from_another_programme_is_not_added():
    """A magang rule under an SSW answer would mislead: the two programmes' rules differ."""
    hits = [hit(SSW_STAY, 1.0, 0.9), hit(MAGANG_STAY, 0.95, 0.8)]
    result = compose_answer("berapa lama tinggal 5 tahun", hits, ARTICLES, idf)
    assert [s.title for s in result.sources] == ["Tentang SSW"]


def test_a_distant_second_article_is_not_cited():
    hits = [hit(SSW_STAY, 1.0, 0.9), hit(MAGANG_STAY, 0.3, 0.8)]
    result = compose_answer("berapa lama tinggal 5 tahun", hits, ARTICLES, idf)
    assert len(result.sources) == 1


def test_below_the_confidence_threshold_it_declines_and_says_where_to_ask():
    low = MIN_COVERAGE - 0.01
    result = compose_answer("biaya SSW berapa", [hit(SSW_STAY, 1.0, low)], ARTICLES, idf, [CONTACT_FEE, CONTACT_GENERAL])
    assert isinstance(result, Decline) and not result.answered
    assert result.contact_heading == "Mengadu soal biaya"
    assert "KP2MI" in to_plain(result) and "[1] Kontak resmi" in to_plain(result)


def test_an_unrelated_question_is_declined_with_the_topics_not_a_contact():
    result = compose_answer("resep nasi goreng", [hit(SSW_STAY, 1.0, 0.0)], ARTICLES, idf, [CONTACT_FEE, CONTACT_GENERAL])
    assert not result.answered and result.where_to_ask == () and result.sources == ()
    assert "/topik" in to_plain(result) and "KP2MI" not in to_plain(result)


def test_the_decline_points_to_the_contact_that_fits_the_question():
    result = compose_answer("saya ditipu biaya, lapor ke mana? umum", [], ARTICLES, idf, [CONTACT_GENERAL, CONTACT_FEE])
    assert result.contact_heading == "Mengadu soal biaya"


def test_a_decline_points_to_a_contact_in_the_question_language_where_there_is_one():
    english = passage("c3", "contacts-en", "Complaints about fees", "Report illegal fees to KP2MI. Keep the evidence.")
    contacts = [CONTACT_FEE, CONTACT_GENERAL, english]
    assert compose_answer("I was cheated on fees, where do I report it?", [], ARTICLES, idf, contacts).contact_heading \
        == "Complaints about fees"
    assert compose_answer("saya ditipu biaya, lapor ke mana?", [], ARTICLES, idf, contacts).contact_heading \
        == "Mengadu soal biaya"
    only_indonesian = compose_answer("I was cheated on fees, where do I report it?", [], ARTICLES, idf, [CONTACT_FEE])
    assert only_indonesian.contact_heading == "Mengadu soal biaya"


def test_english_question_gets_english_frame():
    result = compose_answer("how long can SSW stay", [hit(SSW_STAY, 1.0, 0.9)], ARTICLES, idf)
    assert result.lang == "en"
    assert "Sources:" in to_plain(result) and "as of 1 October 2026" in to_plain(result)
    assert "Sumber:" in to_plain(compose_answer("berapa lama SSW tinggal", [hit(SSW_STAY, 1.0, 0.9)], ARTICLES, idf))


def test_related_questions_are_other_sections_in_the_question_language():
    other = passage("p3", "ssw", "Syarat bahasa", "Pelamar SSW perlu lulus JFT-Basic.")
    hits = [hit(SSW_STAY, 1.0, 0.9), hit(other, 0.5, 0.6), hit(SSW_STAY, 0.4, 0.9)]
    result = compose_answer("berapa lama SSW tinggal", hits, ARTICLES, idf)
    assert [p.section for p in result.related] == ["Syarat bahasa"]


def test_html_rendering_escapes_article_and_title_text():
    ARTICLES["x"] = article("x", "A <b>&</b> B")
    risky = passage("px", "x", "S", "Gaji <script>alert(1)</script> & bonus SSW.")
    html = to_html(compose_answer("gaji SSW", [hit(risky, 1.0, 0.9)], ARTICLES, idf))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "A &lt;b&gt;&amp;&lt;/b&gt; B" in html
    del ARTICLES["x"]


def test_a_sentence_announcing_a_list_is_not_used_to_support_without_its_list():
    main = passage("p1", "ssw", "Syarat SSW", "Syarat SSW: umur 18 tahun, lulus ujian bahasa dan ujian keterampilan.")
    intro_only = passage("p2", "ssw-hak", "Syarat lain", "Peserta harus memenuhi syarat SSW berikut:")
    with_fact = passage("p3", "ssw-hak", "Syarat lain", "Syarat SSW bagi alumni magang: bebas ujian.")
    for support, shown in ((intro_only, False), (with_fact, True)):
        result = compose_answer("apa syarat SSW", [hit(main, 1.0, 0.9), hit(support, 0.9, 0.9)], ARTICLES, idf)
        assert isinstance(result, Answer)
        assert any(s.text == support.text for s in result.sentences) is shown


def test_an_answer_never_starts_with_a_sentence_that_points_back():
    """"Aturan itu …" means the rule named just before: shown first, it would point at nothing."""
    text = ("Aturan magang Jepang memuat syarat dasar bagi pemagang, yaitu " + "ketentuan umum " * 50 + "saja. "
            "Aturan itu tidak menyebut batas lain. "
            "Syarat magang tambahan dibuat penyelenggara. Contoh syarat magang: tinggi badan. "
            "Syarat magang lain: tidak bertato.")
    rules = passage("p1", "magang", "Syarat magang", text)
    result = compose_answer("syarat magang apa aja", [hit(rules, 1.0, 0.9)], ARTICLES, idf)
    assert not result.sentences[0].text.startswith("Aturan itu")


def test_an_answer_never_starts_with_an_item_of_a_list():
    """An item in lower case continues a list announced before it (in an uploaded text, perhaps in the passage
    before): shown first, it says nothing of what it is a limit of."""
    text = ("paling banyak 80 jam sebulan;\nbulan dengan lembur di atas 45 jam paling banyak 6 kali setahun.\n"
            "Sejak April 2024 batas lembur berlaku juga untuk pekerja konstruksi.")
    limits = passage("p1", "ssw", "Batas lembur", text)
    result = compose_answer("apakah pekerja konstruksi juga kena aturan ini", [hit(limits, 1.0, 0.9)], ARTICLES, idf)
    assert result.sentences[0].text.startswith("Sejak April 2024")


def test_a_source_checked_long_ago_tells_the_worker_to_check_the_official_page():
    from types import SimpleNamespace

    from bot.followup import Understood
    from knowledge.text import split_sentences
    from bot.pipeline import Asked, Pipeline
    from embeddings.query import Query
    from embeddings.snapshot import Retrieved

    question = "berapa lama SSW boleh tinggal"
    snapshot = SimpleNamespace(articles=ARTICLES, lexical=SimpleNamespace(idf=idf), contacts=(),
                               sentences_of=lambda p: (tuple(split_sentences(p.text)), None),
                               opens_section=lambda p: True)
    asked = Asked(question, (question,), (Understood(question),),
                  (Retrieved(Query.parse(question), (hit(SSW_STAY, 1.0, 0.9),), None),), (None,))
    fresh = Pipeline(today=lambda: date(2026, 12, 4)).compose(snapshot, [asked])[0]  # checked 1 Oct 2026
    old = Pipeline(today=lambda: date(2028, 1, 5)).compose(snapshot, [asked])[0]
    assert not fresh.sources[0].stale and "per 1 Oktober 2026" in to_plain(fresh)
    assert old.sources[0].stale and "diperiksa pada 1 Oktober 2026, cek sumber resminya" in to_plain(old)


def test_an_english_question_answered_from_an_indonesian_article_says_so():
    result = compose_answer("how long can SSW workers stay in japan", [hit(SSW_STAY, 1.0, 0.9)], ARTICLES, idf)
    assert result.lang == "en" and "our articles in Indonesian" in to_plain(result)
    assert "bahasa Inggris" not in to_plain(compose_answer("berapa lama SSW tinggal", [hit(SSW_STAY, 1.0, 0.9)],
                                                           ARTICLES, idf))
