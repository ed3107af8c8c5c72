"""A story told once: its headline, an extractive summary across its articles, its key quotes.

The headline is the title nearest the centroid of the story's articles (the most
representative one, not the longest). The summary opens with the first sentence of the first
article (what broke the news), then ranks the articles' sentences by LexRank (PageRank over
their TF-IDF cosine graph) with a lead bias: news puts the essentials first, so the random
walk restarts on each article's early sentences more often. Sentences are taken best first,
skipping any too close to one already taken, so no fact is told twice; they are printed in the
order the story unfolded. A one-article story is summarized the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfTransformer

from .arabic.summary import is_summary_sentence
from .arabic.terms import content_terms
from .model import Analysis, Article, DigestQuote

DAMPING = 0.5  # a walk restarts often: the lead bias is strong, as in news it should be
EDGE_THRESHOLD = 0.1  # cosine below which two sentences are not linked
REDUNDANT = 0.3  # cosine above which a sentence repeats one already chosen
MAX_SENTENCE_CHARS = 400
MAX_QUOTES = 4

Items = Sequence[tuple[Article, Analysis]]


def headline(items: Items) -> tuple[str, str]:
    """(title, url) of the article whose title is nearest the centroid of the articles."""
    ordered = _chronological(items)
    docs = [Counter(content_terms(a.title + " " + a.text)) for a, _ in ordered]
    titles = [Counter(content_terms(a.title)) for a, _ in ordered]
    vectors = DictVectorizer().fit(docs + titles)
    tf = TfidfTransformer(use_idf=False)  # within one story, the shared words are the point
    centroid = np.asarray(tf.fit_transform(vectors.transform(docs)).mean(axis=0)).ravel()
    scores = tf.transform(vectors.transform(titles)) @ centroid
    best = int(np.argmax(scores)) if len(scores) else 0  # argmax keeps the earliest of ties
    return ordered[best][0].title, ordered[best][0].url


def summary_length(items: Items) -> int:
    """Two sentences for one article, three for a few, four for a well-covered story."""
    return 2 if len(items) == 1 else 3 if len(items) < 4 else 4


def summarize_story(items: Items, length: int | None = None) -> list[str]:
    """2-4 sentences chosen across the story's articles, none repeating another."""
    candidates = _candidates(items)
    if not candidates:
        return []
    vectors = _sentence_vectors([text for _, _, text in candidates])
    similarity = (vectors @ vectors.T).toarray()
    scores = lexrank(similarity, _lead_bias(candidates))
    chosen: list[int] = [0]  # the story's opening sentence: what broke the news
    seen: set[str] = {" ".join(candidates[0][2].split())}
    for i in sorted(range(len(candidates)), key=lambda i: (-round(scores[i], 12), i)):
        key = " ".join(candidates[i][2].split())
        if key in seen or any(similarity[i, j] >= REDUNDANT for j in chosen):
            continue
        seen.add(key)
        chosen.append(i)
        if len(chosen) == (length or summary_length(items)):
            break
    return [_clip(candidates[i][2]) for i in sorted(chosen)]


def lexrank(similarity: np.ndarray, restart: np.ndarray, iterations: int = 100) -> np.ndarray:
    """PageRank over the thresholded cosine graph, restarting by `restart` (sums to 1)."""
    graph = np.where(similarity >= EDGE_THRESHOLD, similarity, 0.0)
    np.fill_diagonal(graph, 0.0)
    out = graph.sum(axis=1, keepdims=True)
    walk = np.divide(graph, out, out=np.zeros_like(graph), where=out > 0)
    dangling = (out.ravel() == 0)
    rank = restart.copy()
    for _ in range(iterations):
        spread = rank @ walk + rank[dangling].sum() * restart
        new = (1 - DAMPING) * restart + DAMPING * spread
        if np.abs(new - rank).sum() < 1e-10:
            return new
        rank = new
    return rank


def _lead_bias(candidates: Sequence[tuple[int, int, str]]) -> np.ndarray:
    """Restart weights: 1, 1/2, 1/3 … down each article."""
    weights = np.array([1.0 / (1 + position) for _, position, _ in candidates])
    return weights / weights.sum()


def _chronological(items: Items) -> list[tuple[Article, Analysis]]:
    return sorted(items, key=lambda pair: (pair[0].published, pair[0].id))


def _candidates(items: Items) -> list[tuple[int, int, str]]:
    """(article, position among its summary-worthy sentences, text), oldest article first."""
    out = []
    for a, (_, analysis) in enumerate(_chronological(items)):
        kept = [" ".join(s.split()) for s in analysis.sentences if is_summary_sentence(s)]
        out.extend((a, position, text) for position, text in enumerate(kept))
    return out


def _sentence_vectors(sentences: Sequence[str]):
    counts = DictVectorizer().fit_transform([Counter(content_terms(s)) for s in sentences])
    return TfidfTransformer(sublinear_tf=True).fit_transform(counts)


def _clip(sentence: str) -> str:
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return sentence
    cut = sentence.rfind(" ", 0, MAX_SENTENCE_CHARS)
    return sentence[: cut if cut > 0 else MAX_SENTENCE_CHARS].rstrip("،, ") + "…"


def key_quotes(items: Items, limit: int = MAX_QUOTES) -> list[DigestQuote]:
    """Attributed quotes, each text once: direct before indirect, earlier items first, and
    every speaker's first quote before anyone's second, so that one voice cannot fill the list."""
    seen: set[str] = set()
    found = []
    for order, (article, analysis) in enumerate(items):
        for quote in analysis.quotes:
            key = " ".join(quote.text.split())
            if not quote.speaker or key in seen:
                continue
            seen.add(key)
            found.append((quote.kind != "direct", order, DigestQuote(
                quote.speaker, quote.text, quote.kind, article.title, article.url,
                article.source, quote.speaker_id)))
    found.sort(key=lambda item: item[:2])
    turn: Counter[str] = Counter()
    ranked = []
    for position, (_, _, quote) in enumerate(found):
        turn[quote.speaker] += 1
        ranked.append((turn[quote.speaker], position, quote))
    ranked.sort(key=lambda item: item[:2])
    return [quote for _, _, quote in ranked[:limit]]
