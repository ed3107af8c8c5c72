"""Sentence splitting that keeps a quotation with its reporting clause.

Quotation marks are paired first; a sentence boundary is never placed inside a pair, so
`قال: «… . …».` stays one sentence however many full stops the quote holds.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .lexicon import CONTINUATION_VERBS, REPORTING_VERBS
from .normalize import normalize
from .wordlists import entries

# Opening mark -> the marks that close it.
# Curly marks close with either curly mark: typesetting of right-to-left text often turns
# them (”…“, “…“), and a quote must not be lost to that; so do guillemets (»…«, »…»).
QUOTE_CLOSERS: dict[str, str] = {"«": "»", "»": "«»", "“": "”“", "”": "”“", '"': '"', "„": "“”"}
_TERMINATORS = ".!?؟…"
_BREAK_RE = re.compile(r"\n|[.!?؟…]+")
_OPENERS_RE = re.compile("[" + re.escape("".join(QUOTE_CLOSERS)) + "]")
# For each opening mark: its closer, a nested opener («إن «حزب الله» …»), or the line break
# that ends the search.
_CLOSER_RES = {o: re.compile("[" + re.escape(c + ("«" if o == "«" else "")) + "\n]") for o, c in QUOTE_CLOSERS.items()}
_PLAIN_CLOSER_RES = {o: re.compile("[" + re.escape(c) + "]") for o, c in QUOTE_CLOSERS.items()}
_TERMINATOR_RE = re.compile(r"[.!?؟…\n]")
_MARKS = "".join(QUOTE_CLOSERS)
_COLON_SPEECH_RE = re.compile(r":[ \t\u00a0]+(?=[^\s" + re.escape(_MARKS) + "])")
_SPEECH_VERB_WORDS = 6  # a reporting verb this close before a colon introduces what follows
_BOILERPLATE = entries("boilerplate")  # a site's fragments, never sentences
_SPACE_RE = re.compile(r"\s+")
_SPEECH_VERBS = REPORTING_VERBS | CONTINUATION_VERBS


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


def quote_pairs(text: str) -> list[Span]:
    """Spans of quoted words, marks included, never crossing a line break: paired marks as
    real pages have them (turned, reversed, nested), an opening mark after a colon that is
    never closed (up to the sentence's end), and unmarked speech after a reporting verb and a
    colon (قال الوزير: لن نقبل …), which then spans from the colon's space to the sentence's end."""
    pairs = []
    pos = 0
    for m in _OPENERS_RE.finditer(text):
        i = m.start()
        if i < pos:
            continue
        end = _closing(text, i)
        if end is not None:
            pairs.append(Span(i, end))
            pos = end
    return sorted(pairs + _unmarked_speech(text, pairs), key=lambda p: p.start)


def _closing(text: str, i: int) -> int | None:
    """Where the quote opened at i ends (after its closing mark), or None."""
    depth = 0
    pos = i + 1
    while (closer := _CLOSER_RES[text[i]].search(text, pos)) is not None and closer.group() != "\n":
        if closer.group() == "«" and text[i] == "«":
            depth += 1  # a quote inside the quote: «إن «حزب الله» لن …»
        elif depth:
            depth -= 1
        else:
            return closer.end() if closer.start() > i + 1 else None
        pos = closer.end()
    if depth:  # the inner marks were the only ones closed: the first closer ends the quote
        first = _PLAIN_CLOSER_RES[text[i]].search(text, i + 1)
        return first.end() if first is not None and first.start() > i + 1 else None
    if _after_colon(text, i) and text[i] in "«“”\"":  # قال: «… (never closed): to the sentence's end
        stop = _TERMINATOR_RE.search(text, i + 1)
        end = stop.start() if stop is not None else len(text)
        return end + 1 if end < len(text) and text[end] != "\n" and text[i + 1:end].strip() else None
    return None


def _after_colon(text: str, i: int) -> bool:
    return text[:i].rstrip(" \t\u00a0").endswith(":")


def _unmarked_speech(text: str, pairs: list[Span]) -> list[Span]:
    """قال الوزير في كلمته: لن نقبل … — words after a reporting verb and a colon, with no
    marks up to the sentence's end, are a quote: the span starts at the colon's space (a
    stand-in opening mark) and takes in the sentence's final stop (a stand-in closing one)."""
    out = []
    starts = [p.start for p in pairs]
    for m in _COLON_SPEECH_RE.finditer(text):
        k = bisect_right(starts, m.start()) - 1
        if k >= 0 and pairs[k].end > m.start():
            continue  # inside a quote
        stop = _TERMINATOR_RE.search(text, m.end())
        end = stop.start() if stop is not None else len(text)
        marks = [j for j in range(m.end(), end) if text[j] in _MARKS]
        if len(marks) == 1 and text[marks[0]] in "»”\"" and not text[marks[0] + 1:end].strip(" ،,"):
            end = marks[0]  # قال: لن نقبل …». (the opening mark lost): up to the closing one
        elif marks or end >= len(text) or text[end] in "\n?؟":
            continue  # (وسألته الصحيفة: هل …؟ — a question put, in no marks, is no quote)
        if _speech_verb_before(text, m.start()):
            out.append(Span(m.start() + 1, end + 1))
    return out


def _speech_verb_before(text: str, colon: int) -> bool:
    """A reporting verb among the few words before a colon, on its line and in its sentence."""
    line = text[:colon].rsplit("\n", 1)[-1]
    clause = _BREAK_RE.split(line)[-1]
    return any(w in _SPEECH_VERBS or w[:1] in "وف" and w[1:] in _SPEECH_VERBS
               for w in (normalize(t) for t in clause.split()[-_SPEECH_VERB_WORDS:]))


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
