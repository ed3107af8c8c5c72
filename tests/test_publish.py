"""Incremental publishing on a small synthetic archive: a new day renders and builds only what
it touches, gives the bytes a full build gives, and swaps the site in whole."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config as load_mkdocs_config

from conftest import REPO

from generator import pipeline
from generator.config import parse_config
from generator.publish import PAST_BUNDLES, SEARCH_FOLDER, BuildError
from generator.render import digest_path
from generator.store import Store

sys.path.insert(0, str(REPO / "bench"))
from archive import add_day, cast, day_articles, fill  # noqa: E402
from search import CHROMEDRIVER, CHROMIUM, chromium, search, served  # noqa: E402

FIRST, DAYS, PER_DAY = date(2025, 12, 28), 40, 4  # past: 2025 (a year), January (a month)


def make_project(folder: Path):
    shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(REPO / "content", folder / "content",
                    ignore=shutil.ignore_patterns("digests", "entities", "index.md", "archive.md"))
    raw = {"timezone": "Asia/Riyadh", "site_url": "https://example.org/marsad", "report_pdf": False,
           "sources": [{"name": "مصدر 1", "url": "feeds/1.xml"}]}
    config = parse_config(raw, folder / "marsad.yml")
    with Store.open(config.store) as store:
        for _ in fill(store, FIRST, DAYS, PER_DAY, config.tz, pipeline.analysis_version(config)):
            pass
    return config


def store_day(config, day: date) -> set[str]:
    """Store one more day; the registry ids of the entities it mentions."""
    start = datetime.combine(day, datetime.min.time(), config.tz)
    with Store.open(config.store) as store:
        add_day(store, day_articles(day, PER_DAY, config.tz, cast()), pipeline.analysis_version(config))
        return {e.id for _, analysis in store.analyzed_between(start, start + timedelta(days=1))
                for e in analysis.entities}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def html_of(page: str) -> str:
    stem = page[:-3]
    return f"{stem}.html" if stem == "index" or stem.endswith("/index") else f"{stem}/index.html"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The archive built whole, then one new day added:
    (config, site before, site after, content files the new day's render changed)."""
    config = make_project(tmp_path_factory.mktemp("publish"))
    first_render, first_build = pipeline.render(config, False), pipeline.build(config)
    assert first_render.full and first_build.result.full
    before, content = snapshot(config.site_dir.resolve()), snapshot(config.content_dir)
    store_day(config, FIRST + timedelta(days=DAYS))
    render, build = pipeline.render(config, False), pipeline.build(config)
    assert not render.full and not build.result.full
    rendered = {path for path, data in snapshot(config.content_dir).items() if content.get(path) != data}
    return config, before, snapshot(config.site_dir.resolve()), rendered


def test_an_added_day_builds_the_same_bytes_as_a_full_build(built):
    config, _, incremental, _ = built
    assert pipeline.render(config, False, full=True).written == 0  # the Markdown is the same too
    pipeline.build(config, full=True)
    assert snapshot(config.site_dir.resolve()) == incremental


def test_an_added_day_changes_only_its_pages_and_those_it_touches(built):
    config, before, after, rendered = built
    new_day, previous_day = FIRST + timedelta(days=DAYS), FIRST + timedelta(days=DAYS - 1)
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    site_changes = {path for path in changed if not path.startswith(SEARCH_FOLDER + "/")}
    # the build changes the pages whose Markdown the render changed, and nothing else
    assert site_changes == {html_of(p) if p.endswith(".md") else p for p in rendered} | \
        {"sitemap.xml", "sitemap.xml.gz"}
    assert {html_of(digest_path(new_day)), html_of(digest_path(previous_day)), "index.html"} <= site_changes
    assert len(site_changes) < len(after) // 4  # a day's pages, not the archive's
    assert any(path.startswith(SEARCH_FOLDER + "/") for path in changed)  # it knows the new day
    for bundle in PAST_BUNDLES:  # December's and January's search index…
        assert any(path.startswith(bundle + "/") for path in after)
        assert not any(path.startswith(bundle + "/") for path in changed)  # …kept as they were
    assert f"<loc>https://example.org/marsad/digests/{new_day:%Y/%m/%d}/</loc>" in \
        after["sitemap.xml"].decode("utf-8")


def test_pages_built_one_by_one_are_what_mkdocs_build_makes(built, tmp_path):
    config = built[0]
    os.environ["SOURCE_DATE_EPOCH"] = str(pipeline._site_epoch(config, pipeline._newest_day(config)))
    try:
        mkdocs_build(load_mkdocs_config(
            config_file=str(config.mkdocs_config), docs_dir=str(config.content_dir),
            site_dir=str(tmp_path / "mkdocs"), site_name=config.title, site_url=config.site_url))
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    ours = {path: data for path, data in snapshot(config.site_dir.resolve()).items()
            if not path.startswith(tuple(f"{bundle}/" for bundle in (SEARCH_FOLDER, *PAST_BUNDLES)))}
    assert ours == snapshot(tmp_path / "mkdocs")


def test_a_failed_build_leaves_the_served_site_as_it_was(built):
    config = built[0]
    served = config.site_dir.resolve()
    before = snapshot(served)
    (config.content_dir / "index.md").write_text("# تغيير\n", encoding="utf-8")
    (config.content_dir / "zz.md").write_text("---\ntemplate: missing.html\n---\n# خطأ\n",
                                              encoding="utf-8")
    try:
        with pytest.raises(BuildError, match=r"zz\.md: .*missing\.html"):
            pipeline.build(config)
        assert config.site_dir.resolve() == served and snapshot(served) == before
        assert [p.name for p in config.site_dir.parent.glob(f".{config.site_dir.name}-*")] == [served.name]
    finally:
        (config.content_dir / "zz.md").unlink()
    pipeline.build(config)  # the next build swaps in a complete new version and drops the old
    assert config.site_dir.is_symlink() and config.site_dir.resolve() != served
    assert not served.exists()
    assert "تغيير" in (config.site_dir / "index.html").read_text(encoding="utf-8")
    pipeline.render(config, False, full=True)
    pipeline.build(config)
    assert snapshot(config.site_dir.resolve())["index.html"] == before["index.html"]


@pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="needs chromium and chromedriver")
def test_a_search_finds_the_entity_page_first_and_past_years_too(built, tmp_path):
    config = built[0]
    with Store.open(config.store) as store:
        december = store.analyzed_between(*(datetime(2025, 12, d, tzinfo=config.tz) for d in (29, 30)))
        person = next(e for _, a in december for e in a.entities if e.type == "PER"
                      and store.entity(e.id).mentions >= config.entity_pages)
    with served(config.site_dir) as (url, _), chromium(tmp_path) as driver:
        results = search(driver, url, person.name)
    assert results[0] == f"{url}entities/{person.id}/"
    assert any("/digests/2025/12/" in result for result in results)  # from a past bundle


def test_no_arabic_is_written_as_unicode_escapes(built):
    config = built[0]
    escaped = []
    for path, data in snapshot(config.site_dir.resolve()).items():
        if data[:2] == b"\x1f\x8b":  # gzip: the sitemap's copy, Pagefind's chunks and fragments
            data = gzip.decompress(data)
        if re.search(rb"\\u06[0-9a-fA-F]{2}", data):
            escaped.append(path)
    assert escaped == []
