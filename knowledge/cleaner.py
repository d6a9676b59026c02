"""Raw news text pasted from an Indonesian news site → clean text a worker can read and we can index.

Separate from the loader because news sites change their noise more often than our article format.
"""

from __future__ import annotations

import re
from datetime import date

# "BACA JUGA: <another headline>" cross-links, in any case and spacing ("Baca juga :").
_CROSS_LINK = re.compile(r"baca\s+juga\b", re.IGNORECASE)

# Credit lines: "Redaktur : X", "Reporter: X", "Redaktur & Reporter : X", a bare "Fotografer".
# "Sumber:" is kept on purpose: it may hold the URL the article is cited by.
_CREDIT_LABEL = r"(?:redaktur|reporter|editor|penulis|pewarta|penyunting|fotografer|foto)"
_CREDIT_LINE = re.compile(
    rf"{_CREDIT_LABEL}(?:\s*(?:&|dan|/|,)\s*{_CREDIT_LABEL})*\s*(?::|$)", re.IGNORECASE
)

# Datelines before the first sentence: "{outlet}, {PLACE} - ", "{PLACE}, {outlet} -- ",
# "{PLACE} ({AGENCY}) - " or a bare "{outlet.com} - ". Only removed when an outlet is named, so a
# first sentence that merely contains a comma and a dash is kept.
_PART = r"[\w.]+(?: [\w.]+){0,2}"
_DATELINE = re.compile(
    rf"(?:{_PART}, {_PART}|{_PART} \([A-Z]{{2,}}[\w ]*\)|[\w.]+\.(?:com|co|id))\s*[-–—]{{1,2}}\s+"
)
_OUTLET = re.compile(r"\w\.(?:com|co|id|net)\b|\(|CNN Indonesia|detik", re.IGNORECASE)

# Agency codes closing the story: "(mcr-12/jpnn)", "(ant)", "(*)", or one cut off: "(mcr-".
# Lower case only, so an acronym such as "(JFT)" at the end of a paragraph stays.
_AGENCY_CODE = re.compile(r"(?:^|\s+)\((?:\*|[a-z]{2,8}(?:[-/][a-z0-9]*)*)\)?$")

# A word typed twice: "Specified Specified Skilled". Letters only, so "10 10" in a table stays, and
# never next to a hyphen, so reduplication such as "langkah-langkah" stays.
_REPEATED_WORD = re.compile(r"(?<![\w-])([^\W\d_]+)(?:\s+\1)+(?![\w-])", re.IGNORECASE)


def clean_news_text(raw: str) -> str:
    """Strip what a news site adds around the story, keeping one paragraph per input line."""
    lines = [" ".join(line.split()) for line in raw.splitlines()]
    paragraphs = [line for line in lines if line and not _is_noise(line)]
    if paragraphs:
        paragraphs[0] = _without_dateline(paragraphs[0])
        paragraphs[-1] = _AGENCY_CODE.sub("", paragraphs[-1])
    paragraphs = [_close_quote(_REPEATED_WORD.sub(r"\1", paragraph)) for paragraph in paragraphs if paragraph]
    return "\n\n".join(paragraphs)  # a blank line between paragraphs, as Markdown wants


_DOMAIN = re.compile(r"\b([a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|co\.id|id|net|org)|detik\.com)\b", re.IGNORECASE)

# Dates as Indonesian news write them: "Senin (22/4/2024)", "22-4-2024", "22 April 2024", "2024-04-22".
_MONTHS = {name: number for number, names in enumerate((
    ("januari", "january", "jan"), ("februari", "february", "feb", "pebruari"), ("maret", "march", "mar"),
    ("april", "apr"), ("mei", "may"), ("juni", "june", "jun"), ("juli", "july", "jul"),
    ("agustus", "august", "agu", "aug", "agt"), ("september", "sept", "sep"), ("oktober", "october", "okt", "oct"),
    ("november", "nov", "nopember"), ("desember", "december", "des", "dec")), start=1) for name in names}
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b")
_WORDED_DATE = re.compile(rf"\b(\d{{1,2}})\s+({'|'.join(sorted(_MONTHS, key=len, reverse=True))})\.?\s+(\d{{4}})\b",
                          re.IGNORECASE)


def news_outlet(raw: str) -> str | None:
    """The outlet a pasted story names in its dateline ("jpnn.com, TOKYO - ", "JAKARTA, KOMPAS.com - "), as a
    domain, so a news text without a "Sumber:" line still cites where it came from."""
    first = next((" ".join(line.split()) for line in raw.splitlines() if line.strip()), "")
    dateline = _DATELINE.match(first)
    domain = _DOMAIN.search(dateline.group()) if dateline else None
    return domain.group(1).lower() if domain else None


def news_date(raw: str, *, not_after: date) -> date | None:
    """The first real date in the text (the dateline's, or the first dated event): the day the story's facts
    are from. Dates after `not_after` (a deadline announced for next year) are not the story's own."""
    found = []
    for match in _NUMERIC_DATE.finditer(raw):
        day, month, year = (match.group(1), match.group(2), match.group(3)) if match.group(1) else (
            match.group(6), match.group(5), match.group(4))
        found.append((match.start(), int(year), int(month), int(day)))
    for match in _WORDED_DATE.finditer(raw):
        found.append((match.start(), int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1))))
    for _, year, month, day in sorted(found):
        try:
            when = date(year, month, day)
        except ValueError:  # "31/2/2024" is no date
            continue
        if when <= not_after:
            return when
    return None


def _is_noise(line: str) -> bool:
    """Cross-links and credit lines carry no facts; they would only dilute the passages."""
    return bool(_CROSS_LINK.match(line) or _CREDIT_LINE.match(line))


def _without_dateline(paragraph: str) -> str:
    """ "jpnn.com, TOKYO - " would otherwise become the first words of the article's title."""
    dateline = _DATELINE.match(paragraph)
    if dateline and _OUTLET.search(dateline.group()):
        return paragraph[dateline.end():]
    return paragraph


def _close_quote(paragraph: str) -> str:
    """Pasted stories often lose the closing quote mark; an open quote would run to the end."""
    if paragraph.count('"') % 2:
        return paragraph + '"'
    if paragraph.count("“") > paragraph.count("”"):
        return paragraph + "”"
    return paragraph
