"""Regenerate tests/golden/: the samples rendered to Markdown (`make golden`).

Run it when a change to the pages is intended, and read the diff (`git diff tests/golden`)
before committing it: tests/test_golden.py compares every generated page with these files.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from conftest import copy_project, marsad

GOLDEN = Path(__file__).resolve().parent / "golden"


def generated_pages(content: Path) -> dict[str, bytes]:
    """Every generated Markdown page under content/ (the hand-written about.md and search.md left out)."""
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*.md"))
            if p.name not in ("about.md", "search.md")}


def main() -> int:
    with tempfile.TemporaryDirectory() as temp:
        project = copy_project(Path(temp))
        for stage in ("ingest", "analyze", "render"):
            result = marsad(project, stage)
            if result.returncode:
                print(result.stderr, file=sys.stderr)
                return 1
        pages = generated_pages(project / "content")
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for relative, data in pages.items():
        (GOLDEN / relative).parent.mkdir(parents=True, exist_ok=True)
        (GOLDEN / relative).write_bytes(data)
    print(f"golden: {len(pages)} pages written to {GOLDEN}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
