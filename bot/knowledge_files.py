"""How admins' changes reach the knowledge folder: checked first, written atomically, replaced files kept.

Uploads, sections written from /gaps, articles from a link, /hapus_artikel, scope examples taught from /gaps and
/rollback all go through here, so every change is checked the way a reload reads the folder and nothing an admin
replaces or removes is lost (BOT_DATA_DIR/article-backups/).
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timezone
from pathlib import Path

import knowledge
from knowledge.loader import SCOPE_FILE, SHIPPED_SCOPE, article_id, load_scope_examples
from knowledge.text import detect_language

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 256 * 1024  # the longest shipped article is ~10 KB; anything this big is not an article
UPLOAD_CHECK_SECONDS = 20  # a 10 KB article takes 0.5 s to check, 256 KB of prose 1 s, of distinct words 7 s
BACKUPS = "article-backups"  # under BOT_DATA_DIR: the versions admins replaced or removed
SLUG_CHARS = 80  # of a stored file's name
KNOWLEDGE_SUFFIXES = (".md", ".txt", ".yaml")  # what a version keeps of the folder, and a roll-back restores
_LINK = re.compile(r"https?://[^\s<>\"'()\[\]]+")
_SOURCE_LINE = re.compile(r"\s*(?:sumber|source)s?\s*:\s*(?:https?://\S+[\s,;]*)+", re.IGNORECASE)
_TOPICS_LINE = re.compile(r"\s*(?:topik|topics?)\s*:\s*([a-z ,;]+)", re.IGNORECASE)


class CheckFailed(Exception):
    """The check could not run (a crash, or too slow): the change is refused, with this reason."""


def stored_name(name: str) -> str | None:
    """The slug a file is stored under ("Berita_Visa 2024.TXT" -> "berita-visa-2024.txt"); None for anything
    that is not a plain .md/.txt name, such as "../../etc/passwd.md"."""
    if any(bad in name for bad in ("/", "\\", "\0")) or name.startswith("."):
        return None
    _, dot, extension = name.rpartition(".")
    slug = article_id(name)[:SLUG_CHARS]
    if not dot or extension.lower() not in ("md", "txt") or not slug:
        return None
    return f"{slug}.{extension.lower()}"


def free_name(folder: Path, title: str, extension: str) -> str | None:
    """A new file name for an article of this title that no file in the folder has (a number added if
    needed); None if the title has no letters or digits."""
    slug = article_id(f"{title}.{extension}")[:SLUG_CHARS - 4].strip("-")
    if not slug:
        return None
    taken = {article_id(path.name) for path in folder.iterdir()} if folder.is_dir() else set()
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return f"{candidate}.{extension}"


def article_file(folder: Path, slug: str) -> Path | None:
    """The file an article id comes from, or None."""
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix.lower() in (".md", ".txt") and article_id(path.name) == slug:
            return path
    return None


def read_folder(folder: Path) -> dict[str, bytes]:
    """The knowledge files of a folder (articles and their YAML files), as a version keeps them."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())
            if path.is_file() and path.suffix.lower() in KNOWLEDGE_SUFFIXES and not path.name.startswith(".")}


def check_folder(folder: Path, changes: Mapping[str, bytes | None], chunked: str = "") -> list[str]:
    """Every problem the folder would have with `changes` made (a name to its new bytes, or None to remove
    it), checked on a scratch copy, so a bad change never touches the live folder. The file `chunked` also
    goes through the chunker. In a child process with a time budget (knowledge/upload_check.py): text that is
    slow to process must be refused, not freeze the bot at every reload. Raises CheckFailed."""
    for data in changes.values():
        if data is not None:
            data.decode("utf-8")  # UnicodeDecodeError: the caller says "not UTF-8"
    root = Path(knowledge.__file__).resolve().parent.parent  # this code's own, not another installed copy
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "kb"
        shutil.copytree(folder, copy)
        for name, data in changes.items():
            if data is None:
                (copy / name).unlink(missing_ok=True)
            else:
                (copy / name).write_bytes(data)
        try:
            checked = subprocess.run([sys.executable, "-m", "knowledge.upload_check", str(copy), chunked], cwd=root,
                                     env=environment, capture_output=True, text=True, timeout=UPLOAD_CHECK_SECONDS)
        except subprocess.TimeoutExpired:
            logger.warning("A change to %s refused: its check took longer than %d s", chunked, UPLOAD_CHECK_SECONDS)
            raise CheckFailed("too_slow") from None
    if checked.returncode != 0:
        logger.error("Checking a change to %s failed: %s", chunked, checked.stderr[-2000:])
        raise CheckFailed("crashed")
    return json.loads(checked.stdout)


def _backup(path: Path, backups: Path) -> Path:
    backups.mkdir(parents=True, exist_ok=True)
    copy = backups / f"{path.name}.{datetime.now(timezone.utc):%Y%m%dT%H%M%S%fZ}"
    shutil.copy2(path, copy)
    return copy


def write_file(folder: Path, name: str, data: bytes, backups: Path | None) -> Path | None:
    """Write a file atomically; the version it replaces is kept in `backups` first (returned)."""
    path = folder / name
    backup = _backup(path, backups) if backups is not None and path.exists() else None
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return backup


def remove_file(folder: Path, name: str, backups: Path) -> Path:
    """Remove a file, keeping a copy in `backups` (returned)."""
    backup = _backup(folder / name, backups)
    (folder / name).unlink()
    return backup


def restore_folder(folder: Path, files: Mapping[str, bytes], backups: Path) -> tuple[list[str], list[str]]:
    """Make the folder's knowledge files exactly `files`; what is replaced or removed is kept in `backups`.
    Returns the names written and the names removed."""
    current = read_folder(folder)
    written = [name for name, data in files.items() if current.get(name) != data]
    removed = [name for name in current if name not in files]
    for name in written:
        write_file(folder, name, files[name], backups)
    for name in removed:
        remove_file(folder, name, backups)
    return written, removed


def section_article(text: str, topics: Sequence[str], today: date) -> tuple[str | None, str | None]:
    """An admin's reply as an article: a whole article (front matter first) as it is, or a Markdown section
    ("## heading", its text, a source link, optionally "topik: ...") made one: the heading is its title, the
    links its sources, today the day it was checked, `topics` its topics unless the reply names them.
    Returns (article, None), or (None, why not: "not_section" or "no_source")."""
    text = text.replace("\r\n", "\n").strip()
    if text.startswith("---"):
        return text + "\n", None
    lines = text.split("\n")
    heading = lines[0][3:].strip() if lines[0].startswith("## ") else ""
    if not heading or not any(line.strip() for line in lines[1:]):
        return None, "not_section"
    links = list(dict.fromkeys(link.rstrip(".,;:!?") for link in _LINK.findall(text)))
    if not links:
        return None, "no_source"
    body = []
    for line in lines[1:]:
        if named := _TOPICS_LINE.fullmatch(line):
            topics = [topic for topic in re.split(r"[\s,;]+", named.group(1).lower()) if topic]
        elif not _SOURCE_LINE.fullmatch(line):
            body.append(line)
    front = [
        "---",
        f"title: {json.dumps(heading, ensure_ascii=False)}",  # a JSON string is a YAML string
        f"sources: {json.dumps(links, ensure_ascii=False)}",
        f"as_of: {today.isoformat()}",
        f"lang: {detect_language(' '.join(body))}",
        f"topics: {json.dumps(list(topics) or ['news'])}",
        "---",
    ]
    return "\n".join([*front, f"## {heading}", *body]).strip() + "\n", None


class ScopeFileError(Exception):
    """scope.yaml cannot be added to (malformed, or laid out so that appending would change its meaning)."""


def add_scope_examples(folder: Path, key: str, questions: Sequence[str], note: str,
                       backups: Path) -> list[str]:
    """Append questions to one list of the folder's scope.yaml (`in_scope` or `out_of_scope`), starting from
    the shipped file if the folder has none, keeping its comments and layout. Questions already in that list
    are skipped; returns those added. The result is read back and must hold exactly the old lists plus these,
    or nothing is written (ScopeFileError)."""
    if key not in ("in_scope", "out_of_scope"):
        raise ValueError(key)
    path = folder / SCOPE_FILE
    source = path if path.is_file() else SHIPPED_SCOPE
    before, problems = load_scope_examples(source)
    if problems:
        raise ScopeFileError("; ".join(str(problem) for problem in problems))
    new = [q for q in dict.fromkeys(" ".join(q.split()) for q in questions) if q and q not in getattr(before, key)]
    if not new:
        return []
    updated = _appended(source.read_text(encoding="utf-8"), key, new, note)
    with tempfile.TemporaryDirectory() as scratch:
        trial = Path(scratch) / SCOPE_FILE
        trial.write_text(updated, encoding="utf-8")
        after, problems = load_scope_examples(trial)
    other = "out_of_scope" if key == "in_scope" else "in_scope"
    expected = tuple(dict.fromkeys([*getattr(before, key), *new]))
    if problems or getattr(after, key) != expected or getattr(after, other) != getattr(before, other):
        raise ScopeFileError(f"{SCOPE_FILE} is not laid out as block lists under in_scope: and out_of_scope:")
    write_file(folder, SCOPE_FILE, updated.encode("utf-8"), backups)
    return new


def _appended(text: str, key: str, questions: Sequence[str], note: str) -> str:
    """The YAML text with items added at the end of the top-level block list `key`."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    start = next((i for i, line in enumerate(lines) if re.fullmatch(rf"{key}:\s*(#.*)?\n", line)), None)
    if start is None:
        lines.append(f"{key}:\n")
        start = len(lines) - 1
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"[^\s#-]", lines[i])), len(lines))
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1  # blank lines and comments before the next key belong to it
    indent = next((m.group(1) for line in lines[start + 1:end] if (m := re.match(r"(\s*)- ", line))), "  ")
    items = [f"{indent}- q: {json.dumps(q, ensure_ascii=False)}\n{indent}  added: {json.dumps(note)}\n"
             for q in questions]
    return "".join(lines[:end] + items + lines[end:])
