"""Render: digests (plain data) → Markdown pages in content_dir, through Jinja templates.

Every value a template prints is escaped for Markdown and HTML by the environment's
`finalize`, so feed text can never become markup, a link or a template expression; only values
built here as `Markdown` (links to http(s) URLs, with escaped text) pass through as they are.
Pages are written only when their bytes change, atomically.
"""

from __future__ import annotations

import os
import re
import tempfile
from itertools import groupby
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .model import Digest

DIGESTS_FOLDER = "digests"
ENTITY_LABELS = {"PER": "شخص", "LOC": "مكان", "ORG": "مؤسسة", "MISC": "أخرى"}
ESCAPED = {c: f"&#{ord(c)};" for c in "\\`*_{}[]<>#|~!&"}
ESCAPE_PATTERN = re.compile("[" + re.escape("".join(ESCAPED)) + "]")
LINE_START_MARKER = re.compile(r"^([-+=>]|\d+[.)])(?=\s|$)")
URL_SAFE = "/:?&=#%@+,;~$!*"
TEMP_SUFFIX = ".marsad-tmp"  # a file being written; left behind only by a killed run


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


def digest_path(digest: Digest) -> str:
    return f"{DIGESTS_FOLDER}/{digest.day:%Y/%m/%d}.md"


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


def render_pages(digests: list[Digest], env: Environment, title: str) -> dict[str, str]:
    """Every generated page as {relative path: Markdown}, all of it built before any write."""
    pages: dict[str, str] = {}
    newest_first = sorted(digests, key=lambda d: d.day, reverse=True)
    for i, digest in enumerate(newest_first):
        newer = newest_first[i - 1] if i > 0 else None
        older = newest_first[i + 1] if i + 1 < len(newest_first) else None
        pages[digest_path(digest)] = env.get_template("digest.md.j2").render(
            digest=digest, title=title, root="../../../",
            newer=newer and "../../../" + digest_path(newer),
            older=older and "../../../" + digest_path(older),
        )
    latest = newest_first[0] if newest_first else None
    pages["index.md"] = env.get_template("home.md.j2").render(
        digest=latest, title=title, root="",
        latest_path=latest and digest_path(latest),
        older=len(newest_first) > 1 and digest_path(newest_first[1]),
    )
    months = [(days[0].day, days) for days in
              (list(group) for _, group in groupby(newest_first, key=lambda d: d.day.replace(day=1)))]
    pages["archive.md"] = env.get_template("archive.md.j2").render(
        months=months, title=title, digest_path=digest_path,
    )
    return pages


def write_pages(pages: dict[str, str], content_dir: Path) -> WriteResult:
    """Write changed pages; remove digest pages that no digest produces any more."""
    result = WriteResult()
    for relative, text in sorted(pages.items()):
        path = content_dir / relative
        if write_if_changed(path, text.encode("utf-8")):
            result.written.append(path)
        else:
            result.unchanged += 1
    wanted = {content_dir / relative for relative in pages}
    for stale in sorted((content_dir / DIGESTS_FOLDER).rglob("*.md")):
        if stale not in wanted:
            stale.unlink()
            result.removed.append(stale)
    return result


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically replace `path` with `data` unless it already holds exactly that.

    The file gets the permissions any new file gets here (0666 less the umask), not
    mkstemp's 0600: a web server running as another user must be able to read the site."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        os.fchmod(fd, 0o666 & ~current_umask())
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return True


def current_umask() -> int:
    """The process's umask; reading it means setting it, so it is set straight back."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def remove_temp_files(folder: Path) -> int:
    """Remove the temporary files a killed run left in `folder` (under the run lock)."""
    leftovers = list(folder.rglob(f".*{TEMP_SUFFIX}")) if folder.is_dir() else []
    for path in leftovers:
        path.unlink(missing_ok=True)
    return len(leftovers)
