"""`marsad doctor`: is this installation fit to run unattended, and if not, what to fix.

Each check reads and never writes: doctor takes no lock, migrates no store and removes no
leftovers, so it can run beside a running `marsad run`.
"""

from __future__ import annotations

import fcntl
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .arabic.backends import backend_reports, choose_backend
from .config import Config, ConfigError, load_config
from .pipeline import lock_path, source_health
from .publish import leftover_versions
from .render import TEMP_SUFFIX
from .store import describe, integrity_problems

LOW_DISK_BYTES = 1024 ** 3  # below this a run may fail half way through writing the site


@dataclass
class Finding:
    topic: str
    ok: bool
    detail: str
    fix: str = ""  # what to do, when not ok


def check(config_path: Path, now: datetime | None = None) -> list[Finding]:
    """Every check, in the order a user would fix them."""
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        return [Finding("config", False, str(exc), f"fix {config_path}, then run `marsad doctor` again"),
                _recognizer()]
    store = _store(config)
    return [
        Finding("config", True, f"{config_path}: {len(config.sources)} sources, "
                                f"{len(config.watchlists)} watchlists"),
        store,
        *(_sources(config, now or datetime.now(timezone.utc)) if store.ok else []),
        _lock(config),
        _leftovers(config),
        _recognizer(),
        _disk(config),
    ]


def _store(config: Config) -> Finding:
    if config.store_url:
        return Finding("store", True, f"{describe(config.store)}: a database server, which "
                                      "checks its own integrity")
    if not config.db_path.exists():
        return Finding("store", True, f"{config.db_path}: none yet (the first `marsad run` makes it)")
    problems = integrity_problems(config.db_path)
    if problems:
        return Finding("store", False, f"{config.db_path}: integrity check failed: {problems[0]}",
                       "restore the store from a backup, or move it away and run `marsad run` "
                       "to fetch again what the feeds still carry")
    return Finding("store", True, f"{config.db_path}: integrity check ok")


def _sources(config: Config, now: datetime) -> list[Finding]:
    if not config.store_url and not config.db_path.exists():
        return []
    failing = [row for row in source_health(config, now) if row.failures]
    if not failing:
        return [Finding("sources", True, f"all {len(config.sources)} sources read at their last try")]
    return [Finding(f"source {row.name}", False,
                    f"{row.failures} failures in a row: {row.last_error}",
                    "check its URL in a browser; a source backs off on its own and is tried "
                    "at least once a day (`marsad ingest --force` tries it now)")
            for row in failing]


def _lock(config: Config) -> Finding:
    path = lock_path(config)
    if not path.exists():
        return Finding("lock", True, "free (no run has taken it yet)")
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return Finding("lock", True, f"{path}: held by a marsad command running now; "
                                         "another one started meanwhile exits with a message")
        fcntl.flock(handle, fcntl.LOCK_UN)
    return Finding("lock", True, f"{path}: free")


def _leftovers(config: Config) -> Finding:
    found = leftover_versions(config.site_dir)
    for folder in (config.content_dir, config.site_dir):
        if folder.is_dir():
            found += folder.rglob(f".*{TEMP_SUFFIX}")
    if not found:
        return Finding("leftovers", True, "no temporary files of killed runs")
    return Finding("leftovers", True, f"{len(found)} temporary files or build folders of a killed "
                                      "run; the next run removes them")


def _recognizer() -> Finding:
    reports = ", ".join(f"{r.name} {'yes' if r.available else 'no'}" for r in backend_reports())
    return Finding("recognizer", True, f"entity backend {choose_backend('auto')} ({reports}); "
                                       "`marsad extract --backend …` picks another")


def _disk(config: Config) -> Finding:
    folder = next(p for p in (config.data_dir, config.path.parent.resolve(), Path("/"))
                  if p.exists())
    free = shutil.disk_usage(folder).free
    detail = f"{free / 1024 ** 3:.1f} GiB free where {folder} is"
    if free < LOW_DISK_BYTES:
        return Finding("disk", False, detail, "free some space: a run writes the store, "
                                              "the pages and a whole site before swapping it in")
    return Finding("disk", True, detail)
