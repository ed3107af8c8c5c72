"""Render: the archive (plain data) → the files of content_dir, through Jinja templates.

Every output is one entry of the page registry `PAGES`: which keys it has for a set of changed
periods, the file each key goes to, and how its content is made. `render_pages` with no
periods renders everything; with periods, only what those periods change (their day, week and
month pages and their neighbours, the archive pages above them, the entities they mention,
home and feeds), so that a new day costs the same at any archive size.

Every value a Markdown template prints is escaped for Markdown and HTML by the environment's
`finalize`, so feed text can never become markup, a link or a template expression; only values
built here as `Markdown` (links to http(s) URLs with escaped text, charts drawn by the
autoescaping SVG templates) pass through as they are. HTML, SVG and XML are made by
autoescaping templates or by feedgen. Pages are written only when their bytes change, atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape

from . import charts
from .archive import EPOCH, Archive, EntityProfile
from .arabic_numbers import count
from .ingest.parse import canonical_url
from .model import Digest, DigestArticle, EntityRecord, Watchlist
from .periods import KINDS, Period
from .report import Report, build_report

GENERATED = ("index.md", "archive", "digests", "reports", "entities", "feeds")
ENTITY_LABELS = {"PER": "شخص", "LOC": "مكان", "ORG": "مؤسسة", "MISC": "أخرى"}
TYPE_TITLES = {"PER": "أشخاص", "ORG": "مؤسسات", "LOC": "أماكن"}
TYPE_PATHS = {"PER": "people", "ORG": "organizations", "LOC": "places"}
MAX_DAY_ENTITIES = 15
MAX_HOME_ITEMS = 6
MAX_FEED_ENTRIES = 30
ENTITIES_PER_PAGE = 500
ESCAPED = {c: f"&#{ord(c)};" for c in "\\`*_{}[]<>#|~!&"}
ESCAPE_PATTERN = re.compile("[" + re.escape("".join(ESCAPED)) + "]")
LINE_START_MARKER = re.compile(r"^([-+=>]|\d+[.)])(?=\s|$)")
URL_SAFE = "/:?&=#%@+,;~$!*"
TEMP_SUFFIX = ".marsad-tmp"  # a file being written; left behind only by a killed run


class Markdown(str):
    """Markup built by Marsad itself from escaped parts: printed as it is."""


@dataclass
class WriteResult:
    """What a writer did to a folder: files written, left as they were, removed."""

    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    removed: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class Pdf:
    """A PDF to be made from its HTML, only when that HTML changed: laying out a report takes
    WeasyPrint seconds, so the writer keeps the HTML's hash beside the PDF (in a dot-file,
    which MkDocs does not publish) and makes the PDF again only when it differs."""

    html: str

    @property
    def source_hash(self) -> bytes:
        return hashlib.sha256(self.html.encode("utf-8")).hexdigest().encode("ascii")

    def data(self) -> bytes:
        from weasyprint import HTML  # imported here: it loads pango, which only PDFs need

        return HTML(string=self.html).write_pdf()


@dataclass(frozen=True)
class Site:
    """What every page needs to know of the site."""

    title: str
    tz: ZoneInfo
    site_url: str = ""  # "https://…/" or "": feeds then link relatively
    watchlists: tuple[Watchlist, ...] = ()
    pdf: bool = True


# --- escaping and links ---------------------------------------------------------------------


def escape_markdown(text: str) -> str:
    """Text that Markdown and HTML show literally, on one line."""
    text = " ".join(str(text).split())
    text = ESCAPE_PATTERN.sub(lambda m: ESCAPED[m.group()], text)
    return LINE_START_MARKER.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group()), text)


def _finalize(value) -> str:
    return value if isinstance(value, Markdown) else escape_markdown(value)


def clean_url(url: str) -> str:
    """The article's address without tracking parameters (utm_*, fbclid …); "" unless http(s)."""
    if urlsplit(url.strip()).scheme.lower() not in ("http", "https"):
        return ""
    return canonical_url(url)


def safe_url(url: str) -> str:
    """The URL cleaned and percent-encoded for a Markdown link target, or "" unless http(s)."""
    cleaned = clean_url(url)
    return quote(cleaned, safe=URL_SAFE).replace("(", "%28").replace(")", "%29") if cleaned else ""


def link(text: str, url: str) -> Markdown:
    """A Markdown link with escaped text; plain escaped text when the URL is not http(s)."""
    target = safe_url(url)
    label = bdi(text)
    return Markdown(f"[{label}]({target})" if target else label)


def bdi(text) -> Markdown:
    """Feed text isolated in its own direction, so a Latin name or a number inside Arabic (or
    the reverse) keeps its order and does not reorder what is around it."""
    return Markdown(f"<bdi>{escape_markdown(text)}</bdi>")


def page_link(text: str, path: str) -> Markdown:
    """A link to one of Marsad's own pages (a path Marsad built, never from a feed)."""
    return Markdown(f"[{escape_markdown(text)}]({path})")


def own_link(text: str, path: str) -> Markdown:
    """A link to one of Marsad's pages with feed text (a name) as its label."""
    return Markdown(f"[{bdi(text)}]({path})")


@pass_context
def entity_link(context, name: str, entity_id: str) -> Markdown:
    """The entity's name, linked to its page when it has one."""
    path = context["entity_pages"].get(entity_id)
    return own_link(name, context["root"] + path) if path else bdi(name)


def slug(name: str) -> str:
    """A file name from a configured name (a watchlist's), Arabic letters kept."""
    return "-".join(re.sub(r"[^\w\s-]", "", name).split()) or "list"


# --- where each page goes -------------------------------------------------------------------


def digest_path(day: date) -> str:
    return f"digests/{day:%Y/%m/%d}.md"


def report_path(period: Period) -> str:
    return f"reports/{period.kind}s/{period.key}.md"


def entity_path(entity_id: str) -> str:
    return f"entities/{entity_id}.md"


def entity_type_path(kind: str, page: int = 1) -> str:
    """entities/people.md, then entities/people-2.md …: a type's list a page at a time."""
    return f"entities/{TYPE_PATHS[kind]}{'' if page == 1 else f'-{page}'}.md"


def archive_year_path(year: int) -> str:
    return f"archive/{year}/index.md"


def archive_month_path(month: date) -> str:
    return f"archive/{month:%Y/%m}.md"


def watchlist_feed_path(watchlist: Watchlist) -> str:
    return f"feeds/{slug(watchlist.name)}.xml"


def sibling(path: str, suffix: str) -> str:
    """The file beside a page with another suffix: its JSON, its PDF."""
    return path.rsplit(".", 1)[0] + suffix


def relative_root(path: str) -> str:
    return "../" * path.count("/")


# --- the renderer: what the registry's entries share ----------------------------------------


class Renderer:
    """What the registry's entries share: the archive, the environments, the site."""

    def __init__(self, archive: Archive, env: Environment, site: Site) -> None:
        self.archive, self.env, self.site = archive, env, site
        self.html = env.globals["html_environment"]

    @cached_property
    def article_counts(self) -> dict[date, int]:
        return self.archive.days()

    @cached_property
    def days(self) -> list[date]:
        return list(self.article_counts)

    @cached_property
    def day_set(self) -> set[date]:
        return set(self.days)

    @cached_property
    def entities(self) -> list[EntityRecord]:
        return self.archive.entities()

    @cached_property
    def entity_pages(self) -> dict[str, str]:
        """id → page path, for every entity that has a page (others are not linked)."""
        return {e.id: entity_path(e.id) for e in self.entities}

    @cached_property
    def _periods(self) -> dict[str, list[Period]]:
        return {kind: sorted({Period.of(kind, day) for day in self.days}) for kind in KINDS}

    def periods(self, kind: str) -> list[Period]:
        """Every period of a kind that has articles, oldest first."""
        return self._periods[kind]

    def neighbours(self, period: Period) -> tuple[Period | None, Period | None]:
        """The periods with articles just before and after `period`."""
        every = self.periods(period.kind)
        i = bisect_left(every, period)
        return (every[i - 1] if i else None, every[i + 1] if i + 1 < len(every) else None)

    def report(self, period: Period) -> Report:
        return build_report(period, self.digests(period), self.digests(period.previous()))

    def digests(self, period: Period) -> list[Digest]:
        return [self.archive.digest(day) for day in period.days() if day in self.day_set]

    def markdown(self, template: str, path: str, **context) -> str:
        return self.env.get_template(template).render(
            site=self.site, root=relative_root(path), entity_pages=self.entity_pages, **context)

    def chart(self, chart: charts.Chart, template: str) -> Markdown:
        svg = self.html.get_template(f"charts/{template}.svg.j2").render(chart=chart)
        return Markdown(f'<div class="chart" dir="rtl">\n{svg.strip()}\n</div>')


# --- the registry ---------------------------------------------------------------------------


Changed = frozenset[Period] | None


@dataclass(frozen=True)
class PageKind:
    """One kind of page: its keys for a set of changed periods (None: all), the page's file for
    a key, and how the page and the files beside it (its JSON, its PDF) are made, as
    {path: content}, from data read once."""

    keys: Callable[[Renderer, Changed], Iterable[Any]]
    path: Callable[[Any], str]
    make: Callable[[Renderer, Any], dict[str, str | bytes | Pdf]]


def _changed_days(r: Renderer, changed: Changed) -> list[date]:
    """The days to render: the changed ones, and the day before each (its "next" link)."""
    if changed is None:
        return r.days
    wanted = {p.start for p in changed if p.kind == "day" and p.start in r.day_set}
    for day in list(wanted):
        before, _ = r.neighbours(Period("day", day))
        if before:
            wanted.add(before.start)
    return sorted(wanted)


def _changed_reports(kind: str) -> Callable[[Renderer, Changed], list[Period]]:
    def keys(r: Renderer, changed: Changed) -> list[Period]:
        every = r.periods(kind)
        if changed is None:
            return every
        wanted = {p for p in changed if p.kind == kind and p in every}
        for period in list(wanted):
            before, _ = r.neighbours(period)
            if before:
                wanted.add(before)
        return sorted(wanted)
    return keys


def _changed_months(r: Renderer, changed: Changed) -> list[date]:
    months = sorted({day.replace(day=1) for day in r.days})
    if changed is None:
        return months
    touched = {p.start.replace(day=1) for p in changed}
    return [m for m in months if m in touched]


def _changed_entities(r: Renderer, changed: Changed) -> list[str]:
    """The entities the changed days mention, in the order they were last seen: neighbours
    read the same latest days, which the archive then has at hand."""
    by_recency = [e.id for e in sorted(r.entities, key=lambda e: (e.last_seen or EPOCH, e.id))]
    if changed is None:
        return by_recency
    digests = [r.archive.digest(p.start) for p in changed if p.kind == "day" and p.start in r.day_set]
    ids = {e.id for digest in digests for e in digest.entities} | {  # and those only quoted
        q.speaker_id for digest in digests for section in digest.sections
        for article in section.articles for q in article.quotes if q.speaker_id}
    return [i for i in by_recency if i in ids]


def _once(r: Renderer, changed: Changed) -> list[None]:
    return [None]


def _day_page(r: Renderer, day: date) -> dict[str, str]:
    older, newer = r.neighbours(Period("day", day))
    path, digest = digest_path(day), r.archive.digest(day)
    json_path = sibling(path, ".json")
    return {path: r.markdown(
        "digest.md.j2", path, digest=digest,
        older=older and digest_path(older.start), newer=newer and digest_path(newer.start),
        week=report_path(Period.of("week", day)), month=report_path(Period.of("month", day)),
        json_name=json_path.rsplit("/", 1)[1]),
        json_path: to_json(digest)}


def _report_page(r: Renderer, period: Period) -> dict[str, str | Pdf]:
    report = r.report(period)
    older, newer = r.neighbours(period)
    path = report_path(period)
    json_path, pdf_path = sibling(path, ".json"), sibling(path, ".pdf")
    files: dict[str, str | Pdf] = {
        path: r.markdown(
            "report.md.j2", path, report=report,
            older=older and report_path(older), newer=newer and report_path(newer),
            outlet_chart=r.chart(_outlet_chart(report), "bars"),
            day_chart=r.chart(_day_chart(report), "columns"),
            json_name=json_path.rsplit("/", 1)[1],
            pdf_name=r.site.pdf and pdf_path.rsplit("/", 1)[1]),
        json_path: to_json(report)}
    if r.site.pdf:
        files[pdf_path] = _report_pdf(r, report)
    return files


def _report_pdf(r: Renderer, report: Report) -> Pdf:
    return Pdf(r.html.get_template("report.html.j2").render(
        report=report, site=r.site, outlet_chart=_outlet_chart(report), day_chart=_day_chart(report)))


def _outlet_chart(report: Report) -> charts.Chart:
    return charts.bar_chart("التغطية حسب المصدر", [(s.name, s.count) for s in report.by_outlet])


def _day_chart(report: Report) -> charts.Chart:
    return charts.time_chart("المواد حسب اليوم", report.by_day)


def _home_page(r: Renderer, _: None) -> str:
    latest = r.days[-1] if r.days else None
    digest = r.archive.digest(latest) if latest else None
    previous = r.digests(Period("day", r.days[-2])) if len(r.days) > 1 else []
    return r.markdown(
        "home.md.j2", "index.md", digest=digest,
        top=digest and top_articles(digest),
        rising=digest and rising_entities(digest, previous[0] if previous else None),
        watched=digest and [(w, watchlist_articles(digest, w)) for w in r.site.watchlists],
        latest=latest and digest_path(latest),
        yesterday=previous and digest_path(previous[0].day),
        week=latest and report_path(Period.of("week", latest)),
        month=latest and report_path(Period.of("month", latest)), feed_path=watchlist_feed_path)


def _archive_index(r: Renderer, _: None) -> str:
    years: dict[int, list[int]] = {}
    for day, articles in r.article_counts.items():
        counts = years.setdefault(day.year, [0, 0])
        counts[0] += 1
        counts[1] += articles
    return r.markdown("archive.md.j2", "archive/index.md", years=sorted(years.items(), reverse=True),
                      year_path=archive_year_path)


def _archive_year(r: Renderer, year: int) -> str:
    months: dict[date, list[int]] = {}
    for day, articles in r.article_counts.items():
        if day.year == year:
            counts = months.setdefault(day.replace(day=1), [0, 0])
            counts[0] += 1
            counts[1] += articles
    return r.markdown("archive_year.md.j2", archive_year_path(year), year=year,
                      months=sorted(months.items(), reverse=True),
                      month_path=archive_month_path, report_path=report_path)


def _archive_month(r: Renderer, month: date) -> str:
    period = Period("month", month)
    digests = list(reversed(r.digests(period)))
    weeks = sorted({Period.of("week", d.day) for d in digests}, reverse=True)
    path = archive_month_path(month)
    return r.markdown("archive_month.md.j2", path, month=month, digests=digests, weeks=weeks,
                      report=report_path(period), digest_path=digest_path, report_path=report_path)


def _entities_index(r: Renderer, _: None) -> str:
    by_type = [(kind, [e for e in r.entities if e.type == kind]) for kind in TYPE_TITLES]
    return r.markdown("entities.md.j2", "entities/index.md", by_type=by_type,
                      type_path=entity_type_path, type_titles=TYPE_TITLES)


def _entity_type(r: Renderer, kind: str) -> dict[str, str]:
    """A type's entities, most mentioned first, ENTITIES_PER_PAGE a page."""
    entities = [e for e in r.entities if e.type == kind]
    pages = max(1, -(-len(entities) // ENTITIES_PER_PAGE))
    return {entity_type_path(kind, n): r.markdown(
        "entity_type.md.j2", entity_type_path(kind, n), kind=kind, title=TYPE_TITLES[kind],
        total=len(entities), page=n, pages=pages, page_path=entity_type_path,
        entities=entities[(n - 1) * ENTITIES_PER_PAGE:n * ENTITIES_PER_PAGE])
        for n in range(1, pages + 1)}


def _entity_page(r: Renderer, entity_id: str) -> str:
    profile: EntityProfile = r.archive.profile(entity_id)
    return r.markdown(
        "entity.md.j2", entity_path(entity_id), profile=profile,
        chart=r.chart(charts.time_chart("الإشارات عبر الزمن", _daily(profile.mentions_by_day)),
                      "columns"))


def _daily(series: list[tuple[date, int]]) -> list[tuple[date, int]]:
    """Every day from the first to the last of a series, with none as 0."""
    if not series:
        return []
    known = dict(series)
    first, last = series[0][0].toordinal(), series[-1][0].toordinal()
    return [(day, known.get(day, 0)) for day in map(date.fromordinal, range(first, last + 1))]


def _digests_feed(r: Renderer, _: None) -> bytes:
    from .feeds import digests_feed
    return digests_feed([r.archive.digest(day) for day in r.days[-MAX_FEED_ENTRIES:]], r.site,
                        digest_path)


def _watchlist_feed(r: Renderer, watchlist: Watchlist) -> bytes:
    from .feeds import watchlist_feed
    found: list[DigestArticle] = []
    for day in reversed(r.days):
        found.extend(watchlist_articles(r.archive.digest(day), watchlist))
        if len(found) >= MAX_FEED_ENTRIES:
            break
    return watchlist_feed(watchlist, found[:MAX_FEED_ENTRIES], r.site, watchlist_feed_path(watchlist))


def _one(path: str, make: Callable[[Renderer, Any], str | bytes]) -> PageKind:
    """A page kind with a single page (home, the archive's and the entities' index, a feed)."""
    return PageKind(_once, lambda _: path, lambda r, key: {path: make(r, key)})


def _each(path: Callable[[Any], str], keys, make: Callable[[Renderer, Any], str | bytes]) -> PageKind:
    """A page kind with one file per key and nothing beside it."""
    return PageKind(keys, path, lambda r, key: {path(key): make(r, key)})


PAGES: dict[str, PageKind] = {
    "home": _one("index.md", _home_page),
    "day": PageKind(_changed_days, digest_path, _day_page),
    "week": PageKind(_changed_reports("week"), report_path, _report_page),
    "month": PageKind(_changed_reports("month"), report_path, _report_page),
    "archive": _one("archive/index.md", _archive_index),
    "archive-year": _each(archive_year_path,
                          lambda r, c: sorted({m.year for m in _changed_months(r, c)}), _archive_year),
    "archive-month": _each(archive_month_path, _changed_months, _archive_month),
    "entities": _one("entities/index.md", _entities_index),
    "entity-type": PageKind(lambda r, c: list(TYPE_TITLES), entity_type_path, _entity_type),
    "entity": _each(entity_path, _changed_entities, _entity_page),
    # "story": stories/<id>.md (timeline, articles by outlet, quotes) once stories land (issue 10)
    "feed-digests": _one("feeds/digests.xml", _digests_feed),
    "feed-watchlist": _each(watchlist_feed_path, lambda r, c: list(r.site.watchlists),
                            _watchlist_feed),
}


def render_pages(archive: Archive, env: Environment, site: Site,
                 periods: Iterable[Period] | None = None,
                 on_file: Callable[[str], None] | None = None) -> dict[str, str | bytes | Pdf]:
    """The files to write as {path under content_dir: content}, all built before any write:
    every file when `periods` is None, else only those the periods change. `on_file` is told
    each file's path as it is made (for a progress bar)."""
    renderer = Renderer(archive, env, site)
    changed = None if periods is None else frozenset(periods)
    files: dict[str, str | bytes | Pdf] = {}
    for kind in PAGES.values():
        for key in kind.keys(renderer, changed):
            made = kind.make(renderer, key)
            files.update(made)
            if on_file:
                for path in made:
                    on_file(path)
    return files


# --- what the pages compute from a digest ---------------------------------------------------


def top_articles(digest: Digest) -> list[DigestArticle]:
    """The day's leading items: most carried by other outlets, most quoted, newest."""
    articles = [a for s in digest.sections for a in s.articles]
    return sorted(articles, key=lambda a: (-len(a.also_in), -len(a.quotes),
                                           -a.published.timestamp(), a.id))[:MAX_HOME_ITEMS]


@dataclass
class Rising:
    name: str
    type: str
    id: str
    articles: int
    change: int  # against the day before


def rising_entities(digest: Digest, before: Digest | None) -> list[Rising]:
    """Entities with most more articles than the day before (new ones count from zero)."""
    previous = {e.id or e.name: e.articles for e in (before.entities if before else [])}
    rising = [Rising(e.name, e.type, e.id, e.articles, e.articles - previous.get(e.id or e.name, 0))
              for e in digest.entities if e.type != "MISC"]
    rising = [r for r in rising if r.change > 0]
    return sorted(rising, key=lambda r: (-r.change, -r.articles, r.name))[:MAX_HOME_ITEMS]


def watchlist_articles(digest: Digest, watchlist: Watchlist) -> list[DigestArticle]:
    """The day's articles naming one of the list's entities or containing one of its keywords."""
    names = {e.name for e in watchlist.entities}
    found = []
    for section in digest.sections:
        for article in section.articles:
            text = " ".join([article.title, *article.summary])
            if names.intersection(article.entities) or any(k in text for k in watchlist.keywords):
                found.append(article)
    return found


def to_json(data) -> str:
    """The full data of a page, as the page's JSON file."""
    return json.dumps(_plain(data), ensure_ascii=False, indent=1) + "\n"


def _plain(value):
    if isinstance(value, Period):
        return {"kind": value.kind, "key": value.key, "start": value.start.isoformat(),
                "end": value.end.isoformat()}
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)} | (
            {"article_count": value.article_count} if isinstance(value, Digest) else {})
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


# --- environments and writing ---------------------------------------------------------------


def arabic_date(day: date) -> str:
    return format_date(day, "full", locale="ar")


def period_title(period: Period) -> str:
    """"الأسبوع 48 من 2026 (23 – 29 نوفمبر)" or "نوفمبر 2026"."""
    if period.kind == "month":
        return format_date(period.start, "MMMM y", locale="ar")
    if period.kind == "day":
        return arabic_date(period.start)
    year, week, _ = period.start.isocalendar()
    span = f"{format_date(period.start, 'd MMMM', locale='ar')} – {format_date(period.last, 'd MMMM y', locale='ar')}"
    return f"الأسبوع {week} من {year} ({span})"


def make_environment(templates_dir: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        finalize=_finalize,
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    html = Environment(loader=FileSystemLoader(str(templates_dir)), undefined=StrictUndefined,
                       autoescape=select_autoescape(["html", "svg", "xml", "j2"]),
                       trim_blocks=True, lstrip_blocks=True)
    for target in (env, html):
        target.filters["arabic_date"] = arabic_date
        target.filters["month"] = lambda day: format_date(day, "MMMM y", locale="ar")
        target.filters["entity_label"] = lambda kind: ENTITY_LABELS.get(kind, kind)
        target.filters["count"] = count
        target.filters["period_title"] = period_title
        target.filters["clean_url"] = clean_url
    env.filters["link"] = link
    env.filters["bdi"] = bdi
    env.globals["page_link"] = page_link
    env.globals["entity_link"] = entity_link
    env.globals["period_of"] = Period.of
    env.globals["heading"] = lambda level: Markdown("#" * level)
    env.globals["html_environment"] = html
    env.globals["MAX_DAY_ENTITIES"] = MAX_DAY_ENTITIES
    return env


def write_pages(pages: dict[str, str | bytes | Pdf], content_dir: Path,
                full: bool = True) -> WriteResult:
    """Write changed files; after a full render, remove generated files nothing produces now."""
    result = WriteResult()
    kept: set[Path] = set()
    for relative, content in sorted(pages.items()):
        path = content_dir / relative
        if isinstance(content, Pdf):
            changed = _write_pdf(path, content)
            kept.add(pdf_hash_path(path))
        else:
            changed = write_if_changed(path, content.encode("utf-8") if isinstance(content, str)
                                       else content)
        if changed:
            result.written.append(path)
        else:
            result.unchanged += 1
    if full:
        wanted = {content_dir / relative for relative in pages} | kept
        for name in GENERATED + ("archive.md",):  # archive.md: the flat archive of old versions
            target = content_dir / name
            stale = sorted(target.rglob("*")) if target.is_dir() else [target]
            for path in stale:
                if path.is_file() and path not in wanted:
                    path.unlink()
                    result.removed.append(path)
    return result


def pdf_hash_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.sha256")


def _write_pdf(path: Path, pdf: Pdf) -> bool:
    """Make and write the PDF unless the one there was made from the same HTML."""
    marker = pdf_hash_path(path)
    if path.is_file() and marker.is_file() and marker.read_bytes() == pdf.source_hash:
        return False
    changed = write_if_changed(path, pdf.data())
    write_if_changed(marker, pdf.source_hash)
    return changed


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically replace `path` with `data` unless it already holds exactly that.

    The file gets the permissions any new file gets here (0666 less the umask), not
    mkstemp's 0600: a web server running as another user must be able to read the site."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        os.fchmod(fd, 0o666 & ~current_umask())
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return True


def current_umask() -> int:
    """The process's umask; reading it means setting it, so it is set straight back."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def remove_temp_files(folder: Path) -> int:
    """Remove the temporary files a killed run left in `folder` (under the run lock)."""
    leftovers = list(folder.rglob(f".*{TEMP_SUFFIX}")) if folder.is_dir() else []
    for path in leftovers:
        path.unlink(missing_ok=True)
    return len(leftovers)
