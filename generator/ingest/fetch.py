"""Polite HTTP: concurrent across hosts, a few connections per host, conditional GET, retries.

One `Fetcher` fetches many URLs at once with httpx on an asyncio loop. Every outcome, good or
bad, is a `FetchResult` with an error kind that source health scores; nothing raises.
"""

from __future__ import annotations

import asyncio
import email.utils
import ssl
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import certifi
import httpx

from .. import __version__
from ..model import FetchPolicy  # noqa: F401 (the stage's settings, kept in model.py)
from .addresses import NOT_HTTP, AddressRefused, GuardedTransport, origin, url_problem
from .parse import one_line

USER_AGENT = f"Marsad/{__version__} (Arabic media monitoring; +https://github.com/marsad-news/marsad)"
REDIRECT_CODES = {301, 302, 303, 307, 308}
PERMANENT_REDIRECTS = {301, 308}
RETRY_CODES = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class FetchRequest:
    url: str
    etag: str = ""
    last_modified: str = ""
    trusted_origin: str = ""  # scheme://host:port that may be a private address (a source's)


@dataclass
class FetchResult:
    url: str  # the URL asked for
    final_url: str = ""
    status: int = 0
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    moved_to: str = ""  # where a permanent redirect points: the source's new URL
    # "", dns, tls, connect, timeout, http4xx, http5xx, too_large, redirect, scheme, file,
    # url (not a valid URL), policy (a private address the network policy refuses)
    error_kind: str = ""
    error: str = ""
    seconds: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return not self.error_kind


class Fetcher:
    """Many concurrent fetches, at most `per_host` at a time to one host, `total` in all.

        async with Fetcher(policy) as fetcher:
            result = await fetcher.fetch(FetchRequest(url, etag, last_modified))

    Each host gets its own small connection pool: one shared pool for a thousand hosts makes
    httpcore scan every connection for every request it places, which costs more than the
    fetching. The TLS context (certificate store) is loaded once and shared. Every hop of a
    request is checked against the network policy where its connection is opened."""

    def __init__(self, policy: FetchPolicy = FetchPolicy()) -> None:
        self.policy = policy
        self._hosts: dict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(policy.per_host))
        self._clients: dict[tuple[str, bool], httpx.AsyncClient] = {}
        self._slots = asyncio.Semaphore(policy.total)
        self._tls = ssl.create_default_context(cafile=certifi.where())

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc) -> None:
        for client in self._clients.values():
            await client.aclose()

    def _client(self, url: str, request: FetchRequest) -> httpx.AsyncClient:
        """The client for this URL's host, allowed private addresses or not."""
        allow_private = self.policy.allow_private or origin(url) == request.trusted_origin
        key = (origin(url), allow_private)
        if key not in self._clients:
            per_host = self.policy.per_host
            limits = httpx.Limits(max_connections=per_host, max_keepalive_connections=per_host)
            self._clients[key] = httpx.AsyncClient(
                transport=GuardedTransport(self._tls, limits, allow_private),
                timeout=httpx.Timeout(self.policy.read_timeout, connect=self.policy.connect_timeout),
                follow_redirects=False, headers={"User-Agent": USER_AGENT})
        return self._clients[key]

    async def fetch(self, request: FetchRequest) -> FetchResult:
        """An http(s) URL over the network; anything else is read as a local file path."""
        if urlsplit(request.url).scheme.lower() not in ("http", "https"):
            return read_local(request.url, self.policy.max_bytes)
        if problem := url_problem(request.url):
            result = FetchResult(url=request.url)
            _failed(result, "url", f"{problem}: {request.url[:200]}")
            return result
        host = urlsplit(request.url).netloc.lower()
        async with self._hosts[host], self._slots:
            try:
                async with asyncio.timeout(self.policy.request_timeout):
                    return await self._fetch_with_retries(request)
            except TimeoutError:
                result = FetchResult(url=request.url, seconds=self.policy.request_timeout)
                _failed(result, "timeout",
                        f"no complete answer within {self.policy.request_timeout:g} s")
                return result

    def fetch_all(self, requests: Sequence[FetchRequest]) -> list[FetchResult]:
        """Fetch a batch from synchronous code: blocks until every one is done."""

        async def run() -> list[FetchResult]:
            async with Fetcher(self.policy) as fetcher:
                return await asyncio.gather(*(fetcher.fetch(r) for r in requests))

        return asyncio.run(run())

    async def _fetch_with_retries(self, request: FetchRequest) -> FetchResult:
        started = time.perf_counter()
        for attempt in range(self.policy.retries + 1):
            result = await self._fetch_following(request)
            retryable = result.status in RETRY_CODES or result.error_kind == "timeout"
            if not retryable or attempt == self.policy.retries:
                break
            await asyncio.sleep(self._delay(result, attempt))
        result.seconds = time.perf_counter() - started
        return result

    def _delay(self, result: FetchResult, attempt: int) -> float:
        """Retry-After when the server gives one (capped), else exponential backoff."""
        wait = retry_after_seconds(result.headers.get("retry-after", ""))
        if wait is None:
            wait = self.policy.backoff * 2 ** attempt
        return min(wait, self.policy.max_retry_after)

    async def _fetch_following(self, request: FetchRequest) -> FetchResult:
        result = FetchResult(url=request.url)
        url, permanent = request.url, True
        headers = conditional_headers(request)
        for _ in range(self.policy.max_redirects + 1):
            response_or_error = await self._get(self._client(url, request), url, headers, result)
            if response_or_error is None:
                return result
            status, response_headers, location = response_or_error
            if status in REDIRECT_CODES and location:
                target = redirect_target(url, location)
                if problem := url_problem(target):
                    outside = problem == NOT_HTTP
                    _failed(result, "scheme" if outside else "redirect",
                            f"redirected outside http(s): {target[:200]}" if outside
                            else f"redirected to a bad URL: {problem}")
                    return result
                permanent = permanent and status in PERMANENT_REDIRECTS
                if permanent:
                    result.moved_to = target
                url = target
                continue
            return result
        _failed(result, "redirect", f"more than {self.policy.max_redirects} redirects")
        return result

    async def _get(self, client, url, headers, result: FetchResult):
        """One GET into `result`; (status, headers, location) or None when it failed."""
        try:
            async with client.stream("GET", url, headers=headers) as response:
                result.final_url, result.status = str(response.url), response.status_code
                result.headers = {k.lower(): v for k, v in response.headers.items()}
                if response.status_code in REDIRECT_CODES:
                    return response.status_code, result.headers, response.headers.get("location", "")
                if response.status_code >= 400:
                    kind = "http5xx" if response.status_code >= 500 else "http4xx"
                    _failed(result, kind, f"HTTP {response.status_code} {response.reason_phrase}")
                    return response.status_code, result.headers, ""
                if response.status_code == 304:
                    return 304, result.headers, ""
                result.body = await self._read_capped(response, result)
                return (None if result.error_kind else response.status_code), result.headers, ""
        except httpx.TimeoutException:
            return _failed(result, "timeout", "timed out")
        except AddressRefused as exc:
            return _failed(result, "policy", str(exc))
        except httpx.ConnectError as exc:
            return _failed(result, *connect_error_kind(exc))
        except (httpx.InvalidURL, ValueError, UnicodeError) as exc:
            return _failed(result, "url", f"invalid URL: {_one_line(exc)}")
        except httpx.RemoteProtocolError as exc:
            if "location" in str(exc).lower():  # httpx reads Location even when not following
                return _failed(result, "redirect", f"redirected to a bad URL: {_one_line(exc)}")
            return _failed(result, "connect", f"network error: {_one_line(exc)}")
        except (httpx.HTTPError, ssl.SSLError, OSError) as exc:
            return _failed(result, "connect", f"network error: {_one_line(exc)}")

    async def _read_capped(self, response: httpx.Response, result: FetchResult) -> bytes:
        """The decompressed body, stopping as soon as it passes max_bytes (gzip bombs too)."""
        declared = response.headers.get("content-length", "")
        encoded = response.headers.get("content-encoding", "identity")
        limit = self.policy.max_bytes
        if declared.isdigit() and encoded == "identity" and int(declared) > limit:
            _failed(result, "too_large", f"larger than {limit // (1024 * 1024)} MB")
            return b""
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                _failed(result, "too_large", f"larger than {limit // (1024 * 1024)} MB")
                return b""
            chunks.append(chunk)
        return b"".join(chunks)


def conditional_headers(request: FetchRequest) -> dict[str, str]:
    headers = {}
    if request.etag:
        headers["If-None-Match"] = request.etag
    if request.last_modified:
        headers["If-Modified-Since"] = request.last_modified
    return headers


def redirect_target(url: str, location: str) -> str:
    """Where a Location header points, resolved against the URL that sent it."""
    try:
        return urljoin(url, location.strip())
    except ValueError:  # a broken IPv6 host, say
        return location.strip()


def retry_after_seconds(value: str) -> float | None:
    """Retry-After as seconds, from either of its forms (delta seconds or an HTTP date)."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def read_local(path: str, max_bytes: int) -> FetchResult:
    """A local feed file, reported like a fetch so that health and stats treat both alike."""
    result = FetchResult(url=path, final_url=path)
    scheme = urlsplit(path).scheme.lower()
    file = Path(path)
    try:
        if scheme and len(scheme) > 1:
            _failed(result, "scheme", f"refused URL scheme {scheme!r}: only http(s) and local files")
        elif file.stat().st_size > max_bytes:
            _failed(result, "too_large", f"larger than {max_bytes // (1024 * 1024)} MB")
        else:
            result.body, result.status = file.read_bytes(), 200
    except FileNotFoundError:
        _failed(result, "file", f"{path}: file not found")
    except OSError as exc:
        _failed(result, "file", f"{path}: cannot read ({exc.strerror})")
    return result


def _failed(result: FetchResult, kind: str, message: str) -> None:
    """Record the failure in `result`; returns None, which `_get` passes on as "no response"."""
    result.error_kind, result.error = kind, message
    result.body = b""


def connect_error_kind(exc: Exception) -> tuple[str, str]:
    text = _one_line(exc)
    lowered = text.lower()
    if any(s in lowered for s in ("name or service not known", "nodename nor servname",
                                  "temporary failure in name resolution", "getaddrinfo",
                                  "no address associated")):
        return "dns", f"DNS lookup failed: {text}"
    if "ssl" in lowered or "certificate" in lowered or "tls" in lowered:
        return "tls", f"TLS error: {text}"
    return "connect", f"cannot connect: {text}"


def _one_line(exc: Exception) -> str:
    return one_line(str(exc)) or type(exc).__name__
