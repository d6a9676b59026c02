"""Raw news text pasted from an Indonesian news site → clean text a worker can read and we can index.

Separate from the loader because news sites change their noise more often than our article format.
"""

from __future__ import annotations

import re

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
