"""`marsad analyze` on several worker processes stores exactly what one process stores."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from conftest import REPO, marsad
from generator import pipeline
from generator.analysis import RANGE_SIZE, RANGES_PER_WORKER, id_ranges, workers_for
from generator.config import ConfigError, available_cores, load_config
from generator.store import Store

sys.path.insert(0, str(REPO / "bench"))
from corpus import stored_articles  # noqa: E402

ARTICLES = 3 * RANGES_PER_WORKER * RANGE_SIZE + 7  # work for three workers, the last range short


def project(folder: Path, analysis: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "marsad.yml"
    config.write_text("sources:\n  - {name: مصدر, url: feed.xml}\n" + analysis, encoding="utf-8")
    return config


def analyses(db: Path) -> list[tuple]:
    """Every stored analysis, in the order it was written."""
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT article_id, version, content_hash, data FROM analyses "
                                  "ORDER BY rowid").fetchall()


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> dict[int, Path]:
    """The same store analyzed by one worker and by three (more than this machine's cores)."""
    base = tmp_path_factory.mktemp("workers")
    seed = base / "seed.sqlite"
    with Store.open(seed) as store:
        store.add_articles(stored_articles(ARTICLES, words=90))
    configs = {}
    for workers in (1, 3):
        config = project(base / str(workers), f"analysis:\n  workers: {workers}\n")
        (config.parent / ".marsad").mkdir()
        shutil.copy(seed, config.parent / ".marsad" / "marsad.sqlite")
        done = marsad(config.parent, "analyze")
        assert done.returncode == 0, done.stderr
        workers_shown = f" by {workers} workers" if workers > 1 else ""
        assert f"analyze: {ARTICLES} articles analyzed{workers_shown}, 0 already up to date" in done.stdout
        configs[workers] = config.parent / ".marsad" / "marsad.sqlite"
    return configs


def test_several_workers_store_byte_identical_analyses(stores) -> None:
    one, three = analyses(stores[1]), analyses(stores[3])
    assert len(one) == ARTICLES
    assert three == one  # same rows, same bytes, written in the same order


def test_a_second_run_finds_nothing_to_do(stores) -> None:
    done = marsad(stores[3].parent.parent, "analyze")
    assert "analyze: 0 articles analyzed, " + f"{ARTICLES} already up to date" in done.stdout


def test_ranges_cover_every_id_once() -> None:
    ids = [f"{i:04d}" for i in range(2 * RANGE_SIZE + 1)]
    ranges = id_ranges(ids)
    assert ranges == [(ids[0], ids[RANGE_SIZE - 1]), (ids[RANGE_SIZE], ids[2 * RANGE_SIZE - 1]),
                      (ids[-1], ids[-1])]
    assert id_ranges([]) == []


def test_a_pool_starts_only_workers_with_enough_work() -> None:
    enough = RANGE_SIZE * RANGES_PER_WORKER
    assert [workers_for(n, 4) for n in (0, 5, 4 * enough - 1, 4 * enough, 10**6)] == [1, 1, 3, 4, 4]


def test_a_range_reads_only_its_articles(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.sqlite") as store:
        store.add_articles(stored_articles(10, words=30))
        ids = store.ids_to_analyze("v")
        assert ids == sorted(ids) and len(ids) == 10
        within = store.articles_to_analyze("v", (ids[2], ids[4]))
        assert sorted(a.id for a in within) == ids[2:5]


def test_workers_default_to_the_cores_and_are_checked(tmp_path: Path) -> None:
    assert load_config(project(tmp_path)).analysis.workers == available_cores()
    settings = load_config(project(tmp_path, "analysis: {workers: 2, device: cpu}\n")).analysis
    assert (settings.workers, settings.device, settings.cluster) == (2, "cpu", "")
    for bad, message in [("workers: 0", "analysis.workers: must be a whole number from 1 to 256"),
                         ("workers: two", "analysis.workers: must be a whole number"),
                         ("device: tpu", "analysis.device: must be one of auto, cpu, cuda"),
                         ("cluster: somewhere", "analysis.cluster: must be a scheduler address"),
                         ("threads: 2", "analysis.threads: unknown setting")]:
        with pytest.raises(ConfigError, match=message):
            load_config(project(tmp_path, f"analysis: {{{bad}}}\n"))


def test_one_process_when_there_is_too_little_work_for_a_pool(tmp_path: Path) -> None:
    config = load_config(project(tmp_path, "analysis: {workers: 4}\n"))
    with Store.open(config.db_path) as store:
        store.add_articles(stored_articles(5, words=40))
    report = pipeline.analyze(config, progress=False)
    assert (report.analyzed, report.workers) == (5, 1)
