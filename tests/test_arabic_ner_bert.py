"""The optional CAMeL Tools BERT backend, with a tiny BERT built here (random weights).

Everything runs in subprocesses: camel-tools reads $CAMELTOOLS_DATA once, when
camel_tools.data is first imported, so each case needs a fresh interpreter. HTTPS_PROXY points
at a closed local port, so nothing can be downloaded even on a machine with network access.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LABELS = ["B-LOC", "B-ORG", "B-PERS", "B-MISC", "I-LOC", "I-ORG", "I-PERS", "I-MISC", "O"]
WORDS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "وصل", "الوفد", "إلى", "القاهرة", "أمس"]
OFFLINE = {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9",
           "https_proxy": "http://127.0.0.1:9", "http_proxy": "http://127.0.0.1:9"}

pytest.importorskip("transformers")
pytest.importorskip("torch")


def _run(code: str, data_dir: Path) -> dict:
    env = {**os.environ, **OFFLINE, "CAMELTOOLS_DATA": str(data_dir), "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def build_tiny_model(data_dir: Path, always_person: bool = True) -> None:
    """A 1-layer BERT whose classifier always says B-PERS (or, with always_person=False, keeps
    its random weights), plus a camel-tools catalogue."""
    import torch
    from transformers import BertConfig, BertForTokenClassification, BertTokenizer

    model_dir = data_dir / "data" / "ner" / "arabert"
    model_dir.mkdir(parents=True)
    (model_dir / "vocab.txt").write_text("\n".join(WORDS) + "\n", encoding="utf-8")
    BertTokenizer(str(model_dir / "vocab.txt"), do_lower_case=False).save_pretrained(model_dir)
    config = BertConfig(vocab_size=len(WORDS), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=256,
                        id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)})
    torch.manual_seed(0)
    model = BertForTokenClassification(config)
    with torch.no_grad():
        if not always_person:
            model.classifier.weight.mul_(40.0)  # labels that vary from word to word
            model.save_pretrained(model_dir)
            return _write_catalogue(data_dir)
        model.classifier.weight.zero_()
        model.classifier.bias.zero_()
        model.classifier.bias[LABELS.index("B-PERS")] = 5.0
    model.save_pretrained(model_dir)
    _write_catalogue(data_dir)


def _write_catalogue(data_dir: Path) -> None:
    catalogue = {"version": "test", "packages": {}, "components": {"NamedEntityRecognition": {
        "default": "arabert", "datasets": {"arabert": {"path": "ner/arabert"}}}}}
    (data_dir / "catalogue.json").write_text(json.dumps(catalogue), encoding="utf-8")


ADAPTER = """
import json, sys
from generator.arabic import Analyzer
from generator.arabic.doctor import doctor_report
from generator.arabic.normalize import tokenize
text = "وصل الوفد إلى القاهرة أمس"
analyzer = Analyzer([])
raw = analyzer._recognizer.tagger.tag(text, tokenize(text))
analysis = analyzer.analyze(text)
print(json.dumps({"backend": analyzer.backend, "doctor": doctor_report(measure=False),
                  "raw": [[s.first, s.last, s.type] for s in raw],
                  "entities": [[e.name, e.type, [[m.text, m.start, m.end] for m in e.mentions]]
                               for e in analysis.entities]}))
"""


def test_bert_adapter_with_a_tiny_local_model(tmp_path: Path) -> None:
    build_tiny_model(tmp_path)
    out = _run(ADAPTER, tmp_path)
    assert out["backend"] == "bert"
    assert "ok bert" in out["doctor"] and "active (auto): bert" in out["doctor"]
    # The classifier says B-PERS everywhere: one PER span per word, PERS mapped to PER.
    assert out["raw"] == [[i, i + 1, "PER"] for i in range(5)]
    entities = {name: (type_, mentions) for name, type_, mentions in out["entities"]}
    text = "وصل الوفد إلى القاهرة أمس"
    # Merged with the gazetteer: القاهرة stays a place; إلى and أمس are never names.
    assert entities["القاهرة"][0] == "LOC"
    assert "إلى" not in entities and "أمس" not in entities
    for _type, mentions in entities.values():
        for mention, start, end in mentions:
            assert text[start:end] == mention


OFFLINE_CASE = """
import json, sys
from generator.arabic import Analyzer
from generator.arabic.bert import BertUnavailable, bert_status, import_camel_ner
from generator.arabic.doctor import doctor_report
status = bert_status()
analyzer = Analyzer([])
imported_by_analyzer = "camel_tools.ner" in sys.modules
try:
    import_camel_ner()
    error = ""
except BertUnavailable as exc:
    error = str(exc)
print(json.dumps({"available": status.available, "reason": status.reason, "backend": analyzer.backend,
                  "imported": imported_by_analyzer, "error": error, "doctor": doctor_report(measure=False)}))
"""


def test_offline_without_catalogue_falls_back_and_never_imports(tmp_path: Path) -> None:
    out = _run(OFFLINE_CASE, tmp_path / "empty")
    assert not out["available"] and "catalogue" in out["reason"]
    assert out["backend"] == "embedded"
    assert out["imported"] is False  # choosing a backend never imports camel_tools.ner
    assert "DownloaderError" in out["error"]  # what importing it offline does, caught
    assert "-- bert" in out["doctor"] and "active (auto): embedded" in out["doctor"]


def test_catalogue_without_the_model_is_reported(tmp_path: Path) -> None:
    build_tiny_model(tmp_path)
    for item in (tmp_path / "data" / "ner" / "arabert").iterdir():
        item.unlink()
    out = _run(OFFLINE_CASE.replace("import_camel_ner()", "pass"), tmp_path)
    assert not out["available"] and "not installed" in out["reason"]
    assert out["backend"] == "embedded"


SAME_AS_CAMEL = """
import json, random
import camel_tools.ner as camel_ner
from generator.arabic.backends import make_tagger
from generator.arabic.bert import bert_status
tagger = make_tagger("bert", None, device="cpu", threads=1)
tagger.batch_size = 4
camel = camel_ner.NERecognizer(str(bert_status().model_path), use_gpu=False)
rng = random.Random(3)
words = ["وصل", "الوفد", "إلى", "القاهرة", "أمس", "كلمة", "،", "."]
sentences = [[rng.choice(words) for _ in range(rng.randint(1, 40))] for _ in range(23)]
sentences += [[], [rng.choice(words) for _ in range(300)]]  # nothing; more than one segment
mine, theirs = tagger.predict(sentences), camel.predict(sentences, 8)
print(json.dumps({"same": mine == theirs, "labels": sorted({l for s in mine for l in s}),
                  "lengths": [len(s) for s in mine] == [len(s) for s in sentences]}))
"""


def test_batches_padded_to_their_longest_sentence_give_camel_tools_labels(tmp_path: Path) -> None:
    build_tiny_model(tmp_path, always_person=False)
    out = _run(SAME_AS_CAMEL, tmp_path)
    assert out["same"] and out["lengths"]
    assert len(out["labels"]) > 3  # the random classifier really says different things


ACROSS_ARTICLES = """
import json
from generator.arabic import Analyzer
texts = ["وصل الوفد إلى القاهرة أمس. وصل الوفد.", "القاهرة أمس", "وصل", "", "الوفد إلى القاهرة"]
analyzer = Analyzer([], backend="bert", device="cpu")
together = [a.to_dict() for a in analyzer.analyze_many(texts)]
alone = [Analyzer([], backend="bert", device="cpu").analyze(t).to_dict() for t in texts]
print(json.dumps({"same": together == alone, "entities": sum(len(a["entities"]) for a in alone)}))
"""


def test_articles_tagged_together_get_what_each_gets_alone(tmp_path: Path) -> None:
    build_tiny_model(tmp_path, always_person=False)
    out = _run(ACROSS_ARTICLES, tmp_path)
    assert out["same"] and out["entities"] > 0


def test_doctor_measures_the_bert_speed_here(tmp_path: Path) -> None:
    build_tiny_model(tmp_path)
    env = {**os.environ, **OFFLINE, "CAMELTOOLS_DATA": str(tmp_path), "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "generator", "doctor"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    speeds = [line for line in done.stdout.splitlines() if "articles/s" in line]
    assert any(line.strip().startswith("bert") and " on cpu" in line for line in speeds), done.stdout
    assert any(line.strip().startswith("embedded") for line in speeds), done.stdout


def test_asking_for_a_gpu_that_is_not_there_is_one_line(tmp_path: Path) -> None:
    build_tiny_model(tmp_path)
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "marsad.yml").write_text("sources: [{name: s, url: feed.xml}]\nanalysis: {device: cuda}\n",
                                       encoding="utf-8")
    (folder / "passage.txt").write_text("وصل الوفد إلى القاهرة أمس", encoding="utf-8")
    env = {**os.environ, **OFFLINE, "CAMELTOOLS_DATA": str(tmp_path), "PYTHONPATH": str(REPO),
           "CUDA_VISIBLE_DEVICES": ""}
    done = subprocess.run([sys.executable, "-m", "generator", "extract", "passage.txt", "--backend", "bert"],
                          env=env, cwd=folder, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert done.stderr.startswith("marsad: error: analysis.device is cuda, but torch sees no GPU")


def test_bert_in_the_worker_pool_stores_what_one_process_stores(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    from corpus import stored_articles
    from sqlalchemy import select

    from generator.store import Store
    from generator.store.schema import analyses

    build_tiny_model(tmp_path / "camel", always_person=False)
    env = {**os.environ, **OFFLINE, "CAMELTOOLS_DATA": str(tmp_path / "camel"), "PYTHONPATH": str(REPO)}
    stored = {}
    for workers in (1, 2):
        folder = tmp_path / f"w{workers}"
        folder.mkdir()
        (folder / "marsad.yml").write_text(f"sources: [{{name: s, url: feed.xml}}]\n"
                                           f"analysis: {{workers: {workers}, device: cpu}}\n", encoding="utf-8")
        with Store.open(folder / ".marsad" / "marsad.sqlite") as store:
            store.add_articles(stored_articles(520, words=30))
        done = subprocess.run([sys.executable, "-m", "generator", "--no-progress", "analyze"], env=env,
                              cwd=folder, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        assert f"analyze: 520 articles analyzed{' by 2 workers' if workers == 2 else ''}," in done.stdout
        with Store.open(folder / ".marsad" / "marsad.sqlite") as store:
            stored[workers] = [(a.id, json.dumps(analysis.to_dict())) for a, analysis in store.analyzed_articles()]
    assert stored[2] == stored[1] and len(stored[1]) == 520
    with Store.open(tmp_path / "w2" / ".marsad" / "marsad.sqlite") as store:
        versions = {row[0] for row in store._rows(select(analyses.c.version).distinct())}
    assert len(versions) == 1 and ":bert:" in versions.pop()  # the BERT backend did the work
