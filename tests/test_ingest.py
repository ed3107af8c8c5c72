from datetime import timedelta

from conftest import rss, rss_item, utc

from generator.ingest import canonical_url, html_to_text, ingest_sources, parse_feed
from generator.model import Source
from generator.store import Store

NOW = utc(2026, 11, 28, 12, 0)

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


def source(url: str, name: str = "مصدر") -> Source:
    return Source(name=name, url=url, section="سياسة")


def test_rss_atom_and_rdf_entries_become_clean_articles(feed_server, tmp_path):
    feed_server.routes["/rss"] = (200, {"Content-Type": "application/rss+xml"}, rss([
        rss_item("قمة <b>الرياض</b>", "https://wakala.example/1", "<p>انعقدت القمة</p><p>في الرياض.</p>",
                 "Fri, 27 Nov 2026 09:00:00 +0300"),
    ]))
    feed_server.routes["/atom"] = (200, {"Content-Type": "application/atom+xml"}, ATOM)
    rdf_file = tmp_path / "maghreb.rdf"
    rdf_file.write_bytes(RDF)
    results = list(ingest_sources(
        [source(feed_server.url("/rss")), source(feed_server.url("/atom")), source(str(rdf_file))],
        now=lambda: NOW))
    assert [r.error for r in results] == ["", "", ""]
    wakala, sharq, maghreb = (r.articles[0] for r in results)
    assert wakala.title == "قمة الرياض"
    assert wakala.text == "انعقدت القمة\nفي الرياض."
    assert wakala.published == utc(2026, 11, 27, 6, 0)
    assert sharq.text == "ارتفعت أسعار النفط اليوم.\nوقال محلل إن السوق متوترة."
    assert "alert" not in sharq.text
    assert sharq.author == "سارة علي"
    assert sharq.url == "https://sharq.example/eco/1?utm_source=rss#top"
    assert maghreb.published == utc(2026, 11, 26, 21, 30)
    assert maghreb.fetched == NOW
    assert "User-Agent" in feed_server.requests[0][1] and "Marsad" in feed_server.requests[0][1]["User-Agent"]


def test_failing_sources_are_reported_and_do_not_stop_the_others(feed_server, tmp_path):
    feed_server.routes["/ok"] = (200, {}, rss([rss_item("خبر", "https://a.example/1", "نص")]))
    feed_server.routes["/html"] = (200, {"Content-Type": "text/html"}, b"<html><body>no feed</body></html>")
    results = list(ingest_sources([
        source(feed_server.url("/gone")), source(str(tmp_path / "missing.xml")),
        source(feed_server.url("/html")), source("ftp://example.org/feed"), source(feed_server.url("/ok")),
    ], now=lambda: NOW))
    errors = [r.error for r in results]
    assert errors[0] == "HTTP 404 Not Found"
    assert "file not found" in errors[1]
    assert "not a readable feed" in errors[2]
    assert "refused URL scheme 'ftp'" in errors[3]
    assert errors[4] == "" and len(results[4].articles) == 1


def test_a_malformed_feed_keeps_what_could_be_read():
    broken = rss([rss_item("خبر أول", "https://a.example/1", "نص أول"),
                  rss_item("خبر ثان", "https://a.example/2", "نص ثان")]).replace(b"</channel></rss>", b"<item><title>")
    result = parse_feed(broken, source("x"), NOW)
    assert [a.title for a in result.articles][:2] == ["خبر أول", "خبر ثان"]
    assert result.warning.startswith("malformed feed")
    assert result.error == ""


def test_missing_and_future_dates_fall_back_to_fetch_time():
    feed = rss([
        "<item><title>بلا تاريخ</title><link>https://a.example/1</link><description>نص</description></item>",
        rss_item("من المستقبل", "https://a.example/2", "نص", "Sat, 27 Nov 2027 09:00:00 +0000"),
    ])
    undated, future = parse_feed(feed, source("x"), NOW).articles
    assert undated.published == NOW
    assert future.published == NOW


def test_links_outside_http_are_never_kept():
    feed = rss([rss_item("خبر", "javascript:alert(1)", "نص")])
    (article,) = parse_feed(feed, source("x"), NOW).articles
    assert article.url == ""


def test_canonical_url_drops_tracking_and_fragment_and_case():
    assert canonical_url("HTTPS://News.Example/a/b?id=3&utm_source=x&fbclid=y#frag") == \
        "https://news.example/a/b?id=3"
    a = parse_feed(rss([rss_item("خبر", "https://n.example/1?utm_medium=rss", "نص")]), source("x"), NOW).articles[0]
    b = parse_feed(rss([rss_item("خبر", "https://N.example/1#c", "نص")]), source("y"), NOW).articles[0]
    assert a.id == b.id


def test_html_to_text_drops_scripts_styles_and_invisible_marks():
    html = "<div>أ<script>evil()</script><style>p{}</style>\u200fب</div><p>ج &amp; د</p><br/>هـ"
    assert html_to_text(html) == "أب\nج & د\nهـ"


def test_store_is_idempotent_and_updates_changed_text(tmp_path):
    feed = rss([rss_item("خبر", "https://a.example/1", "نص أول"), rss_item("خبر 2", "https://a.example/2", "نص")])
    articles = parse_feed(feed, source("x"), NOW).articles
    path = tmp_path / "store.sqlite"
    with Store.open(path) as store:
        assert store.add_articles(articles).new == 2
    with Store.open(path) as store:  # reopened: the schema is not created twice
        again = store.add_articles(articles)
        assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
        changed = parse_feed(feed.replace("نص أول".encode(), "نص معدل".encode()), source("x"),
                             NOW + timedelta(hours=1)).articles
        result = store.add_articles(changed)
        assert (result.new, result.updated, result.unchanged) == (0, 1, 1)
        assert store.article_count() == 2
        assert {a.text for a in store.articles()} == {"نص معدل", "نص"}
