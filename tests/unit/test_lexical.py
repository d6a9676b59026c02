import numpy as np
import pytest

from embeddings.lexical import LexicalIndex
from knowledge.text import tokenize

DOCS = ["Peserta magang harus menunggu hasil seleksi.", "Biaya pelatihan di balai gratis untuk peserta.",
        "Paspor harus disimpan sendiri, jangan ditahan perusahaan.", "Pengalaman kerja di alam terbuka.",
        "Tenaga asing di Jepang.", "Tiket pesawat murah.", "Ujian praktik kaigo.",
        "Sistem ikusei shūrō dimulai."]


@pytest.fixture(scope="module")
def index():
    return LexicalIndex.build([tokenize(doc) for doc in DOCS])


@pytest.mark.parametrize(
    ("word", "meant"),
    [("magang", ("magang",)), ("magng", ("magang",)), ("nunggu", ("tunggu",)), ("nahan", ("tahan",)),
     ("disimpen", ("simpan",)), ("korea", ()), ("xyzzy", ()),
     ("malam", ()),  # a typo rarely hits the first letter: "malam" is not "alam", just a word we lack
     ("marah", ()), ("praktek", ("praktik",)),  # a real word is no typo of "murah", only maybe another spelling
     ("shuurou", ("shuro",)),  # Japanese long vowels typed double, where the article has "shūrō"
     ("kerjasama", ("kerja",)), ("tenagakerja", ("tenaga", "kerja")), ("dijepang", ("jepang",)),  # typed as one
     ("timnas", ()), ("kerjanas", ())],  # every half must be a word we know or a stop word
)
def test_unknown_words_resolve_to_indexed_words_or_stay_unknown(index, word, meant):
    assert index.known_forms(tokenize(word)[0]) == meant


def test_idf_weighs_unknown_words_most(index):
    korea, gratis, peserta = (tokenize(word)[0] for word in ("korea", "gratis", "peserta"))
    assert index.idf(korea) > index.idf(gratis) > index.idf(peserta)


def test_scores_are_the_sum_of_token_scores(index):
    peserta, gratis = tokenize("peserta gratis")
    per_token = index.token_scores([peserta, gratis])
    assert np.allclose(index.scores([peserta, gratis]), per_token[peserta] + per_token[gratis])
    assert int(np.argmax(index.scores(["gratis"]))) == 1


def test_a_word_too_long_for_a_typo_or_a_compound_is_not_searched(index, monkeypatch):
    """F15: a 500-letter word went through every one-letter edit (27,000 strings of 500 letters) and every
    split: 60 ms of the query lane for one crafted message."""
    from embeddings import lexical

    searched = []
    monkeypatch.setattr(lexical, "_edits1", lambda word: searched.append(word) or set())
    long_word = "magang" * 10
    assert index.known_forms(long_word) == ()
    assert index.known_forms("magng") == ()  # the spy finds nothing, but it was asked
    assert searched == ["magng"]
    assert index._compound_parts("kerja" * 10 + "sama") == ()
