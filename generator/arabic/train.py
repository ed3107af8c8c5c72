"""Train the CRF on ANERcorp (or any `token TAG` CoNLL file), or cross-validate it.

    python -m generator.arabic.train /path/to/train.conll --out generator/arabic/data/ner-crf.json.gz
    python -m generator.arabic.train /path/to/train.conll --folds 5 [--split blocks] [--c1 X --c2 Y]

Training needs python-crfsuite; the model is exported to a compact weight file that
generator.arabic.crf decodes without it.

Sentences are joined into text and tokenized exactly as articles are at run time, so the
features (including gazetteer and trigger hints from the rule recognizer) are the same; a
CoNLL token's tag goes to every word it contains (B- on the first word, I- on the rest).
ANERcorp's PERS is mapped to PER.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .crf import MODEL_FILE, export_weights
from .entities import EntityRecognizer
from .backends import vocabulary
from .features import FeatureExtractor
from .gazetteer import build_gazetteer
from .normalize import tokenize
from .scoring import Score, spans_from_bio

TAG_MAP = {"PERS": "PER"}
# L1 keeps the model small (a few MB) and drops features seen too rarely to help.
TRAIN_PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}


@dataclass
class Example:
    features: list[list[str]]
    labels: list[str]


def read_conll(path: Path) -> list[list[tuple[str, str]]]:
    """Sentences of (token, tag), tags mapped to PER/LOC/ORG/MISC."""
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if current:
                sentences.append(current)
            current = []
            continue
        token, tag = parts[0], parts[-1]
        if tag != "O":
            bio, _, kind = tag.partition("-")
            tag = f"{bio}-{TAG_MAP.get(kind, kind)}"
        current.append((token, tag))
    if current:
        sentences.append(current)
    return sentences


def make_examples(sentences: list[list[tuple[str, str]]]) -> list[Example]:
    """Features and labels of every sentence, through the run-time tokenizer and rules."""
    gaz = build_gazetteer()
    rules = EntityRecognizer(gaz)
    extractor = FeatureExtractor(vocabulary(gaz))
    examples = []
    for sentence in sentences:
        text, owner = _join(sentence)
        tokens = tokenize(text)
        if not tokens:
            continue
        labels = _word_labels(tokens, owner, sentence)
        hints = rules.hints(text, tokens)
        examples.append(Example(extractor.sequence(text, tokens, 0, len(tokens), hints), labels))
    return examples


def _join(sentence: list[tuple[str, str]]) -> tuple[str, list[int]]:
    """The sentence as text, and for each character the index of its CoNLL token (-1: space)."""
    text, owner = [], []
    for k, (token, _tag) in enumerate(sentence):
        if k:
            text.append(" ")
            owner.append(-1)
        text.append(token)
        owner.extend([k] * len(token))
    return "".join(text), owner


def _word_labels(tokens, owner: list[int], sentence: list[tuple[str, str]]) -> list[str]:
    labels, previous = [], -1
    for tok in tokens:
        k = owner[tok.start]
        tag = sentence[k][1]
        if tag != "O" and k == previous:
            tag = "I-" + tag[2:]
        labels.append(tag)
        previous = k
    return labels


def train(examples: list[Example], out: Path, params: dict | None = None) -> None:
    """Train with TRAIN_PARAMS, updated by `params` (c1/c2 when tuning)."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for ex in examples:
        trainer.append(ex.features, ex.labels)
    trainer.set_params({**TRAIN_PARAMS, **(params or {})})
    trainer.train(str(out))


def score_model(model: Path, examples: list[Example]) -> Score:
    """Exact-span scores (PER/LOC/ORG) of a model on examples."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    score = Score()
    for ex in examples:
        score.add(spans_from_bio(ex.labels), spans_from_bio(tagger.tag(ex.features)))
    tagger.close()
    return score


def cross_validate(path: Path, folds: int = 5, split: str = "interleaved",
                   params: dict | None = None) -> Score:
    """k-fold CV over sentences, exact spans (PER/LOC/ORG).

    "interleaved": sentence i goes to fold i % k (the usual k-fold; sentences of one article
    may fall in different folds). "blocks": contiguous fifths, so articles mostly stay whole
    (harder, closer to tagging unseen news).
    """
    import tempfile

    examples = make_examples(read_conll(path))
    total = Score()
    size = -(-len(examples) // folds)
    with tempfile.TemporaryDirectory() as temp:
        for f in range(folds):
            if split == "blocks":
                test = examples[f * size:(f + 1) * size]
                rest = examples[:f * size] + examples[(f + 1) * size:]
            else:
                test = examples[f::folds]
                rest = [ex for i, ex in enumerate(examples) if i % folds != f]
            model = Path(temp) / f"fold{f}.crfsuite"
            train(rest, model, params)
            fold = score_model(model, test)
            print(f"fold {f + 1}/{folds}: F1 {fold.total.f1:.3f}", file=sys.stderr)
            for kind, counts in fold.by_type.items():
                agg = total.by_type[kind]
                agg.tp, agg.predicted, agg.gold = (agg.tp + counts.tp, agg.predicted + counts.predicted,
                                                   agg.gold + counts.gold)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("conll", type=Path, help="ANERcorp training part (token TAG per line)")
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    parser.add_argument("--folds", type=int, default=0, help="cross-validate instead of training")
    parser.add_argument("--split", choices=("interleaved", "blocks"), default="interleaved")
    parser.add_argument("--c1", type=float, help=f"L1 weight (default {TRAIN_PARAMS['c1']})")
    parser.add_argument("--c2", type=float, help=f"L2 weight (default {TRAIN_PARAMS['c2']})")
    args = parser.parse_args()
    params = {k: v for k, v in (("c1", args.c1), ("c2", args.c2)) if v is not None}
    t0 = time.perf_counter()
    if args.folds:
        score = cross_validate(args.conll, args.folds, args.split, params)
        print(score.table(f"{args.folds}-fold cross-validation ({args.split}), exact spans"))
    else:
        import tempfile

        with tempfile.TemporaryDirectory() as temp:
            model = Path(temp) / "ner.crfsuite"
            train(make_examples(read_conll(args.conll)), model, params)
            export_weights(model, args.out)
        print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    print(f"{time.perf_counter() - t0:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
