"""A first search on a built site, in headless Chromium: what it finds and what it downloads.

The site is served from a local HTTP server; the search page's Pagefind UI is given the query
as a reader types it, and the browser's own resource timing says which files it fetched.
"""

from __future__ import annotations

import http.server
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
RESULT_LINKS = "#search-results a.search-result"
KINDS = ("pagefind-entry", "pagefind.js", "worker", "wasm", "pf_meta", "pf_index",
         "pf_fragment", "pf_filter")


@contextmanager
def served(site: Path) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """The site on a local HTTP server, and the log of what it sent: (path, bytes) per request.
    The server's log, not the page's, since Pagefind fetches from a web worker."""
    sent: list[tuple[str, int]] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            super().do_GET()
            path = Path(self.translate_path(self.path))
            sent.append((self.path, path.stat().st_size if path.is_file() else 0))

        def log_message(self, *args) -> None:
            pass

    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(site))) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/", sent
        finally:
            server.shutdown()


@contextmanager
def chromium(profile: Path) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--window-size=1280,1600", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def search(driver, site_url: str, query: str, timeout: float = 30) -> list[str]:
    """Open the search page, type `query` as a reader would; the result links, best first."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(site_url + "search/")
    box = WebDriverWait(driver, timeout).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#search-input"))[0]
    box.send_keys(query)
    WebDriverWait(driver, timeout).until(lambda d: d.find_elements(By.CSS_SELECTOR, RESULT_LINKS))
    return [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, RESULT_LINKS)]


def first_search_bytes(site: Path, query: str) -> str:
    """The benchmark's line: what a first search for `query` downloads, by kind of file
    (Pagefind's own files are compressed already; its scripts would be gzipped by a server)."""
    if not (CHROMIUM and CHROMEDRIVER):
        return "first search: not measured (needs chromium and chromedriver: make browser)"
    with served(site) as (url, sent), tempfile.TemporaryDirectory() as profile, \
            chromium(Path(profile)) as driver:
        results = search(driver, url, query)
        time.sleep(1)  # the result fragments are fetched as the results are drawn
    fetched = {path: size for path, size in sent if path.startswith("/pagefind/")}
    kinds: dict[str, int] = {}
    for path, size in fetched.items():
        kind = next((k for k in KINDS if k in path), "other")
        kinds[kind] = kinds.get(kind, 0) + size
    parts = ", ".join(f"{kind} {size / 1024:.0f} KB" for kind, size in sorted(kinds.items()))
    top = results[0].split("/", 3)[-1] if results else "nothing"
    return (f"first search for «{query}»: {sum(fetched.values()) / 1024:.0f} KB in "
            f"{len(fetched)} files ({parts}); first result: /{top}")
