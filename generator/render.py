"""Render: digests (plain data) → Markdown pages in content_dir, through Jinja templates.

Every value a template prints is escaped for Markdown and HTML by the environment's
`finalize`, so feed text can never become markup, a link or a template expression; only values
built here as `Markdown` (links to http(s) URLs, with escaped text) pass through as they are.
Pages are written only when their bytes change, atomically. Each page is rendered from its own
period's data (a day's digest, one entity's record), so a run renders only the pages it must.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from pathlib import Path
from zoneinfo import ZoneInfo
from urllib.parse import quote, urlsplit

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .model import Digest, EntityRecord

DIGESTS_FOLDER = "digests"
ENTITIES_FOLDER = "entities"
ENTITY_LABELS = {"PER": "شخص", "LOC": "مكان", "ORG": "مؤسسة", "MISC": "أخرى"}
ESCAPED = {c: f"&#{ord(c)};" for c in "\\`*_{}[]<>#|~!&"}
ESCAPE_PATTERN = re.compile("[" + re.escape("".join(ESCAPED)) + "]")
LINE_START_MARKER = re.compile(r"^([-+=>]|\d+[.)])(?=\s|$)")
URL_SAFE = "/:?&=#%@+,;~$!*"


class Markdown(str):
    """Markup built by Marsad itself from escaped parts: printed as it is."""


@dataclass
class WriteResult:
    """What a writer did to a folder: files written, left as they were, removed."""

    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    removed: list[Path] = field(default_factory=list)


def escape_markdown(text: str) -> str:
    """Text that Markdown and HTML show literally, on one line."""
    text = " ".join(str(text).split())
    text = ESCAPE_PATTERN.sub(lambda m: ESCAPED[m.group()], text)
    return LINE_START_MARKER.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group()), text)


def _finalize(value) -> str:
    return value if isinstance(value, Markdown) else escape_markdown(value)


def safe_url(url: str) -> str:
    """The URL percent-encoded for a Markdown link target, or "" unless it is http(s)."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        return ""
    return quote(url.strip(), safe=URL_SAFE).replace("(", "%28").replace(")", "%29")


def link(text: str, url: str) -> Markdown:
    """A Markdown link with escaped text; plain escaped text when the URL is not http(s)."""
    target = safe_url(url)
    label = escape_markdown(text)
    return Markdown(f"[{label}]({target})" if target else label)


def page_link(text: str, path: str) -> Markdown:
    """A link to one of Marsad's own pages (a path Marsad built, never from a feed)."""
    return Markdown(f"[{escape_markdown(text)}]({path})")


def make_environment(templates_dir: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        finalize=_finalize,
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["link"] = link
    env.filters["arabic_date"] = lambda day: format_date(day, "full", locale="ar")
    env.filters["month"] = lambda day: format_date(day, "MMMM y", locale="ar")
    env.filters["entity_label"] = lambda kind: ENTITY_LABELS.get(kind, kind)
    env.globals["page_link"] = page_link
    return env


def day_path(day: date) -> str:
    return f"{DIGESTS_FOLDER}/{day:%Y/%m/%d}.md"


def digest_path(digest: Digest) -> str:
    return day_path(digest.day)


def entity_path(entity_id: str) -> str:
    return f"{ENTITIES_FOLDER}/{entity_id}.md"


def render_digest(digest: Digest, env: Environment, title: str,
                  older: date | None, newer: date | None) -> str:
    """A day's page; `older`/`newer` are the neighbouring days that have a digest."""
    root = "../../../"
    return env.get_template("digest.md.j2").render(
        digest=digest, title=title, root=root,
        newer=newer and root + day_path(newer), older=older and root + day_path(older),
    )


def render_home(latest: Digest | None, older: date | None, env: Environment, title: str) -> str:
    return env.get_template("home.md.j2").render(
        digest=latest, title=title, root="",
        latest_path=latest and digest_path(latest), older=older and day_path(older),
    )


def render_archive(day_counts: dict[date, int], env: Environment, title: str) -> str:
    """Every day, newest first, grouped by month: from counts alone, no digest needed."""
    newest_first = sorted(day_counts, reverse=True)
    months = [(month, [(day, day_counts[day]) for day in days])
              for month, days in groupby(newest_first, key=lambda d: d.replace(day=1))]
    return env.get_template("archive.md.j2").render(months=months, title=title, day_path=day_path)


def render_entity(entity: EntityRecord, env: Environment, title: str, tz: ZoneInfo) -> str:
    first, last = entity.first_seen.astimezone(tz).date(), entity.last_seen.astimezone(tz).date()
    return env.get_template("entity.md.j2").render(
        entity=entity, title=title, root="../", first=first, last=last, day_path=day_path,
    )


def write_pages(pages: dict[str, str], content_dir: Path) -> WriteResult:
    """Write the pages whose bytes changed."""
    result = WriteResult()
    for relative, text in sorted(pages.items()):
        path = content_dir / relative
        if write_if_changed(path, text.encode("utf-8")):
            result.written.append(path)
        else:
            result.unchanged += 1
    return result


def remove_pages(paths: Iterable[str], content_dir: Path) -> list[Path]:
    """Delete generated pages that nothing produces any more."""
    removed = []
    for relative in paths:
        path = content_dir / relative
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically replace `path` with `data` unless it already holds exactly that."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return True
