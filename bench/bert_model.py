"""A BERT-base-sized NER model with random weights, installed where camel-tools looks for one.

CAMeL Tools' `ner-arabert` model cannot be downloaded on the project's machines, and its speed
depends only on its shape: 12 layers, hidden size 768, 12 heads, 3,072 intermediate units, a
64,000-piece vocabulary (as AraBERT's). The vocabulary is made from the benchmark corpus: each
word whole, except words with a proclitic (و، ب، ل، ال…), which are split into two pieces as
AraBERT's tokenizer splits them; filler pieces bring it to full size.

    build_bert(data_dir, words)   # then CAMELTOOLS_DATA=data_dir selects it
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

LABELS = ["B-LOC", "B-ORG", "B-PERS", "B-MISC", "I-LOC", "I-ORG", "I-PERS", "I-MISC", "O"]
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
CLITICS = ("وال", "بال", "لل", "ال", "و", "ب", "ل")
BASE = {"hidden_size": 768, "num_hidden_layers": 12, "num_attention_heads": 12,
        "intermediate_size": 3072, "max_position_embeddings": 512, "vocab_size": 64_000}


def vocabulary(words: Iterable[str], size: int) -> list[str]:
    pieces = dict.fromkeys(SPECIAL)
    for word in sorted(set(words)):
        clitic = next((c for c in CLITICS if word.startswith(c) and len(word) > len(c) + 2), "")
        if clitic:
            pieces.update(dict.fromkeys([clitic, "##" + word[len(clitic):]]))
        else:
            pieces[word] = None
    for mark in "«»:،.؟!\"()-":
        pieces[mark] = None
    filler = (f"[unused{i}]" for i in range(size))
    while len(pieces) < size:
        pieces[next(filler)] = None
    return list(pieces)


def build_bert(data_dir: Path, words: Iterable[str], shape: dict | None = None, seed: int = 0) -> Path:
    """Save the model, its tokenizer and a camel-tools catalogue under data_dir; returns the
    model's folder."""
    import torch
    from transformers import BertConfig, BertForTokenClassification, BertTokenizer

    shape = {**BASE, **(shape or {})}
    model_dir = data_dir / "data" / "ner" / "arabert"
    model_dir.mkdir(parents=True, exist_ok=True)
    vocab = vocabulary(words, shape["vocab_size"])
    (model_dir / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    BertTokenizer(str(model_dir / "vocab.txt"), do_lower_case=False).save_pretrained(model_dir)
    config = BertConfig(**shape, id2label=dict(enumerate(LABELS)),
                        label2id={label: i for i, label in enumerate(LABELS)})
    torch.manual_seed(seed)
    BertForTokenClassification(config).save_pretrained(model_dir)
    catalogue = {"version": "bench", "packages": {}, "components": {"NamedEntityRecognition": {
        "default": "arabert", "datasets": {"arabert": {"path": "ner/arabert"}}}}}
    (data_dir / "catalogue.json").write_text(json.dumps(catalogue), encoding="utf-8")
    return model_dir
