"""The held-out question sets, as listed in tests/heldout/sets.yml (one list for the report, the
floors and the leak test)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "tests" / "heldout" / "sets.yml"


@dataclass(frozen=True)
class HeldOutFile:
    path: str
    strict_floor: float
    clean_floor: float


@dataclass(frozen=True)
class HeldOutSet:
    title: str
    never_inspected: str | None   # "even" / "odd": the half nobody has read; None: all of it read
    files: tuple[HeldOutFile, ...]

    def questions(self, half: str | None = None) -> list[dict]:
        """Every question of the set, or one half of each file ("odd" = [1::2], "even" = [0::2])."""
        chosen: list[dict] = []
        for held in self.files:
            listed = yaml.safe_load((ROOT / held.path).read_text(encoding="utf-8"))
            chosen += half_of(listed, half)
        return chosen


def half_of(questions: list[dict], half: str | None) -> list[dict]:
    """All questions, or one half: "odd" = entries [1::2] (inspected), "even" = [0::2]."""
    if half is None:
        return questions
    return questions[1::2] if half == "odd" else questions[0::2]


def load() -> list[HeldOutSet]:
    return [HeldOutSet(entry["title"], entry.get("never_inspected"),
                       tuple(HeldOutFile(f["path"], float(f["floor"]["strict"]), float(f["floor"]["clean"]))
                             for f in entry["files"]))
            for entry in yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))]


def files() -> list[HeldOutFile]:
    return [held for held_set in load() for held in held_set.files]
