"""`marsad ingest`, `marsad sources` and OPML import/export through the real command line."""

from __future__ import annotations

import re

from conftest import marsad, rss, rss_item

CONFIG = """title: رصد
timezone: Africa/Cairo
http: {allow_private: true}   # the test server is on 127.0.0.1
sources:
  - {name: وكالة, url: "%s", section: سياسة}
  - {name: مفقود, url: missing.xml, section: اقتصاد}
"""
READER_EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>اشتراكاتي</title></head><body>
  <outline text="رياضة">
    <outline type="rss" text="ملاعب" xmlUrl="https://mala3eb.example/rss"/>
    <outline type="rss" text="وكالة مكررة" xmlUrl="%s"/>
  </outline>
  <outline type="rss" text="بلا مجلد" xmlUrl="https://solo.example/feed"/>
  <outline type="rss" text="ملف محلي" xmlUrl="file:///etc/passwd"/>
</body></opml>"""


def project(tmp_path, feed_server):
    feed_server.routes["/feed"] = (200, {}, rss([rss_item("خبر", "https://a.example/1", "نص الخبر")]))
    url = feed_server.url("/feed")
    (tmp_path / "marsad.yml").write_text(CONFIG % url, encoding="utf-8")
    (tmp_path / "reader.opml").write_text(READER_EXPORT % url, encoding="utf-8")
    return tmp_path


def test_ingest_reports_failures_and_sources_shows_health(tmp_path, feed_server):
    folder = project(tmp_path, feed_server)
    ingest = marsad(folder, "ingest")
    assert ingest.returncode == 0, ingest.stderr
    assert re.match(r"  ! مفقود: .*missing.xml: file not found; next attempt \d{4}-\d\d-\d\d \d\d:\d\d UTC",
                    ingest.stderr)
    assert "ingest: read 1 sources, 1 failed (0 unchanged, 1 parsed); 1 entries: 1 new" in ingest.stdout
    again = marsad(folder, "ingest")
    assert "1 not due yet" in again.stdout and "(1 unchanged, 0 parsed)" in again.stdout
    table = marsad(folder, "sources")
    assert table.returncode == 0
    header, agency, missing = table.stdout.splitlines()[:3]
    assert header.split() == ["source", "last", "success", "last", "error", "failures", "7",
                              "days", "next", "attempt"]
    assert agency.startswith("وكالة") and agency.split()[-2:] == ["1", "now"]
    assert missing.startswith("مفقود") and "file not found" in missing and " 1 " in missing
    assert "sources: 2 monitored, 1 failing" in table.stdout


def test_opml_import_adds_new_feeds_once_and_export_lists_them_all(tmp_path, feed_server):
    folder = project(tmp_path, feed_server)
    first = marsad(folder, "sources", "import", "reader.opml")
    assert first.returncode == 0, first.stderr
    assert "sources import: 2 sources added to sources.opml, 2 skipped; 4 sources monitored in all." in first.stdout
    assert "skipped وكالة مكررة: already monitored" in first.stderr
    assert "ملف محلي" in first.stderr
    assert "sources_opml: sources.opml" in (folder / "marsad.yml").read_text(encoding="utf-8")
    second = marsad(folder, "sources", "import", "reader.opml")
    assert "0 sources added" in second.stdout
    exported = marsad(folder, "sources", "export")
    assert exported.stdout.count("xmlUrl=") == 4
    assert 'text="رياضة"' in exported.stdout and "https://mala3eb.example/rss" in exported.stdout
    written = marsad(folder, "sources", "export", "all.opml")
    assert written.stdout.strip() == "sources export: 4 sources written to all.opml."
    assert (folder / "all.opml").read_bytes().decode("utf-8") == exported.stdout


def test_a_broken_opml_file_is_one_line(tmp_path, feed_server):
    folder = project(tmp_path, feed_server)
    (folder / "broken.opml").write_text("<opml><body>", encoding="utf-8")
    result = marsad(folder, "sources", "import", "broken.opml")
    assert result.returncode == 2
    assert result.stderr.startswith("marsad: error: broken.opml: not well-formed XML")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "sources_opml" not in (folder / "marsad.yml").read_text(encoding="utf-8")
