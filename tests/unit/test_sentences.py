"""The answer-sentence selector (bot/sentences.py): what a question asks for, what a sentence holds, and a model
that picks the sentence holding the answer, fitted as scikit-learn would fit it and shipped as a small JSON file."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.sentences import (EXPECTS, FEATURES, MODEL_FILE, QuestionCues, SentenceSelector, answer_type, evidence,
                           sentence_features)
from embeddings.logistic import fit_logistic
from embeddings.query import Query

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("question, kind", [
    ("brp gaji magang di jepang?", "amount"),
    ("gaji ssw piro sasine", "amount"),  # Javanese
    ("sabaraha biayana ka jepang", "amount"),  # Sundanese
    ("Berapa tahun SSW boleh tinggal?", "amount"),
    ("how much is the LPK fee", "amount"),
    ("how long can I stay on SSW", "amount"),
    ("kapan bisa berangkat ke jepang", "date"),
    ("Tahun berapa program magang dimulai?", "date"),  # "tahun berapa" is a date, "berapa tahun" an amount
    ("what year did SSW start", "date"),
    ("when is the next JFT test", "date"),
    ("siapa yang bayar tiket pesawat", "who"),
    ("saha nu mayar tiketna", "who"),
    ("who pays for the flight", "who"),
    ("dimana tempat ujian jft", "where"),
    ("di mana lapor kalau gaji dipotong", "where"),
    ("dmn daftar ssw kak", "where"),
    ("kemana harus mengadu", "where"),
    ("kantore neng endi", "where"),
    ("where can I report my employer", "where"),
    ("boleh bawa keluarga ga?", "yesno"),
    ("apakah saya harus bayar ke lpk", "yesno"),
    ("apa bisa pindah perusahaan", "yesno"),
    ("iso ora nggowo bojo", "yesno"),
    ("can I change jobs on SSW", "yesno"),
    ("do I need a visa for the test", "yesno"),
    ("gmn cara daftar ssw", "how"),
    ("piye carane daftar magang", "how"),
    ("how to apply for SSW", "how"),
    ("kenapa visa saya ditolak", "why"),
    ("naha ditolak", "why"),
    ("why was my visa rejected", "why"),
    ("apa itu ssw", "what"),
    ("Apakah kepanjangan dari BP2MI?", "what"),  # formal "apakah" before a noun asks what, not whether
    ("what is tokutei ginou", "what"),
    ("syarat magang", "what"),
])
def test_answer_type_reads_formal_chat_regional_and_english_questions(question, kind):
    assert answer_type(question) == kind


@pytest.mark.parametrize("sentence, kind", [
    ("Biayanya sekitar 15 juta rupiah.", "amount"),
    ("Gaji pokok minimal ¥180.000 per bulan.", "amount"),
    ("Potongan asrama tidak boleh lebih dari 10%.", "amount"),
    ("Program ini dimulai pada April 2019.", "date"),
    ("Ujian dibuka tanggal 12/5 setiap tahun.", "date"),
    ("The test opens in March.", "date"),
    ("Pemegang SSW (i) boleh tinggal selama 5 tahun.", "duration"),
    ("Hubungi KBRI Tokyo untuk paspor yang hilang.", "name"),
    ("Ujiannya diadakan di Jakarta dan Surabaya.", "place"),
    ("Lihat https://www.bp2mi.go.id untuk daftar resmi.", "contact"),
    ("Telepon 0120-123-456 kapan saja.", "contact"),
    ("Pekerja magang tidak boleh pindah perusahaan.", "yesno"),
    ("You cannot change jobs on a trainee visa.", "yesno"),
    ("Visa ditolak karena dokumennya tidak lengkap.", "reason"),
    ("SSW adalah izin tinggal untuk pekerja terampil.", "definition"),
    ("Syaratnya sebagai berikut:", "list"),
])
def test_a_sentence_shows_what_kind_of_answer_it_holds(sentence, kind):
    assert kind in evidence(sentence)


def test_what_the_question_already_says_is_not_evidence():
    """The answer is what the question lacks: "2019" in "... sejak 2019?" is not the date asked for."""
    assert "date" in evidence("Program dimulai tahun 2019.")
    assert "date" not in evidence("Program dimulai tahun 2019.", frozenset({"2019"}))
    assert "name" not in evidence("Program SSW dimulai.", frozenset({"ssw"}))
    assert not {"number", "amount", "date", "name"} & evidence("Pekerja harus sehat dan rajin.")


@pytest.mark.parametrize("sentence, verdict", [
    ("Tidak otomatis: hukum Jepang tidak mewajibkan perusahaan membayar pesangon.", True),  # opens with "no"
    ("Bisa. Ujiannya diadakan juga di Indonesia.", True),
    ("Yes, the test is held in Indonesia.", True),
    ("Pekerja SSW tidak diwajibkan ikut LPK tertentu.", True),  # a negated modal
    ("Menahan paspor pekerja dilarang oleh hukum.", True),
    ("SSW (i) workers cannot bring their family.", True),
    ("Pekerja bisa mendaftar lewat situs resmi.", False),  # a modal alone says how, not whether
    ("Perusahaan wajib menuliskan aturan pesangon.", False),
])
def test_a_verdict_is_a_yes_or_no_not_any_modal_word(sentence, verdict):
    assert ("verdict" in evidence(sentence)) is verdict


def test_a_section_heading_that_matches_the_question_marks_its_first_sentence():
    """Headings are questions workers ask and the first sentence answers them (the knowledge base's rules)."""
    question, passage = "bisa nuntut pesangon kalau dipecat?", ["Tidak otomatis.", "Pesangon diatur perusahaan."]
    cues = QuestionCues.of(Query.parse(question), lambda token: 1.0)
    matching = sentence_features(cues, passage, np.zeros(2), "Apakah pekerja berhak atas pesangon kalau dipecat?")
    other = sentence_features(cues, passage, np.zeros(2), "Berapa lama boleh tinggal?")
    assert column(matching, "heading")[0] > 0 and column(matching, "heading")[1] == 0
    assert column(other, "heading").sum() == 0
    assert column(sentence_features(cues, passage, np.zeros(2)), "heading").sum() == 0  # not a section's opening


def features(question, sentences, similarities=None, idf=lambda token: 1.0):
    cues = QuestionCues.of(Query.parse(question), idf)
    return sentence_features(cues, sentences, np.zeros(len(sentences)) if similarities is None else similarities)


def column(rows, name):
    return rows[:, FEATURES.index(name)]


SSW = ["Program SSW adalah izin tinggal untuk pekerja asing terampil.",
       "Program SSW dimulai pada April 2019.",
       "Pemegang SSW (i) boleh tinggal paling lama 5 tahun.",
       "Gaji pemegang SSW minimal 180.000 yen per bulan."]


def test_features_cross_what_a_sentence_holds_with_what_the_question_asks():
    amount = features("berapa gaji ssw per bulan?", SSW)
    assert list(column(amount, "amount:number")) == [0, 1, 1, 1]
    assert list(column(amount, "amount:amount")) == [0, 0, 0, 1]
    assert column(amount, "date:date").sum() == 0  # an amount question reads no date evidence
    date = features("kapan program ssw dimulai?", SSW)
    assert list(column(date, "date:date")) == [0, 1, 0, 0]
    assert list(column(date, "expected")) == [0, 1, 1, 1]  # numbers, which dates are made of
    assert features("siapa yang menyelenggarakan ujian?", ["Ujian diselenggarakan oleh Japan Foundation."])[
        0, FEATURES.index("who:name")] == 1


def test_features_say_how_much_of_the_question_a_sentence_covers_and_where_it_stands():
    rows = features("berapa gaji ssw per bulan?", SSW, similarities=np.array([0.2, 0.1, 0.3, 0.6]))
    assert rows.shape == (4, len(FEATURES)) and rows.dtype == np.float32
    coverage = column(rows, "coverage")
    assert coverage[3] == 1.0 and coverage[3] > coverage[0] > 0  # "ssw" everywhere, "gaji" and "bulan" in one
    assert list(column(rows, "best_coverage")) == [0, 0, 0, 1]
    # SSW is a name (written with capitals in the passage): only "gaji" and "bulan" tell the sentences apart
    assert list(column(rows, "relation")) == [0, 0, 0, 1]
    assert column(rows, "distinct")[0] == 0 and column(rows, "distinct")[3] == 1
    assert list(column(rows, "previous")[1:]) == list(coverage[:-1]) and column(rows, "previous")[0] == 0
    assert list(column(rows, "best_similarity")) == [0, 0, 0, 1]
    assert list(column(rows, "first")) == [1, 0, 0, 0]
    assert list(column(rows, "position")) == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert set(column(rows, "chance")) == {0.25}
    assert features("berapa gaji ssw per bulan?", []).shape == (0, len(FEATURES))


def test_words_beside_the_question_word_count_most():
    """Questions written from a text copy the words next to the answer right beside "siapa"."""
    passage = ["Menteri Luar Negeri Jepang membatalkan kunjungan ke Beijing.",
               "Pemerintah China membatalkan kunjungan Menteri Luar Negeri Jepang."]
    rows = features("Siapa yang membatalkan kunjungan Menteri Luar Negeri Jepang ke Beijing?", passage)
    assert column(rows, "coverage")[0] >= column(rows, "coverage")[1]
    assert column(rows, "bigrams")[1] > 0 and column(rows, "near")[1] > 0


def test_words_the_search_drops_still_count_for_the_sentence():
    """Sastrawi lists "panjang" as a stop word; the question hinges on it all the same."""
    rows = features("berapa panjang jalan tol itu?", ["Jalan tol ini dibuka tahun 1988.",
                                                       "Panjang jalan tol ini 73 kilometer."])
    assert column(rows, "coverage")[0] == column(rows, "coverage")[1]
    assert column(rows, "near_words")[1] > column(rows, "near_words")[0]


def test_an_english_questions_words_count_in_an_indonesian_sentence_less_than_as_written():
    """Most sentences are Indonesian: "paid leave" is found as "cuti berbayar", at half weight, so that an English
    article's sentence with the words themselves still leads."""
    rows = features("How many days of paid leave do I get?", ["Syarat pertama: bekerja 6 bulan.",
                                                              "Pekerja mendapat minimal 10 hari cuti berbayar.",
                                                              "Workers get at least 10 days of paid leave."])
    near_words = column(rows, "near_words")
    assert near_words[0] < near_words[1] < near_words[2]


def test_an_english_questions_words_are_not_read_as_chat_one_by_one():
    """Each word of an English question is English: Kamus Alay would make "week" "wig" and lose its closeness."""
    cues = QuestionCues.of(Query.parse("How many hours a week can I work?"), lambda token: 1.0)
    assert next(c for c in cues.concepts if c.token == "week").closeness > 0


def fitted():
    """A selector fitted on synthetic passages where the answering sentence names more of the question."""
    rng = np.random.default_rng(0)
    passages = []
    for _ in range(200):
        rows = rng.normal(0, 1, (4, len(FEATURES))).astype(np.float32)
        labels = np.zeros(4, dtype=bool)
        labels[rng.integers(4)] = True
        rows[labels, FEATURES.index("relation")] += 3.0  # a clear signal: the best possible pick is right ~97%
        rows[:, FEATURES.index("chance")] = 0.25
        passages.append((rows, labels))
    return SentenceSelector.fit(passages), passages


def test_the_fit_learns_what_makes_a_sentence_answer():
    selector, passages = fitted()
    picked = [labels[int(np.argmax(selector.score(rows)))] for rows, labels in passages]
    assert np.mean(picked) > 0.9
    assert selector.weights[FEATURES.index("relation")] == max(selector.weights[:FEATURES.index("chance")])
    probabilities = selector.score(passages[0][0])
    assert ((probabilities > 0) & (probabilities < 1)).all()
    assert np.mean([selector.score(rows).sum() for rows, _ in passages]) == pytest.approx(1.0, abs=0.15)


def test_the_selector_round_trips_through_its_json_file(tmp_path):
    selector, passages = fitted()
    path = tmp_path / "selector.json"
    selector.save(path)
    restored = SentenceSelector.load(path)
    assert restored.features == FEATURES
    assert np.allclose(restored.score(passages[0][0]), selector.score(passages[0][0]), atol=1e-5)
    stored = json.loads(path.read_text(encoding="utf-8"))
    del stored["weights"]["names"]
    path.write_text(json.dumps(stored), encoding="utf-8")
    with pytest.raises(ValueError, match="retrain"):
        SentenceSelector.load(path)  # weights never land on the wrong columns


def test_the_shipped_model_is_fitted_for_the_features_the_code_computes():
    selector = SentenceSelector.load(MODEL_FILE)
    assert selector.features == FEATURES and np.isfinite(selector.weights).all()
    assert MODEL_FILE.stat().st_size < 5_000


# A sanity check on hand-made passages without embeddings; how well the model picks is measured on the gold
# sets it never saw (models/answer-selector.md, README "Evaluation").
@pytest.mark.parametrize("question, passage, answer", [
    ("kapan program ssw dimulai?", SSW, 1),
    ("berapa gaji ssw per bulan?", SSW, 3),
    ("berapa lama pemegang ssw boleh tinggal?", SSW, 2),
    ("dimana lapor kalau lpk minta uang jaminan?",
     ["LPK tidak boleh meminta uang jaminan.", "Laporkan LPK seperti itu ke Disnaker di kota Anda.",
      "Simpan semua bukti pembayaran."], 1),
])
def test_the_shipped_model_picks_the_answering_sentence(question, passage, answer):
    rows = features(question, passage)
    assert int(np.argmax(SentenceSelector.load().score(rows))) == answer


@pytest.mark.parametrize("intercept", [True, False])
def test_the_fit_is_scikit_learns_logistic_regression(intercept):
    """Written in numpy so the bot never loads scikit-learn; with sample weights and without an intercept (as
    the selector's pairwise fit uses it) it must still be exactly that model."""
    linear_model = pytest.importorskip("sklearn.linear_model", reason="scikit-learn is only a test reference")
    rng = np.random.default_rng(2)
    features = rng.normal(0, 1, (120, 6))
    labels = (features[:, 0] - features[:, 1] + rng.normal(0, 1, 120) > 0).astype(float)
    weights = rng.uniform(0.2, 3.0, 120)
    ours, bias = fit_logistic(features, labels, weights, regularisation=0.5, intercept=intercept)
    reference = linear_model.LogisticRegression(C=0.5, fit_intercept=intercept, tol=1e-10, max_iter=10_000)
    reference.fit(features, labels, sample_weight=weights)
    assert np.allclose(ours, reference.coef_[0], atol=1e-5)
    assert bias == pytest.approx(reference.intercept_[0] if intercept else 0.0, abs=1e-5)


def test_choosing_sentences_loads_neither_scikit_learn_nor_torch():
    script = ("import sys, bot.sentences\n"
              "bot.sentences.SentenceSelector.load()\n"
              "print(sorted(m for m in ('sklearn', 'scipy', 'torch', 'sentence_transformers') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"


def test_every_answer_type_expects_some_evidence():
    assert set(EXPECTS) == {"amount", "date", "who", "where", "yesno", "how", "why", "what"}
    assert all(EXPECTS.values())
