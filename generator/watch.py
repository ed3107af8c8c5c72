"""Watchlists: which articles each watchlist of marsad.yml collects.

An article matches a watchlist when it names one of its entities (by entity id: watchlist
names always win in the analyzer), contains one of its keywords, or satisfies its boolean
query. Queries are parsed by a small recursive-descent parser:

    query  := or
    or     := and ("OR" and)*
    and    := not (["AND"] not)*        two terms side by side are joined by AND
    not    := "NOT" not | atom
    atom   := "(" or ")" | word | word* | "a phrase" | «a phrase»

Words match on their normalized form (alef, hamza seats, ya, teh marbuta, diacritics folded)
with or without a proclitic or the article: ليبيا matches وليبيا and لليبيا, رياضة matches
والرياضة; a trailing * matches any ending (روس* matches الروسي).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .arabic.linking import entity_id
from .arabic.normalize import stems
from .arabic.terms import folded_words
from .model import Analysis, Article, Watchlist

OPERATORS = ("AND", "OR", "NOT")
_TOKEN_RE = re.compile(r'\s*(?:(\()|(\))|"([^"]*)("?)|«([^»]*)(»?)|([^\s()"«»]+))')


class QueryError(ValueError):
    """A malformed query; the message says what is wrong and where."""


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # folded
    prefix: bool = False  # the last word may go on (روس*)


@dataclass(frozen=True)
class Not:
    operand: Query


@dataclass(frozen=True)
class AllOf:
    operands: tuple[Query, ...]


@dataclass(frozen=True)
class AnyOf:
    operands: tuple[Query, ...]


Query = Term | Not | AllOf | AnyOf


def parse_query(text: str) -> Query:
    """The query tree, or QueryError naming the first problem."""
    parser = _Parser(_lex(text))
    if not parser.tokens:
        raise QueryError("the query is empty")
    query = parser.parse_or()
    if parser.peek() is not None:
        kind, value, where = parser.peek()
        raise QueryError(f"unexpected {_shown(kind, value)} at word {where}"
                         + (" (no '(' opened it)" if kind == ")" else ""))
    return query


def _lex(text: str) -> list[tuple[str, object, int]]:
    """(kind, value, word number) tokens: kinds "(", ")", "op", "term"."""
    tokens = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN_RE.match(text, position)
        where = len(tokens) + 1
        opened, closed, quoted, quote_end, guillemets, guillemet_end, word = match.groups()
        position = match.end()
        if opened or closed:
            tokens.append((opened or closed, None, where))
        elif quoted is not None or guillemets is not None:
            phrase = quoted if quoted is not None else guillemets
            if not (quote_end if quoted is not None else guillemet_end):
                raise QueryError(f"the phrase at word {where} is not closed")
            words = _query_words(phrase)
            if not words:
                raise QueryError(f"the phrase at word {where} is empty")
            tokens.append(("term", Term(words), where))
        elif word.upper() in OPERATORS:
            tokens.append(("op", word.upper(), where))
        else:
            tokens.append(("term", _word_term(word, where), where))
    return tokens


def _word_term(word: str, where: int) -> Term:
    prefix = word.endswith("*")
    words = _query_words(word.rstrip("*"))
    if len(words) != 1:
        raise QueryError(f"{word!r} at word {where} is not a word (quote phrases: \"...\")")
    return Term(words, prefix)


def _shown(kind: str, value) -> str:
    return f"'{kind}'" if kind in "()" else value if kind == "op" else "term"


class _Parser:
    def __init__(self, tokens: list[tuple[str, object, int]]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self):
        token = self.peek()
        self.i += 1
        return token

    def parse_or(self) -> Query:
        operands = [self.parse_and()]
        while self._at_op("OR"):
            self.take()
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else AnyOf(tuple(operands))

    def parse_and(self) -> Query:
        operands = [self.parse_not()]
        while self.peek() is not None and (self._at_op("AND") or self.peek()[0] in ("term", "(")
                                           or self._at_op("NOT")):
            if self._at_op("AND"):
                self.take()
            operands.append(self.parse_not())
        return operands[0] if len(operands) == 1 else AllOf(tuple(operands))

    def parse_not(self) -> Query:
        if self._at_op("NOT"):
            self.take()
            return Not(self.parse_not())
        return self.parse_atom()

    def parse_atom(self) -> Query:
        token = self.take()
        if token is None:
            before = self.tokens[-1]
            raise QueryError(f"the query ends after {_shown(before[0], before[1])}: "
                             "a term is missing")
        kind, value, where = token
        if kind == "term":
            return value
        if kind == "(":
            inner = self.parse_or()
            closing = self.take()
            if closing is None or closing[0] != ")":
                raise QueryError(f"the '(' at word {where} is never closed")
            return inner
        raise QueryError(f"unexpected {_shown(kind, value)} at word {where}: a term is missing")

    def _at_op(self, name: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "op" and token[1] == name


def _bare(word: str) -> str:
    """Without the article: رياضة matches الرياضة and والرياضة."""
    return word[2:] if word.startswith("ال") and len(word) > 3 else word


def _query_words(text: str) -> tuple[str, ...]:
    return tuple(_bare(w) for w in folded_words(text))


class Text:
    """An article's words, each with the forms it takes without a proclitic or article."""

    def __init__(self, text: str) -> None:
        self.forms = [frozenset(_bare(stem) for _, stem in stems(w, w))
                      for w in folded_words(text)]

    def has(self, term: Term) -> bool:
        first, rest = term.words[0], term.words[1:]
        for i in range(len(self.forms) - len(rest)):
            if self._word_at(i, first, term.prefix and not rest) and all(
                    self._word_at(i + 1 + k, word, term.prefix and k == len(rest) - 1)
                    for k, word in enumerate(rest)):
                return True
        return False

    def _word_at(self, i: int, word: str, prefix: bool) -> bool:
        forms = self.forms[i]
        return any(f.startswith(word) for f in forms) if prefix else word in forms


def holds(query: Query, text: Text) -> bool:
    if isinstance(query, Term):
        return text.has(query)
    if isinstance(query, Not):
        return not holds(query.operand, text)
    if isinstance(query, AllOf):
        return all(holds(q, text) for q in query.operands)
    return any(holds(q, text) for q in query.operands)


@dataclass(frozen=True)
class WatchRule:
    """A watchlist ready to match: entity ids, keyword terms, query tree."""

    name: str
    entity_ids: frozenset[str]
    keywords: tuple[Term, ...]
    query: Query | None


def watch_rules(watchlists: Sequence[Watchlist]) -> list[WatchRule]:
    """Config watchlists, parsed once (config.py has already checked their queries)."""
    return [WatchRule(
        w.name,
        frozenset(entity_id(e.type, e.name) for e in w.entities),
        tuple(Term(_query_words(k)) for k in w.keywords if _query_words(k)),
        parse_query(w.query) if w.query else None,
    ) for w in watchlists]


def matching_watchlists(rules: Sequence[WatchRule], article: Article,
                        analysis: Analysis) -> list[str]:
    """Names of the watchlists the article matches, in config order."""
    if not rules:
        return []
    ids = {e.id for e in analysis.entities}
    text = Text(article.title + "\n" + article.text)
    return [rule.name for rule in rules
            if ids & rule.entity_ids or any(text.has(k) for k in rule.keywords)
            or (rule.query is not None and holds(rule.query, text))]

