"""The analyzer's closed word lists, read from data/words/ (one file per concept), and its version.

A list file holds one entry per line in ordinary spelling; `#` starts a comment (a whole line
or after an entry); an entry of several words adds each word. A mapping file has a tab after
the entry and then its value(s). Entries are normalized once, when the lists are read at
import, into frozensets and read-only mappings (module constants, no state).

The analyzer's version is a hash of everything it reads (these lists, names.tsv, persons.tsv,
the CRF model) and of its own code, so stored analyses are redone whenever any of it changes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from .normalize import normalize

DATA_DIR = Path(__file__).with_name("data")
WORDS_DIR = DATA_DIR / "words"


def _rows(name: str) -> list[tuple[str, str]]:
    """(entry, value) per line of data/words/NAME.txt, comments and blank lines left out."""
    rows = []
    for line in (WORDS_DIR / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        entry, _, value = line.split("#", 1)[0].partition("\t")
        if entry.strip():
            rows.append((entry.strip(), value.strip()))
    return rows


def words(name: str) -> frozenset[str]:
    """The normalized words of a list file."""
    return frozenset(normalize(w) for entry, _ in _rows(name) for w in entry.split())


def entries(name: str) -> frozenset[str]:
    """The normalized entries of a list file, each whole (phrases of several words stay one)."""
    return frozenset(normalize(entry) for entry, _ in _rows(name))


def mapping(name: str) -> Mapping[str, str]:
    """A mapping file as normalized entry -> normalized value."""
    return MappingProxyType({normalize(entry): normalize(value) for entry, value in _rows(name)})


def inverse_mapping(name: str) -> Mapping[str, str]:
    """A mapping file read backwards: each normalized value word -> its normalized entry
    (honorifics.txt: سموه -> سمو)."""
    return MappingProxyType({normalize(v): normalize(entry) for entry, values in _rows(name)
                             for v in values.split()})


def analyzer_version() -> str:
    """A short hash of the analyzer's data files and code: equal versions analyze alike."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    files = sorted([*package.glob("*.py"), *WORDS_DIR.glob("*.txt"), *DATA_DIR.glob("*.tsv"),
                    *DATA_DIR.glob("*.gz")])
    for path in files:
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
