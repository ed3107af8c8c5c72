"""Sentence splitting that keeps a quotation with its reporting clause.

Quotation marks are paired first; a sentence boundary is never placed inside a pair, so
`قال: «… . …».` stays one sentence however many full stops the quote holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import normalize
from .wordlists import entries

# Opening mark -> the marks that close it.
# Curly marks close with either curly mark: typesetting of right-to-left text often turns
# them (”…“, “…“), and a quote must not be lost to that.
QUOTE_CLOSERS: dict[str, str] = {"«": "»", "“": "”“", "”": "”“", '"': '"', "„": "“”"}
_TERMINATORS = ".!?؟…"
_BREAK_RE = re.compile(r"\n|[.!?؟…]+")
_OPENERS_RE = re.compile("[" + re.escape("".join(QUOTE_CLOSERS)) + "]")
# For each opening mark: its closer or the line break that ends the search.
_CLOSER_RES = {o: re.compile("[" + re.escape(c) + "\n]") for o, c in QUOTE_CLOSERS.items()}
_BOILERPLATE = entries("boilerplate")  # a site's fragments, never sentences
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


def quote_pairs(text: str) -> list[Span]:
    """Spans of paired quotation marks (marks included), never crossing a line break."""
    pairs = []
    pos = 0
    for m in _OPENERS_RE.finditer(text):
        i = m.start()
        if i < pos:
            continue
        closer = _CLOSER_RES[m.group()].search(text, i + 1)
        if closer is not None and closer.group() != "\n" and closer.start() > i + 1:
            pairs.append(Span(i, closer.end()))
            pos = closer.end()
    return pairs


def split_sentences(text: str, pairs: list[Span] | None = None) -> list[Span]:
    """Sentence spans (trimmed of surrounding spaces), in text order."""
    if pairs is None:
        pairs = quote_pairs(text)
    spans: list[Span] = []
    start = 0
    pair_index = 0
    for m in _BREAK_RE.finditer(text):
        i = m.start()
        while pair_index < len(pairs) and pairs[pair_index].end <= i:
            pair_index += 1
        if i < start or (pair_index < len(pairs) and pairs[pair_index].start < i):
            continue  # inside a quotation, or already consumed
        if m.group() == "\n":
            if not _line_continues(text, start, i):
                _add(text, start, i, spans)
                start = i + 1
        elif not _is_inner_dot(text, i):
            _add(text, start, m.end(), spans)
            start = m.end()
    _add(text, start, len(text), spans)
    return spans


def _line_continues(text: str, start: int, i: int) -> bool:
    """A single line break after a comma or colon (a wrapped line) does not end the sentence."""
    j = i - 1
    while j >= start and text[j] in " \t\r":
        j -= 1
    nxt = text[i + 1] if i + 1 < len(text) else "\n"
    return j >= start and text[j] in "،,:؛" and nxt != "\n"


def _is_inner_dot(text: str, i: int) -> bool:
    """A full stop that does not end a sentence: 3.5, an initial (جيمس ف. جيفري), or 'د.'."""
    if text[i] != ".":
        return False
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if before.isdigit() and after.isdigit():
        return True
    single_letter = before.isalpha() and (i < 2 or not text[i - 2].isalnum())
    return single_letter and after in " \u00a0"


def _add(text: str, start: int, end: int, spans: list[Span]) -> None:
    """Append the trimmed span unless it is empty or site boilerplate."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return
    if normalize(_SPACE_RE.sub(" ", text[start:end])) in _BOILERPLATE:
        return
    spans.append(Span(start, end))
