from datetime import date, datetime
from zoneinfo import ZoneInfo

import markdown

from conftest import REPO

from generator.model import (
    Digest, DigestArticle, DigestQuote, DigestSection, EntityCount, EntityRecord,
)
from generator.render import (
    day_path, escape_markdown, link, make_environment, remove_pages, render_archive, render_digest,
    render_entity, render_home, write_pages,
)

HOSTILE = "*عاجل* [رابط](javascript:alert(1)) <script>alert(1)</script> {{ config }} # | _x_ `c` &amp;"


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


def test_links_only_for_http_urls():
    assert link("خبر", "javascript:alert(1)") == "خبر"
    assert link("خبر [1]", "https://a.example/x (y)") == "[خبر &#91;1&#93;](https://a.example/x%20%28y%29)"


def digest(day: int, title: str = "عنوان") -> Digest:
    published = datetime(2026, 11, day, 9, 30, tzinfo=ZoneInfo("Asia/Riyadh"))
    quote = DigestQuote("أحمد أبو الغيط", "لا بديل عن الحل", "direct", title, "https://a.example/1", "وكالة")
    art = DigestArticle("a1", title, "https://a.example/1", "وكالة", published, ["ملخص الخبر."], [], ["ليبيا"])
    return Digest(date(2026, 11, day), [DigestSection("سياسة", [art])], [quote],
                  [EntityCount("ليبيا", "LOC", 1, 2)], ["وكالة"])


def test_pages_for_every_digest_home_and_archive(tmp_path):
    env = make_environment(REPO / "templates")
    pages = {day_path(date(2026, 11, 26)): render_digest(digest(26), env, "مرصد", None, date(2026, 11, 27)),
             day_path(date(2026, 11, 27)): render_digest(digest(27, HOSTILE), env, "مرصد", date(2026, 11, 26), None),
             "index.md": render_home(digest(27, HOSTILE), date(2026, 11, 26), env, "مرصد"),
             "archive.md": render_archive({date(2026, 11, 26): 1, date(2026, 11, 27): 1}, env, "مرصد")}
    home = to_html(pages["index.md"])
    assert "لا بديل عن الحل" in home and "أحمد أبو الغيط" in home
    assert "<script" not in home and 'href="javascript' not in home
    assert 'href="digests/2026/11/27.md"' in home
    archive = to_html(pages["archive.md"])
    assert 'href="digests/2026/11/26.md"' in archive and 'href="digests/2026/11/27.md"' in archive
    assert "الجمعة، 27 نوفمبر 2026" in archive
    day = to_html(pages["digests/2026/11/26.md"])
    assert 'href="../../../digests/2026/11/27.md"' in day and 'href="../../../archive.md"' in day
    assert "<td>ليبيا</td>" in day

    first = write_pages(pages, tmp_path)
    assert len(first.written) == 4
    mtimes = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.md")}
    second = write_pages(pages, tmp_path)
    assert second.written == [] and second.unchanged == 4
    assert mtimes == {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.md")}
    removed = remove_pages([day_path(date(2026, 11, 26))], tmp_path)
    assert [p.name for p in removed] == ["26.md"]


def test_an_entity_page_title_carries_the_search_weight_and_escapes_the_name():
    env = make_environment(REPO / "templates")
    seen = datetime(2026, 11, 26, 9, tzinfo=ZoneInfo("UTC"))
    entity = EntityRecord("per-1", "أحمد {{ x }} <b>", "PER", {"أحمد {{ x }} <b>": 2, "أحمد": 1}, seen, seen, 3)
    html = markdown.markdown(render_entity(entity, env, "مرصد", ZoneInfo("Asia/Riyadh")),
                             extensions=["attr_list"])
    assert '<h1 data-pagefind-weight="10">أحمد &#123;&#123; x &#125;&#125; &#60;b&#62;</h1>' in html
    assert 'href="../digests/2026/11/26.md"' in html and "<b>" not in html
