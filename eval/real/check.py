"""Check the real-news sets: offsets, quote substrings, and that each split's two files agree.

Run from the repository root: python eval/real/check.py (exit 1 on the first kind of error found).
"""
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent


def load(name: str) -> list[dict]:
    return [json.loads(line) for line in (HERE / name).read_text(encoding="utf-8").splitlines() if line]


def check_split(split: str) -> list[str]:
    errors = []
    quotes, ner = load(f"quotes-{split}.jsonl"), load(f"ner-{split}.jsonl")
    if [r["id"] for r in quotes] != [r["id"] for r in ner]:
        errors.append(f"{split}: the quotes and ner files list different ids")
    for q, n in zip(quotes, ner):
        if q["text"] != n["text"]:
            errors.append(f"{split} {q['id']}: the two files have different texts")
        for quote in q["quotes"]:
            if quote["text"] not in q["text"]:
                errors.append(f"{split} {q['id']}: quote not in text: {quote['text'][:40]}")
            if quote["kind"] not in ("direct", "indirect") or not quote.get("speaker"):
                errors.append(f"{split} {q['id']}: quote without kind or speaker: {quote['text'][:40]}")
        last_end = 0
        for e in n["entities"]:
            if n["text"][e["start"]:e["end"]] != e["text"]:
                errors.append(f"{split} {n['id']}: offsets {e['start']}-{e['end']} do not give {e['text']}")
            if e["type"] not in ("PER", "LOC", "ORG"):
                errors.append(f"{split} {n['id']}: unknown type {e['type']}")
            if e["start"] < last_end:
                errors.append(f"{split} {n['id']}: entities overlap or are out of order at {e['start']}")
            last_end = e["end"]
    return errors


def main() -> int:
    errors = []
    ids: set[str] = set()
    for split in ("dev", "test"):
        if (HERE / f"quotes-{split}.jsonl").exists():
            errors += check_split(split)
            split_ids = {r["id"] for r in load(f"quotes-{split}.jsonl")}
            if ids & split_ids:
                errors.append(f"ids in both splits: {sorted(ids & split_ids)}")
            ids |= split_ids
    for error in errors:
        print(error)
    print(f"{len(ids)} articles checked, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
