"""Benchmark of ingestion: a synthetic corpus served over HTTP by a local server process.

    .venv/bin/python bench/ingest.py [--feeds 1000] [--entries 50] [--words 150] [--syndicated 0.1]
                                     [--hosts 100]

Prints entries/s of the first run (fetched, parsed, deduplicated and stored), the time and the
number of parses of a second run against unchanged feeds (they answer 304 to conditional GETs),
and peak memory. Targets on a 2-core machine: ≥ 2,000 entries/s; second run < 10 s, 0 parses;
peak memory < 500 MB.
"""

from __future__ import annotations

import argparse
import hashlib
import http.server
import multiprocessing
import random
import resource
import sys
import tempfile
import threading
import time
from email.utils import format_datetime
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import START  # noqa: E402

from generator.ingest import ingest  # noqa: E402
from generator.ingest.fetch import FetchPolicy  # noqa: E402
from generator.model import Source  # noqa: E402
from generator.store import Store  # noqa: E402


LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def vocabulary(rng: random.Random, size: int = 5000) -> list[str]:
    """Word-like strings: as many distinct words as real news uses, so that unrelated
    articles share no more word pairs than real ones do (templated text would)."""
    return ["".join(rng.choice(LETTERS) for _ in range(rng.randint(2, 7))) for _ in range(size)]


def varied_text(rng: random.Random, words: list[str], count: int) -> str:
    sentences, total = [], 0
    while total < count:
        length = rng.randint(8, 22)
        sentences.append(" ".join(rng.choices(words, k=length)) + rng.choice(".،."))
        total += length
    paragraphs = [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
    return "\n".join(paragraphs)


def build_feeds(feeds: int, entries: int, words: int, syndicated: float) -> dict[str, bytes]:
    """{path: RSS bytes}; a share of entries carry a wire story that other feeds carry too."""
    rng = random.Random(7)
    lexicon = vocabulary(rng)
    wires = [varied_text(rng, lexicon, words) for _ in range(max(1, feeds * entries // 100))]
    documents = {}
    for feed in range(feeds):
        items = []
        for i in range(entries):
            if rng.random() < syndicated:
                text = f"مدينة (وكالة {feed}) - " + rng.choice(wires)
            else:
                text = varied_text(rng, lexicon, words)
            published = START.timestamp() + 60 * (37 * i + 11 * feed)
            items.append(
                f"<item><title>خبر {feed}-{i}</title><link>https://feed{feed}.example/{i}</link>"
                f"<guid>feed{feed}-{i}</guid><pubDate>{format_datetime(_utc(published))}</pubDate>"
                f"<description>{escape(''.join(f'<p>{p}</p>' for p in text.split(chr(10))))}</description></item>")
        documents[f"/feed/{feed}.xml"] = (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>مصدر '
            f"{feed}</title><link>https://feed{feed}.example/</link>{''.join(items)}</channel></rss>"
        ).encode("utf-8")
    return documents


def _utc(timestamp: float):
    from datetime import datetime, timezone

    return datetime.fromtimestamp(timestamp, tz=timezone.utc)


def serve(documents: dict[str, bytes], hosts: int, port_queue) -> None:
    """The feed servers, one port per host, in their own process so that they do not compete
    with ingestion for the GIL."""
    etags = {path: '"' + hashlib.sha1(body).hexdigest()[:16] + '"' for path, body in documents.items()}

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            body = documents.get(self.path)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.headers.get("If-None-Match") == etags[self.path]:
                self.send_response(304)
                self.send_header("ETag", etags[self.path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("ETag", etags[self.path])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 1024  # socketserver's default of 5 drops concurrent connections

        def handle_error(self, request, client_address) -> None:
            pass  # clients closing kept-alive connections at the end of a run

    servers = [Server(("127.0.0.1", 0), Handler) for _ in range(hosts)]
    for server in servers[1:]:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    port_queue.put([server.server_address[1] for server in servers])
    servers[0].serve_forever()


def _cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (the parse workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--words", type=int, default=150)
    parser.add_argument("--syndicated", type=float, default=0.10)
    parser.add_argument("--hosts", type=int, default=100,
                        help="distinct hosts (local ports) the feeds are spread over")
    args = parser.parse_args()

    started = time.perf_counter()
    documents = build_feeds(args.feeds, args.entries, args.words, args.syndicated)
    size = sum(len(body) for body in documents.values())
    print(f"corpus: {args.feeds} feeds × {args.entries} entries (~{args.words} words, "
          f"{args.syndicated:.0%} syndicated), {size / 1e6:.0f} MB of RSS, "
          f"built in {time.perf_counter() - started:.1f} s")
    ports = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(documents, args.hosts, ports), daemon=True)
    server.start()
    port_numbers = ports.get(timeout=60)
    del documents
    sources = [Source(f"مصدر {i}", f"http://127.0.0.1:{port_numbers[i % args.hosts]}/feed/{i}.xml",
                      "سياسة") for i in range(args.feeds)]
    policy = FetchPolicy(allow_private=True)  # the defaults (2 connections per host); 127.0.0.1
    try:
        with tempfile.TemporaryDirectory(prefix="marsad-bench-") as temp, \
                Store.open(Path(temp) / "marsad.sqlite") as store:
            started, cpu = time.perf_counter(), _cpu_seconds()
            first = ingest(sources, store, policy)
            seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
            entries = sum(r.entries for r in first)
            copies = sum(r.near_duplicates for r in first)
            failed = sum(r.status == "failed" for r in first)
            print(f"first run: {entries} entries in {seconds:.1f} s = {entries / seconds:,.0f} "
                  f"entries/s; {sum(r.new for r in first)} new, {copies} marked as syndicated "
                  f"copies, {failed} sources failed; {cpu:.1f} CPU seconds (this process and its "
                  f"parse workers) = {entries / cpu:,.0f} entries per CPU second")
            started = time.perf_counter()
            second = ingest(sources, store, policy, force=True)
            seconds = time.perf_counter() - started
            print(f"second run (unchanged feeds): {seconds:.1f} s, "
                  f"{sum(r.parsed for r in second)} parses, "
                  f"{sum(r.status == 'not-modified' for r in second)} answered 304")
        # Measured before the feed server is reaped, so that only parse workers count as children.
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory: {own:.0f} MB in the ingesting process, {workers:.0f} MB in the "
              f"largest parse worker")
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
