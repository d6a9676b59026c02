"""parse_article / load_articles: valid files become Articles, every defect becomes a precise Problem."""

from datetime import date

import pytest

from knowledge.loader import load_articles, parse_article
from knowledge.model import Article, Problem

TODAY = date(2026, 11, 1)
BODY = (
    "## Syarat\n"
    "Calon pekerja harus lulus tes keterampilan bidang kerja dan tes bahasa Jepang sebelum melamar "
    "ke perusahaan penerima di Jepang melalui lembaga resmi.\n"
)
FRONT_MATTER = {
    "title": "Syarat visa SSW",
    "sources": "[https://www.ssw.go.jp/]",
    "as_of": "2026-10-01",
    "lang": "id",
    "topics": "[ssw, magang]",
}
ALLOWED = "bpvp, contacts, glossary, ikusei, magang, news, safety, ssw"


def markdown(body: str = BODY, **changes: str | None) -> str:
    """An article file; a field set to None is left out."""
    fields = {**FRONT_MATTER, **changes}
    lines = [f"{key}: {value}" for key, value in fields.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def test_valid_markdown_article():
    article, problems = parse_article("ssw.md", markdown(extra="unknown fields are fine"), today=TODAY)
    assert problems == ()
    assert article == Article(
        slug="ssw",
        title="Syarat visa SSW",
        body=BODY.strip(),
        sources=("https://www.ssw.go.jp/",),
        as_of=date(2026, 10, 1),
        lang="id",
        topics=("ssw", "magang"),
    )


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"as_of": None}, "as_of", "missing: add the date the facts were checked, e.g. as_of: 2026-11-01"),
        ({"as_of": "2026-12-01"}, "as_of",
         "2026-12-01 is in the future (today is 2026-11-01): use the date the facts were checked"),
        ({"as_of": "'1 Oktober'"}, "as_of",
         "'1 Oktober' is not a date: write it as YYYY-MM-DD, e.g. as_of: 2026-11-01"),
        ({"sources": "[ftp://files.example.org/a, www.ssw.go.jp]"}, "sources",
         "not a web link: 'ftp://files.example.org/a', 'www.ssw.go.jp': "
         "each source must start with http:// or https://"),
        ({"sources": "['https://']"}, "sources",
         "not a web link: 'https://': each source must start with http:// or https://"),
        ({"title": "'" + "Judul " * 60 + "'"}, "title", "too long: 359 characters; at most 300"),
        ({"sources": None}, "sources",
         "missing: list the http(s) links the facts come from, e.g. sources: [https://www.ssw.go.jp/]"),
        ({"topics": "[ssw, visa]"}, "topics", f"unknown topic 'visa': use one of {ALLOWED}"),
        ({"topics": "[]"}, "topics", f"missing: list one or more of {ALLOWED}"),
        ({"lang": "jp"}, "lang", "must be id or en, not 'jp'"),
        ({"title": "''"}, "title", "missing: add a title, e.g. title: Syarat visa SSW"),
        ({"title": "[a, b]"}, "title", "must be text, not ['a', 'b']"),
        ({"sources": "[https://www.ssw.go.jp/"}, "front matter",
         "not valid YAML at line 4: did not find expected ',' or ']'"),
        ({"as_of": "2026-02-30"}, "front matter", "not valid YAML: day is out of range for month"),
        ({"as_of": "'2026-02-30'"}, "as_of",
         "'2026-02-30' is not a date: write it as YYYY-MM-DD, e.g. as_of: 2026-11-01"),
    ],
)
def test_front_matter_problems(changes, field, reason):
    article, problems = parse_article("ssw.md", markdown(**changes), today=TODAY)
    assert article is None
    assert problems == (Problem("ssw.md", field, reason),)


def test_every_problem_of_a_file_is_reported_at_once():
    text = markdown("Terlalu pendek.", as_of=None, lang="jp", topics="[visa]")
    article, problems = parse_article("---.md", text, today=TODAY)
    assert article is None
    assert [(p.file, p.field) for p in problems] == [
        ("---.md", "filename"),
        ("---.md", "as_of"),
        ("---.md", "lang"),
        ("---.md", "topics"),
        ("---.md", "body"),
    ]
    assert problems[-1].reason == "too short: 2 words; write at least 20 so a passage can answer a question"


@pytest.mark.parametrize(
    ("filename", "text", "expected"),
    [
        ("catatan.md", BODY, Problem(
            "catatan.md", "front matter",
            "missing: start the file with a --- block holding title, sources, as_of, lang and topics")),
        ("kosong.md", markdown(""), Problem("kosong.md", "body", "missing: write the article below the front matter")),
        ("ssw.docx", "apa saja", Problem("ssw.docx", "filename", "only .md articles and .txt news text are accepted")),
        ("___.md", markdown(), Problem(
            "___.md", "filename",
            "'___' has no letters or digits to make an article id of: rename it, e.g. syarat-ssw.md")),
    ],
)
def test_file_problems(filename, text, expected):
    assert parse_article(filename, text, today=TODAY) == (None, (expected,))


def test_yaml_date_and_windows_line_endings_are_accepted():
    text = markdown(as_of="2026-11-01", title='"Biaya SSW"').replace("\n", "\r\n")
    article, problems = parse_article("biaya-ssw.md", text, today=TODAY)
    assert problems == ()
    assert (article.as_of, article.title) == (TODAY, "Biaya SSW")


NEWS = (
    "JAKARTA, KOMPAS.com - Pemerintah membuka kuota baru pelatihan bahasa Jepang di balai pelatihan. "
    "Peserta dilatih selama tiga bulan mulai Senin (22/4/2024) sebelum mengikuti tes keterampilan "
    "pada 1 Juli 2024.\n"
    "BACA JUGA: Berita lain\n"
    "Informasi lengkap tersedia di https://contoh.go.id/kuota.\n"
    "Editor: Ani\n"
)


def test_news_text_without_header_cites_its_outlet_and_its_own_date():
    article, problems = parse_article("Kuota_Pelatihan 2024.txt", NEWS, today=TODAY)
    assert problems == ()
    assert article.slug == "kuota-pelatihan-2024"
    assert article.title == "Pemerintah membuka kuota baru pelatihan bahasa Jepang di balai pelatihan"
    assert article.sources == ("https://kompas.com", "https://contoh.go.id/kuota")
    assert (article.as_of, article.lang, article.topics) == (date(2024, 4, 22), "id", ("news",))
    assert "BACA JUGA" not in article.body and "KOMPAS" not in article.body and "Editor" not in article.body


def test_news_text_with_header():
    text = (
        "Judul: Kuota pelatihan bertambah\n"
        "Sumber: https://contoh.go.id/kuota, https://contoh.go.id/arsip\n"
        "Tanggal: 22/4/2024\n"
        "Topik: bpvp, news\n"
        "lang: id\n"
        + NEWS
    )
    article, problems = parse_article("kuota-pelatihan.txt", text, today=TODAY)
    assert problems == ()
    assert article.title == "Kuota pelatihan bertambah"
    assert article.sources == ("https://contoh.go.id/kuota", "https://contoh.go.id/arsip")
    assert (article.as_of, article.lang, article.topics) == (date(2024, 4, 22), "id", ("bpvp", "news"))
    assert not article.body.startswith("Judul")


def test_empty_header_values_count_as_not_given():
    article, problems = parse_article("kuota.txt", "Judul:\nSumber:\n" + NEWS, today=TODAY)
    assert problems == ()
    assert article.title.startswith("Pemerintah membuka kuota")
    assert article.sources == ("https://kompas.com", "https://contoh.go.id/kuota")


@pytest.mark.parametrize(("text", "expected"), [
    ("Tokyo, Rabu, 3 Mei 2023 - Menteri bertemu pejabat Jepang membahas pelatihan calon pekerja. " * 3,
     date(2023, 5, 3)),
    ("Pendaftaran dibuka 2025-01-15 untuk calon peserta magang ke Jepang dari seluruh Indonesia. " * 3,
     date(2025, 1, 15)),
    ("Pengumuman 31/2/2024 keliru; pendaftaran magang ke Jepang dibuka 1/3/2024 untuk semua peserta. " * 3,
     date(2024, 3, 1)),  # no 31 February
])
def test_a_news_text_takes_its_first_real_date(text, expected):
    article, problems = parse_article("berita.txt", text, today=TODAY)
    assert problems == () and article.as_of == expected


def test_a_news_text_without_any_date_asks_for_one_instead_of_taking_today():
    undated = "Pemerintah membuka kuota baru pelatihan bahasa Jepang di balai pelatihan untuk calon pekerja. " * 3
    article, problems = parse_article("berita.txt", undated, today=TODAY)
    assert article is None
    assert problems == (Problem("berita.txt", "as_of",
                                "no date found in the text: add a first line such as tanggal: 22/4/2024"),)


def test_news_header_problems():
    text = "Sumber: contoh.go.id\nTanggal: 2027-01-01\nTopik: visa\nlang: jp\n" + NEWS
    article, problems = parse_article("kuota.txt", text, today=TODAY)
    assert article is None
    assert problems == (
        Problem("kuota.txt", "sources",
                "not a web link: 'contoh.go.id': each source must start with http:// or https://"),
        Problem("kuota.txt", "as_of",
                "2027-01-01 is in the future (today is 2026-11-01): use the date the facts were checked"),
        Problem("kuota.txt", "lang", "must be id or en, not 'jp'"),
        Problem("kuota.txt", "topics", f"unknown topic 'visa': use one of {ALLOWED}"),
    )


def test_empty_news_text():
    article, problems = parse_article("kosong.txt", "Redaktur: Ani\n", today=TODAY)
    assert article is None
    assert [p.field for p in problems] == ["title", "as_of", "body"]


def test_load_articles_reports_problems_across_files(tmp_path):
    (tmp_path / "ssw.md").write_text(markdown(), encoding="utf-8")
    (tmp_path / "ssw-lama.md").write_text(markdown(title="SYARAT VISA ssw"), encoding="utf-8")
    (tmp_path / "Magang_.md").write_text(markdown(title="Magang"), encoding="utf-8")  # the id "magang" too
    (tmp_path / "magang.txt").write_text(NEWS, encoding="utf-8")
    (tmp_path / "bpvp.md").write_text(markdown(title="BPVP", as_of=None), encoding="utf-8")
    # nine good lines, then bytes that are not UTF-8 on line 10
    (tmp_path / "rusak.md").write_bytes(markdown(title="Rusak").encode("utf-8") + b"caf\xe9")
    (tmp_path / "kontak.md").write_bytes(b"\xef\xbb\xbf" + markdown(title="Kontak").encode("utf-8"))  # BOM
    for ignored in ("_draft.md", ".hidden.md", "README.md", "notes.pdf"):
        (tmp_path / ignored).write_text("bukan artikel", encoding="utf-8")
    (tmp_path / "folder.md").mkdir()

    result = load_articles(tmp_path, today=TODAY)

    assert [a.slug for a in result.articles] == ["kontak"]
    assert result.problems == (
        Problem("bpvp.md", "as_of", "missing: add the date the facts were checked, e.g. as_of: 2026-11-01"),
        Problem("rusak.md", "encoding", "not UTF-8 text (line 10): save the file as UTF-8"),
        Problem("Magang_.md", "filename",
                "same article id as magang.txt: rename one, the file name is the article's id"),
        Problem("magang.txt", "filename",
                "same article id as Magang_.md: rename one, the file name is the article's id"),
        Problem("ssw-lama.md", "title",
                "same title as ssw.md: give each article its own so citations can be told apart"),
        Problem("ssw.md", "title",
                "same title as ssw-lama.md: give each article its own so citations can be told apart"),
    )


def test_load_articles_of_an_empty_folder(tmp_path):
    assert load_articles(tmp_path, today=TODAY).articles == ()


def laughs(depth: int, field: str = "title") -> str:
    """A "billion laughs" front matter: each level lists the one before nine times, by alias."""
    levels = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, depth + 1)]
    return markdown(**{field: f"*l{depth}"}).replace("---\n", "---\n" + "\n".join(levels) + "\n", 1)


@pytest.mark.parametrize("field", ["title", "sources", "as_of", "lang", "topics"])
def test_yaml_aliases_are_refused_before_any_value_is_shown(field):
    """F2: nine levels of nine aliases each stand for 387 million items in 700 bytes; the messages quoted them
    whole (depth 7: a 312 MB message and 5 s with the event loop stopped)."""
    article, problems = parse_article("bom.md", laughs(6, field), today=TODAY)  # 35 MB of message before the fix
    assert article is None
    assert [(p.field, p.reason) for p in problems] == [
        ("front matter", "not valid YAML: uses an alias (*l0): write each value out instead")]


@pytest.mark.parametrize(
    ("changes", "field", "longest"),
    [
        ({"title": "[" + ", ".join(["x" * 1000] * 1000) + "]"}, "title", 300),
        ({"sources": "[" + ", ".join(["x" * 1000] * 1000) + "]"}, "sources", 400),
        ({"topics": "[" + ", ".join(["x" * 1000] * 1000) + "]"}, "topics", 400),
        ({"lang": "x" * 100_000}, "lang", 300),
        ({"as_of": "x" * 100_000}, "as_of", 300),
    ],
)
def test_problem_messages_quote_values_cut_short(changes, field, longest):
    _, problems = parse_article("besar.md", markdown(**changes), today=TODAY)
    assert [p.field for p in problems] == [field]
    assert len(problems[0].reason) <= longest, problems[0].reason[:500]


def test_a_source_link_longer_than_a_message_line_is_refused():
    """F8: a long title or link made every answer citing it too long for one Telegram message."""
    _, problems = parse_article("x.md", markdown(sources="[https://x.id/" + "a" * 1000 + "]"), today=TODAY)
    assert [p.field for p in problems] == ["sources"] and "at most 1000 characters" in problems[0].reason
    assert len(problems[0].reason) < 200


def test_a_news_title_taken_from_the_text_is_cut_and_its_links_checked():
    text = "Sumber:\n" + "Pelatihan" + "x" * 500 + " dibuka lagi di http://. dan https://contoh.go.id/a.\n" + NEWS
    article, problems = parse_article("panjang.txt", text, today=TODAY)
    assert problems == ()
    assert len(article.title) <= 300
    assert "http://" not in article.sources and "https://contoh.go.id/a" in article.sources


def test_a_reload_parses_only_what_changed(tmp_path, monkeypatch):
    """Parsing every file again made most of a one-article reload of a large base; an edit is still seen."""
    import knowledge.loader as loader

    parsed, scope_parsed = [], []
    real_fields, real_yaml = loader._markdown_fields, loader.safe_load
    monkeypatch.setattr(loader, "_markdown_fields", lambda name, *rest: parsed.append(name) or real_fields(name, *rest))
    monkeypatch.setattr(loader, "safe_load", lambda text: scope_parsed.append(text) or real_yaml(text))
    loader._parse_memo.cache_clear(), loader._scope_examples.cache_clear()
    (tmp_path / "a.md").write_text(markdown(), encoding="utf-8")
    (tmp_path / "b.md").write_text(markdown(title="Biaya visa SSW"), encoding="utf-8")
    (tmp_path / "scope.yaml").write_text("in_scope: [syarat ssw]\nout_of_scope: [resep rendang]\n", encoding="utf-8")
    load_articles(tmp_path, today=TODAY)
    assert sorted(parsed) == ["a.md", "b.md"] and len(scope_parsed) == 1

    parsed.clear(), scope_parsed.clear()
    (tmp_path / "b.md").write_text(markdown(title="Biaya visa SSW 2026"), encoding="utf-8")
    loaded = load_articles(tmp_path, today=TODAY)
    assert parsed == ["b.md"] and scope_parsed == []
    assert sorted(a.title for a in loaded.articles) == ["Biaya visa SSW 2026", "Syarat visa SSW"]
    assert loaded.scope.out_of_scope == ("resep rendang",)
    load_articles(tmp_path, today=date(2026, 11, 2))  # freshness depends on the day: a new day parses again
    assert sorted(parsed) == ["a.md", "b.md", "b.md"]
