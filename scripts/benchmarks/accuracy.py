"""Protocol answers on the held-out set: ours through the REST channel, and BM25 over the same units.

Both use scripts/eval_protocol.py (its `rest` and `baseline` askers, `run` and `metrics`), so the
scores mean what `eval_protocol.py` means by them.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

import eval_protocol  # scripts/eval_protocol.py

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "tests" / "heldout" / "questions.yml"
SCORES = ("strict", "any", "top3", "out_of_scope_clean")


def load_questions(path: Path = HELDOUT) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _scores(results: list[Any], mode: str) -> dict[str, Any]:
    report = eval_protocol.metrics(results)
    return {"mode": mode, "questions": report["questions"], "in_scope": report["in_scope"],
            "out_of_scope": report["out_of_scope"], **{key: report[key] for key in SCORES},
            "latency_ms": report.get("latency_ms", {})}


def ours_over_rest(rasa_url: str, questions: list[dict[str, Any]]) -> dict[str, Any]:
    ask = eval_protocol.rest(rasa_url)
    ask("warm up")
    return _scores(eval_protocol.run(questions, ask), "rest")


def bm25_baseline(questions: list[dict[str, Any]]) -> dict[str, Any]:
    return _scores(eval_protocol.run(questions, eval_protocol.baseline()), "bm25")


def ratio(ours: float | None, theirs: float | None) -> float | None:
    """ours / theirs, or None when either is missing or theirs is zero."""
    if ours is None or not theirs:
        return None
    return round(ours / theirs, 2)
