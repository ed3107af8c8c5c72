from pathlib import Path

import pytest

from generator.config import ConfigError, load_config
from generator.model import WatchEntity

GOOD = """
title: رصد
timezone: Africa/Cairo
sources:
  - {name: أ, url: feeds/a.xml, section: سياسة}
  - {name: ب, url: "https://example.org/feed", section: اقتصاد, language: ar}
watchlists:
  - name: ليبيا
    entities:
      - {name: خليفة حفتر, type: PER, aliases: [حفتر, المشير حفتر]}
      - الأمم المتحدة
    keywords: [طرابلس]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "marsad.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_is_typed_and_paths_resolve_beside_it(tmp_path):
    config = load_config(write(tmp_path, GOOD))
    assert config.title == "رصد"
    assert config.timezone == "Africa/Cairo"
    assert config.sources[0].url == str(tmp_path / "feeds" / "a.xml")
    assert config.sources[1].url == "https://example.org/feed"
    assert config.sections == ("سياسة", "اقتصاد")
    assert config.watchlists[0].entities[0] == WatchEntity("خليفة حفتر", "PER", ("حفتر", "المشير حفتر"))
    assert config.watchlists[0].entities[1] == WatchEntity("الأمم المتحدة", "PER", ())
    assert config.data_dir == tmp_path / ".marsad"
    assert config.site_dir == tmp_path / "site"
    assert config.db_path == tmp_path / ".marsad" / "marsad.sqlite"
    assert (config.site_url, config.entity_pages, config.report_pdf) == ("", 3, True)


def test_site_url_always_ends_with_a_slash(tmp_path):
    config = load_config(write(tmp_path, GOOD + "site_url: https://example.org/marsad\n"))
    assert config.site_url == "https://example.org/marsad/"


@pytest.mark.parametrize("text, expected", [
    ("sources: []", "sources: is empty"),
    ("title: x", "sources: is empty"),
    ("sources:\n  - {name: a, url: 'ftp://x/feed', section: s}", "sources[0].url: 'ftp://x/feed': only http(s)"),
    ("sources:\n  - {name: a, url: 'javascript:alert(1)', section: s}", "sources[0].url"),
    ("sources:\n  - {name: a, section: s}", "sources[0].url: is required"),
    ("sources:\n  - {name: a, url: x.xml, secton: s}", "sources[0].secton: unknown setting"),
    ("sources:\n  - {name: a, url: x.xml}\n  - {name: a, url: y.xml}", "sources[1].name: duplicate"),
    ("timezone: Mars/Olympus\nsources:\n  - {name: a, url: x.xml}", "timezone: unknown IANA time zone"),
    ("sources:\n  - {name: a, url: x.xml}\nwatchlists:\n  - name: w\n    entities:\n      - {name: x, type: PERSON}",
     "watchlists[0].entities[0].type: must be one of PER, LOC, ORG, MISC"),
    ("site_url: example.org\nsources:\n  - {name: a, url: x.xml}", "site_url: must be an http(s) address"),
    ("entity_pages: 0\nsources:\n  - {name: a, url: x.xml}", "entity_pages: must be a whole number of at least 1"),
    ("report_pdf: sometimes\nsources:\n  - {name: a, url: x.xml}", "report_pdf: must be true or false"),
    ("sources: [\n", "line"),
    ("- just\n- a list", "must be a mapping"),
])
def test_mistakes_get_one_line_naming_file_and_field(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert expected in message
    assert "\n" not in message


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.yml")
