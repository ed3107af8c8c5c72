"""Crash safety: `marsad run` killed with SIGKILL at random moments of every stage.

Twenty sources on a local HTTP server (so the parse workers run), some carrying copies of
the same wire story. An uninterrupted run gives the reference content/ and site/. Then each
kill, in one folder: the stage's work is undone first (the store removed before an ingest
kill, the analyses before an analyze kill, the pages before a render kill, the site before a
build kill), a run is killed at a random moment of that stage, then a full run follows;
content/ and site/ must be byte-identical to the reference, the store must pass SQLite's
integrity check, no worker may outlive the killed run, and no lock, build folder or
temporary file may be left.
"""

from __future__ import annotations

import fcntl
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, FeedServer, rss, rss_item

SOURCES = 20
KILLS = 20  # five in each stage
STAGES = ("ingest", "analyze", "render", "build")
WIRE = ("أعلنت منظمة الدول المصدرة للبترول وحلفاؤها في ختام اجتماعها الوزاري في فيينا تمديد "
        "خفض الإنتاج الطوعي حتى نهاية مارس المقبل، في خطوة تهدف إلى دعم استقرار الأسواق. وقال "
        "وزير الطاقة إن القرار جاء بإجماع الدول الأعضاء بعد مشاورات استمرت يومين، مشيرا إلى أن "
        "التحالف سيراجع مستويات الإنتاج في اجتماعه المقبل.")
STORY = ("قال وزير {n} في مؤتمر صحفي: «سنواصل العمل مع الشركاء لتحقيق الاستقرار في المنطقة». "
         "وأضاف أن الحكومة ستعلن خطة جديدة للنقل العام في المدينة رقم {n} خلال الأسبوع المقبل، "
         "وأن الخطة تشمل خطوطا جديدة للحافلات وتوسيع شبكة القطارات.")


def feed(number: int) -> bytes:
    """Three stories of its own; sources 0-9 also carry the wire story, at different times."""
    items = [rss_item(f"خبر {number}-{k}", f"https://s{number}.example/{k}",
                      STORY.format(n=number * 10 + k), f"Wed, {10 + k:02d} Sep 2025 {number:02d}:15:00 +0000")
             for k in range(3)]
    if number < 10:  # the same wire copy; two of them published at the very same second
        items.append(rss_item(f"أوبك+ تمدد الخفض ({number})", f"https://s{number}.example/wire",
                              f"فيينا (وكالات) - {WIRE}",
                              f"Thu, 11 Sep 2025 {min(number, 8) + 6:02d}:00:00 +0000"))
    return rss(items, title=f"مصدر {number}")


def slow_feed(number: int):
    def route(_handler):
        time.sleep(0.05)
        return 200, {"Content-Type": "application/rss+xml"}, feed(number)
    return route


@pytest.fixture(scope="module")
def server():
    feeds = FeedServer()
    for number in range(SOURCES):
        feeds.routes[f"/feed/{number}.xml"] = slow_feed(number)
    feeds.thread.start()
    yield feeds
    feeds.httpd.shutdown()
    feeds.httpd.server_close()


def make_project(folder: Path, server: FeedServer) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(REPO / "content", folder / "content",
                    ignore=shutil.ignore_patterns("digests", "index.md", "archive.md"))
    sources = "".join(f"  - {{name: مصدر {n:02d}, url: '{server.url(f'/feed/{n}.xml')}', "
                      f"section: {'سياسة' if n % 2 else 'اقتصاد'}, fulltext: never}}\n"
                      for n in range(SOURCES))
    (folder / "marsad.yml").write_text(
        "title: مرصد الاختبار\ntimezone: Asia/Riyadh\nhttp: {allow_private: true}\n"
        f"sources:\n{sources}", encoding="utf-8")
    return folder


def start_run(folder: Path) -> subprocess.Popen:
    """`marsad run` in its own process group, so that its workers can be found after a kill."""
    return subprocess.Popen([sys.executable, "-m", "generator", "--no-progress", "run"], cwd=folder,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"}, start_new_session=True)


def full_run(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "--no-progress", "run"], cwd=folder,
                          capture_output=True, text=True, timeout=300)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def stage_times(folder: Path) -> dict[str, tuple[float, float]]:
    """When each stage starts and how long it lasts, from a run's summary lines."""
    process, started, marks = start_run(folder), time.monotonic(), {}
    for line in process.stdout:
        stage = line.split(":", 1)[0]
        if stage in STAGES:
            marks[stage] = time.monotonic() - started
    assert process.wait() == 0, process.stderr.read()
    times, begin = {}, 0.0
    for stage in STAGES:
        times[stage] = (begin, marks[stage] - begin)
        begin = marks[stage]
    return times


def kill_during(folder: Path, stage: str, times, rng: random.Random) -> int:
    """Start a run, SIGKILL it (only its main process) at a random moment of `stage`;
    returns its process group, where its workers are."""
    process = start_run(folder)
    previous = STAGES[STAGES.index(stage) - 1] if stage != "ingest" else None
    if previous:  # wait for the summary line of the stage before
        for line in process.stdout:
            if line.startswith(f"{previous}:"):
                break
    start, length = times[stage]
    time.sleep(rng.uniform(0, length) if previous else rng.uniform(start, length))
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stdout.close()
    process.stderr.close()
    return process.pid


def group_members(group: int) -> list[int]:
    """Live processes of a process group (the run's parse workers, after it was killed)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def lock_is_free(folder: Path) -> bool:
    path = folder / ".marsad" / "run.lock"
    if not path.exists():
        return True
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


def leftovers(folder: Path) -> list[Path]:
    """Temporary files, and site versions the site does not point to (a killed build's)."""
    versions = [p for p in folder.glob(".site-*") if p != (folder / "site").resolve()]
    return [*versions, *folder.rglob("*.marsad-tmp")]


def undo(folder: Path, stage: str) -> None:
    """Take away what `stage` made, so that the next run has that stage's work to do."""
    if stage == "ingest":
        shutil.rmtree(folder / ".marsad")
    elif stage == "analyze":
        db = sqlite3.connect(folder / ".marsad" / "marsad.sqlite")
        with db:
            db.execute("DELETE FROM analyses")
        db.close()
    elif stage == "render":
        shutil.rmtree(folder / "content" / "digests")
        (folder / "content" / "index.md").unlink()
    elif (folder / "site").is_symlink():  # the current version, and the link to it
        shutil.rmtree((folder / "site").resolve())
        (folder / "site").unlink()
    else:
        shutil.rmtree(folder / "site")


def test_killed_runs_lose_nothing_and_change_nothing(tmp_path, server):
    folder = make_project(tmp_path / "project", server)
    times = stage_times(folder)
    expected_content, expected_site = tree(folder / "content"), tree(folder / "site")
    assert any(name.startswith("digests/") for name in expected_content)
    rng = random.Random(13)
    for kill in range(KILLS):
        stage = STAGES[kill % len(STAGES)]
        undo(folder, stage)
        group = kill_during(folder, stage, times, rng)
        deadline = time.monotonic() + 10
        while group_members(group) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert group_members(group) == [], f"kill {kill} in {stage}: workers outlived the run"
        assert lock_is_free(folder), f"kill {kill} in {stage}"
        result = full_run(folder)
        assert result.returncode == 0, f"kill {kill} in {stage}: {result.stderr}"
        assert tree(folder / "content") == expected_content, f"kill {kill} in {stage}"
        assert tree(folder / "site") == expected_site, f"kill {kill} in {stage}"
        db = sqlite3.connect(folder / ".marsad" / "marsad.sqlite")
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        db.close()
        assert leftovers(folder) == [] and lock_is_free(folder)
