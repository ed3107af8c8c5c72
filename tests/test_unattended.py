"""Running from cron: locks, permissions, leftovers, limits, determinism, the health check."""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import REPO, marsad, rss, rss_item, utc

from generator.config import ConfigError, load_config
from generator.digest import build_digests
from generator.ingest import ingest
from generator.ingest.addresses import is_public, url_problem
from generator.ingest.fetch import FetchPolicy
from generator.model import Analysis, Article, Limits, Source
from generator.store import Store
from test_ingest import WIRE

NOW = utc(2026, 11, 28, 12, 0)
OPEN = FetchPolicy(connect_timeout=2, read_timeout=2, retries=0, allow_private=True)


def project(folder: Path, sources: str, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(REPO / "content", folder / "content", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("digests", "index.md", "archive.md"))
    (folder / "marsad.yml").write_text(
        f"title: رصد\ntimezone: Asia/Riyadh\nhttp: {{allow_private: true}}\n{extra}"
        f"sources:\n{sources}", encoding="utf-8")
    return folder


def served(feed_server, path: str, *items: str, delay: float = 0.0) -> str:
    body = rss(list(items))

    def route(_handler):
        time.sleep(delay)
        return 200, {"Content-Type": "application/rss+xml"}, body
    feed_server.routes[path] = route
    return feed_server.url(path)


# --- the network policy --------------------------------------------------------------------


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1",
                                     "169.254.169.254", "0.0.0.0", "100.64.0.1", "::1", "::",
                                     "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
                                     "2002:7f00:1::", "::7f00:1", "224.0.0.1"])
def test_local_and_private_addresses_are_not_public(address):
    assert not is_public(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888",
                                     "::ffff:8.8.8.8"])
def test_internet_addresses_are_public(address):
    assert is_public(address)


@pytest.mark.parametrize("url, problem", [("http://[::1/x", "Invalid IPv6 URL"),
                                          ("http://a.example:99999/", "Port out of range"),
                                          ("http://a.example:x/", "Port could not be cast"),
                                          ("http:///path", "no host"),
                                          ("javascript:alert(1)", "not an http(s) URL")])
def test_urls_that_cannot_be_fetched_say_why(url, problem):
    assert problem in url_problem(url)


def test_a_source_on_a_private_address_is_refused_unless_allowed(tmp_path, feed_server):
    url = served(feed_server, "/feed", rss_item("خبر", "https://a.example/1", "نص"))
    closed = FetchPolicy(retries=0)
    with Store.open(tmp_path / "marsad.sqlite") as store:
        (refused,) = ingest([Source("داخلي", url, "عام")], store, closed, now=lambda: NOW)
        assert refused.status == "failed" and "not a public address" in refused.error
        assert store.source_state("داخلي").last_error_kind == "policy"
        (allowed,) = ingest([Source("داخلي", url, "عام", allow_private=True)], store, closed,
                            force=True, now=lambda: NOW)
        assert allowed.status == "stored" and allowed.new == 1
    assert feed_server.count("/feed") == 1  # the refused one never connected


# --- one source's trouble is its own --------------------------------------------------------


def test_a_source_past_the_run_time_limit_fails_alone(tmp_path, feed_server):
    good = served(feed_server, "/good", rss_item("خبر سليم", "https://a.example/1", "نص"))
    slow = served(feed_server, "/slow", rss_item("خبر بطيء", "https://a.example/2", "نص"), delay=8)
    policy = FetchPolicy(read_timeout=30, request_timeout=60, retries=0, allow_private=True)
    with Store.open(tmp_path / "marsad.sqlite") as store:
        started = time.monotonic()
        reports = ingest([Source("سليم", good, "عام"), Source("بطيء", slow, "عام")], store,
                         policy, now=lambda: NOW, limits=Limits(ingest_minutes=0.05))
        assert time.monotonic() - started < 7
        assert [r.status for r in reports] == ["stored", "failed"]
        assert "limits.ingest_minutes" in reports[1].error
        state = store.source_state("بطيء")
        assert state.failures == 1 and state.next_attempt == NOW + timedelta(minutes=15)
        assert [a.title for a in store.articles()] == ["خبر سليم"]


# --- determinism ------------------------------------------------------------------------


def wire_copies(feed_server) -> list[Source]:
    """Three outlets with the same wire text; the earliest published is fetched last."""
    hours = {"أ": "11:00", "ب": "09:00", "ج": "10:00"}
    return [Source(name, served(feed_server, f"/{i}", rss_item(
        f"أوبك {name}", f"https://{i}.example/wire", f"فيينا - {WIRE}",
        f"Fri, 27 Nov 2026 {hour}:00 +0000")), "اقتصاد") for i, (name, hour) in enumerate(hours.items())]


def originals(store: Store) -> dict[str, str]:
    ids = {a.id: a.source for a in store.articles()}
    return {a.source: ids.get(a.duplicate_of, "") for a in store.articles()}


def test_the_original_of_a_copy_does_not_depend_on_fetch_order(tmp_path, feed_server):
    sources = wire_copies(feed_server)
    results = []
    for name, order in (("forward", sources), ("backward", sources[::-1])):
        with Store.open(tmp_path / f"{name}.sqlite") as store:
            for source in order:  # one run per source: the order the copies arrive in
                ingest([source], store, OPEN, now=lambda: NOW)
            results.append((originals(store), store.outlets()))
    assert results[0] == results[1]
    copies, outlets = results[0]
    assert copies == {"أ": "ب", "ب": "", "ج": "ب"}  # ب published first
    assert list(outlets.values()) == [["أ", "ج"]]  # the other outlets, by name


def test_a_chain_of_edited_copies_is_one_group_whatever_the_arrival_order(tmp_path, feed_server):
    """A and C each differ from B by one word, within the distance of copies, but from each
    other by more: which is whose copy must not depend on which arrives first."""
    words = WIRE.split()
    edited = {"أ": ("كلمة", 0), "ب": None, "ج": ("كلمة", 6)}
    texts = {}
    for name, edit in edited.items():
        variant = list(words)
        if edit:
            variant[edit[1]] = f"{edit[0]}{edit[1]}"
        texts[name] = " ".join(variant)
    hours = {"أ": "10:00", "ب": "11:00", "ج": "09:00"}  # ج, the farthest from أ, is first
    sources = [Source(name, served(feed_server, f"/chain/{i}", rss_item(
        f"نسخة {name}", f"https://{i}.example/chain", texts[name], f"Fri, 27 Nov 2026 {hours[name]} +0000")),
        "اقتصاد") for i, name in enumerate(edited)]
    results = set()
    for number, order in enumerate(itertools.permutations(sources)):
        with Store.open(tmp_path / f"{number}.sqlite") as store:
            for source in order:
                ingest([source], store, OPEN, now=lambda: NOW)
            results.add(tuple(sorted(originals(store).items())))
    assert results == {(("أ", "ج"), ("ب", "ج"), ("ج", ""))}


def test_a_digest_page_keeps_its_newest_articles_past_the_limit():
    articles = [(article, Analysis([], [], [], [])) for article in (
        _article(f"a{i}", utc(2026, 11, 27, 8 + i)) for i in range(5))]
    (digest,) = build_digests(articles, utc(2026, 1, 1).tzinfo, max_articles=3)
    assert [a.id for a in digest.sections[0].articles] == ["a4", "a3", "a2"]
    assert digest.left_out == 2


def _article(article_id: str, published):
    return Article(article_id, "مصدر", "عام", f"https://a.example/{article_id}", article_id,
                   published, published, "", "نص", article_id)


# --- the store --------------------------------------------------------------------------


def test_dates_an_older_marsad_stored_are_mended_on_open(tmp_path):
    path = tmp_path / "marsad.sqlite"
    with Store.open(path) as store:
        store.add_articles([_article("old", utc(2026, 11, 27, 9)), _article("new", utc(2026, 11, 27, 10))])
    db = sqlite3.connect(path)  # as an older Marsad left it: year 1, and a future date
    with db:
        db.execute("UPDATE articles SET published = '0001-01-01T00:00:00+00:00' WHERE id = 'old'")
        db.execute("UPDATE articles SET published = '2099-01-01T00:00:00+00:00' WHERE id = 'new'")
        db.execute("DROP TABLE story_articles")  # an older Marsad had no stories (migration 5)
        db.execute("DROP TABLE stories")
        db.execute("DROP TABLE deliveries")  # nor an email log (migration 6)
        db.execute("UPDATE marsad_schema SET version = 3")  # before migration 4, the dates fix
    db.close()
    with Store.open(path) as store:
        dates = {a.id: a.published for a in store.articles()}
    assert dates == {"old": utc(2026, 11, 27, 9), "new": utc(2026, 11, 27, 10)}  # the fetch times


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files")
def test_a_read_only_store_is_one_line_and_loses_nothing(tmp_path, feed_server):
    url = served(feed_server, "/feed", rss_item("خبر", "https://a.example/1", "نص"))
    folder = project(tmp_path / "p", f"  - {{name: أ, url: '{url}', section: عام}}\n")
    assert marsad(folder, "ingest").returncode == 0
    store = folder / ".marsad" / "marsad.sqlite"
    before = store.read_bytes()
    store.chmod(0o444)
    result = marsad(folder, "ingest", "--force")
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == f"marsad: error: {store}: read-only; Marsad writes its store " \
                                    "and, beside it, the store's journal (check the owner and " \
                                    "mode of the file and folder)"
    assert store.read_bytes() == before


def test_a_store_another_program_holds_is_one_line_and_loses_nothing(tmp_path, feed_server):
    url = served(feed_server, "/feed", rss_item("خبر", "https://a.example/1", "نص"))
    folder = project(tmp_path / "p", f"  - {{name: أ, url: '{url}', section: عام}}\n")
    assert marsad(folder, "ingest").returncode == 0
    holder = sqlite3.connect(folder / ".marsad" / "marsad.sqlite", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = marsad(folder, "ingest", "--force")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("marsad: error: ") and "database is locked" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    with Store.open(folder / ".marsad" / "marsad.sqlite") as kept:
        assert [a.title for a in kept.articles()] == ["خبر"]


# --- locks, files and leftovers ---------------------------------------------------------


def test_two_runs_started_at_once_never_interleave(tmp_path, feed_server):
    url = served(feed_server, "/slow", rss_item("خبر", "https://a.example/1", "نص"), delay=4)
    folder = project(tmp_path / "p", f"  - {{name: أ, url: '{url}', section: عام}}\n")
    first = subprocess.Popen([sys.executable, "-m", "generator", "--no-progress", "run"], cwd=folder,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not feed_server.count("/slow") and time.monotonic() < deadline:
        time.sleep(0.05)  # the first run holds the lock while it fetches
    second = marsad(folder, "run")
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert second.returncode == 2 and second.stdout == ""
    assert second.stderr == (f"marsad: error: {folder / '.marsad' / 'run.lock'}: another marsad "
                             "command is running on this data\n")
    assert "1 new articles" in out and feed_server.count("/slow") == 1


def test_generated_files_take_the_umask_and_leftovers_are_removed(tmp_path, feed_server):
    url = served(feed_server, "/feed", rss_item("خبر", "https://a.example/1", "نص الخبر"))
    folder = project(tmp_path / "p", f"  - {{name: أ, url: '{url}', section: عام}}\n")
    (folder / ".marsad-build-killed").mkdir()
    (folder / ".marsad-build-killed" / "index.html").write_text("half a site")
    (folder / "content" / ".index.md.x1.marsad-tmp").write_text("half a page")
    old = os.umask(0o002)
    try:
        run = marsad(folder, "run")
    finally:
        os.umask(old)
    assert run.returncode == 0, run.stderr
    assert (folder / "site" / "index.html").stat().st_mode & 0o777 == 0o664
    assert (folder / "content" / "index.md").stat().st_mode & 0o777 == 0o664
    assert not (folder / ".marsad-build-killed").exists()
    assert list(folder.rglob("*.marsad-tmp")) == []


# --- configuration mistakes -------------------------------------------------------------


@pytest.mark.parametrize("text, message", [
    ("title: a\ntitle: b\nsources: [{name: a, url: a.xml}]\n", "line 2: duplicate key 'title'"),
    ("sources:\n  - {name: a, url: a.xml, name: b}\n", "line 2: duplicate key 'name'"),
    ("sources: [{name: a, url: 'http://[::1/feed'}]\n",
     "sources[0].url: 'http://[::1/feed': invalid URL (Invalid IPv6 URL)"),
    ("sources: [{name: a, url: 'http://a.example:70000/feed'}]\n",
     "sources[0].url: 'http://a.example:70000/feed': invalid URL (Port out of range 0-65535)"),
    ("sources: [{name: a, url: a.xml, allow_private: yes please}]\n",
     "sources[0].allow_private: must be true or false, got 'yes please'"),
    ("http: {allow_private: 1}\nsources: [{name: a, url: a.xml}]\n",
     "http.allow_private: must be true or false, got 1"),
    ("limits: {entries_per_feed: 0}\nsources: [{name: a, url: a.xml}]\n",
     "limits.entries_per_feed: must be a int from 1 to 100000, got 0"),
    ("limits: {pages: 3}\nsources: [{name: a, url: a.xml}]\n", "limits.pages: unknown setting"),
])
def test_configuration_mistakes_are_one_line(tmp_path, text, message):
    path = tmp_path / "marsad.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert f"{path}: {message}" in str(error.value) and "\n" not in str(error.value)


def test_limits_and_the_network_policy_are_read_from_the_configuration(tmp_path):
    path = tmp_path / "marsad.yml"
    path.write_text("http: {allow_private: true, request_timeout: 30}\n"
                    "limits: {ingest_minutes: 5, articles_per_page: 50}\n"
                    "sources: [{name: a, url: 'http://intranet.local/feed', allow_private: true}]\n",
                    encoding="utf-8")
    config = load_config(path)
    assert config.http.allow_private and config.http.request_timeout == 30
    assert config.limits == Limits(ingest_minutes=5, articles_per_page=50)
    assert config.sources[0].allow_private


# --- doctor -----------------------------------------------------------------------------


def test_doctor_says_what_is_wrong_and_what_to_do(tmp_path, feed_server):
    url = served(feed_server, "/feed", rss_item("خبر", "https://a.example/1", "نص"))
    folder = project(tmp_path / "p", f"  - {{name: أ, url: '{url}', section: عام}}\n"
                                     "  - {name: ب, url: missing.xml, section: عام}\n")
    assert marsad(folder, "ingest").returncode == 0
    doctor = marsad(folder, "doctor")
    assert doctor.returncode == 1
    out = doctor.stdout
    assert "ok config: marsad.yml: 2 sources" in out
    assert "ok store:" in out and "integrity check ok" in out
    assert "!! source ب: 1 failures in a row:" in out and "missing.xml: file not found" in out
    assert "   fix: check its URL" in out
    assert "ok lock:" in out and "free" in out
    assert "ok recognizer: entity backend" in out and "GiB free" in out
    assert out.rstrip().endswith("doctor: 7 checks, 1 to fix.")
    store = folder / ".marsad" / "marsad.sqlite"
    data = bytearray(store.read_bytes())
    data[100:4096] = bytes(range(256)) * 15 + bytes(range(76))  # a torn first page
    store.write_bytes(bytes(data))
    broken = marsad(folder, "doctor")
    assert broken.returncode == 1 and "!! store:" in broken.stdout
    assert "restore the store from a backup" in broken.stdout
    (folder / "marsad.yml").write_text("sources: [\n", encoding="utf-8")
    unreadable = marsad(folder, "doctor")
    assert unreadable.returncode == 1 and "!! config:" in unreadable.stdout
    assert "Traceback" not in unreadable.stderr + broken.stderr
