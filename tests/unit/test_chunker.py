"""split_into_passages: whole sentences, one heading each, sized for retrieval, ids that follow the text."""

import re
from collections import Counter
from datetime import date
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.chunker import MAX_WORDS, MIN_WORDS, split_into_passages, split_into_sections
from knowledge.model import Article
from knowledge.text import continues_a_list, split_sentences

WORD = re.compile(r"[^\W_]+")
VOCABULARY = "pekerja magang jepang kuota biaya visa tes bahasa pelatihan balai kontrak gaji asrama".split()


def article(body: str, slug: str = "contoh") -> Article:
    return Article(
        slug=slug, title="Contoh", body=body, sources=("https://contoh.id/",), as_of=date(2026, 1, 1), lang="id"
    )


def sentence(rng: Random, number: int, words: int) -> str:
    """A unique, recognisable sentence: "Kalimat7 ..." ends with a full stop."""
    return " ".join([f"Kalimat{number}"] + rng.choices(VOCABULARY, k=words - 1)) + "."


def long_body(seed: int = 1) -> tuple[str, dict[str, list[str]]]:
    """Three sections of short paragraphs plus one very long sentence; returns the sentences by heading."""
    rng = Random(seed)
    by_heading: dict[str, list[str]] = {}
    lines = ["# Judul artikel", ""]
    number = 0
    for heading, sentence_count in (("Syarat", 30), ("Biaya", 3), ("Jadwal", 14)):
        lines += [f"## {heading}", ""]
        by_heading[heading] = []
        for _ in range(sentence_count // 3):
            paragraph = []
            for _ in range(3):
                number += 1
                paragraph.append(sentence(rng, number, rng.randint(6, 25)))
            by_heading[heading] += paragraph
            lines += [" ".join(paragraph), ""]
    by_heading["Panjang"] = [sentence(rng, 0, MAX_WORDS + 20)]
    lines += ["### Panjang", by_heading["Panjang"][0]]
    return "\n".join(lines), by_heading


def test_markdown_becomes_plain_text_in_sections():
    body = (
        "# Judul yang diabaikan\n"
        "Pengantar **penting** dan _miring_ dengan `kode`.\n"
        "Baris sambungan.\n\n"
        "## Dokumen\n"
        "- Paspor\n"
        "* Ijazah\n  lanjutan item\n"
        "1. Lihat [situs SSW](https://www.ssw.go.jp/).\n\n"
        "### Biaya ###\n"
        "| Tes | Biaya |\n"
        "|-----|:-----:|\n"
        "| JFT | 100 |\n"
        "#### Catatan kecil\n"
        "Selesai.\n"
    )
    assert split_into_sections(body) == [
        ("", ["Pengantar penting dan miring dengan kode. Baris sambungan."]),
        ("Dokumen", ["Paspor", "Ijazah lanjutan item", "Lihat situs SSW (https://www.ssw.go.jp/)."]),
        ("Biaya", ["Tes Biaya", "JFT 100", "Catatan kecil", "Selesai."]),
    ]


@pytest.mark.parametrize(("line", "heading"), [("## Biaya ##", "Biaya"), ("## Biaya   #", "Biaya"),
                                              ("## Kursus C#", "Kursus C#"), ("## ##", "##"), ("## a # b ##", "a # b")])
def test_closing_hashes_of_a_heading_are_dropped(line, heading):
    assert split_into_sections(f"{line}\nIsi bagian ini.")[0][0] == heading


def test_list_items_stay_sentences_of_their_own():
    passages = split_into_passages(article("## Dokumen\n- Paspor\n- Kartu keluarga\n- Ijazah SMA"))
    assert [p.text for p in passages] == ["Paspor\nKartu keluarga\nIjazah SMA"]
    assert split_sentences(passages[0].text) == ["Paspor", "Kartu keluarga", "Ijazah SMA"]


def test_a_list_cut_between_passages_takes_its_announcement_along():
    """"paling banyak 80 jam" alone does not say it is a limit of overtime."""
    rng = Random(3)
    opening = " ".join(sentence(rng, n, 25) for n in range(6))  # 150 words
    items = [f"- paling banyak {n} jam lembur untuk jenis kerja ke {n};" for n in range(10)]  # cut after two
    body = "\n".join(["## Batas lembur", opening, "", "Lembur boleh lebih lama, tetapi ada batas keras:", *items])
    passages = split_into_passages(article(body))
    assert len(passages) == 2
    assert passages[1].text.startswith("Lembur boleh lebih lama, tetapi ada batas keras:")
    assert not any(continues_a_list(p.text) for p in passages)


def test_every_sentence_appears_once_in_order_under_its_heading():
    body, by_heading = long_body()
    passages = split_into_passages(article(body))
    found: dict[str, list[str]] = {}
    for passage in passages:
        found.setdefault(passage.section, []).extend(split_sentences(passage.text))
    assert found == by_heading
    assert list(found) == list(by_heading)  # sections in order too
    assert all(p.title == "Contoh" and p.article == "contoh" for p in passages)


def test_passage_sizes_stay_within_bounds():
    body, by_heading = long_body()
    for passage in split_into_passages(article(body)):
        words = len(passage.text.split())
        section_words = sum(len(s.split()) for s in by_heading[passage.section])
        if len(split_sentences(passage.text)) == 1 and words > MAX_WORDS:
            continue  # a single long sentence is never cut
        assert words <= MAX_WORDS + MIN_WORDS
        assert words >= MIN_WORDS or words == section_words


def test_long_sentence_is_a_passage_alone():
    _, by_heading = long_body()
    passages = split_into_passages(article(long_body()[0]))
    assert [p.text for p in passages if p.section == "Panjang"] == by_heading["Panjang"]


@pytest.mark.parametrize(
    ("sentence_words", "expected_passage_words"),
    [
        ([20] * 9, [180]),  # exactly full
        ([20] * 10, [200]),  # a 20-word remainder joins the passage before it
        ([20] * 12, [180, 60]),  # a 60-word remainder is long enough to stand alone
        ([30, 170], [200]),  # a short lead-in joins the sentence after it
        ([30, 200], [30, 200]),  # ... unless together they pass the ceiling
        ([10], [10]),  # a short section is a passage of its own
    ],
)
def test_packing(sentence_words, expected_passage_words):
    rng = Random(7)
    body = " ".join(sentence(rng, n, words) for n, words in enumerate(sentence_words))
    passages = split_into_passages(article(body))
    assert [len(p.text.split()) for p in passages] == expected_passage_words


def test_ids_are_stable_and_unique():
    body, _ = long_body()
    first = [p.id for p in split_into_passages(article(body))]
    second = [p.id for p in split_into_passages(article(body))]
    assert first == second
    assert len(set(first)) == len(first)
    assert all(re.fullmatch(r"[0-9a-f]{16}", passage_id) for passage_id in first)
    assert set(first).isdisjoint(p.id for p in split_into_passages(article(body, slug="lain")))


def test_editing_one_paragraph_changes_only_its_passage_id():
    body, by_heading = long_body()
    edited_sentence = by_heading["Jadwal"][4]
    replacement = edited_sentence.replace(edited_sentence.split()[1], "diubah", 1)  # same word count
    before = split_into_passages(article(body))
    after = split_into_passages(article(body.replace(edited_sentence, replacement)))
    changed = [(old.id, new.id) for old, new in zip(before, after, strict=True) if old.id != new.id]
    assert len(changed) == 1
    assert [p for p in before if p.id == changed[0][0]][0].text.count(edited_sentence) == 1


def test_repeated_passages_still_get_distinct_ids():
    text = "Jawaban yang sama persis ditulis di dua tempat berbeda dalam artikel ini."
    passages = split_into_passages(article(f"## Catatan\n{text}\n## Catatan\n{text}"))
    assert [p.text for p in passages] == [text, text]
    assert passages[0].id != passages[1].id


def test_empty_body_has_no_passages():
    assert split_into_passages(article("# Judul saja\n\n## Kosong\n")) == []


def words(text: str) -> Counter:
    return Counter(WORD.findall(text))


markdownish = st.lists(
    st.sampled_from([*"aZ1 .?!\n#-*_|`[]()", "## ", "\n- ", "\n1. ", "kata ", "Kalimat. ", "**tebal** ", "[a](b) "]),
).map("".join)


@given(st.text() | markdownish)
def test_passages_hold_exactly_the_words_of_the_plain_text(body):
    passages = split_into_passages(article(body))
    plain = "\n".join(block for _, blocks in split_into_sections(body) for block in blocks)
    assert words("\n".join(p.text for p in passages)) == words(plain)
    assert all(p.text.strip() == p.text and p.text for p in passages)


prose_word = st.sampled_from(["Gaji", "naik", "tahun", "2024.", "Biaya", "turun!", "Rp1.500.000", "kuota?"])
prose = st.lists(st.lists(prose_word, min_size=1).map(" ".join)).map("\n\n".join)


@given(prose)
def test_prose_keeps_every_word(body):
    assert words("\n".join(p.text for p in split_into_passages(article(body)))) == words(body)
