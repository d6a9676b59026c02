import pytest

from embeddings.query import Query
from knowledge.glossary import SYNONYMS, expand_query, matched_groups, normalise_informal


@pytest.mark.parametrize(
    ("question", "must_contain"),
    [
        ("apa itu tokutei ginou?", "ssw"),
        ("syarat SSW apa", "tokutei ginou"),
        ("magang jepang berapa tahun", "titp"),
        ("what is the technical intern training programme", "magang"),
        ("kerja kaigo di jepang", "perawat lansia"),
        ("daftar di BLK", "bpvp"),
        ("特定技能って何", "ssw"),
    ],
)
def test_expansion_adds_the_other_names(question, must_contain):
    assert must_contain in expand_query(question)


def test_terms_match_whole_words_only():
    assert matched_groups("blkxyz dan jftabc") == []
    assert expand_query("resep nasi goreng") == "resep nasi goreng"


def test_informal_words_are_normalised():
    assert normalise_informal("Kak, gmn cara daftar yg resmi?") == ", bagaimana cara daftar yang resmi?"


def test_every_term_is_lowercase_so_lowercased_text_can_match_it():
    assert all(term == term.lower() for group in SYNONYMS for term in group)


def test_query_concepts_accept_synonyms_but_keep_one_concept_per_question_word():
    query = Query.parse("syarat tokutei ginou")
    concepts = dict(query.concepts)
    assert "ssw" in concepts["tokutei"] and "ssw" in concepts["ginou"]
    assert "ssw" not in concepts["syarat"]
    assert len(query.concepts) == 3
