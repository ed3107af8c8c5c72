"""CAMeL Tools' BERT NER as an optional tagger, merged with the rules like the CRF.

`import camel_tools.ner` loads camel-tools' data catalogue at import time and, when the
catalogue file is missing, tries to download it (raising DownloaderError offline). So this
module never imports it at top level: `bert_status` reads the catalogue file itself (same
location rules as camel-tools: $CAMELTOOLS_DATA or ~/.camel_tools) and only when the model is
installed (`camel_data -i ner-arabert`) does `BertTagger` import camel_tools.ner.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Sequence

from .crf import TaggedSpan
from .features import Hint, sentence_chunks
from .normalize import Token
from .scoring import spans_from_bio

NER_COMPONENT = "NamedEntityRecognition"
_TAG_MAP = {"PERS": "PER"}


@dataclass(frozen=True)
class BertStatus:
    available: bool
    reason: str
    model_path: Path | None = None


class BertUnavailable(RuntimeError):
    """camel_tools.ner could not be imported or the model could not be loaded."""


def camel_data_dir() -> Path:
    """Where camel-tools keeps its catalogue and data, as camel_tools.data.catalogue decides."""
    env = os.environ.get("CAMELTOOLS_DATA")
    return Path(env).expanduser().absolute() if env is not None else Path.home() / ".camel_tools"


def bert_status() -> BertStatus:
    """Whether the BERT backend can run here, and why not when it cannot (nothing imported)."""
    for module in ("torch", "transformers", "camel_tools"):
        if find_spec(module) is None:
            return BertStatus(False, f"{module} is not installed")
    catalogue = camel_data_dir() / "catalogue.json"
    if not catalogue.is_file():
        return BertStatus(False, f"no camel-tools catalogue at {catalogue} "
                                 "(run `camel_data -i ner-arabert` once, with network access)")
    try:
        component = json.loads(catalogue.read_text(encoding="utf-8"))["components"][NER_COMPONENT]
        dataset = component["datasets"][component["default"]]
    except (KeyError, ValueError, TypeError) as exc:
        return BertStatus(False, f"catalogue {catalogue} has no usable {NER_COMPONENT} entry ({exc!r})")
    model_path = camel_data_dir() / "data" / dataset["path"]
    if not (model_path / "config.json").is_file():
        return BertStatus(False, f"BERT NER model not installed at {model_path} "
                                 "(run `camel_data -i ner-arabert`)")
    return BertStatus(True, f"CAMeL Tools BERT NER at {model_path}", model_path)


def import_camel_ner():
    """camel_tools.ner, imported now; any failure (DownloaderError offline …) -> BertUnavailable."""
    try:
        import camel_tools.ner as camel_ner
    except Exception as exc:  # DownloaderError, CatalogueError, OSError …: all mean "not usable"
        raise BertUnavailable(f"import camel_tools.ner failed: {type(exc).__name__}: {exc}") from exc
    return camel_ner


class BertTagger:
    """camel-tools' NERecognizer behind the Tagger interface (spans over our tokens)."""

    def __init__(self, model_path: Path, batch_size: int = 16) -> None:
        camel_ner = import_camel_ner()
        try:
            self._recognizer = camel_ner.NERecognizer(str(model_path), use_gpu=True)
        except Exception as exc:
            raise BertUnavailable(f"could not load the BERT model at {model_path}: {exc}") from exc
        self.batch_size = batch_size

    def tag(self, text: str, tokens: Sequence[Token], hints: Sequence[Hint] = ()) -> list[TaggedSpan]:
        """Entity spans, sentence by sentence; BERT gives no marginals, so confidence is 1."""
        chunks = sentence_chunks(text, tokens)
        sentences, positions = [], []
        for first, last in chunks:
            words, where = _words_with_punctuation(text, tokens, first, last)
            sentences.append(words)
            positions.append(where)
        if not sentences:
            return []
        spans = []
        predicted = self._recognizer.predict(sentences, self.batch_size)
        for (first, _last), labels, where in zip(chunks, predicted, positions):
            word_labels = [_map_label(labels[k]) if k < len(labels) else "O" for k in where]
            for a, b, kind in spans_from_bio(word_labels):
                spans.append(TaggedSpan(first + a, first + b, kind, 1.0))
        return spans


def _words_with_punctuation(text: str, tokens: Sequence[Token], first: int, last: int
                            ) -> tuple[list[str], list[int]]:
    """The words BERT sees (punctuation split off as in ANERcorp) and where our tokens are."""
    words, where = [], []
    for i in range(first, last):
        if i > first:
            words.extend(text[tokens[i - 1].end:tokens[i].start].split())
        where.append(len(words))
        words.append(tokens[i].text)
    return words, where


def _map_label(label: str) -> str:
    if label == "O" or "-" not in label:
        return "O"
    bio, _, kind = label.partition("-")
    return f"{bio}-{_TAG_MAP.get(kind, kind)}"
