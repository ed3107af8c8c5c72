"""Stories: the articles about one event, across outlets and days.

One day at a time, as Europe Media Monitor does: the day's articles are grouped by
agglomerative clustering (average linkage) on a similarity that mixes their content words
(TF-IDF over light stems, stop words out) with the entities they share; each group then joins
the story of the last 7 days it matches best, or starts a new one. So a story keeps its id,
first-seen and last-seen days, and a new day is assigned without touching the archive: only the
window's members (their stored terms and entity ids) are read. Syndicated copies
(`Article.duplicate_of`) are collapsed into their original before clustering, so they always
land in one story. Clustering an archive is the same step folded over its days, so a store
built day by day and one built at once hold the same stories.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from scipy import sparse
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.preprocessing import normalize

from .arabic.terms import content_terms
from .model import Analysis, Article, StoryMember

WINDOW_DAYS = 7  # a story continues when it was last seen at most this many days before
TEXT_WEIGHT = 0.7  # the rest of a similarity is shared entities
SAME_DAY_THRESHOLD = 0.18  # average similarity above which the day's articles are one story
LINK_THRESHOLD = 0.20  # similarity above which a day's group continues a story
DISJOINT = 0.5  # groups that name entities but share none are rarely one story
GAP_PENALTY = 0.03  # similarity lost per day of silence after the first
TITLE_WEIGHT = 2  # a title's words count this many times
_HASHER = FeatureHasher(n_features=1 << 22, input_type="dict", alternate_sign=False)


@dataclass
class Incoming:
    """An article not yet in a story, with what it is compared on."""

    id: str
    day: date
    published: float  # POSIX seconds: orders the day's articles
    duplicate_of: str
    terms: dict[str, int]
    entities: tuple[str, ...]


def incoming(article: Article, analysis: Analysis | None, tz: ZoneInfo) -> Incoming:
    """An article's features; a copy without an analysis is compared on its words alone."""
    terms = Counter(content_terms(article.title) * TITLE_WEIGHT + content_terms(article.text))
    entities = tuple(sorted({e.id or e.name for e in analysis.entities})) if analysis else ()
    return Incoming(article.id, article.published.astimezone(tz).date(),
                    article.published.timestamp(), article.duplicate_of, dict(terms), entities)


def story_id(first_article_id: str) -> str:
    """Stable and deterministic: from the id of the article the story began with."""
    return "st-" + hashlib.sha1(first_article_id.encode("utf-8")).hexdigest()[:12]


def window_start(day: date) -> date:
    return day - timedelta(days=WINDOW_DAYS)


def assign_day(day: date, new: Sequence[Incoming], window: Sequence[StoryMember],
               known: Mapping[str, str] | None = None) -> list[StoryMember]:
    """Place one day's articles in the stories of the window, or in new stories.

    `window` holds the members of the stories last seen within WINDOW_DAYS before `day`;
    `known` gives the story of originals outside the window that some of `new` are copies of."""
    known = {**(known or {}), **{m.article_id: m.story_id for m in window}}
    placed: dict[str, str] = {}
    units = []
    for root, group in _units(new, known):
        if root in known:  # copies of an article already in a story
            placed.update({item.id: known[root] for item in group})
        else:
            units.append(group)
    if units:
        rows = list(window) + [group[0] for group in units]
        text, entities = _vectors([r.terms for r in rows], [r.entities for r in rows])
        labels = _cluster_day(text[len(window):], entities[len(window):])
        placed.update(_link(day, labels, units, window, text, entities))
    return [StoryMember(item.id, placed[item.id], item.day, item.terms, item.entities)
            for item in sorted(new, key=lambda item: (item.published, item.id))]


def _units(new: Sequence[Incoming], known: Mapping[str, str]) -> list[tuple[str, list[Incoming]]]:
    """(root, group): each original with its copies, original first, in publication order; the
    copies of an article already in a story under that article's id."""
    ordered = sorted(new, key=lambda item: (item.published, item.id))
    ids = {item.id for item in ordered}
    groups: dict[str, list[Incoming]] = {}
    for item in ordered:
        root = item.duplicate_of if item.duplicate_of in ids or item.duplicate_of in known else ""
        groups.setdefault(root or item.id, []).append(item)
    for root, group in groups.items():
        group.sort(key=lambda item: item.id != root)
    return list(groups.items())


def _vectors(terms: Sequence[dict[str, int]], entities: Sequence[tuple[str, ...]]):
    """L2-normalized TF-IDF rows for the words, and for the entities (rare ones weigh more).
    Hashed features: no vocabulary to build for every day's window."""
    text = TfidfTransformer(sublinear_tf=True).fit_transform(_hashed(terms))
    marks = _hashed([dict.fromkeys(e, 1) for e in entities])
    return sparse.csr_matrix(text), sparse.csr_matrix(TfidfTransformer().fit_transform(marks))


def _hashed(features: Sequence[dict]) -> sparse.csr_matrix:
    """Hashed counts, with only the columns in use kept (fast products and IDF)."""
    matrix = sparse.csr_matrix(_HASHER.transform(features))
    columns, inverse = np.unique(matrix.indices, return_inverse=True)
    return sparse.csr_matrix((matrix.data, inverse.ravel(), matrix.indptr),
                             shape=(matrix.shape[0], max(len(columns), 1)))


def similarity(text_a, ent_a, text_b, ent_b, disjoint: float = 1.0) -> np.ndarray:
    """Cosine of the words, blended with the cosine of the entities where both name some;
    times `disjoint` where both name entities and share none."""
    words = (text_a @ text_b.T).toarray()
    shared = (ent_a @ ent_b.T).toarray()
    has_a = np.asarray(ent_a.getnnz(axis=1) > 0)[:, None]
    has_b = np.asarray(ent_b.getnnz(axis=1) > 0)[None, :]
    blended = TEXT_WEIGHT * words + (1 - TEXT_WEIGHT) * shared
    blended = np.where(shared > 0, blended, disjoint * blended)
    return np.where(has_a & has_b, blended, words)


def _cluster_day(text, entities) -> list[int]:
    """A cluster label for each of the day's units."""
    if text.shape[0] < 2:
        return [0] * text.shape[0]
    sims = similarity(text, entities, text, entities)
    distance = np.clip(1.0 - sims, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    labels = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average",
        distance_threshold=1.0 - SAME_DAY_THRESHOLD).fit_predict(distance)
    return [int(label) for label in labels]


def _link(day: date, labels: Sequence[int], units: Sequence[Sequence[Incoming]],
          window: Sequence[StoryMember], text, entities) -> dict[str, str]:
    """article id -> story id: each of the day's groups joins its best story, or starts one."""
    result: dict[str, str] = {}
    clusters: dict[int, list[int]] = defaultdict(list)
    for unit, label in enumerate(labels):
        clusters[label].append(unit)
    offset = len(window)
    groups = sorted(clusters.values(), key=lambda members: min(members))
    group_text = _centroids(text, [[offset + u for u in g] for g in groups])
    group_ents = _centroids(entities, [[offset + u for u in g] for g in groups])
    story_rows: dict[str, list[int]] = defaultdict(list)
    last_day: dict[str, date] = {}
    for row, member in enumerate(window):
        story_rows[member.story_id].append(row)
        last_day[member.story_id] = max(last_day.get(member.story_id, member.day), member.day)
    names = sorted(story_rows)
    window_sims = np.zeros((len(groups), 0))
    if names:
        window_sims = similarity(group_text, group_ents,
                                 _centroids(text, [story_rows[n] for n in names]),
                                 _centroids(entities, [story_rows[n] for n in names]), DISJOINT)
        gaps = np.array([max((day - last_day[n]).days - 1, 0) for n in names])
        window_sims = window_sims - GAP_PENALTY * gaps[None, :]
    # the day's groups meet each other by their centroids too: average linkage between two
    # groups of loosely worded articles stays low where their centroids already agree
    day_sims = similarity(group_text, group_ents, group_text, group_ents, DISJOINT)
    targets: list[str] = []
    for g, members in enumerate(groups):
        scores = list(zip(window_sims[g], names)) + [(day_sims[g, h], targets[h]) for h in range(g)]
        score, target = max(scores, key=lambda pair: pair[0], default=(0.0, ""))
        if score < LINK_THRESHOLD:
            target = story_id(units[members[0]][0].id)
        targets.append(target)
        for unit in members:
            for item in units[unit]:
                result[item.id] = target
    return result


def _centroids(matrix, row_groups: Sequence[Sequence[int]]):
    """One L2-normalized mean row per group of rows."""
    pick = sparse.csr_matrix(
        (np.ones(sum(len(g) for g in row_groups)),
         ([i for i, g in enumerate(row_groups) for _ in g], [r for g in row_groups for r in g])),
        shape=(len(row_groups), matrix.shape[0]))
    return sparse.csr_matrix(normalize(pick @ matrix))


def cluster_days(items: Iterable[Incoming]) -> list[StoryMember]:
    """The stories of an archive, built day after day as new days would be."""
    by_day: dict[date, list[Incoming]] = defaultdict(list)
    for item in items:
        by_day[item.day].append(item)
    members: list[StoryMember] = []
    last_seen: dict[str, date] = {}
    for day in sorted(by_day):
        start = window_start(day)
        window = [m for m in members if last_seen[m.story_id] >= start and m.day >= start]
        known = {m.article_id: m.story_id for m in members}
        added = assign_day(day, by_day[day], window, known)
        for member in added:
            last_seen[member.story_id] = max(last_seen.get(member.story_id, day), member.day)
        members.extend(added)
    return members
