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


DEVICES = ("auto", "cpu", "cuda")
MAX_PIECES = 254  # word pieces per segment, as camel-tools cuts them (256 with [CLS] and [SEP])
MAX_MEMO = 200_000  # words whose pieces are remembered (a day's news has far fewer)


class BertTagger:
    """camel-tools' BERT NER behind the Tagger interface (spans over our tokens).

    camel-tools' NERecognizer loads the model and its tokenizer; the sentences are then run
    here, not through its `predict`, which pads every sentence to 256 word pieces: sentences
    are cut into the same segments, sorted by length and batched, each batch padded only to
    its longest segment (the labels are the same, at a tenth of the work). `prepare` tags the
    sentences of many articles in one go, so batches stay full across short articles.
    """

    def __init__(self, model_path: Path, device: str = "auto", threads: int | None = None,
                 batch_size: int = 32) -> None:
        camel_ner = import_camel_ner()
        import torch

        if threads:
            torch.set_num_threads(threads)
        self.device = torch_device(device)
        try:
            recognizer = camel_ner.NERecognizer(str(model_path), use_gpu=self.device == "cuda")
        except Exception as exc:
            raise BertUnavailable(f"could not load the BERT model at {model_path}: {exc}") from exc
        self.model = recognizer.model.to(self.device).eval()
        self.tokenizer = recognizer.tokenizer
        self.labels = recognizer.labels_map  # class index -> label
        self.batch_size = batch_size
        self._pieces: dict[str, list[int]] = {}  # word -> its word-piece ids (memo)
        self._ready: dict[str, list[TaggedSpan]] = {}  # text -> spans, from `prepare`

    def prepare(self, texts: Sequence[str], tokens: Sequence[Sequence[Token]]) -> None:
        """Tag these texts together; `tag` then answers for each of them at once."""
        self._ready = dict(zip(texts, self._tag_texts(texts, tokens)))

    def tag(self, text: str, tokens: Sequence[Token], hints: Sequence[Hint] = ()) -> list[TaggedSpan]:
        """Entity spans, sentence by sentence; BERT gives no marginals, so confidence is 1."""
        ready = self._ready.get(text)
        return ready if ready is not None else self._tag_texts([text], [tokens])[0]

    def _tag_texts(self, texts: Sequence[str], tokens: Sequence[Sequence[Token]]
                   ) -> list[list[TaggedSpan]]:
        sentences, places = [], []  # the words BERT sees; (text, first token, where our tokens are)
        for n, (text, toks) in enumerate(zip(texts, tokens)):
            for first, last in sentence_chunks(text, toks):
                words, where = _words_with_punctuation(text, toks, first, last)
                sentences.append(words)
                places.append((n, first, where))
        spans: list[list[TaggedSpan]] = [[] for _ in texts]
        for (n, first, where), labels in zip(places, self.predict(sentences)):
            word_labels = [_map_label(labels[k]) if k < len(labels) else "O" for k in where]
            spans[n].extend(TaggedSpan(first + a, first + b, kind, 1.0)
                            for a, b, kind in spans_from_bio(word_labels))
        return spans

    def predict(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """The label of each word of each sentence: what NERecognizer.predict returns."""
        segments = [(n, piece_ids, firsts) for n, words in enumerate(sentences)
                    for piece_ids, firsts in self._segments(words)]
        labels: list[list[str]] = [[] for _ in segments]
        order = sorted(range(len(segments)), key=lambda i: len(segments[i][1]))
        for start in range(0, len(order), self.batch_size):
            batch = order[start:start + self.batch_size]
            best = self._best_classes([segments[i][1] for i in batch])
            for row, i in zip(best, batch):
                labels[i] = [self.labels[row[k]] for k in segments[i][2]]
        out: list[list[str]] = [[] for _ in sentences]
        for (n, _ids, _firsts), segment_labels in zip(segments, labels):
            out[n].extend(segment_labels)
        return out

    def _segments(self, words: Sequence[str]) -> list[tuple[list[int], list[int]]]:
        """[CLS] pieces [SEP] of at most MAX_PIECES pieces each, a word never cut, and where
        each word's first piece is; words without a piece are left out, as camel-tools does."""
        tokenizer = self.tokenizer
        segments, ids, firsts = [], [], []
        for word in words:
            pieces = self._pieces.get(word)
            if pieces is None:
                if len(self._pieces) >= MAX_MEMO:
                    self._pieces.clear()
                pieces = self._pieces[word] = tokenizer.convert_tokens_to_ids(tokenizer.tokenize(word))
            if not pieces:
                continue
            if len(ids) + len(pieces) > MAX_PIECES:
                segments.append(_with_cls_and_sep(tokenizer, ids, firsts))
                ids, firsts = [], []
            firsts.append(len(ids) + 1)
            ids.extend(pieces)
        if ids or not segments:
            segments.append(_with_cls_and_sep(tokenizer, ids, firsts))
        return segments

    def _best_classes(self, batch: list[list[int]]) -> list[list[int]]:
        """The best class of every position of each segment, the batch padded to its longest."""
        import torch

        width = max(len(ids) for ids in batch)
        input_ids = torch.full((len(batch), width), self.tokenizer.pad_token_id, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for row, ids in enumerate(batch):
            input_ids[row, :len(ids)] = torch.tensor(ids)
            mask[row, :len(ids)] = 1
        with torch.inference_mode():
            logits = self.model(input_ids=input_ids.to(self.device), attention_mask=mask.to(self.device),
                                token_type_ids=torch.zeros_like(input_ids).to(self.device))[0]
        return logits.argmax(dim=-1).tolist()


def _with_cls_and_sep(tokenizer, ids: list[int], firsts: list[int]) -> tuple[list[int], list[int]]:
    return [tokenizer.cls_token_id, *ids, tokenizer.sep_token_id], firsts


def torch_device(device: str) -> str:
    """"cuda" or "cpu" for a setting of analysis.device; asking for a GPU torch cannot see fails."""
    import torch

    if device not in DEVICES:
        raise BertUnavailable(f"unknown device {device!r}; choose from {', '.join(DEVICES)}")
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise BertUnavailable("analysis.device is cuda, but torch sees no GPU here "
                              f"(torch {torch.__version__}; a CUDA build and a driver are needed)")
    return device


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
