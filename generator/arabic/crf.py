"""The statistical tagger: a linear-chain CRF trained with python-crfsuite, decoded here.

`python -m generator.arabic.train` trains the CRF on ANERcorp's training part (CC BY-SA 4.0;
see data/README.md) and exports its weights to data/ner-crf.json.gz. Tagging does not need
crfsuite: the emission score of a token is a sum of weight rows, and the rows a word lends
(as itself and as a neighbour) are summed once per word form and memoized, so an article costs
a few dict lookups per token plus a Viterbi pass run on all its sentences at once with numpy.
The result is the same as crfsuite's own tagger on the same features (tested).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from .features import (
    CONTEXT_OFFSETS,
    Hint,
    Vocabulary,
    chunks_from_ends,
    context_features,
    ends_sentence,
    gap_class,
    is_initial,
    word_features,
)
from .normalize import Token
from .scoring import spans_from_bio

MODEL_FILE = Path(__file__).with_name("data") / "ner-crf.json.gz"
_MEMO_LIMIT = 200_000


@dataclass(frozen=True, slots=True)
class TaggedSpan:
    first: int  # token indexes, last exclusive
    last: int
    type: str
    confidence: float


@dataclass(frozen=True)
class CrfWeights:
    """A trained CRF: labels, label-to-label transitions and a weight row per attribute."""

    labels: tuple[str, ...]
    transitions: np.ndarray  # (labels, labels): from row label to column label
    index: dict[str, int]  # attribute -> row of `rows`
    rows: np.ndarray  # (attributes, labels)

    def vector(self, attributes: Sequence[str]) -> np.ndarray:
        """Sum of the rows of the attributes the model knows (unknown ones weigh nothing)."""
        found = [self.index[a] for a in attributes if a in self.index]
        return self.rows[found].sum(axis=0) if found else np.zeros(len(self.labels))


def load_weights(path: Path = MODEL_FILE) -> CrfWeights:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        data = json.load(f)
    labels = tuple(data["labels"])
    attributes = data["attributes"]
    rows = np.zeros((len(attributes), len(labels)))
    triples = np.array(data["weights"], dtype=float).reshape(-1, 3)
    rows[triples[:, 0].astype(int), triples[:, 1].astype(int)] = triples[:, 2]
    return CrfWeights(labels, np.array(data["transitions"], dtype=float),
                      {a: i for i, a in enumerate(attributes)}, rows)


def export_weights(crfsuite_model: Path, out: Path) -> None:
    """Write a crfsuite model's weights in the compact format `load_weights` reads."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(crfsuite_model))
    info = tagger.info()
    labels = sorted(set(tagger.labels()), key=lambda l: (l != "O", l))
    label_id = {l: i for i, l in enumerate(labels)}
    attributes = sorted({a for a, _l in info.state_features})
    attr_id = {a: i for i, a in enumerate(attributes)}
    weights = [[attr_id[a], label_id[l], round(w, 5)] for (a, l), w in sorted(info.state_features.items())]
    transitions = [[round(info.transitions.get((a, b), 0.0), 5) for b in labels] for a in labels]
    data = {"labels": labels, "transitions": transitions, "attributes": attributes,
            "weights": [x for triple in weights for x in triple]}
    with gzip.open(out, "wt", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, separators=(",", ":"))


class CrfTagger:
    """Tags texts with a CRF; keeps only memos of per-word-form score vectors between calls."""

    def __init__(self, weights: CrfWeights, vocab: Vocabulary) -> None:
        self.weights = weights
        self.vocab = vocab
        self._row_of: dict[str, int] = {}
        self._own = np.zeros((1024, len(weights.labels)))
        self._ctx = np.zeros((len(CONTEXT_OFFSETS), 1024, len(weights.labels)))
        self._gap_ids: dict[str, int] = {}
        self._ends_sentence: list[bool] = [False]  # per gap id (id 0: the chunk edge)
        self._edge = {off: weights.vector([f"{off}:edge"]) for off in (-1, 1)}
        self._hint_memo: dict[tuple[str, str, str], tuple[list[int], list[tuple[int, int]]]] = {}
        # Row 0 of each table is the chunk edge: gap=^ before a sentence, ngap=$ after it.
        self._gap_vectors = [weights.vector(["gap=^"])[None], weights.vector(["ngap=$"])[None]]

    def tag(self, text: str, tokens: Sequence[Token], hints: Sequence[Hint] = ()) -> list[TaggedSpan]:
        """Entity spans over the whole text, decoded sentence by sentence."""
        if not tokens:
            return []
        gap_ids = [self._gap_id(text[a.end:b.start]) for a, b in zip(tokens, tokens[1:])]
        ends = self._ends_sentence
        chunks = chunks_from_ends([ends[g] and not is_initial(t) for g, t in zip(gap_ids, tokens)])
        emissions = self._emissions(tokens, gap_ids, chunks, hints)
        labels = self._viterbi(emissions, chunks)
        names = [self.weights.labels[k] for k in labels]
        return [TaggedSpan(first + a, first + b, kind, 1.0)
                for first, last in chunks for a, b, kind in spans_from_bio(names[first:last])]

    # --- emissions ---------------------------------------------------------------------------

    def _emissions(self, tokens: Sequence[Token], gap_ids: list[int], chunks: list[tuple[int, int]],
                   hints: Sequence[Hint]) -> np.ndarray:
        n = len(tokens)
        rows = np.fromiter((self._row(t) for t in tokens), dtype=np.int64, count=n)
        emissions = self._own[rows].copy()
        first_of = np.empty(n, dtype=np.int64)
        last_of = np.empty(n, dtype=np.int64)
        for a, b in chunks:
            first_of[a:b] = a
            last_of[a:b] = b
        positions = np.arange(n)
        for k, off in enumerate(CONTEXT_OFFSETS):
            j = positions + off
            inside = (j >= first_of) & (j < last_of)
            emissions[inside] += self._ctx[k][rows[j[inside]]]
            if off in (-1, 1):
                emissions[~inside] += self._edge[off]
        self._add_gaps(emissions, gap_ids, first_of, last_of)
        targets, attributes = self._bigram_attributes(tokens, first_of)
        self._hint_attributes(hints, first_of, last_of, targets, attributes)
        if targets:
            np.add.at(emissions, np.array(targets), self.weights.rows[np.array(attributes)])
        return emissions

    def _add_gaps(self, emissions: np.ndarray, gap_ids: list[int], first_of: np.ndarray,
                  last_of: np.ndarray) -> None:
        """The punctuation before and after every token (gap=, ngap= features), vectorized."""
        n = len(emissions)
        between = np.array(gap_ids, dtype=np.int64)
        before = np.zeros(n, dtype=np.int64)  # id 0 is the chunk edge
        after = np.zeros(n, dtype=np.int64)
        before[1:] = between
        after[:-1] = between
        positions = np.arange(n)
        before[positions == first_of] = 0
        after[positions + 1 == last_of] = 0
        emissions += self._gap_vectors[0][before] + self._gap_vectors[1][after]

    def _gap_id(self, gap: str) -> int:
        """A small id per distinct gap string, with its gap= and ngap= vectors memoized."""
        found = self._gap_ids.get(gap)
        if found is None:
            found = len(self._gap_ids) + 1
            self._gap_ids[gap] = found
            self._ends_sentence.append(ends_sentence(gap))
            kind = gap_class(gap)
            vectors = [self.weights.vector(["gap=" + kind]), self.weights.vector(["ngap=" + kind])]
            self._gap_vectors = [np.vstack([table, vec]) for table, vec in zip(self._gap_vectors, vectors)]
        return found

    def _bigram_attributes(self, tokens: Sequence[Token], first_of: np.ndarray) -> tuple[list[int], list[int]]:
        """(token, attribute row) pairs for the word bigrams the model knows."""
        index = self.weights.index
        targets: list[int] = []
        attributes: list[int] = []
        for i in range(1, len(tokens)):
            row = index.get("bi=" + tokens[i - 1].norm + "|" + tokens[i].norm)
            if row is not None and first_of[i] < i:
                targets.append(i)
                attributes.append(row)
        return targets, attributes

    def _hint_attributes(self, hints: Sequence[Hint], first_of: np.ndarray, last_of: np.ndarray,
                         targets: list[int], attributes: list[int]) -> None:
        """The rules' hints, on their own tokens and as context of the tokens around them."""
        n = len(first_of)
        firsts, lasts = first_of.tolist(), last_of.tolist()
        for h in hints:
            for j in range(h.first, min(h.last, n)):
                own, around = self._hint_rows(h.source, "B" if j == h.first else "I", h.type)
                for row in own:
                    targets.append(j)
                    attributes.append(row)
                for off, row in around:
                    i = j - off  # token i sees token j at offset off
                    if 0 <= i < n and firsts[i] <= j < lasts[i]:
                        targets.append(i)
                        attributes.append(row)

    def _hint_rows(self, source: str, bio: str, kind: str) -> tuple[list[int], list[tuple[int, int]]]:
        """Attribute rows of a hint on its token, and (offset, row) for its neighbours."""
        key = (source, bio, kind)
        found = self._hint_memo.get(key)
        if found is None:
            index = self.weights.index
            tag = f"h={bio}-{kind}"
            own = [index[a] for a in (tag, f"hs={source}-{bio}-{kind}") if a in index]
            around = [(off, index[f"{off}:{tag}"]) for off in CONTEXT_OFFSETS if f"{off}:{tag}" in index]
            found = (own, around)
            self._hint_memo[key] = found
        return found

    def _row(self, tok: Token) -> int:
        """The memo row holding the vectors this word form contributes (computed once)."""
        row = self._row_of.get(tok.norm)
        if row is not None:
            return row
        if len(self._row_of) >= _MEMO_LIMIT:
            self._row_of.clear()
        row = len(self._row_of)
        if row >= len(self._own):
            self._own = np.concatenate([self._own, np.zeros_like(self._own)])
            self._ctx = np.concatenate([self._ctx, np.zeros_like(self._ctx)], axis=1)
        self._own[row] = self.weights.vector(word_features(tok, self.vocab))
        for k, feats in enumerate(context_features(tok, self.vocab)):
            self._ctx[k, row] = self.weights.vector(feats)
        self._row_of[tok.norm] = row
        return row

    # --- decoding ----------------------------------------------------------------------------

    def _viterbi(self, emissions: np.ndarray, chunks: list[tuple[int, int]]) -> np.ndarray:
        """Best label per token, every chunk decoded independently, all chunks at once."""
        count, labels = len(chunks), len(self.weights.labels)
        lengths = np.array([b - a for a, b in chunks])
        longest = int(lengths.max())
        padded = np.zeros((count, longest, labels))
        for c, (a, b) in enumerate(chunks):
            padded[c, :b - a] = emissions[a:b]
        back = np.zeros((count, longest, labels), dtype=np.int64)
        delta = padded[:, 0]
        same = np.arange(labels)
        for t in range(1, longest):
            scores = delta[:, :, None] + self.weights.transitions[None]
            best = scores.argmax(axis=1)
            step = np.take_along_axis(scores, best[:, None, :], axis=1)[:, 0] + padded[:, t]
            active = (t < lengths)[:, None]
            delta = np.where(active, step, delta)
            back[:, t] = np.where(active, best, same)
        path = np.zeros((count, longest), dtype=np.int64)
        path[:, -1] = delta.argmax(axis=1)
        for t in range(longest - 1, 0, -1):
            path[:, t - 1] = back[np.arange(count), t, path[:, t]]
        out = np.empty(len(emissions), dtype=np.int64)
        for c, (a, b) in enumerate(chunks):
            out[a:b] = path[c, :b - a]
        return out
