"""`marsad entities` and `marsad store migrate` on the samples: the registry as a user sees it."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import copy_samples_project, marsad

from generator.store import Store


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory):
    """The samples ingested and analyzed once; each test works on a copy."""
    folder = copy_samples_project(tmp_path_factory.mktemp("analyzed"))
    for command in ("ingest", "analyze"):
        assert marsad(folder, command).returncode == 0
    return folder


@pytest.fixture
def project(analyzed, tmp_path):
    return shutil.copytree(analyzed, tmp_path / "project")


def test_entities_list_show_and_merge(project):
    listed = marsad(project, "entities", "--type", "PER", "--limit", "5")
    assert listed.returncode == 0, listed.stderr
    rows = [line.split() for line in listed.stdout.splitlines() if line.startswith("per-")]
    assert len(rows) == 5 and "entities: 5 shown" in listed.stdout
    assert "ماركو فيلاني" in listed.stdout  # the watchlist's name, not a spelling of the feed
    first, second = rows[0][0], rows[1][0]
    shown = marsad(project, "entities", "show", first)
    assert shown.returncode == 0 and "alias" in shown.stdout and first in shown.stdout
    merged = marsad(project, "entities", "merge", second, first)
    assert merged.returncode == 0, merged.stderr
    assert f"{second} is now {first}" in merged.stdout
    redirected = marsad(project, "entities", "show", second)
    assert redirected.stdout.startswith(first)
    again = marsad(project, "entities", "merge", second, first)
    assert again.returncode == 2 and again.stderr.count("\n") == 1 and "already one entity" in again.stderr


def test_entities_mistakes_are_one_line(project):
    unknown = marsad(project, "entities", "show", "per-000000000000")
    assert unknown.returncode == 2 and "no such entity" in unknown.stderr
    assert unknown.stderr.count("\n") == 1 and "Traceback" not in unknown.stderr
    place = re.search(r"^(loc-\w+)", marsad(project, "entities", "--type", "LOC").stdout, re.M).group(1)
    person = re.search(r"^(per-\w+)", marsad(project, "entities", "--type", "PER").stdout, re.M).group(1)
    mixed = marsad(project, "entities", "merge", place, person)
    assert mixed.returncode == 2 and "not merged" in mixed.stderr


def test_store_migrate_copies_the_samples_into_postgresql_and_runs_there(project, postgres):
    url = postgres.new_database()
    migrated = marsad(project, "store", "migrate", "--to", url)
    assert migrated.returncode == 0, migrated.stderr
    assert f"set `store: {url}`" in migrated.stdout
    with Store.open(project / ".marsad" / "marsad.sqlite") as sqlite, Store.open(url) as pg:
        assert pg.articles() == sqlite.articles() and pg.entities() == sqlite.entities()
    config = project / "marsad.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"\nstore: {url}\n", encoding="utf-8")
    run = marsad(project, "run")
    assert run.returncode == 0, run.stderr
    assert "0 articles analyzed, 30 already up to date" in run.stdout
    twice = marsad(project, "store", "migrate", "--to", url)
    assert twice.returncode == 2 and "already holds articles" in twice.stderr


def test_a_bad_store_url_is_one_line(project):
    config = project / "marsad.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nstore: mysql://x/y\n", encoding="utf-8")
    result = marsad(project, "render")
    assert result.returncode == 2 and "store: 'mysql://x/y': must be" in result.stderr
    config.write_text(config.read_text(encoding="utf-8").replace("mysql://x/y", "postgresql://marsad@127.0.0.1:1/none"),
                      encoding="utf-8")
    unreachable = marsad(project, "render")
    assert unreachable.returncode == 2 and unreachable.stderr.count("\n") == 1
    assert "127.0.0.1:1" in unreachable.stderr and "Traceback" not in unreachable.stderr


def test_no_entity_of_the_samples_keeps_a_proclitic(analyzed):
    """A conjunction or preposition stuck to a name (وعادل محمد …) is never part of it."""
    from generator.arabic.lexicon import FIRST_NAMES, WAW_NAMES
    from generator.arabic.normalize import fast_normalize

    with Store.open(analyzed / ".marsad" / "marsad.sqlite") as store:
        names = [(e.type, e.name) for e in store.entities(min_mentions=0)]
    assert len(names) > 50
    stuck = []
    for type_, name in names:
        first = fast_normalize(name.split()[0])
        if first[0] in "وفبلك" and first[1:] in FIRST_NAMES and first not in FIRST_NAMES:
            stuck.append(name)  # و + a first name
        elif type_ == "PER" and first[0] == "و" and first not in WAW_NAMES:
            stuck.append(name)  # a person's name begins with و only when the name does (وليد)
    assert stuck == []
