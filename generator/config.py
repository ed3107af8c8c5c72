"""marsad.yml: read, validate and resolve into a typed, immutable Config.

Every problem is reported as one `ConfigError` line naming the file, the field and what is
wrong, so that a user can fix a typo without reading a traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from .model import (
    ENTITY_TYPES, AnalysisSettings, FetchPolicy, Limits, Source, WatchEntity, Watchlist,
)

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
# Installed from a wheel, the templates are package data; in a checkout, the top-level folder.
_PACKAGED_TEMPLATES = Path(__file__).resolve().parent / "templates"
DEFAULT_TEMPLATES = _PACKAGED_TEMPLATES if _PACKAGED_TEMPLATES.is_dir() else PACKAGE_ROOT / "templates"

TOP_KEYS = {
    "title", "timezone", "sources", "sources_opml", "watchlists", "http", "limits", "data_dir",
    "content_dir", "site_dir", "templates_dir", "mkdocs_config", "store", "analysis", "site_url",
    "entity_pages", "report_pdf",
}
SOURCE_KEYS = {"name", "url", "section", "language", "fulltext", "allow_private"}
FULLTEXT_POLICIES = ("auto", "always", "never")
HTTP_KEYS = {
    "connections_per_host": (int, 1, 16), "connect_timeout": (float, 0.1, 120.0),
    "read_timeout": (float, 0.1, 600.0), "max_mb": (float, 0.1, 1024.0),
    "max_redirects": (int, 0, 20), "retries": (int, 0, 10),
    "request_timeout": (float, 1.0, 3600.0), "allow_private": (bool, False, True),
}
LIMIT_KEYS = {
    "ingest_minutes": (float, 0.1, 1440.0), "entries_per_feed": (int, 1, 100_000),
    "article_chars": (int, 1000, 10_000_000), "quotes_per_article": (int, 0, 10_000),
    "articles_per_page": (int, 1, 100_000),
}
ANALYSIS_KEYS = {"workers", "device", "cluster"}
DEVICES = ("auto", "cpu", "cuda")
MAX_WORKERS = 256
WATCHLIST_KEYS = {"name", "entities", "keywords"}
ENTITY_KEYS = {"name", "type", "aliases"}


class ConfigError(ValueError):
    """A mistake in the user's configuration; its message is one line for the user."""


class UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, except that a key given twice in one mapping is an error (YAML
    would keep the last silently: a second `sources:` would drop the first list)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


@dataclass(frozen=True)
class Config:
    path: Path
    title: str
    timezone: str
    sources: tuple[Source, ...]
    watchlists: tuple[Watchlist, ...]
    data_dir: Path
    content_dir: Path
    site_dir: Path
    templates_dir: Path
    mkdocs_config: Path
    http: FetchPolicy = FetchPolicy()
    limits: Limits = Limits()
    analysis: AnalysisSettings = AnalysisSettings()
    sources_opml: Path | None = None
    store_url: str = ""  # a database URL; "" for the SQLite file in data_dir
    site_url: str = ""  # "https://host/path/" (ends with /), or "" when not published yet
    entity_pages: int = 3  # the mentions an entity needs for a page of its own
    report_pdf: bool = True

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def db_path(self) -> Path:
        return self.data_dir / "marsad.sqlite"

    @property
    def store(self) -> str:
        """Where the store is: its database URL, or the SQLite file's path."""
        return self.store_url or str(self.db_path)

    @property
    def sections(self) -> tuple[str, ...]:
        """Sections in the order the sources first name them: the order of digest pages."""
        return tuple(dict.fromkeys(s.section for s in self.sources))


def load_config(path: Path) -> Config:
    """Read `path`; relative paths inside it are relative to the file's folder."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=UniqueKeyLoader)  # noqa: S506
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found (pass --config PATH)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(f"{path}:{where}: {problem}") from None
    return parse_config(raw, path)


def parse_config(raw: Any, path: Path) -> Config:
    fail = _failer(path)
    if not isinstance(raw, dict):
        fail("", "must be a mapping of settings (title, timezone, sources, …)")
    _reject_unknown(raw, TOP_KEYS, "", fail)
    base = path.resolve().parent
    timezone = _string(raw, "timezone", "", fail, default="UTC")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        fail("timezone", f"unknown IANA time zone {timezone!r} (e.g. Asia/Riyadh)")
    opml = base / _string(raw, "sources_opml", "", fail) if "sources_opml" in raw else None
    sources = _sources(raw.get("sources") or [], base, fail) + _opml_sources(opml, fail)
    if not sources:
        fail("sources", "is empty: list at least one feed (or import an OPML file)")
    return Config(
        path=path,
        title=_string(raw, "title", "", fail, default="مرصد"),
        timezone=timezone,
        sources=_unique_names(sources, fail),
        sources_opml=opml,
        http=_http(raw.get("http") or {}, fail),
        limits=Limits(**_settings(raw.get("limits") or {}, "limits", LIMIT_KEYS, fail)),
        analysis=_analysis(raw.get("analysis") or {}, fail),
        watchlists=_watchlists(raw.get("watchlists") or [], fail),
        data_dir=base / _string(raw, "data_dir", "", fail, default=".marsad"),
        content_dir=base / _string(raw, "content_dir", "", fail, default="content"),
        site_dir=base / _string(raw, "site_dir", "", fail, default="site"),
        templates_dir=base / _string(raw, "templates_dir", "", fail, default=str(DEFAULT_TEMPLATES)),
        mkdocs_config=base / _string(raw, "mkdocs_config", "", fail, default="mkdocs.yml"),
        store_url=_store_url(raw, base, fail),
        site_url=_site_url(raw.get("site_url"), fail),
        entity_pages=_whole_number(raw, "entity_pages", 3, fail),
        report_pdf=_flag(raw, "report_pdf", True, fail),
    )


def _failer(path: Path):
    def fail(field: str, problem: str):
        where = f"{field}: " if field else ""
        raise ConfigError(f"{path}: {where}{problem}")

    return fail


def _reject_unknown(mapping: dict, allowed: set[str], where: str, fail) -> None:
    for key in mapping:
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            fail(f"{where}{key}", f"unknown setting (known: {known})")


def _string(mapping: dict, key: str, where: str, fail, default: str | None = None) -> str:
    value = mapping.get(key, default)
    if value is None:
        fail(f"{where}{key}", "is required")
    if not isinstance(value, str) or not value.strip():
        fail(f"{where}{key}", f"must be a non-empty text, got {value!r}")
    return value.strip()


def _list(value: Any, field: str, fail) -> list:
    if not isinstance(value, list):
        fail(field, f"must be a list, got {type(value).__name__}")
    return value


def _sources(value: Any, base: Path, fail) -> tuple[Source, ...]:
    sources = []
    for i, item in enumerate(_list(value, "sources", fail)):
        where = f"sources[{i}]."
        if not isinstance(item, dict):
            fail(f"sources[{i}]", "must be a mapping with name, url and section")
        _reject_unknown(item, SOURCE_KEYS, where, fail)
        url = _source_url(_string(item, "url", where, fail), base, f"{where}url", fail)
        fulltext = _string(item, "fulltext", where, fail, default="auto")
        if fulltext not in FULLTEXT_POLICIES:
            fail(f"{where}fulltext", f"must be one of {', '.join(FULLTEXT_POLICIES)}, got {fulltext!r}")
        allow_private = item.get("allow_private", False)
        if not isinstance(allow_private, bool):
            fail(f"{where}allow_private", f"must be true or false, got {allow_private!r}")
        sources.append(Source(
            name=_string(item, "name", where, fail),
            url=url,
            section=_string(item, "section", where, fail, default="عام"),
            language=_string(item, "language", where, fail, default="ar"),
            fulltext=fulltext,
            allow_private=allow_private,
        ))
    return tuple(sources)


def _opml_sources(path: Path | None, fail) -> tuple[Source, ...]:
    """The machine-managed part of the source list (`marsad sources import`)."""
    if path is None or not path.exists():
        return ()
    from .ingest.opml import OpmlError, read_opml  # here: the ingest package is slow to import

    try:
        return tuple(read_opml(path.read_bytes(), str(path)).sources)
    except OpmlError as exc:
        fail("sources_opml", str(exc))
    except OSError as exc:
        fail("sources_opml", f"{path}: cannot read ({exc.strerror})")


def _unique_names(sources: tuple[Source, ...], fail) -> tuple[Source, ...]:
    seen: set[str] = set()
    for i, source in enumerate(sources):
        if source.name in seen:
            fail(f"sources[{i}].name", f"duplicate source name {source.name!r}")
        seen.add(source.name)
    return sources


def _http(value: Any, fail) -> FetchPolicy:
    """Fetch settings; each bounded, so a typo cannot turn into a denial of service."""
    settings = _settings(value, "http", HTTP_KEYS, fail)
    defaults = FetchPolicy()
    return FetchPolicy(
        per_host=settings.get("connections_per_host", defaults.per_host),
        connect_timeout=settings.get("connect_timeout", defaults.connect_timeout),
        read_timeout=settings.get("read_timeout", defaults.read_timeout),
        max_bytes=int(settings.get("max_mb", defaults.max_bytes / 1024 / 1024) * 1024 * 1024),
        max_redirects=settings.get("max_redirects", defaults.max_redirects),
        retries=settings.get("retries", defaults.retries),
        request_timeout=settings.get("request_timeout", defaults.request_timeout),
        allow_private=settings.get("allow_private", defaults.allow_private),
    )


def _site_url(value: Any, fail) -> str:
    """The published address, always ending in /, so page paths can be appended."""
    if value is None:
        return ""
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        fail("site_url", f"must be an http(s) address like https://example.org/marsad/, got {value!r}")
    return value.rstrip("/") + "/"


def _whole_number(mapping: dict, key: str, default: int, fail) -> int:
    value = mapping.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        fail(key, f"must be a whole number of at least 1, got {value!r}")
    return value


def _flag(mapping: dict, key: str, default: bool, fail) -> bool:
    value = mapping.get(key, default)
    if not isinstance(value, bool):
        fail(key, f"must be true or false, got {value!r}")
    return value


def _settings(value: Any, section: str, known: dict[str, tuple], fail) -> dict[str, Any]:
    """The settings given in one section, each checked against its type and bounds."""
    if not isinstance(value, dict):
        fail(section, "must be a mapping of settings")
    _reject_unknown(value, set(known), f"{section}.", fail)
    settings = {}
    for key, (kind, low, high) in known.items():
        if key not in value:
            continue
        setting = value[key]
        if kind is bool:
            if not isinstance(setting, bool):
                fail(f"{section}.{key}", f"must be true or false, got {setting!r}")
        elif isinstance(setting, bool) or not isinstance(setting, (int, float)) or \
                (kind is int and not isinstance(setting, int)) or not low <= setting <= high:
            fail(f"{section}.{key}",
                 f"must be a {kind.__name__} from {low:g} to {high:g}, got {setting!r}")
        settings[key] = setting
    return settings


def _analysis(value: Any, fail) -> AnalysisSettings:
    if not isinstance(value, dict):
        fail("analysis", "must be a mapping of analysis settings (workers, device, cluster)")
    _reject_unknown(value, ANALYSIS_KEYS, "analysis.", fail)
    workers = value.get("workers", available_cores())
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= MAX_WORKERS:
        fail("analysis.workers", f"must be a whole number from 1 to {MAX_WORKERS}, got {workers!r}")
    device = _string(value, "device", "analysis.", fail, default="auto")
    if device not in DEVICES:
        fail("analysis.device", f"must be one of {', '.join(DEVICES)}, got {device!r}")
    cluster = _string(value, "cluster", "analysis.", fail) if "cluster" in value else ""
    if cluster and "://" not in cluster:
        fail("analysis.cluster", f"must be a scheduler address such as tcp://host:8786, got {cluster!r}")
    return AnalysisSettings(workers, device, cluster)


def available_cores() -> int:
    """The cores this process may run on (fewer than the machine's under a CPU limit)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _source_url(url: str, base: Path, field: str, fail) -> str:
    """An http(s) URL as written, or a local path made absolute. Other schemes are refused."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError as exc:
        fail(field, f"{url!r}: invalid URL ({exc})")
    if scheme in ("http", "https"):
        from .ingest.addresses import url_problem  # here: it imports the HTTP client

        if problem := url_problem(url):
            fail(field, f"{url!r}: {problem}")
        return url
    if scheme and len(scheme) > 1:  # a one-letter scheme is a Windows drive
        fail(field, f"{url!r}: only http(s) URLs or local file paths are allowed")
    return str((base / url).resolve())


def _store_url(raw: dict, base: Path, fail) -> str:
    """`store`: sqlite:///path (relative to this file) or postgresql://user@host/db."""
    if "store" not in raw:
        return ""
    url = _string(raw, "store", "", fail)
    scheme, _, rest = url.partition("://")
    if scheme == "sqlite" and rest.startswith("/") and len(rest) > 1:
        return f"sqlite:///{(base / rest[1:]).resolve()}" if not rest.startswith("//") \
            else f"sqlite:///{rest[1:]}"
    if scheme in ("postgresql", "postgres") and rest:
        return url
    fail("store", f"{url!r}: must be sqlite:///path/to/file.sqlite or "
                  "postgresql://user@host[:port]/database")


def _watchlists(value: Any, fail) -> tuple[Watchlist, ...]:
    lists = []
    for i, item in enumerate(_list(value, "watchlists", fail)):
        where = f"watchlists[{i}]."
        if not isinstance(item, dict):
            fail(f"watchlists[{i}]", "must be a mapping with name, entities and keywords")
        _reject_unknown(item, WATCHLIST_KEYS, where, fail)
        entities = tuple(
            _watch_entity(e, f"{where}entities[{j}]", fail)
            for j, e in enumerate(_list(item.get("entities") or [], f"{where}entities", fail))
        )
        keywords = tuple(
            _text_item(k, f"{where}keywords[{j}]", fail)
            for j, k in enumerate(_list(item.get("keywords") or [], f"{where}keywords", fail))
        )
        lists.append(Watchlist(_string(item, "name", where, fail), entities, keywords))
    return tuple(lists)


def _watch_entity(item: Any, where: str, fail) -> WatchEntity:
    if isinstance(item, str):
        item = {"name": item}
    if not isinstance(item, dict):
        fail(where, "must be a name or a mapping with name, type and aliases")
    _reject_unknown(item, ENTITY_KEYS, f"{where}.", fail)
    kind = _string(item, "type", f"{where}.", fail, default="PER").upper()
    if kind not in ENTITY_TYPES:
        fail(f"{where}.type", f"must be one of {', '.join(ENTITY_TYPES)}, got {kind!r}")
    aliases = tuple(
        _text_item(a, f"{where}.aliases[{k}]", fail)
        for k, a in enumerate(_list(item.get("aliases") or [], f"{where}.aliases", fail))
    )
    return WatchEntity(_string(item, "name", f"{where}.", fail), kind, aliases)


def _text_item(value: Any, where: str, fail) -> str:
    if not isinstance(value, str) or not value.strip():
        fail(where, f"must be a non-empty text, got {value!r}")
    return value.strip()
