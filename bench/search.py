"""A first search on a built site, in headless Chromium: what it finds and what it downloads.

The site is served from a local HTTP server; the search page's Pagefind UI is given the query
as a reader types it, and the browser's own resource timing says which files it fetched.
"""

from __future__ import annotations

import http.server
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from collections.abc import Iterator

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
RESULT_LINKS = ".pagefind-ui__result-link"


@dataclass
class SearchRun:
    results: list[str]  # result URLs, best first
    fetched: dict[str, int]  # URL path → bytes, for everything fetched from pagefind/ by the search


@contextmanager
def served(site: Path) -> Iterator[str]:
    handler = partial(_QuietHandler, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


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


def search(driver, site_url: str, query: str, timeout: float = 30) -> SearchRun:
    """Open the search page, type `query`, wait for the results."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(site_url + "search/")
    box = WebDriverWait(driver, timeout).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".pagefind-ui__search-input"))[0]
    loaded = driver.execute_script("return performance.getEntriesByType('resource').length")
    box.send_keys(query)
    WebDriverWait(driver, timeout).until(lambda d: d.find_elements(By.CSS_SELECTOR, RESULT_LINKS))
    results = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, RESULT_LINKS)]
    entries = driver.execute_script(
        "return performance.getEntriesByType('resource').slice(arguments[0])"
        ".map(e => [new URL(e.name).pathname, e.encodedBodySize])", loaded)
    return SearchRun(results, {path: size for path, size in entries if "/pagefind/" in path})


def first_search_bytes(site: Path, query: str) -> str:
    """The benchmark's line: bytes of a first search for `query`, by kind of file."""
    if not (CHROMIUM and CHROMEDRIVER):
        return "first search: not measured (needs chromium and chromedriver: make browser)"
    import tempfile

    with served(site) as url, tempfile.TemporaryDirectory() as profile, chromium(Path(profile)) as driver:
        run = search(driver, url, query)
    kinds: dict[str, int] = {}
    for path, size in run.fetched.items():
        kind = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else "other"
        kinds[kind] = kinds.get(kind, 0) + size
    parts = ", ".join(f"{kind} {size / 1024:.0f} KB" for kind, size in sorted(kinds.items()))
    top = run.results[0].split("/", 3)[-1] if run.results else "nothing"
    return (f"first search for «{query}»: {sum(run.fetched.values()) / 1024:.0f} KB in "
            f"{len(run.fetched)} files ({parts}); first result: /{top}")
