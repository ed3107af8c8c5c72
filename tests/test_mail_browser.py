"""The HTML part of the emails as a reader sees it: headless Chromium at 375 and 800 px.

Screenshots are kept in build/test-artifacts/email/ (pytest prints the folder at the end)."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from conftest import ARTIFACTS, marsad
from mailserver import mail_project
from test_browser import CHROMEDRIVER, CHROMIUM, browser as chromium  # noqa: F401 (a fixture)
from test_end_to_end import KNOWN_QUOTE
from test_mail import big_day, config, day_items, only, parts

from generator.mail import MAX_MESSAGE_BYTES

pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                reason="needs Debian's chromium and chromium-driver (make browser)")
WIDTHS = (375, 800)


@pytest.fixture(scope="module")
def sample_messages(project, first_run, tmp_path_factory):
    """The outbox of the samples: a day for everyone, and the whole month for one reader."""
    assert first_run.returncode == 0, first_run.stderr
    recipients = [{"address": "editor@example.org", "period": "daily"},
                  {"address": "archive@example.org", "period": "monthly"}]
    folder = mail_project(project, tmp_path_factory.mktemp("outbox"), None, recipients)
    result = marsad(folder, "email", "--date", "2026-11-27")
    assert result.returncode == 0, result.stderr
    return {path.stem: path.read_bytes() for path in (folder / ".marsad" / "outbox").rglob("*.eml")}


def show(driver, html: str, width: int, name: str) -> None:
    """The page at `width` CSS pixels, like a phone or a desktop client's reading pane."""
    page = ARTIFACTS / "email" / f"{name}.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(html, encoding="utf-8")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
    driver.get(page.as_uri())
    assert driver.execute_script("return window.innerWidth") == width
    driver.save_screenshot(str(ARTIFACTS / "email" / f"{name}-{width}.png"))


def assert_right_to_left_without_horizontal_scroll(driver) -> None:
    script = """
      const wrapper = document.querySelector('table.wrapper');
      const cells = [...document.querySelectorAll('td')];
      const range = document.createRange();  // the title's text, not its block
      range.selectNodeContents(document.querySelector('h1'));
      const heading = range.getBoundingClientRect();
      return {
        lang: document.documentElement.lang,
        html: getComputedStyle(document.documentElement).direction,
        body: getComputedStyle(document.body).direction,
        wrapper: getComputedStyle(wrapper).direction,
        cells: [...new Set(cells.map(c => getComputedStyle(c).textAlign))],
        scroll: document.documentElement.scrollWidth, width: window.innerWidth,
        widest: Math.max(...[...document.querySelectorAll('*')].map(e => e.getBoundingClientRect().right)),
        headingRight: heading.right, wrapperRight: wrapper.getBoundingClientRect().right,
        headingLeft: heading.left, wrapperLeft: wrapper.getBoundingClientRect().left,
      };"""
    seen = driver.execute_script(script)
    assert (seen["lang"], seen["html"], seen["body"], seen["wrapper"]) == ("ar", "rtl", "rtl", "rtl")
    assert seen["cells"] == ["right"]
    assert seen["scroll"] <= seen["width"] and seen["widest"] <= seen["width"] + 0.5
    # the title starts at the right edge of the message (past its padding), not at the left
    assert seen["wrapperRight"] - seen["headingRight"] < 40
    assert seen["headingLeft"] - seen["wrapperLeft"] > 40


def sample_html(sample_messages, address: str) -> str:
    raw = sample_messages[address]
    assert len(raw) <= MAX_MESSAGE_BYTES
    return message_from_bytes(raw, policy=policy.default).get_body(("html",)).get_content()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_sample_day_reads_right_to_left_without_horizontal_scroll(chromium, sample_messages, width):
    from selenium.common.exceptions import NoAlertPresentException

    show(chromium, sample_html(sample_messages, "editor@example.org"), width, "sample-day")
    assert_right_to_left_without_horizontal_scroll(chromium)
    assert KNOWN_QUOTE in chromium.find_element("tag name", "body").text
    with pytest.raises(NoAlertPresentException):  # the samples' hostile item ran nothing
        chromium.switch_to.alert.text


@pytest.mark.parametrize("width", WIDTHS)
def test_the_sample_month_fits_and_reads_right_to_left(chromium, sample_messages, width):
    show(chromium, sample_html(sample_messages, "archive@example.org"), width, "sample-month")
    assert_right_to_left_without_horizontal_scroll(chromium)
    body = chromium.find_element("tag name", "body").text
    assert "قصص الشهر" in body and "جديدة" in body  # 30 articles told as their stories
    assert not chromium.find_elements("css selector", "td.note")  # which fit whole


@pytest.mark.parametrize("width", WIDTHS)
def test_latin_names_keep_their_direction(chromium, width):
    show(chromium, parts(only(config(), day_items()))[1], width, "latin-names")
    assert_right_to_left_without_horizontal_scroll(chromium)
    directions = chromium.execute_script(
        "return [...document.querySelectorAll('span[dir=auto]')]"
        ".map(s => [s.textContent, getComputedStyle(s).direction])")
    assert ["John Smith", "ltr"] in directions and ["BBC عربي", "ltr"] in directions


@pytest.mark.parametrize("width", WIDTHS)
def test_a_digest_ten_times_larger_is_cut_to_fit_and_still_fits_the_screen(chromium, width):
    message = only(config(), big_day(150))
    assert len(message.message.as_bytes(policy=policy.SMTP)) <= MAX_MESSAGE_BYTES
    show(chromium, parts(message)[1], width, "ten-times-larger")
    assert_right_to_left_without_horizontal_scroll(chromium)
    assert "البقية" in chromium.find_element("css selector", "td.note").text
