"""Hostile input: feeds written to break Marsad, served by a real HTTP server on localhost.

One `marsad run` reads every hostile feed below at once (each also carries a good entry), and
each test checks what that run did with one case: the run finishes and builds the site, the
good entries are kept, the bad one is skipped or stored safely with its reason, nothing is
executed, and nothing is fetched outside the network policy. A second server plays the
monitoring machine's own network ("the intranet"): it must never be asked for anything.
"""

from __future__ import annotations

import gzip
import itertools
import json
import re
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from conftest import REPO, FeedServer, marsad, rss, rss_item

GOOD_DATE = "Wed, 15 Jan 2025 09:00:00 +0000"
INTRANET_SECRET = "سر-الشبكة-الداخلية INTRANET-SECRET-7731"
TITLE = '<script>alert("title")</script> {{ 7*7 }} *مرصد* [x](javascript:alert(1))'
BAD_DATES = {
    "year 0": "Sat, 01 Jan 0000 00:00:00 GMT",
    "year 10000 in UTC": "Fri, 31 Dec 9999 23:00:00 -0500",
    "year 0 in UTC": "Mon, 01 Jan 0001 01:00:00 +0300",
    "year 1": "Mon, 01 Jan 0001 12:00:00 +0000",
    "before 1990": "Sun, 01 Jan 1984 12:00:00 +0000",
    "far future": "Sat, 01 Jan 2199 12:00:00 +0000",
}
WORDS = ("أعلنت الحكومة اليوم عن خطة جديدة لدعم المزارعين في المناطق الريفية وتوفير البذور "
         "والأسمدة بأسعار مخفضة خلال الموسم الزراعي المقبل ")


def good(title: str, number: int) -> str:
    return rss_item(title, f"https://good.example/{number}", f"<p>{WORDS} {title}</p>", GOOD_DATE)


def item(title: str, link: str, description: str, date: str = GOOD_DATE, extra: str = "") -> str:
    return (f"<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate>{extra}"
            f"<description><![CDATA[{description}]]></description></item>")


def laughs() -> bytes:
    entities = '<!ENTITY a0 "هههههههههه">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    return (f'<?xml version="1.0" encoding="utf-8"?><!DOCTYPE rss [{entities}]>'
            '<rss version="2.0"><channel><title>ضحك</title>'
            f'{item("&a9;", "https://laughs.example/1", "&a9;")}{good("خبر سليم بعد الضحك", 20)}'
            "</channel></rss>").encode("utf-8")


def external_entities(intranet: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><!DOCTYPE rss ['
            f'<!ENTITY passwd SYSTEM "file:///etc/passwd"><!ENTITY web SYSTEM "{intranet}">]>'
            '<rss version="2.0"><channel><title>كيانات</title>'
            f'{item("كيان &passwd; &web;", "https://xxe.example/1", "نص &passwd; &web;")}'
            f'{good("خبر سليم مع الكيانات", 21)}</channel></rss>').encode("utf-8")


def trickle(_handler):
    def body():
        for _ in range(120):
            yield b"<"
            time.sleep(0.5)
    return 200, {"Content-Type": "application/rss+xml", "Content-Length": "100000"}, body()


def endless(_handler):
    return 200, {"Content-Type": "application/rss+xml"}, itertools.repeat(b"<rss>" * 13000)


class Hostile:
    """The hostile project: its folder, the run's output, and what the store holds."""

    def __init__(self, folder: Path, run, intranet: FeedServer) -> None:
        self.folder, self.run, self.intranet = folder, run, intranet
        db = sqlite3.connect(folder / ".marsad" / "marsad.sqlite")
        self.articles = [dict(zip(("source", "title", "url", "text", "published", "fetched", "id",
                                   "author"), row)) for row in db.execute(
            "SELECT source, title, url, text, published, fetched, id, author FROM articles")]
        self.sources = {row[0]: row[1:] for row in db.execute(
            "SELECT name, last_error_kind, last_error, failures FROM sources")}
        self.quotes = [len(json.loads(row[0])["quotes"]) for row in db.execute(
            "SELECT data FROM analyses")]
        db.close()
        self.pages = "\n".join(p.read_text(encoding="utf-8")
                               for p in (folder / "site").rglob("*.html"))
        self.markdown = "\n".join(p.read_text(encoding="utf-8")
                                  for p in (folder / "content").rglob("*.md"))

    def of(self, source: str) -> list[dict]:
        return [a for a in self.articles if a["source"] == source]

    def titles(self, source: str) -> set[str]:
        return {a["title"] for a in self.of(source)}

    def warning(self, source: str) -> str:
        lines = [line for line in self.run.stderr.splitlines() if line.startswith(f"  ~ {source}:")]
        return "\n".join(lines)

    def error(self, source: str) -> str:
        lines = [line for line in self.run.stderr.splitlines() if line.startswith(f"  ! {source}:")]
        return "\n".join(lines)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Hostile:
    feeds, intranet = FeedServer(), FeedServer()
    for server in (feeds, intranet):
        server.thread.start()
    port = intranet.httpd.server_address[1]
    page = (f"<html><body><article><p>{INTRANET_SECRET} " + WORDS * 8 + "</p></article>"
            "</body></html>").encode("utf-8")
    intranet.routes["/secret"] = (200, {"Content-Type": "text/html; charset=utf-8"}, page)
    feeds.routes.update(routes(feeds, port))
    folder = tmp_path_factory.mktemp("hostile")
    shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(REPO / "content", folder / "content",
                    ignore=shutil.ignore_patterns("digests", "index.md", "archive.md"))
    names = [name for name in feeds.routes if not name.startswith("/to-")]
    sources = "\n".join(
        f"  - {{name: {json.dumps(name.strip('/'))}, url: {json.dumps(feeds.url(name))}, "
        f"section: {json.dumps('أقسام ' + name.strip('/'))}, allow_private: true"
        f"{', fulltext: always' if name in FULLTEXT else ''}}}" for name in names)
    (folder / "marsad.yml").write_text(
        f"title: {json.dumps(TITLE)}\ntimezone: America/New_York\n"
        "http: {request_timeout: 3, read_timeout: 1, connect_timeout: 2, retries: 0, max_mb: 1}\n"
        "limits: {entries_per_feed: 20, article_chars: 20000, quotes_per_article: 5}\n"
        f"sources:\n{sources}\n"
        f"  - {{name: public-only, url: {json.dumps(intranet.url('/secret'))}, section: عام}}\n",
        encoding="utf-8")
    started = time.monotonic()
    run = marsad(folder, "run")
    result = Hostile(folder, run, intranet)
    result.seconds = time.monotonic() - started
    yield result
    for server in (feeds, intranet):
        server.httpd.shutdown()
        server.httpd.server_close()


FULLTEXT = {"/private-links"}


def routes(feeds: FeedServer, port: int) -> dict:
    """Every hostile feed, by path (the source's name is the path without its slash)."""
    xml = {"Content-Type": "application/rss+xml"}
    spellings = [f"http://{host}:{port}/secret" for host in (
        "127.0.0.1", "2130706433", "0x7f000001", "017700000001", "0x7f.1", "127.1", "localhost",
        "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "0.0.0.0", "[::]")]
    utf8 = rss([good("خبر عن القمة العربية في الرياض", 30)])
    broken_byte = utf8.replace("القمة".encode(), "القمة".encode() + b"\xff", 1)
    return {
        "/dates": (200, xml, rss([item(f"تاريخ {name}", f"https://dates.example/{i}", WORDS, date)
                                  for i, (name, date) in enumerate(BAD_DATES.items())]
                                 + [good("خبر سليم بتاريخ صحيح", 1)])),
        "/links": (200, xml, rss([
            item("رابط IPv6 مكسور", "http://[::1/x", WORDS),
            item("منفذ خارج المدى", "http://links.example:99999/x", WORDS),
            item("رابط جافاسكربت", "javascript:alert(document.cookie)", WORDS),
            item("رابط بيانات", "data:text/html,<script>alert(1)</script>", WORDS),
            item("رابط ملف", "file:///etc/passwd", WORDS),
            item("رابط بلا بروتوكول", f"//127.0.0.1:{port}/secret", WORDS),
            good("خبر سليم بين الروابط", 2)])),
        "/redirect-bad-port": (302, {"Location": "http://127.0.0.1:99999/feed"}, b""),
        "/redirect-broken-host": (302, {"Location": "http://[::1/feed"}, b""),
        "/redirect-intranet": (302, {"Location": spellings[1]}, b""),
        "/trickle": trickle,
        "/endless": endless,
        "/gzip-bomb": (200, {**xml, "Content-Encoding": "gzip"}, gzip.compress(bytes(64 << 20), 9)),
        "/laughs": (200, xml, laughs()),
        "/external-entities": (200, xml, external_entities(spellings[0])),
        "/binary": (200, xml, bytes(range(256)) * 64),
        "/html-page": (200, {"Content-Type": "text/html"},
                       b"<html><head><title>x</title></head><body><p>not a feed</p></body></html>"),
        "/invalid-utf8": (200, {"Content-Type": "application/rss+xml; charset=utf-8"}, broken_byte),
        "/nul-bytes": (200, xml, rss([item("عنوان\x00فيه صفر", "https://nul.example/1",
                                           "نص\x00 فيه\x00 أصفار " + WORDS),
                                      good("خبر سليم بعد الأصفار", 3)])),
        "/huge": (200, xml, rss([item("ع" * 100_000, "https://huge.example/1", "كلمة " * 40_000),
                                 good("خبر سليم بعد الضخم", 4)])),
        "/invisible": (200, xml, rss([item("عنوان\u202eمقلوب\u200b\u200fخفي", "https://inv.example/1",
                                           "نص\u202e مقلوب\u200b " + WORDS),
                                      good("خبر سليم بعد الخفي", 5)])),
        "/markup": (200, xml, rss([item(
            "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} {% raw %} *نجمة* [رابط](javascript:x)",
            "https://markup.example/1?a=&lt;b&gt;&amp;c={{x}}",
            '<img src=x onerror="alert(2)"><script>alert(3)</script>{{ config }} ## عنوان '
            '[رابط](javascript:alert(4)) <a href="javascript:alert(5)">نص</a> ' + WORDS,
            extra="<author>{{ author }} &lt;b&gt;كاتب&lt;/b&gt;</author>"),
            good("خبر سليم بعد العلامات", 6)])),
        "/private-links": (200, xml, rss(
            [item(f"رابط داخلي {i}", url, "موجز قصير") for i, url in enumerate(spellings)]
            + [item("تحويل إلى الداخل", feeds.url("/to-intranet"), "موجز قصير"),
               good("خبر سليم بين الروابط الداخلية", 7)])),
        "/to-intranet": (302, {"Location": spellings[2]}, b""),
        "/traversal": (200, xml, rss([item("../../../../tmp/escape", "https://t.example/../../etc/x",
                                           WORDS, extra="<guid>../../../escape</guid>"),
                                      good("خبر سليم بعد المسارات", 8)])),
        "/many-entries": (200, xml, rss([good(f"خبر رقم {i}", 100 + i) for i in range(50)])),
        "/many-quotes": (200, xml, rss([item("تصريحات كثيرة", "https://q.example/1", " ".join(
            f"وقال وزير الخارجية أحمد علي: «هذا هو التصريح رقم {i} عن المفاوضات الجارية»."
            for i in range(12)))])),
    }


def test_the_run_finishes_and_builds_the_site(hostile):
    assert hostile.run.returncode == 0, hostile.run.stderr
    assert "Traceback" not in hostile.run.stderr
    assert (hostile.folder / "site" / "index.html").is_file()
    assert hostile.seconds < 60  # the trickle and the endless body are cut short


def test_impossible_dates_fall_back_to_the_fetch_time_and_render_west_of_utc(hostile):
    dated = {a["title"]: a for a in hostile.of("dates")}
    assert dated["خبر سليم بتاريخ صحيح"]["published"] == "2025-01-15T09:00:00+00:00"
    for name in BAD_DATES:
        article = dated[f"تاريخ {name}"]
        assert "1990" <= article["published"] <= article["fetched"], name
        if name != "year 0":  # feedparser reads the year 0000 as 2000, a possible date
            assert article["published"] == article["fetched"], name
    assert "تاريخ year 1" in hostile.markdown  # rendered in America/New_York


def test_broken_links_skip_their_entry_with_the_reason(hostile):
    titles = hostile.titles("links")
    assert "خبر سليم بين الروابط" in titles
    assert "رابط IPv6 مكسور" not in titles and "منفذ خارج المدى" not in titles
    warning = hostile.warning("links")
    assert "skipped 2 entries" in warning
    assert "Invalid IPv6 URL" in warning and "Port out of range" in warning
    kept = {a["title"]: a["url"] for a in hostile.of("links")}
    for title in ("رابط جافاسكربت", "رابط بيانات", "رابط ملف", "رابط بلا بروتوكول"):
        assert kept[title] == ""  # kept as text, never as a link
    assert 'href="javascript' not in hostile.pages and 'href="data:' not in hostile.pages
    assert 'href="file:' not in hostile.pages


@pytest.mark.parametrize("name, kind", [("redirect-bad-port", "redirect"),
                                        ("redirect-broken-host", "redirect"),
                                        ("redirect-intranet", "policy")])
def test_bad_redirects_fail_their_source_only(hostile, name, kind):
    assert hostile.sources[name][0] == kind
    assert hostile.error(name)


@pytest.mark.parametrize("name, kind", [("trickle", "timeout"), ("endless", "too_large"),
                                        ("gzip-bomb", "too_large"), ("binary", "parse"),
                                        ("html-page", "parse")])
def test_bodies_that_are_no_feed_fail_their_source_with_the_reason(hostile, name, kind):
    assert hostile.sources[name][0] == kind, hostile.sources[name]
    assert hostile.sources[name][2] == 1 and hostile.error(name)
    assert hostile.of(name) == []


def test_entity_expansion_and_external_entities_are_never_expanded(hostile):
    assert "خبر سليم بعد الضحك" in hostile.titles("laughs")
    assert all(len(a["text"]) < 5000 for a in hostile.of("laughs"))
    assert "خبر سليم مع الكيانات" in hostile.titles("external-entities")
    stored = json.dumps(hostile.articles, ensure_ascii=False)
    assert "root:" not in stored and INTRANET_SECRET not in stored


def test_one_invalid_byte_does_not_garble_a_utf8_feed(hostile):
    (article,) = hostile.of("invalid-utf8")
    assert article["title"] == "خبر عن القمة\ufffd العربية في الرياض"


def test_nul_rtl_override_and_zero_width_characters_are_removed(hostile):
    assert {"عنوانفيه صفر", "خبر سليم بعد الأصفار"} <= hostile.titles("nul-bytes")
    assert "عنوانمقلوبخفي" in hostile.titles("invisible")
    for article in hostile.articles:
        assert not re.search("[\x00\u202e\u200b\u200f]", article["title"] + article["text"])


def test_huge_titles_and_articles_are_cut_to_the_limits(hostile):
    huge = next(a for a in hostile.of("huge") if a["url"] == "https://huge.example/1")
    assert len(huge["title"]) == 500 and len(huge["text"]) == 20000
    assert "خبر سليم بعد الضخم" in hostile.titles("huge")
    assert "1 texts cut to limits.article_chars" in hostile.warning("huge")


def test_markup_and_template_syntax_in_every_field_show_as_text(hostile):
    (bad,) = [a for a in hostile.of("markup") if a["url"].startswith("https://markup.example")]
    assert bad["url"] == "https://markup.example/1?a=<b>&c={{x}}"
    assert "{{ 7*7 }}" in bad["title"] and "*نجمة*" in bad["title"]
    assert "alert(3)" not in bad["text"]  # scripts are dropped at ingest
    assert "<script>alert" not in hostile.pages and "onerror" not in hostile.pages
    assert 'href="javascript' not in hostile.pages
    assert "49" not in re.findall(r"\d+", bad["title"])
    assert "&#123;&#123; 7&#42;7 &#125;&#125;" in hostile.markdown  # shown, never evaluated
    assert "<title>" in hostile.pages and '<script>alert("title")' not in hostile.pages
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in hostile.pages


def test_no_private_address_is_fetched_in_any_spelling(hostile):
    assert hostile.intranet.requests == []
    private = hostile.titles("private-links")
    assert "خبر سليم بين الروابط الداخلية" in private
    assert all(a["text"] == "موجز قصير" for a in hostile.of("private-links")
               if a["title"] != "خبر سليم بين الروابط الداخلية")
    assert hostile.sources["public-only"][0] == "policy"
    assert "not a public address" in hostile.error("public-only")


def test_dot_dot_in_titles_links_and_guids_makes_no_path(hostile):
    assert "../../../../tmp/escape" in hostile.titles("traversal")
    outside = [p for p in hostile.folder.parent.rglob("*escape*")] + list(Path("/tmp").glob("escape*"))
    assert outside == []
    for path in (hostile.folder / "content").rglob("*"):
        assert ".." not in path.relative_to(hostile.folder).parts


def test_entries_past_the_limit_are_skipped_and_reported(hostile):
    assert len(hostile.of("many-entries")) == 20
    assert "30 entries past limits.entries_per_feed skipped" in hostile.warning("many-entries")


def test_quotes_past_the_limit_are_left_out_and_reported(hostile):
    assert max(hostile.quotes) <= 5
    assert "quotes past limits.quotes_per_article left out" in hostile.run.stdout


def test_a_second_run_on_the_same_hostile_input_changes_nothing(hostile):
    before = {p: p.read_bytes() for p in (hostile.folder / "site").rglob("*") if p.is_file()}
    again = marsad(hostile.folder, "run", "--force")
    assert again.returncode == 0 and "Traceback" not in again.stderr
    assert "0 pages written" in again.stdout
    assert {p: p.read_bytes() for p in (hostile.folder / "site").rglob("*") if p.is_file()} == before
    assert hostile.intranet.requests == []


def test_the_same_spellings_do_reach_the_intranet_when_the_policy_allows_it(tmp_path, feed_server):
    """The control for the policy test: these addresses are real, and only the policy stops them."""
    from generator.ingest import ingest
    from generator.ingest.fetch import FetchPolicy
    from generator.model import Source
    from generator.store import Store

    port = feed_server.httpd.server_address[1]
    links = [f"http://{host}:{port}/secret/{i}"
             for i, host in enumerate(("2130706433", "0x7f000001", "127.1"))]
    for i in range(3):
        page = f"<html><body><article><p>{INTRANET_SECRET} {i} {WORDS * (8 + i)}</p></article></body></html>"
        feed_server.routes[f"/secret/{i}"] = (200, {"Content-Type": "text/html"}, page.encode("utf-8"))
    feed_server.routes["/feed"] = (200, {}, rss([item(f"رابط {i}", link, "موجز")
                                                 for i, link in enumerate(links)]))
    source = Source("داخلي", feed_server.url("/feed"), "عام", fulltext="always")
    with Store.open(tmp_path / "marsad.sqlite") as store:
        (report,) = ingest([source], store, FetchPolicy(allow_private=True, retries=0))
        assert report.full_texts == 3
        assert all(INTRANET_SECRET in a.text for a in store.articles())
    assert [feed_server.count(f"/secret/{i}") for i in range(3)] == [1, 1, 1]
