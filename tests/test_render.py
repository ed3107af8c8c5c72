import json
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import feedparser
import markdown
import pytest
from pypdf import PdfReader

from conftest import REPO

from generator.archive import StoreArchive
from generator.link import link as link_entities
from generator.store import Store
from generator.model import Analysis, Article, Entity, Mention, Quote, WatchEntity, Watchlist
from generator.periods import Period, periods_of
from generator.render import (
    PAGES, Pdf, Site, clean_url, escape_markdown, link, make_environment, render_pages, write_pages,
)

HOSTILE = "*عاجل* [رابط](javascript:alert(1)) <script>alert(1)</script> {{ config }} # | _x_ `c` &amp;"
RIYADH = ZoneInfo("Asia/Riyadh")


def to_html(text: str) -> str:
    return markdown.markdown(text, extensions=["tables"])


def test_escaped_text_shows_as_written_in_rendered_html():
    html = to_html(escape_markdown(HOSTILE))
    assert "<script" not in html and "<em>" not in html and "<a " not in html and "<code>" not in html
    assert "&#42;عاجل&#42;" in html and "&#123;&#123; config &#125;&#125;" in html


def test_line_start_markers_are_neutralised():
    for text in ("- بند", "1. بند", "> اقتباس", "# عنوان"):
        html = to_html(escape_markdown(text))
        assert html.startswith("<p>"), html


def test_links_only_for_http_urls_and_without_tracking():
    assert link("خبر", "javascript:alert(1)") == "<bdi>خبر</bdi>"
    assert link("خبر [1]", "https://a.example/x (y)") == "[<bdi>خبر &#91;1&#93;</bdi>](https://a.example/x%20%28y%29)"
    assert clean_url("https://A.example/n?id=7&utm_source=tw&fbclid=x&utm_medium=s") == "https://a.example/n?id=7"
    assert clean_url("data:text/html,x") == ""


def article(day: int, n: int, title: str = "عنوان", source: str = "وكالة", speaker: str = "أحمد أبو الغيط",
            quote: str = "لا بديل عن الحل", summary: str = "ملخص الخبر.") -> tuple[Article, Analysis]:
    published = datetime(2026, 11, day, 6 + n, 30, tzinfo=timezone.utc)
    a = Article(f"a{day}-{n}", source, "سياسة", f"https://a.example/{day}/{n}?utm_source=x", title,
                published, published, "", f"نص {day} {n}", f"h{day}-{n}")
    person = Entity(speaker, "PER", [Mention(speaker, 0, 5), Mention("أبو الغيط", 9, 14)])
    place = Entity("ليبيا", "LOC", [Mention("ليبيا", 20, 25)])
    quotes = [Quote(speaker, quote, "direct", 30, 40, "قال"),
              Quote("غسان سلامة", "الحوار مستمر", "indirect", 50, 60, "أكد")]
    return a, Analysis(["نص"], [person, place], quotes, [summary])


def archive(items, target) -> StoreArchive:
    """The items stored, analyzed and linked in a real store, read back as the site does."""
    store = Store.open(target)
    store.add_articles([a for a, _ in items])
    store.save_analyses(items, "test")
    link_entities(store)
    return StoreArchive(store, RIYADH, ("سياسة",), 2)


def entity_page(archive: StoreArchive, name: str) -> str:
    return next(f"entities/{e.id}.md" for e in archive.entities() if e.name == name)


SITE = Site("مرصد", RIYADH, "https://marsad.example/", (
    Watchlist("ليبيا", (WatchEntity("ليبيا", "LOC"),), ("جنيف",)),), pdf=False)


def test_every_page_kind_for_two_weeks_of_days(tmp_path):
    items = [article(d, n) for d in (22, 23, 27) for n in range(2)] + [article(1 + 1, 0)]
    stored = archive(items, tmp_path / "marsad.sqlite")
    files = render_pages(stored, make_environment(REPO / "templates"), SITE)
    speaker, libya = entity_page(stored, "أحمد أبو الغيط"), entity_page(stored, "ليبيا")
    assert {"index.md", "archive/index.md", "archive/2026/index.md", "archive/2026/11.md",
            "digests/2026/11/22.md", "digests/2026/11/23.md", "digests/2026/11/27.md",
            "digests/2026/11/27.json", "reports/weeks/2026-W47.md", "reports/weeks/2026-W48.md",
            "reports/weeks/2026-W48.json", "reports/months/2026-11.md", "entities/index.md",
            speaker, libya, "feeds/digests.xml", "feeds/ليبيا.xml"} <= set(files)
    assert not any(p.endswith(".pdf") for p in files)  # pdf: False
    day = to_html(files["digests/2026/11/23.md"])
    assert 'href="../../../digests/2026/11/22.md"' in day and 'href="../../../digests/2026/11/27.md"' in day
    assert 'href="../../../reports/weeks/2026-W48.md"' in day and 'href="23.json"' in day
    assert "utm_source" not in day and 'href="https://a.example/23/0"' in day
    assert "مادتان" in day  # two articles: the dual, no digit
    week = to_html(files["reports/weeks/2026-W48.md"])
    assert "<svg" in week and "<td><span dir=\"ltr\">+" in week  # the leaderboard's change
    entity = to_html(files[speaker])
    assert "لا بديل عن الحل" in entity and "الحوار مستمر" in entity and "<svg" in entity
    assert "أبو الغيط" in entity  # an alias
    month = to_html(files["archive/2026/11.md"])
    assert month.count('href="../../digests/') == 4 and "archive/2026/10" not in month
    data = json.loads(files["reports/weeks/2026-W48.json"])
    assert data["period"]["key"] == "2026-W48" and data["article_count"] == 4
    feed = feedparser.parse(files["feeds/digests.xml"])
    assert feed.entries[0].link == "https://marsad.example/digests/2026/11/27/"

    first = write_pages(files, tmp_path)
    assert len(first.written) == len(files)
    again = write_pages(files, tmp_path)
    assert again.written == [] and again.unchanged == len(files)
    fewer = render_pages(archive(items[:6], tmp_path / "fewer.sqlite"), make_environment(REPO / "templates"), SITE)
    third = write_pages(fewer, tmp_path)
    assert "02.md" in [p.name for p in third.removed]


def test_a_new_day_renders_only_what_it_changes(store_target):
    items = [article(d, 0) for d in (2, 9, 16, 17)]
    env = make_environment(REPO / "templates")
    stored = archive(items, store_target)
    everything = render_pages(stored, env, SITE)
    new_day = render_pages(stored, env, SITE, periods_of([date(2026, 11, 17)]))
    assert set(new_day) < set(everything)
    assert {"digests/2026/11/17.md", "digests/2026/11/16.md", "reports/weeks/2026-W47.md",
            "reports/months/2026-11.md", "index.md", "archive/2026/11.md"} <= set(new_day)
    assert "digests/2026/11/09.md" not in new_day and "reports/weeks/2026-W45.md" not in new_day
    assert all(new_day[p] == everything[p] for p in new_day)


def test_hostile_feed_text_is_text_on_every_page_the_pdf_and_the_feeds(tmp_path):
    items = [article(27, n, title=HOSTILE, source=f"مصدر {HOSTILE}", speaker=f"زيد {HOSTILE}",
                     quote=HOSTILE, summary=HOSTILE) for n in range(3)]
    site = Site("مرصد", RIYADH, "", (Watchlist("ليبيا", (), ("config",)),), pdf=True)
    files = render_pages(archive(items, tmp_path / "marsad.sqlite"), make_environment(REPO / "templates"), site)
    kinds = set()
    for path, content in files.items():
        if path.endswith(".md"):
            html = to_html(content)
            assert "<script" not in html, path
            assert 'href="javascript' not in html, path
            assert "<em>عاجل" not in html and "<code>" not in html, path
            kinds.add(path.split("/")[0])
            if path.startswith(("digests", "reports", "entities/per-")):
                assert "&#42;عاجل&#42;" in content and "&#123;&#123; config &#125;&#125;" in content, path
        elif path.endswith(".xml"):
            feed = feedparser.parse(content)
            assert b"<script>" not in content
            for entry in feed.entries:
                assert "javascript" not in entry.get("link", "")
            if "ليبيا" in path:
                assert feed.entries[0].title == " ".join(HOSTILE.split())
        elif path.endswith(".json"):
            assert HOSTILE in content.replace("\\", "") or HOSTILE in json.loads(content).__repr__()
    assert {"index.md", "digests", "reports", "entities", "archive"} <= kinds
    pdf = files["reports/weeks/2026-W48.pdf"].data()
    text = " ".join(page.extract_text() for page in PdfReader(__import__("io").BytesIO(pdf)).pages)
    assert "alert(1)</script>" in text and "{{ config }}" in text  # the markup, as text (visual order)
    assert b"/JavaScript" not in pdf and b"/JS" not in pdf


def test_a_long_entity_list_is_split_into_pages(tmp_path, monkeypatch):
    import generator.render as render

    monkeypatch.setattr(render, "ENTITIES_PER_PAGE", 1)
    items = [article(27, 0), article(27, 1, speaker="ستيفاني وليامز")]
    files = render_pages(archive(items, tmp_path / "marsad.sqlite"), make_environment(REPO / "templates"), SITE)
    assert "entities/places.md" in files and "entities/places-2.md" not in files  # one place
    assert "entities/people-2.md" in files  # two people
    assert 'href="../entities/people-2.md"' in to_html(files["entities/people.md"])


def test_the_registry_names_every_output_kind():
    assert {"home", "day", "week", "month", "archive", "archive-year", "archive-month",
            "entities", "entity", "feed-digests", "feed-watchlist"} <= set(PAGES)


@pytest.mark.parametrize("kind,day,key,first,last", [
    ("day", date(2026, 11, 27), "2026-11-27", date(2026, 11, 27), date(2026, 11, 27)),
    ("week", date(2026, 11, 27), "2026-W48", date(2026, 11, 23), date(2026, 11, 29)),
    ("week", date(2027, 1, 1), "2026-W53", date(2026, 12, 28), date(2027, 1, 3)),
    ("month", date(2026, 12, 31), "2026-12", date(2026, 12, 1), date(2026, 12, 31)),
])
def test_periods(kind, day, key, first, last):
    period = Period.of(kind, day)
    assert (period.key, period.start, period.last) == (key, first, last)
    assert period.next().previous() == period and period.contains(day)
    assert len(period.days()) == (last - first).days + 1


def test_a_pdf_is_made_again_only_when_its_html_changed(tmp_path):
    path = tmp_path / "reports" / "weeks" / "2026-W48.pdf"
    first = write_pages({"reports/weeks/2026-W48.pdf": Pdf("<p>تقرير</p>")}, tmp_path)
    assert first.written == [path] and path.read_bytes().startswith(b"%PDF")
    made = path.stat().st_mtime_ns
    again = write_pages({"reports/weeks/2026-W48.pdf": Pdf("<p>تقرير</p>")}, tmp_path)
    assert again.written == [] and path.stat().st_mtime_ns == made
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == [".2026-W48.pdf.sha256"]
    changed = write_pages({"reports/weeks/2026-W48.pdf": Pdf("<p>تقرير آخر</p>")}, tmp_path)
    assert changed.written == [path]
