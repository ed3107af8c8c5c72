"""Network policy: a feed may only make Marsad connect to public addresses.

Feeds and pages are written by strangers, and their links, redirects and canonical URLs would
otherwise make the monitoring machine fetch its own network (routers, metadata services,
intranet pages) and publish what comes back. So the check is made where the connection is
made: the host is resolved here, with the system's resolver (which is what reads the decimal,
octal, hex and short spellings of an IPv4 address), every address it gives is checked, and the
socket is opened to an address that passed, never to a second resolution that could differ.
IPv4 addresses inside IPv6 ones (mapped, 6to4, Teredo, the old compatible form) are checked as
the IPv4 address they carry. Private addresses are opened by `http.allow_private` or, for one
source's own origin, by the source's `allow_private`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Iterable
from urllib.parse import urlsplit

import httpcore
import httpx

DEFAULT_PORTS = {"http": 80, "https": 443}
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
NOT_HTTP = "not an http(s) URL"


class AddressRefused(Exception):
    """The host resolves only to addresses the network policy does not allow."""


def is_public(address: str) -> bool:
    """A globally routable unicast address (not loopback, private, link-local, reserved…)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in IPV4_COMPATIBLE:
            return False
        teredo = ip.teredo[1] if ip.teredo else None
        embedded = ip.ipv4_mapped or ip.sixtofour or teredo
        if embedded is not None:
            ip = embedded
    return ip.is_global and not ip.is_multicast


def url_problem(url: str) -> str:
    """Why `url` cannot be fetched as an http(s) URL; "" when it can."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a port out of range or not a number)
    except ValueError as exc:
        return f"invalid URL ({exc})"
    if parts.scheme.lower() not in DEFAULT_PORTS:
        return NOT_HTTP
    if not parts.hostname:
        return "no host in URL"
    try:
        httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        return f"invalid URL ({exc})"
    return ""


def origin(url: str) -> str:
    """scheme://host:port of a valid http(s) URL: the unit a source's trust applies to."""
    parsed = httpx.URL(url)
    return f"{parsed.scheme}://{parsed.host}:{parsed.port or DEFAULT_PORTS[parsed.scheme]}"


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting only to addresses the policy allows."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable | None = None) -> httpcore.AsyncNetworkStream:
        addresses = await _resolve(host, port, timeout)
        allowed = [a for a in addresses if self.allow_private or is_public(a)]
        if not allowed:
            raise AddressRefused(
                f"refused to connect to {host} ({addresses[0]}): not a public address "
                f"(set http.allow_private, or allow_private on the source, for intranet feeds)")
        error: Exception | None = None
        for address in allowed:
            try:
                return await self._backend.connect_tcp(address, port, timeout=timeout,
                                                       local_address=local_address,
                                                       socket_options=socket_options)
            except httpcore.ConnectError as exc:
                error = exc
        raise error

    async def connect_unix_socket(self, *args, **kwargs):
        raise AddressRefused("unix sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


async def _resolve(host: str, port: int, timeout: float | None) -> list[str]:
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(
            loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout)
    except TimeoutError:
        raise httpcore.ConnectTimeout(f"DNS lookup of {host} timed out") from None
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"getaddrinfo: {host}: {exc}") from None
    return list(dict.fromkeys(info[4][0] for info in infos))


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over a `GuardedBackend`.

    httpx takes no network backend, so the connection pool it made is replaced by the same
    pool with ours (and no proxy from the environment: it would connect in our place)."""

    def __init__(self, tls: ssl.SSLContext, limits: httpx.Limits, allow_private: bool) -> None:
        super().__init__(verify=tls, limits=limits, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=tls, max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(allow_private))
