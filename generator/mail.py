"""Mail: a period's digest as one MIME message per recipient, written to an outbox or sent.

Mail clients are not browsers. The HTML part is tables (role="presentation"), Arabic and right
to left on html, body and the wrapper, right-aligned table by table and cell by cell, its CSS
inlined (css-inline), with no image, script or remote resource, and at most MAX_MESSAGE_BYTES
(Gmail clips a message past ~102 KB): a larger digest keeps its top items and links to the
site for the rest. Its templates (templates/email/) get their own Jinja environment, which
HTML-escapes every value, so feed text stays text. The plain-text part says the same for
clients that show no HTML.

The email reads a `MailView`, not the digest: the period's ranked stories (issue 10), told
as the site tells a day's, become its items (`story_item`); a watchlist recipient gets one
section per watchlist, with the stories that its rule (entities, keywords, query) matches.

A message is known by recipient, period and first day. `deliver` reports each one the server
accepted at once, so the delivery log can record it before the next is sent: a second run, or
a run after a crash, sends only what no server accepted.
"""

from __future__ import annotations

import hashlib
import os
import re
import smtplib
import ssl
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time as day_time, timedelta
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from itertools import zip_longest
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import css_inline
from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .config import Config, EmailSettings, Recipient, SmtpSettings
from .digest import build_digest, period_archive
from .model import Analysis, Article, Digest, DigestQuote, DigestStory, EntityCount, Watchlist
from .render import ENTITY_LABELS, safe_url, write_if_changed
from .store import Store
from .watch import matching_watchlists, watch_rules

MAX_MESSAGE_BYTES = 100_000  # the whole message as sent; Gmail clips HTML past ~102 KB
MAX_ITEM_QUOTES = 2  # a story's; the period's quotes do not repeat them
PERIOD_OF = {"daily": "day", "weekly": "week", "monthly": "month"}
STORIES_OF = {"day": "قصص اليوم", "week": "قصص الأسبوع", "month": "قصص الشهر"}
LATIN = re.compile("[A-Za-z]")
INLINER = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)
WIRE = policy.SMTP  # the default policy with CRLF line ends: what servers receive


class MailError(RuntimeError):
    """Mail cannot be sent at all (no server, TLS or login refused); one line for the user."""


# --- periods ------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    """A day, a week (Monday to Sunday) or a calendar month; the API of the archive's periods
    (issue 11), so that one class can serve both once they meet."""

    kind: str  # day | week | month
    start: date  # the first day

    @classmethod
    def of(cls, kind: str, day: date) -> Period:
        """The period of this kind that contains `day`."""
        if kind == "day":
            return cls("day", day)
        if kind == "week":
            return cls("week", day - timedelta(days=day.weekday()))
        return cls("month", day.replace(day=1))

    @property
    def end(self) -> date:
        """The day after the last day."""
        if self.kind == "day":
            return self.start + timedelta(days=1)
        if self.kind == "week":
            return self.start + timedelta(days=7)
        return (self.start + timedelta(days=32)).replace(day=1)

    def previous(self) -> Period:
        return Period.of(self.kind, self.start - timedelta(days=1))


def period_heading(period: Period) -> str:
    if period.kind == "day":
        return f"موجز {format_date(period.start, 'full', locale='ar')}"
    if period.kind == "week":
        last = period.end - timedelta(days=1)
        return (f"موجز الأسبوع من {format_date(period.start, 'd MMMM', locale='ar')} "
                f"إلى {format_date(last, 'd MMMM y', locale='ar')}")
    return f"موجز شهر {format_date(period.start, 'MMMM y', locale='ar')}"


def period_page(period: Period) -> str:
    """The site's page for the period (relative to site_url); "" (the home page) for weeks and
    months, which have no pages yet."""
    return f"digests/{period.start:%Y/%m/%d}/" if period.kind == "day" else ""


def due_period(kind: str, today: date) -> Period:
    """The latest period that is over: yesterday, last week, last month."""
    return Period.of(kind, today).previous()


# --- what a message shows -----------------------------------------------------------------


@dataclass
class MailQuote:
    speaker: str
    text: str
    direct: bool
    source: str = ""
    url: str = ""


@dataclass
class MailItem:
    """One entry of a message: a story, told by its headline's article and its outlets."""

    title: str
    url: str
    source: str
    published: datetime  # its newest article
    summary: str
    quotes: list[MailQuote]
    also_in: list[str]  # the other outlets that carried it
    articles: int  # the story's articles in the period
    first_seen: date  # before the period: a developing story


@dataclass
class MailSection:
    name: str
    items: list[MailItem]


@dataclass
class MailView:
    title: str  # the site's title
    heading: str  # the period in words, and the watchlists when the recipient chose some
    period: Period
    sections: list[MailSection]
    quotes: list[MailQuote]
    entities: list[EntityCount]
    sources: list[str]
    site_url: str  # the period's page on the site, else its home
    total: int  # items in the digest, before any were left out to fit the size
    articles: int  # the digest's articles

    @property
    def shown(self) -> int:
        return sum(len(section.items) for section in self.sections)

    @property
    def left_out(self) -> int:
        return self.total - self.shown


def story_item(story: DigestStory) -> MailItem:
    return MailItem(
        title=story.headline, url=story.url, source=story.outlets[0] if story.outlets else "",
        published=max(a.published for a in story.articles), summary=" ".join(story.summary),
        quotes=[_quote(q) for q in story.quotes], also_in=story.outlets[1:],
        articles=len(story.articles), first_seen=story.first_seen)


def _quote(quote: DigestQuote) -> MailQuote:
    return MailQuote(quote.speaker, quote.text, quote.kind == "direct", quote.source,
                     quote.article_url)


def make_view(digest: Digest, sections: list[MailSection], period: Period, title: str,
              heading: str, site_url: str) -> MailView:
    for section in sections:
        for item in section.items:
            item.quotes = item.quotes[:MAX_ITEM_QUOTES]
    shown = {q.text for section in sections for item in section.items for q in item.quotes}
    quotes = [_quote(q) for q in digest.quotes if q.text not in shown]  # none printed twice
    return MailView(title, heading, period, sections, quotes, digest.entities, digest.sources,
                    site_url + period_page(period), sum(len(s.items) for s in sections),
                    digest.article_count)


def mail_sections(digest: Digest, by_watchlist: bool, heading: str) -> list[MailSection]:
    """The stories in one section; by watchlist, one section per watchlist that has some."""
    if not by_watchlist:
        stories = [story_item(s) for s in digest.stories]
        return [MailSection(heading, stories)] if stories else []
    return [MailSection(w.name, [story_item(s) for s in w.stories])
            for w in digest.watchlists if w.stories]


# --- composing ----------------------------------------------------------------------------


@dataclass
class Outgoing:
    """One message for one recipient, and what the delivery log knows it by."""

    recipient: Recipient
    period: Period
    message: EmailMessage
    left_out: int = 0  # items not shown, to keep under MAX_MESSAGE_BYTES

    @property
    def key(self) -> tuple[str, str, date]:
        return delivery_key(self.recipient, self.period)


def delivery_key(recipient: Recipient, period: Period) -> tuple[str, str, date]:
    return recipient.address.lower(), period.kind, period.start


@dataclass
class MailInput:
    """What the messages of some periods are made from, read from the store once."""

    items: dict[Period, list[tuple[Article, Analysis]]]  # entities linked
    outlets: dict[str, list[str]]  # article id -> the other outlets that carried a copy
    stories: dict[str, tuple[str, date]]  # article id -> its story and day, for every
    #                                       member of a story the periods show


def compose_all(config: Config, plan: Sequence[tuple[Recipient, Period]], read: MailInput,
                now: datetime, on_each: Callable[[], None] = lambda: None,
                ) -> tuple[list[Outgoing], list[tuple[Recipient, Period]]]:
    """Every planned message, and the (recipient, period) pairs with nothing to send;
    `on_each` runs after each pair (a progress bar).

    What a message shows depends only on its period and watchlists: each such view is built
    once, and fitted to the size limit once, for all the recipients who share it."""
    env = mail_environment(config.templates_dir)
    lists = {w.name: w for w in config.watchlists}
    views: dict[tuple[Period, tuple[str, ...]], MailView] = {}
    kept: dict[tuple[Period, tuple[str, ...]], int] = {}
    outgoing, empty = [], []
    for recipient, period in plan:
        on_each()
        group = (period, recipient.watchlists)
        if group not in views:
            views[group] = period_view(config, period, read,
                                       [lists[name] for name in recipient.watchlists])
        view = views[group]
        if not view.sections and not recipient.send_empty:
            empty.append((recipient, period))
            continue
        item = fitted(view, lambda v: compose(v, env, recipient, config.email, now),
                      kept.get(group))
        kept[group] = view.total - item.left_out
        outgoing.append(item)
    return outgoing, empty


def read_periods(store: Store, periods: Iterable[Period], tz: ZoneInfo) -> MailInput:
    """Each period's analyzed articles (its local days in `tz`), read for that period alone,
    the other outlets that carried copies of them, and their stories' members."""
    def start(day: date) -> datetime:
        return datetime.combine(day, day_time(), tzinfo=tz)

    items = {period: store.analyzed_between(start(period.start), start(period.end))
             for period in set(periods)}
    ids = [article.id for found in items.values() for article, _ in found]
    members = store.story_members(set(store.stories_of(ids).values()))
    return MailInput(items, store.outlets(ids),
                     {article: (story, day) for article, story, day in members})


def period_view(config: Config, period: Period, read: MailInput,
                watchlists: Sequence[Watchlist]) -> MailView:
    """The period's stories; through watchlists, the stories of what they match, by watchlist.
    A period is told as the digest of its last day, over all of its articles."""
    items = read.items.get(period, [])
    rules = watch_rules(watchlists)
    if rules:
        items = [(a, n) for a, n in items if matching_watchlists(rules, a, n)]
    last_day = period.end - timedelta(days=1)
    digest = build_digest(last_day, items, config.tz, config.sections, read.outlets,
                          archive=period_archive(items, config.tz, read.stories, rules))
    sections = mail_sections(digest, bool(rules), STORIES_OF[period.kind])
    heading = period_heading(period) + "".join(f" — {w.name}" for w in watchlists)
    return make_view(digest, sections, period, config.title, heading, config.site_url)


def compose(view: MailView, env: Environment, recipient: Recipient, settings: EmailSettings,
            now: datetime) -> Outgoing:
    context = dict(view=view, recipient=recipient, subject=f"{view.title}: {view.heading}",
                   unsubscribe=unsubscribe_links(settings, recipient))
    html = INLINER.inline(env.get_template("digest.html.j2").render(context))
    text = env.get_template("digest.txt.j2").render(context)
    message = EmailMessage(policy=policy.default)
    message["Subject"] = context["subject"]
    message["From"] = Address(view.title, addr_spec=settings.sender)
    message["To"] = Address(recipient.name, addr_spec=recipient.address)
    if settings.reply_to:
        message["Reply-To"] = settings.reply_to
    message["List-Unsubscribe"] = ", ".join(f"<{link}>" for link in context["unsubscribe"])
    if settings.unsubscribe_url.startswith("https://"):  # RFC 8058 one-click: https only
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message["Message-ID"] = message_id(recipient, view.period, settings.sender)
    message["Date"] = format_datetime(now)
    message.set_content(text, cte="base64")
    message.add_alternative(html, subtype="html", cte="base64")
    return Outgoing(recipient, view.period, message, view.left_out)


def message_id(recipient: Recipient, period: Period, sender: str) -> str:
    """The same for every attempt at one delivery, so a receiving server can drop a copy."""
    key = "\0".join(map(str, delivery_key(recipient, period)))
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
    return f"<marsad.{period.kind}.{period.start:%Y%m%d}.{digest}@{sender.rpartition('@')[2]}>"


def unsubscribe_links(settings: EmailSettings, recipient: Recipient) -> list[str]:
    links = []
    if settings.unsubscribe_url:
        links.append(settings.unsubscribe_url.replace("{address}", quote(recipient.address)))
    if settings.unsubscribe_address:
        links.append(f"mailto:{settings.unsubscribe_address}?subject=unsubscribe")
    return links


def message_size(message: EmailMessage) -> int:
    return len(message.as_bytes(policy=WIRE))


def fitted(view: MailView, build: Callable[[MailView], Outgoing],
           hint: int | None = None) -> Outgoing:
    """The message with as many of the view's top items as fit in MAX_MESSAGE_BYTES; `hint`
    is how many fitted for another recipient of the same view (whose address differs)."""
    if hint is not None and hint < view.total:
        guess = build(keep_top(view, ranked_items(view), hint))
        if message_size(guess.message) <= MAX_MESSAGE_BYTES:
            return guess
    whole = build(view)
    if message_size(whole.message) <= MAX_MESSAGE_BYTES:
        return whole
    ranked = ranked_items(view)
    best, low, high = build(keep_top(view, ranked, 0)), 0, len(ranked) - 1
    while low < high:  # the largest count that fits
        middle = (low + high + 1) // 2
        candidate = build(keep_top(view, ranked, middle))
        if message_size(candidate.message) <= MAX_MESSAGE_BYTES:
            best, low = candidate, middle
        else:
            high = middle - 1
    return best


def ranked_items(view: MailView) -> list[MailItem]:
    """Items from the top down: each section's first, then each one's second, and so on."""
    rounds = zip_longest(*(section.items for section in view.sections))
    return [item for row in rounds for item in row if item is not None]


def keep_top(view: MailView, ranked: list[MailItem], count: int) -> MailView:
    kept = {id(item) for item in ranked[:count]}
    sections = [MailSection(s.name, [i for i in s.items if id(i) in kept]) for s in view.sections]
    return replace(view, sections=[s for s in sections if s.items])


def mail_environment(templates_dir: Path) -> Environment:
    """Templates of mail (templates/email/): HTML-escaped in .html.j2, plain in .txt.j2."""
    env = Environment(
        loader=FileSystemLoader(str(templates_dir / "email")),
        autoescape=select_autoescape(["html.j2"], default_for_string=False),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["bidi"] = isolated_html
    env.filters["isolated"] = isolated_text
    env.filters["http_url"] = safe_url
    env.filters["entity_label"] = lambda kind: ENTITY_LABELS.get(kind, kind)
    env.filters["short_date"] = lambda day: format_date(day, "d MMMM", locale="ar")
    return env


def isolated_html(value: object) -> Markup:
    """Escaped text; when it holds Latin letters, isolated so that names, numbers and URLs
    keep their own direction and do not drag the punctuation around them."""
    text = str(value)
    return Markup(f'<span dir="auto">{escape(text)}</span>') if LATIN.search(text) else escape(text)


def isolated_text(value: object) -> str:
    """The plain-text counterpart: Unicode first-strong isolate … pop directional isolate."""
    text = str(value)
    return f"\u2068{text}\u2069" if LATIN.search(text) else text


# --- writing and sending ------------------------------------------------------------------


def write_outbox(outgoing: Sequence[Outgoing], outbox: Path) -> list[Path]:
    """Each message as an .eml file: outbox/<period>-<first day>/<address>.eml."""
    paths = []
    for item in outgoing:
        name = re.sub(r"[^A-Za-z0-9@._+-]", "_", item.recipient.address.lower())
        path = outbox / f"{item.period.kind}-{item.period.start}" / f"{name}.eml"
        write_if_changed(path, item.message.as_bytes(policy=WIRE))
        paths.append(path)
    return paths


@dataclass
class Delivery:
    outgoing: Outgoing
    status: str  # accepted | refused (5xx: not retried) | deferred (4xx after every retry)
    reply: str = ""  # the server's last answer when not accepted
    attempts: int = 1


def deliver(outgoing: Sequence[Outgoing], settings: SmtpSettings, sender: str,
            on_result: Callable[[Delivery], None]) -> list[Delivery]:
    """Send each message in its own transaction over one connection (opened again when the
    server drops it); `on_result` sees each outcome before the next message is sent, so an
    accepted one can be recorded at once."""
    results = []
    with SmtpSession(settings, sender) as session:
        for item in outgoing:
            results.append(session.send(item))
            on_result(results[-1])
    return results


class SmtpSession:
    def __init__(self, settings: SmtpSettings, sender: str) -> None:
        self.settings = settings
        self.sender = sender
        self.where = f"smtp {settings.host}:{settings.port}"
        self.credentials = _credentials(settings)
        self.connection: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpSession:
        self._connection()  # fail early: a wrong host or certificate stops before any message
        return self

    def __exit__(self, *exc) -> None:
        if self.connection is not None and self.connection.sock is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                self.connection.close()

    def send(self, item: Outgoing) -> Delivery:
        """One message, retried with backoff after a temporary failure (4xx, a lost link)."""
        retries, backoff = self.settings.retries, self.settings.backoff
        for attempt in range(retries + 1):
            if attempt:
                time.sleep(backoff * 2 ** (attempt - 1))
            try:
                self._connection().send_message(item.message, self.sender,
                                                [item.recipient.address])
                return Delivery(item, "accepted", attempts=attempt + 1)
            except smtplib.SMTPRecipientsRefused as exc:
                code, reply = next(iter(exc.recipients.values()))
            except smtplib.SMTPResponseException as exc:  # the sender or the data refused
                code, reply = exc.smtp_code, exc.smtp_error
            except OSError as exc:  # the server hung up or the network failed: reconnect
                self.connection = None
                code, reply = 421, str(exc) or type(exc).__name__
            reply = f"{code} {_text(reply)}"
            if code >= 500:
                return Delivery(item, "refused", reply, attempt + 1)
        return Delivery(item, "deferred", reply, retries + 1)

    def _connection(self) -> smtplib.SMTP:
        if self.connection is None or self.connection.sock is None:
            self.connection = self._connect()
        return self.connection

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context(cafile=str(s.ca_file) if s.ca_file else None)
        helo = self.sender.rpartition("@")[2]
        try:
            if s.security == "tls":
                connection = smtplib.SMTP_SSL(s.host, s.port, helo, timeout=s.timeout,
                                              context=context)
            else:
                connection = smtplib.SMTP(s.host, s.port, helo, timeout=s.timeout)
                if s.security == "starttls":
                    connection.starttls(context=context)
            if self.credentials:
                connection.login(*self.credentials)
        except smtplib.SMTPNotSupportedError as exc:
            raise MailError(f"{self.where}: the server does not offer it ({exc})") from None
        except smtplib.SMTPResponseException as exc:
            raise MailError(f"{self.where}: {exc.smtp_code} {_text(exc.smtp_error)}") from None
        except ssl.SSLError as exc:
            raise MailError(f"{self.where}: TLS failed: {exc.reason or exc} (a private or "
                            f"self-signed certificate needs email.smtp.ca_file)") from None
        except OSError as exc:
            raise MailError(f"{self.where}: cannot connect: {exc.strerror or exc}") from None
        return connection


def _credentials(settings: SmtpSettings) -> tuple[str, str] | None:
    """User and password from the environment variables the configuration names."""
    if not settings.user_env:
        return None
    values = []
    for key, name in (("user_env", settings.user_env), ("password_env", settings.password_env)):
        value = os.environ.get(name)
        if not value:
            raise MailError(f"email.smtp.{key}: the environment variable {name} is not set")
        values.append(value)
    return values[0], values[1]


def _text(reply: bytes | str) -> str:
    return " ".join((reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply).split())
