"""Publish: build the MkDocs site into a temporary folder, then sync it into site_dir.

Syncing copies only files whose content changed and removes files no longer built, so a
rebuild of unchanged content rewrites nothing, and a reader never sees a half-built site.
"""

from __future__ import annotations

import gzip
import http.server
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import markupsafe
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from .render import WriteResult, remove_temp_files, write_if_changed

BUILD_PREFIX = ".marsad-build-"  # the folder a site is built in, beside site_dir


class BuildError(RuntimeError):
    """MkDocs could not build the site; the message says why in one line."""


def remove_leftovers(content_dir: Path, site_dir: Path) -> int:
    """Build folders and temporary files a killed run left behind; only call under the lock."""
    builds = list(site_dir.parent.glob(f"{BUILD_PREFIX}*")) if site_dir.parent.is_dir() else []
    for folder in builds:
        shutil.rmtree(folder, ignore_errors=True)
    return len(builds) + remove_temp_files(content_dir) + remove_temp_files(site_dir)


def build_site(
    mkdocs_config: Path, content_dir: Path, site_dir: Path, title: str, epoch: int,
    site_url: str = "",
) -> WriteResult:
    """Build with MkDocs; `epoch` (seconds) stands for the build date, keeping pages identical."""
    if not mkdocs_config.is_file():
        raise BuildError(f"{mkdocs_config}: MkDocs configuration not found")
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=BUILD_PREFIX, dir=site_dir.parent) as temp:
        with _build_environment(epoch), _quiet_mkdocs():
            try:
                # The theme prints site_name unescaped: it gets the title as escaped markup.
                config = load_config(
                    config_file=str(mkdocs_config), docs_dir=str(content_dir),
                    site_dir=temp, site_name=markupsafe.escape(title),
                    **({"site_url": site_url} if site_url else {}),
                )
                mkdocs_build(config)
            except (MkDocsException, OSError) as exc:
                raise BuildError(f"mkdocs build failed: {' '.join(str(exc).split())}") from None
        return sync_tree(Path(temp), site_dir)


def sync_tree(source: Path, target: Path) -> WriteResult:
    result = WriteResult()
    built = {path.relative_to(source) for path in source.rglob("*") if path.is_file()}
    for relative in sorted(built):
        new, old = source / relative, target / relative
        if _same_content(new, old):
            result.unchanged += 1
        elif write_if_changed(old, new.read_bytes()):
            result.written.append(old)
    if target.exists():
        for path in sorted(target.rglob("*"), reverse=True):
            relative = path.relative_to(target)
            if path.is_file() and relative not in built:
                path.unlink()
                result.removed.append(path)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return result


def _same_content(new: Path, old: Path) -> bool:
    """Equal bytes; for .gz files equal content, since gzip headers carry names and times."""
    if not old.is_file():
        return False
    if new.suffix == ".gz":
        return gzip.decompress(new.read_bytes()) == gzip.decompress(old.read_bytes())
    return new.read_bytes() == old.read_bytes()


@contextmanager
def _build_environment(epoch: int) -> Iterator[None]:
    """The environment variables MkDocs reads, set for the build only."""
    wanted = {"SOURCE_DATE_EPOCH": str(epoch), "NO_MKDOCS_2_WARNING": "1"}
    saved = {key: os.environ.get(key) for key in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def _quiet_mkdocs() -> Iterator[None]:
    """MkDocs logs every step at INFO; Marsad prints its own summary instead."""
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def serve_site(site_dir: Path, host: str, port: int) -> None:
    """Serve the built site until interrupted; for previewing, not for production."""
    if not (site_dir / "index.html").is_file():
        raise BuildError(f"{site_dir}: no built site here yet (run `marsad build` first)")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(site_dir))
    with http.server.ThreadingHTTPServer((host, port), handler) as server:
        server.serve_forever()
