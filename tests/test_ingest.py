"""Ingestion against a real HTTP server on localhost: each case checks what is stored after."""

from __future__ import annotations

import gzip
import time
from datetime import timedelta

import pytest

from conftest import rss, rss_item, utc

from generator.ingest import ingest
from generator.ingest.fetch import FetchPolicy, connect_error_kind
from generator.ingest.parse import canonical_url, html_to_text, parse_feed
from generator.model import Source
from generator.store import Store

NOW = utc(2026, 11, 28, 12, 0)
FAST = FetchPolicy(connect_timeout=2, read_timeout=2, retries=1, backoff=0.05, max_retry_after=2,
                   allow_private=True)  # the test server is on 127.0.0.1
WIRE = ("أعلنت منظمة الدول المصدرة للبترول وحلفاؤها في ختام اجتماعها الوزاري في فيينا تمديد "
        "خفض الإنتاج الطوعي حتى نهاية مارس المقبل، في خطوة تهدف إلى دعم استقرار الأسواق. وقال "
        "وزير الطاقة إن القرار جاء بإجماع الدول الأعضاء بعد مشاورات استمرت يومين، مشيرا إلى أن "
        "التحالف سيراجع مستويات الإنتاج في اجتماعه المقبل. وارتفعت أسعار خام برنت عقب الإعلان "
        "بنسبة اثنين في المئة لتتجاوز ثمانين دولارا للبرميل في التعاملات المسائية.")

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>الشرق</title><id>urn:sharq</id>
<updated>2026-11-27T10:00:00+03:00</updated>
<entry><title>ارتفاع أسعار النفط</title><id>urn:sharq:1</id>
<link href="https://sharq.example/eco/1?utm_source=rss#top"/>
<published>2026-11-27T10:00:00+03:00</published><updated>2026-11-27T10:00:00+03:00</updated>
<author><name>سارة علي</name></author>
<content type="html">&lt;p&gt;ارتفعت أسعار النفط &lt;b&gt;اليوم&lt;/b&gt;.&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;p&gt;وقال محلل إن السوق متوترة.&lt;/p&gt;</content>
</entry></feed>""".encode("utf-8")

RDF = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://maghreb.example/"><title>المغرب اليوم</title><link>https://maghreb.example/</link>
<description>x</description><items><rdf:Seq><rdf:li rdf:resource="https://maghreb.example/1"/></rdf:Seq></items></channel>
<item rdf:about="https://maghreb.example/1"><title>فوز الوداد</title><link>https://maghreb.example/1</link>
<description>فاز الوداد على الرجاء في الدار البيضاء.</description><dc:date>2026-11-26T21:30:00Z</dc:date></item>
</rdf:RDF>""".encode("utf-8")


def source(url: str, name: str = "مصدر", fulltext: str = "never") -> Source:
    return Source(name=name, url=url, section="سياسة", fulltext=fulltext)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "marsad.sqlite") as opened:
        yield opened


def run(store, *sources, now=NOW, policy=FAST, force=False):
    return ingest(list(sources), store, policy, force=force, now=lambda: now)


def test_rss_atom_and_rdf_entries_become_clean_articles(feed_server, store, tmp_path):
    feed_server.routes["/rss"] = (200, {"Content-Type": "application/rss+xml"}, rss([
        rss_item("قمة <b>الرياض</b> &amp; الخليج", "https://wakala.example/1",
                 "<p>انعقدت القمة</p><p>في الرياض.</p>", "Fri, 27 Nov 2026 09:00:00 +0300"),
    ]))
    feed_server.routes["/atom"] = (200, {"Content-Type": "application/atom+xml"}, ATOM)
    rdf_file = tmp_path / "maghreb.rdf"
    rdf_file.write_bytes(RDF)
    reports = run(store, source(feed_server.url("/rss"), "أ"), source(feed_server.url("/atom"), "ب"),
                  source(str(rdf_file), "ج"))
    assert [(r.status, r.new) for r in reports] == [("stored", 1), ("stored", 1), ("stored", 1)]
    by_source = {a.source: a for a in store.articles()}
    wakala, sharq, maghreb = by_source["أ"], by_source["ب"], by_source["ج"]
    assert wakala.title == "قمة الرياض & الخليج"
    assert wakala.text == "انعقدت القمة\nفي الرياض."
    assert wakala.published == utc(2026, 11, 27, 6, 0)
    assert sharq.text == "ارتفعت أسعار النفط اليوم.\nوقال محلل إن السوق متوترة."
    assert sharq.author == "سارة علي" and sharq.guid == "urn:sharq:1"
    assert maghreb.published == utc(2026, 11, 26, 21, 30) and maghreb.fetched == NOW
    agent = feed_server.requests[0][1]["User-Agent"]
    assert agent.startswith("Marsad/")


def test_conditional_get_and_unchanged_bodies_cost_no_parse(feed_server, store):
    feed = rss([rss_item("خبر", "https://a.example/1", "نص")])

    def with_validators(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {"ETag": '"v1"', "Last-Modified": "Fri, 27 Nov 2026 09:00:00 GMT"}, feed

    feed_server.routes["/etag"] = with_validators
    feed_server.routes["/plain"] = (200, {}, feed)
    sources = (source(feed_server.url("/etag"), "أ"), source(feed_server.url("/plain"), "ب"))
    first = run(store, *sources)
    assert [r.parsed for r in first] == [True, True]
    second = run(store, *sources, now=NOW + timedelta(hours=1))
    assert [(r.status, r.parsed) for r in second] == [("not-modified", False), ("unchanged", False)]
    sent = [headers for path, headers in feed_server.requests if path == "/etag"][1]
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Fri, 27 Nov 2026 09:00:00 GMT"
    assert store.article_count() == 1  # the same link in two feeds is one article


def test_a_permanent_redirect_updates_the_stored_url(feed_server, store):
    feed_server.routes["/old"] = (301, {"Location": "/new"}, b"")
    feed_server.routes["/temporary"] = (302, {"Location": "/new"}, b"")
    feed_server.routes["/moved-again"] = (308, {"Location": "/old"}, b"")
    feed_server.routes["/new"] = (200, {}, rss([rss_item("خبر", "https://a.example/1", "نص")]))
    run(store, source(feed_server.url("/moved-again"), "أ"), source(feed_server.url("/temporary"), "ب"))
    assert store.source_state("أ").moved_to == feed_server.url("/new")
    assert store.source_state("ب").moved_to == ""
    run(store, source(feed_server.url("/moved-again"), "أ"), now=NOW + timedelta(hours=1))
    assert feed_server.count("/moved-again") == 1  # the second run went straight to /new


def test_too_many_redirects_and_redirects_outside_http_fail(feed_server, store):
    feed_server.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    feed_server.routes["/file"] = (302, {"Location": "file:///etc/passwd"}, b"")
    loop, outside = run(store, source(feed_server.url("/loop"), "أ"), source(feed_server.url("/file"), "ب"))
    assert (loop.status, loop.error) == ("failed", "more than 5 redirects")
    assert outside.error == "redirected outside http(s): file:///etc/passwd"


@pytest.mark.parametrize("status, kind", [(404, "http4xx"), (410, "http4xx"), (500, "http5xx")])
def test_http_errors_back_off_and_lose_nothing(feed_server, store, status, kind):
    feed_server.routes["/feed"] = (200, {}, rss([rss_item("خبر", "https://a.example/1", "نص")]))
    run(store, source(feed_server.url("/feed")))
    feed_server.routes["/feed"] = (status, {}, b"error")
    (report,) = run(store, source(feed_server.url("/feed")), now=NOW + timedelta(hours=1))
    assert report.status == "failed" and report.error.startswith(f"HTTP {status}")
    state = store.source_state("مصدر")
    assert (state.failures, state.last_error_kind) == (1, kind)
    assert state.next_attempt > NOW + timedelta(hours=1)
    assert store.article_count() == 1
    if status == 500:
        assert feed_server.count("/feed") == 1 + 2  # one retry


def test_429_is_retried_after_retry_after(feed_server, store):
    calls = []

    def limited(handler):
        calls.append(time.monotonic())
        if len(calls) == 1:
            return 429, {"Retry-After": "1"}, b"slow down"
        return 200, {}, rss([rss_item("خبر", "https://a.example/1", "نص")])

    feed_server.routes["/feed"] = limited
    (report,) = run(store, source(feed_server.url("/feed")))
    assert report.status == "stored" and report.new == 1
    assert len(calls) == 2 and calls[1] - calls[0] >= 0.9  # waited as asked, not the 0.05 s backoff


def test_a_slow_server_times_out(feed_server, store):
    def slow(handler):
        time.sleep(3)
        return 200, {}, rss([])

    feed_server.routes["/slow"] = slow
    policy = FetchPolicy(read_timeout=0.5, retries=0, allow_private=True)
    (report,) = run(store, source(feed_server.url("/slow")), policy=policy)
    assert (report.status, report.error) == ("failed", "timed out")
    assert store.source_state("مصدر").last_error_kind == "timeout"


def test_oversized_bodies_and_gzip_bombs_stop_early(feed_server, store):
    bomb = gzip.compress(b"<" * (64 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 1024 * 1024  # small on the wire, 64 MB once inflated
    feed_server.routes["/bomb"] = (200, {"Content-Encoding": "gzip"}, bomb)
    feed_server.routes["/huge"] = (200, {}, (b"x" * (1024 * 1024) for _ in range(50)))
    feed_server.routes["/huge-declared"] = (200, {"Content-Length": str(50 * 1024 * 1024)},
                                            (b"x" * (1024 * 1024) for _ in range(50)))
    reports = run(store, source(feed_server.url("/bomb"), "أ"), source(feed_server.url("/huge"), "ب"),
                  source(feed_server.url("/huge-declared"), "ج"))
    assert [(r.status, r.error) for r in reports] == [("failed", "larger than 10 MB")] * 3
    assert store.source_state("أ").last_error_kind == "too_large"


def test_windows_1256_feeds_with_and_without_declared_charset(feed_server, store):
    title, text = "وزير الخارجية يزور القاهرة", "بحث الوزير مع نظيره المصري العلاقات الثنائية."
    declared = (f'<?xml version="1.0" encoding="windows-1256"?><rss version="2.0"><channel>'
                f"<title>ق</title><item><title>{title}</title><link>https://a.example/1</link>"
                f"<description>{text}</description></item></channel></rss>").encode("cp1256")
    undeclared = declared.replace(b' encoding="windows-1256"', b"").replace(b"/1<", b"/2<")
    header_only = undeclared.replace(b"/2<", b"/3<")
    feed_server.routes["/declared"] = (200, {"Content-Type": "application/rss+xml"}, declared)
    feed_server.routes["/undeclared"] = (200, {"Content-Type": "application/rss+xml"}, undeclared)
    feed_server.routes["/header"] = (200, {"Content-Type": "text/xml; charset=windows-1256"}, header_only)
    reports = run(store, source(feed_server.url("/declared"), "أ"),
                  source(feed_server.url("/undeclared"), "ب"), source(feed_server.url("/header"), "ج"))
    assert [r.new for r in reports] == [1, 1, 1]
    assert {(a.title, a.text) for a in store.articles()} == {(title, text)}


def test_malformed_feeds_keep_what_could_be_read(feed_server, store):
    good = rss([rss_item("خبر أول", "https://a.example/1", "نص أول"),
                rss_item("خبر ثان", "https://a.example/2", "نص ثان")])
    feed_server.routes["/broken"] = (200, {}, good.replace(b"</channel></rss>", b"<item><title>"))
    feed_server.routes["/html"] = (200, {"Content-Type": "text/html"}, b"<html><body>no feed</body></html>")
    broken, html = run(store, source(feed_server.url("/broken"), "أ"), source(feed_server.url("/html"), "ب"))
    assert broken.status == "stored" and broken.new == 2 and broken.warning.startswith("malformed feed")
    recorded = store.source_state("أ")
    assert (recorded.failures, recorded.last_error_kind) == (0, "malformed")
    assert recorded.last_error == broken.warning
    assert html.status == "failed" and html.error.startswith("not a readable feed")
    assert store.source_state("ب").last_error_kind == "parse"


def test_entities_cdata_guids_and_tracking_parameters(feed_server, store):
    feed = rss([
        "<item><title>الأسعار &amp;quot;ترتفع&amp;quot; &#1605;&#1580;&#1583;&#1583;&#1575;</title>"
        "<link>https://a.example/1?utm_source=rss&amp;id=7</link><guid>g-1</guid>"
        "<description><![CDATA[<p>نص &amp; <b>تفاصيل</b></p>]]></description></item>",
        "<item><title>الأسعار مكرر</title><link>https://a.example/other</link><guid>g-1</guid>"
        "<description>نص آخر</description></item>",
        "<item><title>خبر ثالث</title><link>https://A.example/3#comments</link>"
        "<description>نص ثالث</description></item>",
    ])
    feed_server.routes["/feed"] = (200, {}, feed)
    (report,) = run(store, source(feed_server.url("/feed")))
    assert (report.entries, report.new, report.updated) == (3, 2, 1)  # the repeated GUID is one article
    articles = {a.guid: a for a in store.articles()}
    assert articles["g-1"].title == "الأسعار مكرر"
    first = parse_feed(feed, source("x"), NOW).articles[0]
    assert first.title == 'الأسعار "ترتفع" مجددا'
    assert first.text == "نص & تفاصيل"
    assert canonical_url("HTTPS://A.example/1?utm_source=rss&id=7&fbclid=x#top") == "https://a.example/1?id=7"


def test_a_changed_url_or_guid_with_the_same_text_is_the_same_article(feed_server, store):
    feed_server.routes["/feed"] = (200, {}, rss([
        "<item><title>خبر</title><link>https://a.example/1</link><guid>a</guid><description>النص نفسه</description></item>"]))
    run(store, source(feed_server.url("/feed")))
    feed_server.routes["/feed"] = (200, {}, rss([
        "<item><title>خبر</title><link>https://a.example/1?v=2</link><guid>b</guid><description>النص نفسه</description></item>"]))
    (report,) = run(store, source(feed_server.url("/feed")), now=NOW + timedelta(hours=1))
    assert (report.new, report.unchanged) == (0, 1)
    assert store.article_count() == 1


def test_syndicated_copies_are_duplicates_of_the_first_seen(feed_server, store):
    feed_server.routes["/a"] = (200, {}, rss([rss_item("أوبك+ تمدد الخفض", "https://a.example/1", f"فيينا (وكالات) - {WIRE}")]))
    feed_server.routes["/b"] = (200, {}, rss([rss_item("تمديد خفض الإنتاج", "https://b.example/9", f"{WIRE} (رويترز)"),
                                              rss_item("خبر آخر", "https://b.example/10", WIRE[::-1])]))
    run(store, source(feed_server.url("/a"), "أ"))
    (report,) = run(store, source(feed_server.url("/b"), "ب"), now=NOW + timedelta(minutes=5))
    assert report.near_duplicates == 1
    original = next(a for a in store.articles() if a.source == "أ")
    copy = next(a for a in store.articles() if a.url == "https://b.example/9")
    assert copy.duplicate_of == original.id
    assert store.outlets() == {original.id: ["ب"]}
    assert [a.id for a in store.articles_to_analyze("v")].count(copy.id) == 0


PAGE = """<html><head><title>t</title><link rel="canonical" href="https://a.example/story/1">
<meta property="article:published_time" content="2026-11-26T08:00:00+00:00"></head><body>
<nav><a href="/">الرئيسية</a> <a href="/s">رياضة</a></nav>
<article><h1>عنوان الخبر</h1>{body}</article>
<div class="share">شارك على فيسبوك شارك على تويتر</div>
<aside class="related"><h3>مقالات ذات صلة</h3><ul><li><a href="/x">خبر قديم عن الطقس</a></li></ul></aside>
<footer>جميع الحقوق محفوظة</footer></body></html>"""
FULL = "".join(f"<p>{WIRE} الفقرة {i}.</p>" for i in range(4))


def test_teasers_get_the_page_main_text_without_boilerplate(feed_server, store):
    feed_server.routes["/feed"] = (200, {}, rss([
        "<item><title>خبر</title><link>" + feed_server.url("/story") +
        "</link><description>موجز قصير للخبر.</description></item>"]))
    feed_server.routes["/story"] = (200, {"Content-Type": "text/html; charset=utf-8"},
                                    PAGE.format(body=FULL).encode("utf-8"))
    (report,) = run(store, source(feed_server.url("/feed"), fulltext="auto"))
    assert report.full_texts == 1
    (article,) = store.articles()
    assert "الفقرة 3" in article.text and WIRE[:40] in article.text
    assert "شارك على" not in article.text and "مقالات ذات صلة" not in article.text
    assert "جميع الحقوق" not in article.text
    assert article.url == "https://a.example/story/1"
    assert article.published == utc(2026, 11, 26, 8, 0)  # the feed had no date; the page had


def test_paywalled_pages_keep_the_feed_text(feed_server, store):
    walled = PAGE.format(body='<div class="paywall">اشترك الآن لمواصلة القراءة</div>' + FULL[:200])
    feed_server.routes["/feed"] = (200, {}, rss([rss_item("خبر", feed_server.url("/walled"), "موجز قصير.")]))
    feed_server.routes["/walled"] = (200, {"Content-Type": "text/html"}, walled.encode("utf-8"))
    (report,) = run(store, source(feed_server.url("/feed"), fulltext="auto"))
    assert report.full_texts == 0
    assert store.articles()[0].text == "موجز قصير."


def test_never_policy_and_long_entries_fetch_no_page(feed_server, store):
    feed_server.routes["/never"] = (200, {}, rss([rss_item("قصير", feed_server.url("/p1"), "موجز.")]))
    feed_server.routes["/auto"] = (200, {}, rss([rss_item("قصير", feed_server.url("/p2"), "موجز."),
                                                 rss_item("طويل", feed_server.url("/p3"), WIRE * 2)]))
    run(store, source(feed_server.url("/never"), "أ", fulltext="never"),
        source(feed_server.url("/auto"), "ب", fulltext="auto"))
    assert [feed_server.count(p) for p in ("/p1", "/p2", "/p3")] == [0, 1, 0]


def test_failing_sources_back_off_but_are_retried(feed_server, store):
    feed_server.routes["/feed"] = (503, {}, b"down")
    src = source(feed_server.url("/feed"))
    policy = FetchPolicy(retries=0, allow_private=True)
    (first,) = run(store, src, policy=policy)
    (waiting,) = run(store, src, now=NOW + timedelta(minutes=1), policy=policy)
    assert waiting.status == "not-due" and feed_server.count("/feed") == 1
    (forced,) = run(store, src, now=NOW + timedelta(minutes=2), policy=policy, force=True)
    assert forced.status == "failed" and store.source_state("مصدر").failures == 2
    feed_server.routes["/feed"] = (200, {}, rss([rss_item("عاد", "https://a.example/1", "نص")]))
    (back,) = run(store, src, now=NOW + timedelta(days=2), policy=policy)  # never parked for good
    assert back.status == "stored" and store.source_state("مصدر").failures == 0


def test_connection_refused_and_missing_files_are_named(store, tmp_path):
    refused, missing, ftp = run(store, source("http://127.0.0.1:9/feed", "أ"),
                                source(str(tmp_path / "none.xml"), "ب"), source("ftp://x/feed", "ج"))
    assert refused.error.startswith("cannot connect")
    assert missing.error == f"{tmp_path / 'none.xml'}: file not found"
    assert ftp.error.startswith("refused URL scheme 'ftp'")


def test_tls_errors_are_told_apart_from_dns_and_connection_errors(feed_server, store):
    (report,) = run(store, source(feed_server.url("/feed").replace("http:", "https:")))
    assert report.error.startswith("TLS error")
    assert store.source_state("مصدر").last_error_kind == "tls"
    kind, message = connect_error_kind(OSError("[Errno -2] Name or service not known"))
    assert (kind, message) == ("dns", "DNS lookup failed: [Errno -2] Name or service not known")
    assert connect_error_kind(OSError("[Errno 111] Connection refused"))[0] == "connect"


def test_html_to_text_drops_scripts_styles_and_invisible_marks():
    html = "<div>أ<script>evil()</script><style>p{}</style>\u200fب</div><p>ج &amp; د</p><br/>هـ"
    assert html_to_text(html) == "أب\nج & د\nهـ"


def test_missing_and_future_dates_fall_back_to_fetch_time():
    feed = rss([
        "<item><title>بلا تاريخ</title><link>https://a.example/1</link><description>نص</description></item>",
        rss_item("من المستقبل", "https://a.example/2", "نص", "Sat, 27 Nov 2027 09:00:00 +0000"),
        rss_item("بالعربية", "https://a.example/3", "نص", "الجمعة ٢٧ تشرين الثاني ٢٠٢٦ ١٠:٣٠"),
    ])
    undated, future, arabic = parse_feed(feed, source("x"), NOW).articles
    assert undated.published == NOW and future.published == NOW
    assert arabic.published == utc(2026, 11, 27, 10, 30)
