"""The built site as a reader sees it: headless Chromium against `marsad serve` on localhost."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO
from test_end_to_end import KNOWN_QUOTE, KNOWN_SPEAKER

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                reason="needs Debian's chromium and chromium-driver (make browser)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site_url(project, first_run):
    assert first_run.returncode == 0, first_run.stderr
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", str(port)],
                              cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--window-size=1280,1600",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def test_home_page_is_arabic_right_to_left_with_the_latest_quotes(browser, site_url, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(site_url)
    assert browser.execute_script("return document.documentElement.lang") == "ar"
    assert browser.execute_script("return getComputedStyle(document.body).direction") == "rtl"
    items = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "article li") if KNOWN_QUOTE in li.text]
    assert items and KNOWN_SPEAKER in items[0]
    browser.save_screenshot(str(Path(tmp_path) / "home.png"))


def test_feed_text_never_runs_and_the_archive_reaches_every_day(browser, site_url):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    browser.get(site_url + "archive/")
    days = browser.find_elements(By.CSS_SELECTOR, "article li a")
    assert len(days) >= 3
    hrefs = [a.get_attribute("href") for a in days]
    for href in hrefs:
        browser.get(href)
        with pytest.raises(NoAlertPresentException):  # the samples' alert(1) never ran
            browser.switch_to.alert.text
        assert browser.execute_script("return document.querySelectorAll('article img, article script').length") == 0
        assert browser.find_element(By.TAG_NAME, "h1").text.startswith("موجز")


def test_an_arabic_search_for_a_person_finds_their_entity_page_first(browser, site_url, project):
    sys.path.insert(0, str(REPO / "bench"))
    from search import search

    from generator.arabic.linking import entity_id

    page = f"entities/{entity_id('PER', KNOWN_SPEAKER)}/"
    assert (project / "site" / page / "index.html").is_file()
    results = search(browser, site_url, KNOWN_SPEAKER)
    assert results[0] == site_url + page
    assert any("/digests/" in url for url in results[1:])  # the days that mention them follow
    short = search(browser, site_url, "أبو الغيط")  # a part of the name, as readers type it
    assert short[0] == site_url + page
