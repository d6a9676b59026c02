"""Grouping questions by meaning for /gaps: average-linkage clustering and what a gap shows."""

import numpy as np

from bot.gaps import cluster, find_gaps, summarize
from bot.journal import GapQuestion
from tests.fakes import FakeEncoder


def test_clusters_are_cut_at_the_threshold_largest_first():
    vectors = np.array([[1, 0, 0], [0.95, 0.05, 0], [0, 1, 0], [0, 0.9, 0.1], [0, 0, 1]], dtype=np.float32)
    assert cluster(vectors, [1, 1, 1, 1, 1], 0.8) == [[0, 1], [2, 3], [4]]
    assert cluster(vectors, [1, 1, 5, 1, 1], 0.8)[0] == [2, 3]  # weight: a question asked five times
    assert cluster(vectors, [1] * 5, 1.01) == [[0], [1], [2], [3], [4]]
    assert cluster(vectors[:0], [], 0.5) == []


def test_average_linkage_does_not_chain():
    """a~b and b~c, but a and c far apart: single linkage would make one group of the three."""
    a, c = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    b = (a + c) / np.linalg.norm(a + c)  # cosine 0.71 to each
    groups = cluster(np.vstack([a, b, c]), [1, 1, 1], 0.7)
    assert len(groups) == 2


def question(id, text, reason="coverage", passage=None, coverage=None, down=False):
    return GapQuestion(id, text, reason, passage, coverage, down)


def test_phrasings_of_one_need_form_one_gap_with_the_fake_encoder():
    asked = [question(1, "kapan festival kerja jepang di surabaya"),
             question(2, "jadwal festival kerja jepang surabaya kapan"),
             question(3, "Kapan  festival kerja Jepang di Surabaya"),  # the same text, typed again
             question(4, "resep nasi goreng enak")]
    encoder = FakeEncoder()
    embedded = []
    groups = find_gaps(asked, lambda texts: embedded.extend(texts) or encoder.encode(texts), threshold=0.6)
    assert groups == [[1, 3, 2], [4]]
    assert len(embedded) == 3  # one vector per distinct text


def test_a_summary_shows_the_most_asked_phrasings_the_reasons_and_the_closest_passage():
    asked = [question(1, "sim jepang", passage="p1", coverage=0.1), question(2, "SIM jepang", passage="p2",
                                                                             coverage=0.25),
             question(3, "bikin sim", reason="scope"), question(4, "cara sim", reason=None, down=True),
             question(5, "sim lagi"), question(6, "sim apa")]
    summary = summarize(asked)
    assert summary.count == 6
    assert summary.examples[0] == "sim jepang" and len(summary.examples) == 3
    assert dict(summary.reasons) == {"coverage": 4, "scope": 1, "thumbs_down": 1}
    assert (summary.best_passage, summary.best_coverage) == ("p2", 0.25)
