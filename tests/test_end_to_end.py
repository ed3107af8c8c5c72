"""`marsad run` on the bundled samples, in a temporary folder, through the real CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser

from conftest import marsad

KNOWN_QUOTE = "لا بديل عن الحل السياسي الشامل في ليبيا"
KNOWN_SPEAKER = "أحمد أبو الغيط"


def site_files(folder: Path) -> dict[Path, tuple[int, bytes]]:
    return {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (folder / "site").rglob("*") if p.is_file()}


def test_run_builds_an_arabic_rtl_site(project, first_run):
    assert first_run.returncode == 0, first_run.stderr
    assert "Traceback" not in first_run.stderr
    out = first_run.stdout
    assert re.search(r"ingest: read 3 sources \(0 unchanged, 3 parsed\); 30 entries: 30 new", out)
    assert "site/index.html" in out and "marsad serve" in out
    index = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar"' in index
    assert 'dir="rtl"' in index
    assert KNOWN_QUOTE in index  # the home page shows the latest digest


def test_a_digest_page_holds_the_known_quote_with_its_speaker(project, first_run):
    page = (project / "site" / "digests" / "2026" / "11" / "27" / "index.html").read_text(encoding="utf-8")
    item = next(line for line in page.splitlines() if KNOWN_QUOTE in line)
    assert KNOWN_SPEAKER in item


def test_the_archive_reaches_every_digest_through_years_and_months(project, first_run):
    site = project / "site"
    archive = (site / "archive" / "index.html").read_text(encoding="utf-8")
    assert 'href="2026/"' in archive and "digests/" not in archive  # no page lists every day
    year = (site / "archive" / "2026" / "index.html").read_text(encoding="utf-8")
    assert 'href="11/"' in year and "../../reports/months/2026-11/" in year
    month = (site / "archive" / "2026" / "11" / "index.html").read_text(encoding="utf-8")
    days = sorted(p.relative_to(site) for p in (site / "digests").glob("*/*/*/index.html"))
    assert len(days) >= 3
    for day in days:
        assert f'href="../../../{day.parent.as_posix()}/"' in month


def test_every_page_kind_and_its_machine_readable_files(project, first_run):
    site = project / "site"
    day = (site / "digests" / "2026" / "11" / "26" / "index.html").read_text(encoding="utf-8")
    assert 'href="../25/"' in day and 'href="../27/"' in day and 'href="../26.json"' in day
    assert json.loads((site / "digests" / "2026" / "11" / "27.json").read_text("utf-8"))["day"] == "2026-11-27"
    week = (site / "reports" / "weeks" / "2026-W48" / "index.html").read_text(encoding="utf-8")
    assert 'href="../2026-W48.pdf"' in week and "<svg" in week
    assert (site / "reports" / "weeks" / "2026-W48.pdf").read_bytes().startswith(b"%PDF")
    assert (site / "reports" / "months" / "2026-11.pdf").is_file()
    entities = (site / "entities" / "index.html").read_text(encoding="utf-8")
    assert KNOWN_SPEAKER in entities
    pages = list((site / "entities").glob("per-*/index.html"))
    speaker = next(p for p in pages if f"<bdi>{KNOWN_SPEAKER}</bdi></h1>" in p.read_text("utf-8"))
    assert KNOWN_QUOTE in speaker.read_text("utf-8")
    feed = feedparser.parse((site / "feeds" / "digests.xml").read_bytes())
    assert [e.title for e in feed.entries][:1] == ["موجز 2026-11-27"]
    libya = feedparser.parse((site / "feeds" / "ليبيا.xml").read_bytes())
    assert libya.entries and all("utm_" not in e.link for e in libya.entries)
    home = (site / "index.html").read_text(encoding="utf-8")
    for target in ("digests/2026/11/27/", "digests/2026/11/26/", "reports/weeks/2026-W48/",
                   "reports/months/2026-11/"):
        assert f'href="{target}"' in home
    assert "9 مادة" not in home + day and "8 مادة" not in home + day  # number agreement


def test_site_url_makes_the_sitemap_and_canonical_links_real(project, first_run):
    config = project / "published.yml"
    config.write_text((project / "marsad.yml").read_text("utf-8").replace("site_dir: site", "site_dir: published")
                      + "\nsite_url: https://marsad.example/briefing\n", encoding="utf-8")
    result = marsad(project, "--config", str(config), "build")
    assert result.returncode == 0, result.stderr
    sitemap = (project / "published" / "sitemap.xml").read_text("utf-8")
    assert "<loc>https://marsad.example/briefing/digests/2026/11/27/</loc>" in sitemap
    page = (project / "published" / "digests" / "2026" / "11" / "27" / "index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://marsad.example/briefing/digests/2026/11/27/">' in page


def test_feed_markup_shows_as_text(project, first_run):
    pages = "".join(p.read_text(encoding="utf-8") for p in (project / "site").rglob("*.html"))
    assert "<script>alert" not in pages and "<img" not in pages and "onerror=" not in pages
    assert 'href="javascript' not in pages
    assert "&#42;عاجل&#42;" in pages  # Markdown-looking feed text is shown, not interpreted


def test_a_second_run_changes_nothing(project, first_run):
    before = site_files(project)
    content_before = {p: p.stat().st_mtime_ns for p in (project / "content").rglob("*.md")}
    second = marsad(project, "run")
    assert second.returncode == 0, second.stderr
    assert "ingest: read 3 sources (3 unchanged, 0 parsed); 0 entries: 0 new" in second.stdout
    assert "analyze: 0 articles analyzed" in second.stdout
    assert "0 pages written" in second.stdout
    assert re.search(r"build: .* \(changed pages\); 0 pages built, 0 removed", second.stdout)
    assert site_files(project) == before
    assert {p: p.stat().st_mtime_ns for p in (project / "content").rglob("*.md")} == content_before


def test_extract_prints_the_stable_json(project):
    text = ("وقال الأمين العام لجامعة الدول العربية أحمد أبو الغيط في مؤتمر صحفي بالقاهرة: "
            "«لا بديل عن الحل السياسي الشامل في ليبيا». وأضاف أن الجامعة ستواصل دعم الحوار.")
    result = marsad(project, "extract", "-", "--format", "json", stdin=text)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"sentences", "entities", "quotes", "summary"}
    quote = next(q for q in data["quotes"] if q["kind"] == "direct")
    assert quote["speaker"] == KNOWN_SPEAKER
    assert text[quote["start"]:quote["end"]] == quote["text"] == KNOWN_QUOTE
    for entity in data["entities"]:
        assert entity["type"] in ("PER", "LOC", "ORG", "MISC")
        for mention in entity["mentions"]:
            assert text[mention["start"]:mention["end"]] == mention["text"]


def test_user_mistakes_get_one_line_and_lose_nothing(project, first_run, tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("sources:\n  - {name: a, url: 'ftp://x/feed'}\n", encoding="utf-8")
    result = marsad(project, "--config", str(bad), "run")
    assert result.returncode == 2
    assert result.stderr.strip() == f"marsad: error: {bad}: sources[0].url: 'ftp://x/feed': only http(s) URLs or local file paths are allowed"
    after_command = marsad(project, "run", "--config", str(bad))  # global options go either side
    assert after_command.returncode == 2 and after_command.stderr == result.stderr
    missing = marsad(project, "extract", str(tmp_path / "none.txt"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert "none.txt" in missing.stderr
    assert (project / "site" / "index.html").is_file()


def test_doctor_names_the_active_recognizer_and_a_missing_backend_is_one_line(project):
    doctor = marsad(project, "doctor")
    assert doctor.returncode == 0, doctor.stdout
    assert "ok embedded" in doctor.stdout
    assert re.search(r"^active \(auto\): (embedded|bert)$", doctor.stdout, re.M)
    missing = marsad(project, "extract", "-", "--backend", "bert", stdin="قال الرئيس")
    assert missing.returncode == 2
    assert missing.stderr.startswith("marsad: error: entity backend 'bert' is not available")
    rules = marsad(project, "extract", "-", "--backend", "rules", "--format", "text",
                   stdin="وقال وزير الخارجية المصري سامح شكري في القاهرة إن المحادثات مستمرة.")
    assert "PER  سامح شكري" in rules.stdout and "[indirect" in rules.stdout
