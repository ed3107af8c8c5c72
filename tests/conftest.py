"""Shared fixtures: a real HTTP server on localhost, and builders of small test data."""

from __future__ import annotations

import http.server
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from postgres_server import PostgresServer, postgres_bin

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "build" / "test-artifacts"  # screenshots and pages kept for a reader


def pytest_terminal_summary(terminalreporter) -> None:
    if ARTIFACTS.is_dir() and any(ARTIFACTS.rglob("*.png")):
        terminalreporter.write_line(f"test artifacts (screenshots): {ARTIFACTS}")


class FeedServer:
    """A real HTTP server on 127.0.0.1 for the tests.

    `routes` maps a path to (status, headers, body), or to a function of the request handler
    returning that, for responses that depend on the request (ETag checks, counters, delays).
    Every request is kept in `requests` as (path, headers)."""

    def __init__(self) -> None:
        self.routes: dict[str, object] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path, (404, {}, b"not found"))
                status, headers, body = route(self) if callable(route) else route
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if "Content-Length" not in headers and not isinstance(body, Iterator):
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    for chunk in ([body] if isinstance(body, bytes) else body):
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading: what a size cap does

            def log_message(self, *args) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def count(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def rss(items: list[str], title: str = "مصدر تجريبي") -> bytes:
    """An RSS 2.0 document around already-written <item> elements."""
    body = "".join(items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{title}</title><link>https://example.org/</link>{body}</channel></rss>"
            ).encode("utf-8")


def rss_item(title: str, link: str, description: str, date: str = "Fri, 27 Nov 2026 09:00:00 +0000") -> str:
    return (f"<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate>"
            f"<description><![CDATA[{description}]]></description></item>")


def marsad(folder: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "--no-progress", *args], cwd=folder,
                          input=stdin, capture_output=True, text=True, timeout=600)


def copy_samples_project(folder: Path) -> Path:
    """The project's configuration, samples and hand-written pages, copied into `folder`."""
    for name in ("marsad.yml", "mkdocs.yml"):
        shutil.copy(REPO / name, folder / name)
    shutil.copytree(REPO / "samples", folder / "samples")
    shutil.copytree(REPO / "content", folder / "content",
                    ignore=shutil.ignore_patterns("digests", "index.md", "archive.md"))
    return folder


@pytest.fixture(scope="session")
def project(tmp_path_factory) -> Path:
    return copy_samples_project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="session")
def first_run(project) -> subprocess.CompletedProcess:
    return marsad(project, "run")


# --- a real PostgreSQL server for the store's contract tests --------------------------------


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed here (make test installs Debian's postgresql)")
    server = PostgresServer(bin_dir)
    try:
        server.start()
    except (subprocess.CalledProcessError, OSError, LookupError) as exc:
        detail = getattr(exc, "stderr", "") or exc
        shutil.rmtree(server.folder, ignore_errors=True)
        pytest.skip(f"PostgreSQL could not be started here: {str(detail).strip()[:200]}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request, tmp_path) -> str:
    """Each store contract test runs on both backends: a SQLite file, a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "marsad.sqlite")
    return request.getfixturevalue("postgres").new_database()
