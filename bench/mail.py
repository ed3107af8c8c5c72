"""Benchmark of the mail stage: composing each recipient's message, then sending them all to a
local SMTP server (aiosmtpd, a dev dependency).

    .venv/bin/python bench/mail.py [--articles 100] [--recipients 100]

Prints the time to compose (reading the day from the store, digest, HTML, inlined CSS, text,
MIME, fitting to the size limit),
the messages' sizes, and the delivery rate over one SMTP connection.
"""

from __future__ import annotations

import argparse
import random
import socket
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ORGS, PLACES, START, TOPICS, article_text  # noqa: E402

from aiosmtpd.controller import Controller  # noqa: E402

from generator import mail  # noqa: E402
from generator.arabic import Analyzer  # noqa: E402
from generator.config import Recipient, parse_config  # noqa: E402
from generator.link import link  # noqa: E402
from generator.model import Article  # noqa: E402
from generator.store import Store  # noqa: E402


class Sink:
    """An SMTP server that counts what it accepts."""

    def __init__(self) -> None:
        self.accepted = 0

    async def handle_DATA(self, server, session, envelope):
        self.accepted += len(envelope.rcpt_tos)
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100, help="articles in the day")
    parser.add_argument("--recipients", type=int, default=100)
    args = parser.parse_args()
    port = free_port()
    config = parse_config({
        "title": "مرصد", "timezone": "UTC",
        "sources": [{"name": f"مصدر {i}", "url": f"s{i}.xml", "section": section}
                    for i, section in enumerate(("سياسة", "اقتصاد", "مجتمع"))],
        "watchlists": [{"name": "ليبيا", "entities": ["جامعة الدول العربية"], "keywords": ["طرابلس"]},
                       {"name": "الاقتصاد", "entities": ["صندوق النقد الدولي"], "keywords": ["التضخم"]}],
        "site_url": "https://marsad.example.org/",
        "email": {"from": "marsad@example.org",
                  "unsubscribe_address": "unsubscribe@example.org",
                  "smtp": {"host": "127.0.0.1", "port": port, "security": "none"}},
    }, Path("/tmp/marsad.yml"))
    day = mail.Period.of("day", START.date())
    chosen = ((), ("ليبيا",), ("الاقتصاد",), ("ليبيا", "الاقتصاد"))
    plan = [(Recipient(f"reader{i}@example.org", watchlists=chosen[i % 4]), day)
            for i in range(args.recipients)]
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as folder, \
            Store.open(Path(folder) / "marsad.sqlite") as store:
        store_day(store, config, args.articles)
        started = time.perf_counter()
        items, outlets = mail.read_periods(store, [day], config.tz)
        outgoing, empty = mail.compose_all(config, plan, items, outlets, datetime.now(timezone.utc))
        seconds = time.perf_counter() - started
    sizes = sorted(mail.message_size(item.message) for item in outgoing)
    print(f"day: {args.articles} articles; {args.recipients} recipients (a quarter each: the "
          f"whole digest, one watchlist, the other, both)")
    print(f"compose: {len(outgoing)} messages in {seconds:.2f} s = "
          f"{len(outgoing) / seconds:.0f} messages/s ({len(empty)} with nothing to send)")
    print(f"         sizes {sizes[0] / 1000:.1f}–{sizes[-1] / 1000:.1f} KB (median "
          f"{sizes[len(sizes) // 2] / 1000:.1f} KB, limit {mail.MAX_MESSAGE_BYTES / 1000:.0f} KB); "
          f"{sum(1 for item in outgoing if item.left_out)} shortened to fit")
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        started = time.perf_counter()
        results = mail.deliver(outgoing, config.email.smtp, config.email.sender, lambda _: None)
        seconds = time.perf_counter() - started
    finally:
        controller.stop()
    sent = sum(1 for r in results if r.status == "accepted")
    print(f"deliver: {sent} messages accepted by a local server in {seconds:.2f} s = "
          f"{sent / seconds:.0f} messages/s over one connection")


def store_day(store: Store, config, count: int) -> None:
    """`count` articles of one day, analyzed and linked to the registry."""
    rng = random.Random(7)
    analyzer = Analyzer(config.watchlists)
    items = []
    for n in range(count):
        published = START + timedelta(minutes=7 * n % 1000)
        text = article_text(rng, 300)
        title = f"{rng.choice(TOPICS)} في {rng.choice(PLACES)}: {rng.choice(ORGS)} ({n})"
        article = Article(f"b{n}", f"مصدر {n % 3}", ("سياسة", "اقتصاد", "مجتمع")[n % 3],
                          f"https://feed{n % 3}.example/news/{n}", title, published, published,
                          "", text, f"h{n}")
        items.append((article, analyzer.analyze(text)))
    store.add_articles(article for article, _ in items)
    store.save_analyses(items, "bench")
    link(store, config.watchlists)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    main()
