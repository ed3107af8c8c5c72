"""The gate: scores measured by eval/ner.py and eval/quotes.py against the floors in floors.json.

floors.json maps a figure's name to the lowest value accepted, e.g. "ner/test/PER": 0.92 or
"quotes/real-test/all/speaker": 0.85. A script checks the figures it measured (a floor whose
figure was not measured, such as the ANERcorp CV under --no-anercorp, is not checked) and
exits 1 when one falls below its floor.
"""

from __future__ import annotations

import json
from pathlib import Path

FLOORS_FILE = Path(__file__).resolve().parent / "floors.json"


def load_floors(path: Path = FLOORS_FILE) -> dict[str, float]:
    return {name: float(value) for name, value in json.loads(path.read_text(encoding="utf-8")).items()
            if not name.startswith("_")}


def check(figures: dict[str, float], prefix: str, floors: dict[str, float] | None = None) -> int:
    """Print the gate's verdict on the figures of one script (names starting with `prefix`);
    the exit status: 1 when a figure is below its floor, else 0."""
    floors = load_floors() if floors is None else floors
    mine = {name: floor for name, floor in floors.items() if name.startswith(prefix)}
    checked = {name: floor for name, floor in mine.items() if name in figures}
    below = [f"{name} {figures[name]:.3f} < {floor:.3f}" for name, floor in sorted(checked.items())
             if round(figures[name], 3) < floor]  # the figure as printed
    for line in below:
        print(f"gate: below the floor: {line}")
    print(f"gate: {len(checked)} of {len(mine)} {prefix} floors checked, "
          + (f"{len(below)} below" if below else "all met"))
    return 1 if below else 0
