"""Watchlist queries: the parser, matching on normalized Arabic, and errors a user can act on."""

from __future__ import annotations

import subprocess
import sys

import pytest

from generator.config import ConfigError, load_config
from generator.model import Analysis, Article, Watchlist
from generator.watch import QueryError, Text, holds, matching_watchlists, parse_query, watch_rules

from conftest import utc


def matches(query: str, text: str) -> bool:
    return holds(parse_query(query), Text(text))


@pytest.mark.parametrize("text, expected", [
    ("وصل وفد روسي إلى ليبيا لبحث التعاون مع روسيا", True),
    ("أنقرة تعزز حضورها ولتركيا مصالح في ليبيا", True),  # ولتركيا: و + ل + تركيا
    ("مباراة ودية بين ليبيا وتركيا في إطار الرياضة العربية", False),  # NOT رياضة (الرياضة)
    ("ليبيا تستضيف مؤتمرا للطاقة", False),  # neither روسيا nor تركيا
    ("موسكو وأنقرة تبحثان الأزمة", False),  # no ليبيا
])
def test_the_issue_query(text, expected):
    assert matches("ليبيا AND (روسيا OR تركيا) AND NOT رياضة", text) is expected


def test_words_match_across_proclitics_hamza_and_ya_spellings():
    assert matches("ليبيا", "عاد الوفد لليبيا أمس")
    assert matches("المسؤولين", "التقى المسئولين في العاصمة")  # ؤ / ئ
    assert matches("مستشفى", "نقل الجرحى إلى مستشفي المدينة")  # ى / ي
    assert matches("إسرائيل", "علقت اسرائيل الرحلات")  # إ / ا
    assert not matches("ليبيا", "الليبيون يصوتون")  # another word, not a spelling


def test_phrases_prefixes_implicit_and_and_precedence():
    assert matches('"وقف إطلاق النار"', "أعلن وقف اطلاق النار في المدينة")
    assert not matches('"وقف إطلاق النار"', "أعلن وقف القتال وإطلاق النار متقطع")
    assert matches("روس*", "قال الروسي إن بلاده")
    assert matches("غزة هدنة", "هدنة جديدة في غزة")  # side by side: AND
    assert not matches("غزة هدنة", "هدنة جديدة في السودان")
    # NOT binds tighter than AND, AND tighter than OR
    assert matches("سوريا OR ليبيا AND NOT نفط", "سوريا والنفط")
    assert not matches("(سوريا OR ليبيا) AND NOT نفط", "سوريا والنفط")


@pytest.mark.parametrize("query, message", [
    ("", "the query is empty"),
    ("ليبيا AND", "the query ends after AND: a term is missing"),
    ("(ليبيا OR تركيا", "the '(' at word 1 is never closed"),
    ("ليبيا )", "unexpected ')' at word 2 (no '(' opened it)"),
    ("OR ليبيا", "unexpected OR at word 1: a term is missing"),
    ("ليبيا AND AND تركيا", "unexpected AND at word 3: a term is missing"),
    ('"ليبيا تركيا', "the phrase at word 1 is not closed"),
    ("ليبيا ()", "unexpected ')' at word 3: a term is missing"),
])
def test_malformed_queries_are_refused_with_what_and_where(query, message):
    with pytest.raises(QueryError) as error:
        parse_query(query)
    assert str(error.value) == message


def test_an_article_matches_by_entity_keyword_or_query():
    rules = watch_rules([
        Watchlist("أ", keywords=("وقف إطلاق النار",)),
        Watchlist("ب", query="السودان AND NOT كرة"),
        Watchlist("ج", query="اليمن"),
    ])
    article = Article("x", "وكالة", "عام", "https://a.example/x", "هدنة في السودان",
                      utc(2026, 10, 5, 8), utc(2026, 10, 5, 8), "",
                      "دعت القاهرة إلى وقف اطلاق النار في السودان.", "h")
    assert matching_watchlists(rules, article, Analysis([], [], [], [])) == ["أ", "ب"]


CONFIG = """
sources:
  - {name: أ, url: feed.xml}
watchlists:
  - name: ليبيا
    query: "ليبيا AND (روسيا OR تركيا"
"""


def test_a_bad_query_in_the_config_is_one_line_naming_the_watchlist(tmp_path):
    path = tmp_path / "marsad.yml"
    path.write_text(CONFIG, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value) == (f"{path}: watchlists[0].query: watchlist 'ليبيا': the '(' at "
                                "word 3 is never closed: ليبيا AND (روسيا OR تركيا")
    run = subprocess.run([sys.executable, "-m", "generator", "render", "--config", str(path)],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr == f"marsad: error: {error.value}\n"
    assert not (tmp_path / ".marsad").exists()  # refused before anything was opened


def test_a_good_query_is_kept_in_the_config(tmp_path):
    path = tmp_path / "marsad.yml"
    path.write_text(CONFIG.replace("تركيا\"", "تركيا)\""), encoding="utf-8")
    (watchlist,) = load_config(path).watchlists
    assert watchlist.query == "ليبيا AND (روسيا OR تركيا)"
