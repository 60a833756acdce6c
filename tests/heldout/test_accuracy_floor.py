"""Regression floors for protocol answers on the held-out sets (in-process; the same retriever the
action server runs). The floors (tests/heldout/sets.yml) sit a little under what was measured on 24 Nov 2026
(see README, "Protocol questions"); they guard against a change that makes answers worse, and are not the goal
(≥ 95 % strict, every question to decline kept clean), which is not yet met."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import eval_protocol  # noqa: E402
import heldout_sets  # noqa: E402

FILES = {held.path: held for held in heldout_sets.files()}  # floors: tests/heldout/sets.yml


@pytest.mark.parametrize("path", sorted(FILES))
def test_held_out_accuracy_stays_above_its_floor(path: str) -> None:
    questions = yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))
    report = eval_protocol.metrics(eval_protocol.run(questions, eval_protocol.direct()))
    strict, clean = FILES[path].strict_floor, FILES[path].clean_floor
    assert report["strict"] >= strict, f"{path}: strict first citation {report['strict']} % < {strict} %"
    assert report["out_of_scope_clean"] >= clean, f"{path}: kept clean {report['out_of_scope_clean']} % < {clean} %"
