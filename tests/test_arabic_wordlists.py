"""The analyzer's word lists as data: every file is well formed, read by the code, and read once."""

from __future__ import annotations

import re
from pathlib import Path

from generator.arabic import ANALYZER_VERSION
from generator.arabic.lexicon import HONORIFICS, REPORTING_VERBS
from generator.arabic.normalize import normalize
from generator.arabic.reporting import HONORIFIC_PRONOUNS, REPORTING_VERBS as SPEECH_REPORTING_VERBS
from generator.arabic.wordlists import WORDS_DIR, analyzer_version, entries, inverse_mapping, mapping, words

PACKAGE = Path(__file__).resolve().parent.parent / "generator" / "arabic"


def _list_files() -> list[Path]:
    return sorted(WORDS_DIR.glob("*.txt"))


def test_every_list_file_is_read_by_the_code():
    code = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.glob("*.py"))
    read = set(re.findall(r'(?:words|entries|mapping|inverse_mapping)\("([a-z-]+)"\)', code))
    files = {p.stem for p in _list_files()}
    assert files - read == set(), "list files no code reads"
    assert read - files == set(), "lists the code reads that have no file"


def test_every_list_file_has_a_header_and_no_entry_twice():
    for path in _list_files():
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("# "), f"{path.name}: no header comment saying what the list is for"
        seen: set[str] = set()
        for line in lines:
            entry = line.split("#", 1)[0].partition("\t")[0].strip()
            if entry:
                assert entry not in seen, f"{path.name}: {entry} twice"  # spelling variants may stay
                seen.add(entry)


def test_comments_values_and_phrases_are_read_as_written(tmp_path, monkeypatch):
    monkeypatch.setattr("generator.arabic.wordlists.WORDS_DIR", tmp_path)
    (tmp_path / "sample.txt").write_text("# header\nقال  # a comment\nعبد الرحمن\n\nسمو\tسموه سموها\n",
                                         encoding="utf-8")
    assert words("sample") == {"قال", "عبد", "الرحمن", "سمو"}
    assert entries("sample") == {"قال", "عبد الرحمن", "سمو"}
    assert mapping("sample")["سمو"] == "سموه سموها"
    assert inverse_mapping("sample") == {"سموه": "سمو", "سموها": "سمو"}


def test_one_list_of_reporting_verbs_and_of_honorifics():
    assert REPORTING_VERBS is SPEECH_REPORTING_VERBS
    assert {normalize("تقول"), normalize("يقول")} <= REPORTING_VERBS  # she-forms are in the file
    assert set(HONORIFIC_PRONOUNS.values()) <= HONORIFICS
    assert HONORIFIC_PRONOUNS[normalize("سموه")] == normalize("سمو")


def test_the_version_is_a_hash_of_data_model_and_code():
    assert ANALYZER_VERSION == analyzer_version()
    assert re.fullmatch(r"[0-9a-f]{12}", ANALYZER_VERSION)
