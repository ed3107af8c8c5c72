"""Publish: the Markdown pages of content_dir → the HTML site in site_dir, with its search index.

`site_dir` is a symbolic link to a version folder beside it (`.site-N`). A build makes the next
version and then replaces the link in one rename, so a reader is served the previous site until
the new one is complete, and never a mix of the two.

MkDocs has no incremental build, so Marsad builds page by page with MkDocs' own machinery (the
same config, plugins events, files, navigation, `Page.render` and the theme's `main.html`),
which gives the bytes `mkdocs build` gives (a test holds them equal). The first build, and any
build after the MkDocs configuration, the theme or a hand-written asset changed, builds every
page, in one process per core, each holding one page at a time. Later builds start from hard
links to the current version and build only the pages whose Markdown changed: a new day costs
its own pages, plus the search index and the sitemap, which are written whole.

Search is Pagefind's chunked static index: a reader's browser fetches only the index chunks
its query needs, whatever the size of the archive.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import logging
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from importlib.metadata import version
from pathlib import Path

import markupsafe
import mkdocs
from mkdocs.commands.build import _build_theme_template, _populate_page, get_context
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

from . import __version__
from .render import current_umask, remove_temp_files, write_if_changed

SEARCH_FOLDER = "pagefind"  # the search bundle of the present (reindexed at every build)
PAST_BUNDLES = ("pagefind-years", "pagefind-months")  # past years', this year's past months'
PERIOD_FOLDER = re.compile(r"^([^/]+/(\d{4}/\d{2}))/")  # digests/2026/11/…: a month's pages
SEARCH_ROOT = "article"  # what Pagefind indexes of a page: its text, not the menus around it
MAX_WORKERS = 4  # processes of a full build
THEME_TEMPLATES = ("sitemap.xml",)  # theme outputs that list every page: written again each build


class BuildError(RuntimeError):
    """MkDocs or Pagefind could not build the site; the message says why in one line."""


@dataclass
class SiteRequest:
    """What `build_site` publishes, and where."""

    mkdocs_config: Path
    content_dir: Path
    site_dir: Path
    manifest: Path  # what the current version was built from (kept in the data folder)
    title: str
    site_url: str
    epoch: int  # seconds: stands for the build date, so the same pages give the same bytes
    month: str = ""  # "YYYY/MM", the newest day's: pages of earlier months are past (see search)


@dataclass
class BuildResult:
    full: bool
    pages: int  # HTML pages built
    removed: int  # pages removed
    total: int  # files in the site
    version: str  # the folder site_dir now points to
    reasons: list[str] = field(default_factory=list)  # why the build was full


def remove_leftovers(content_dir: Path, site_dir: Path) -> int:
    """Version folders and temporary files a killed run left behind (all but the version
    site_dir points to); only call under the run lock."""
    current = _current_version(site_dir)
    left = leftover_versions(site_dir)
    for folder in left:
        shutil.rmtree(folder, ignore_errors=True)
    (site_dir.parent / f".{site_dir.name}.link").unlink(missing_ok=True)
    return len(left) + remove_temp_files(content_dir) + (remove_temp_files(current) if current else 0)


def leftover_versions(site_dir: Path) -> list[Path]:
    """Version folders beside site_dir that it does not point to: a killed build's."""
    current = _current_version(site_dir)
    return [p for p in site_dir.parent.glob(f".{site_dir.name}-*") if p != current] \
        if site_dir.parent.is_dir() else []


def build_site(request: SiteRequest, full: bool = False) -> BuildResult:
    """Build the next version of the site and swap it in; only changed pages unless `full`."""
    if not request.mkdocs_config.is_file():
        raise BuildError(f"{request.mkdocs_config}: MkDocs configuration not found")
    current = _current_version(request.site_dir)
    sources = _scan_sources(request.content_dir, _load_manifest(request.manifest))
    settings = _settings_fingerprint(request)
    reasons = _full_build_reasons(request, current, sources, settings) if not full else ["asked"]
    if not reasons and current is not None and _changed(sources, "pages") == ([], []) \
            and _changed(sources, "assets") == ([], []):
        return BuildResult(False, 0, 0, _count_files(current), current.name)
    target = _next_version(request.site_dir)
    try:
        with _build_environment(request.epoch), _quiet_mkdocs():
            if reasons:
                changed, removed = sorted(sources.pages), []
                _full_build(request, target, changed)
            else:
                _link_copy(current, target)
                changed, removed = _changed(sources, "pages")
                _incremental_build(request, target, changed, removed)
                _copy_assets(request.content_dir, target, *_changed(sources, "assets"))
        past = _index_search(target, sources.pages, request.month,
                             sources.previous.get("past_search", {}) if not reasons else {})
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    _swap(request.site_dir, target)
    manifest = {"settings": settings, "version": target.name, "pages": sources.pages,
                "assets": sources.assets, "past_search": past}
    write_if_changed(request.manifest, json.dumps(manifest, ensure_ascii=False, indent=0,
                                                  sort_keys=True).encode("utf-8"))
    if current is not None and current != target:
        shutil.rmtree(current, ignore_errors=True)
    return BuildResult(bool(reasons), len(changed), len(removed), _count_files(target),
                       target.name, reasons)


def _count_files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


# --- what changed since the current version ------------------------------------------------


@dataclass
class Sources:
    """The content folder as the build sees it: Markdown pages and other files, each with a
    stamp (size, modification time, hash) and whether it differs from the last build."""

    pages: dict[str, list] = field(default_factory=dict)  # path → [size, mtime_ns, sha1]
    assets: dict[str, list] = field(default_factory=dict)
    previous: dict = field(default_factory=dict)


def _scan_sources(content_dir: Path, previous: dict) -> Sources:
    """Hash only the files whose size or time differs from the manifest's: a stat per page."""
    known = {**previous.get("pages", {}), **previous.get("assets", {})}
    sources = Sources(previous=previous)
    for path in sorted(content_dir.rglob("*")):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(content_dir).parts):
            continue
        relative = path.relative_to(content_dir).as_posix()
        stat = path.stat()
        old = known.get(relative)
        if old and old[:2] == [stat.st_size, stat.st_mtime_ns]:
            stamp = old
        else:
            stamp = [stat.st_size, stat.st_mtime_ns, hashlib.sha1(path.read_bytes()).hexdigest()]
        (sources.pages if relative.endswith(".md") else sources.assets)[relative] = stamp
    return sources


def _changed(sources: Sources, kind: str) -> tuple[list[str], list[str]]:
    """The pages (or other files) new or changed since the last build, and those removed."""
    now, before = getattr(sources, kind), sources.previous.get(kind, {})
    changed = [p for p, stamp in now.items() if p not in before or before[p][2] != stamp[2]]
    return changed, sorted(p for p in before if p not in now)


def _full_build_reasons(request: SiteRequest, current: Path | None, sources: Sources,
                        settings: str) -> list[str]:
    """Why the current version cannot be the start of this one, if it cannot."""
    previous = sources.previous
    if current is None or previous.get("version") != current.name:
        return ["no site built by this configuration yet"]
    if previous.get("settings") != settings:
        return ["the MkDocs configuration, the theme or Marsad changed"]
    return []


def _settings_fingerprint(request: SiteRequest) -> str:
    """Everything besides a page's own Markdown that goes into its HTML."""
    parts = (request.mkdocs_config.read_bytes(), mkdocs.__version__, version("mkdocs-material"),
             version("pagefind"), __version__, request.title, request.site_url,
             str(request.content_dir.resolve()))
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()


def _load_manifest(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# --- building -------------------------------------------------------------------------------


def _mkdocs_config(request: SiteRequest, site_dir: Path) -> MkDocsConfig:
    try:
        # The theme prints site_name unescaped: it gets the title as escaped markup.
        return load_config(config_file=str(request.mkdocs_config),
                           docs_dir=str(request.content_dir), site_dir=str(site_dir),
                           site_name=markupsafe.escape(request.title),
                           site_url=request.site_url or None)
    except (MkDocsException, OSError) as exc:
        raise BuildError(f"mkdocs build failed: {' '.join(str(exc).split())}") from None


def _full_build(request: SiteRequest, target: Path, pages: list[str]) -> None:
    """What `mkdocs build` writes, with the pages built by one worker process per core, each
    holding one page at a time (`mkdocs build` holds every page of the site until the end)."""
    builder = PageBuilder(_mkdocs_config(request, target))
    builder.files.copy_static_files(dirty=False, inclusion=InclusionLevel.is_included)
    for name in builder.config.theme.static_templates:
        builder.theme_template(name)
    workers = min(len(os.sched_getaffinity(0)), MAX_WORKERS, max(1, len(pages) // 200))
    if workers > 1:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            list(pool.map(_build_pages, [(request, target, pages[i::workers])
                                         for i in range(workers)]))
    else:
        _build_pages((request, target, pages), builder)
    builder.config.plugins.on_post_build(config=builder.config)


def _build_pages(job: tuple[SiteRequest, Path, list[str]], builder: PageBuilder | None = None) -> int:
    request, target, pages = job
    builder = builder or PageBuilder(_mkdocs_config(request, target))
    for src_uri in pages:
        dest, data = builder.page(src_uri)
        write_if_changed(dest, data)  # a new file: the hard link stays the old version's
    return len(pages)


class PageBuilder:
    """`mkdocs build`, one page at a time: the steps of mkdocs.commands.build with the same
    plugins events, files, navigation and theme, so a page comes out as a full build makes it.
    Pages are read, rendered and dropped one by one: memory holds one page, not the site."""

    def __init__(self, config: MkDocsConfig) -> None:
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        env = config.theme.get_env()
        files = get_files(config)
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        self.nav = config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
        self.env = config.plugins.on_env(env, config=config, files=files)
        self.config, self.files = config, files
        self.doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)

    def page(self, src_uri: str) -> tuple[Path, bytes]:
        """Where the page's HTML goes, and its bytes."""
        file = self.files.get_file_from_path(src_uri)
        if file is None:
            raise BuildError(f"{src_uri}: not a page of the content folder")
        page = file.page or Page(None, file, self.config)
        try:
            _populate_page(page, self.config, self.files)
            self.config._current_page = page
            page.active = True
            context = get_context(self.nav, self.doc_files, self.config, page)
            template = self.env.get_template(page.meta.get("template", "main.html"))
            context = self.config.plugins.on_page_context(context, page=page, config=self.config,
                                                          nav=self.nav)
            output = self.config.plugins.on_post_page(template.render(context), page=page,
                                                      config=self.config)
        except Exception as exc:  # MkDocs, Markdown, Jinja: whatever a page's text led to
            raise BuildError(f"{src_uri}: cannot build the page: {exc.__class__.__name__}: "
                             f"{' '.join(str(exc).split())}") from None
        finally:
            page.active = False
            self.config._current_page = None
            page.markdown = page.content = None  # the page is written: let it go
        return Path(file.abs_dest_path), output.encode("utf-8", errors="xmlcharrefreplace")

    def theme_template(self, name: str) -> None:
        """A theme output (the sitemap) over every page, as `mkdocs build` writes it."""
        for file in self.doc_files:
            if file.page is None:
                Page(None, file, self.config)
        _build_theme_template(name, self.env, self.files, self.config, self.nav)


def _incremental_build(request: SiteRequest, target: Path, changed: list[str],
                       removed: list[str]) -> None:
    builder = PageBuilder(_mkdocs_config(request, target))
    for src_uri in removed:
        dest = target / _dest_of(src_uri)
        dest.unlink(missing_ok=True)
        _remove_empty_parents(dest.parent, target)
    for src_uri in changed:
        dest, data = builder.page(src_uri)
        write_if_changed(dest, data)  # a new file: the hard link stays the old version's
    for name in THEME_TEMPLATES:  # hard links: unlink first, so the served version keeps its copy
        for path in (target / name, target / f"{name}.gz"):
            path.unlink(missing_ok=True)
        builder.theme_template(name)


def _link_copy(source: Path, target: Path) -> None:
    """The current version as hard links (no data copied), less its search index, rewritten
    anyway. GNU cp does it in C; elsewhere, Python's copytree."""
    names = [p.name for p in source.iterdir() if p.name != SEARCH_FOLDER]  # past bundles kept
    if names and shutil.which("cp"):
        done = subprocess.run(["cp", "-al", "--", *names, str(target)], cwd=source,
                              capture_output=True)
        if done.returncode == 0:
            return
    for name in names:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, copy_function=os.link, dirs_exist_ok=True)
        else:
            os.link(source / name, target / name)


def _copy_assets(content_dir: Path, target: Path, changed: list[str], removed: list[str]) -> None:
    """Files other than pages (JSON, PDF, feeds, fonts, CSS) go to the site as they are."""
    for relative in removed:
        (target / relative).unlink(missing_ok=True)
        _remove_empty_parents((target / relative).parent, target)
    for relative in changed:
        write_if_changed(target / relative, (content_dir / relative).read_bytes())


def _dest_of(src_uri: str) -> str:
    """Where MkDocs (use_directory_urls) puts a page's HTML."""
    stem = src_uri[:-3]
    if stem == "index" or stem.endswith("/index"):
        return f"{stem}.html"
    return f"{stem}/index.html"


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _index_search(site: Path, pages: dict[str, list], month: str, kept: dict[str, str]
                  ) -> dict[str, str]:
    """Three Pagefind bundles, merged by the search page: the pages of past years (indexed again
    once a year), of this year's past months (once a month), and the rest (at every build); a
    past bundle is also indexed again when one of its pages changed. Pagefind holds a bundle's
    whole index in memory, so the split also bounds what a daily or monthly build needs.
    Returns each past bundle's fingerprint, for the next build to compare."""
    months = sorted({match.group(1) for page in pages
                     if (match := PERIOD_FOLDER.match(page)) and match.group(2) < month})
    year = month[:4]
    tiers = dict(zip(PAST_BUNDLES, ([m for m in months if m.rsplit("/", 2)[1] < year],
                                    [m for m in months if m.rsplit("/", 2)[1] == year])))
    fingerprints = {}
    for bundle, folders in tiers.items():
        fingerprints[bundle] = hashlib.sha1(repr(
            [(page, stamp[2]) for page, stamp in sorted(pages.items()) if _in_folders(page, folders)]
        ).encode("utf-8")).hexdigest()
        if fingerprints[bundle] != kept.get(bundle) or not (site / bundle).is_dir():
            shutil.rmtree(site / bundle, ignore_errors=True)
            _pagefind(site, bundle, [f"{folder}/**/*.html" for folder in folders])
    shutil.rmtree(site / SEARCH_FOLDER, ignore_errors=True)
    _pagefind(site, SEARCH_FOLDER, _present_globs(site, months))
    return fingerprints


def _in_folders(page: str, folders: list[str]) -> bool:
    return any(page.startswith(folder + "/") for folder in folders)


def _present_globs(site: Path, past: list[str]) -> list[str]:
    """Every HTML page of the site outside the past folders, as globs Pagefind takes."""
    globs, parents = ["*.html"], {folder.split("/")[0] for folder in past}
    for entry in sorted(site.iterdir()):
        if not entry.is_dir() or entry.name in (SEARCH_FOLDER, *PAST_BUNDLES, "assets"):
            continue
        if entry.name not in parents:
            globs.append(f"{entry.name}/**/*.html")
            continue
        for month in sorted(entry.glob("*/*")):
            folder = month.relative_to(site).as_posix()
            if month.is_dir() and folder not in past:
                globs.append(f"{folder}/**/*.html")
    return globs


def _pagefind(site: Path, bundle: str, globs: list[str]) -> None:
    if not globs:
        return
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", bundle,
               "--glob", "{" + ",".join(globs) + "}", "--root-selector", SEARCH_ROOT,
               "--force-language", "ar", "--silent"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        why = " ".join((done.stderr or done.stdout).split())[-300:]
        raise BuildError(f"pagefind could not index {site}: {why or f'exit {done.returncode}'}")
    for unused in (site / bundle).glob("pagefind-*ui.*"):  # its ready-made UIs: search.md has its own
        unused.unlink()
    (site / bundle / "pagefind-highlight.js").unlink(missing_ok=True)


# --- versions and the swap -------------------------------------------------------------------


def _current_version(site_dir: Path) -> Path | None:
    if site_dir.is_symlink() and site_dir.resolve().is_dir():
        return site_dir.resolve()
    return None


def _next_version(site_dir: Path) -> Path:
    """A new, empty version folder beside site_dir."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-", dir=site_dir.parent))


def _swap(site_dir: Path, target: Path) -> None:
    """Point site_dir at `target` in one rename (a site_dir that is a folder is moved aside)."""
    target.chmod(0o777 & ~current_umask())  # mkdtemp made it 0700: readable by a web server
    link = site_dir.parent / f".{site_dir.name}.link"
    link.unlink(missing_ok=True)
    link.symlink_to(target.name)
    if site_dir.exists() and not site_dir.is_symlink():
        aside = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-old-", dir=site_dir.parent))
        site_dir.rename(aside / site_dir.name)
        os.replace(link, site_dir)
        shutil.rmtree(aside, ignore_errors=True)
    else:
        os.replace(link, site_dir)


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
    """Serve the built site until interrupted; for previewing, not for production.

    Each request resolves site_dir anew, so a build that swaps in a new version while this
    runs is served from then on."""
    if not (site_dir / "index.html").is_file():
        raise BuildError(f"{site_dir}: no built site here yet (run `marsad build` first)")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(site_dir))
    with http.server.ThreadingHTTPServer((host, port), handler) as server:
        server.serve_forever()
