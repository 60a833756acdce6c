"""No held-out question may have been copied into what the bot is trained or tuned on.

Every held-out set (every tests/heldout/*.yml: the first set and the later, independent ones) is
compared after folding case, whitespace and punctuation with every NLU example line in bot/data/**
(including bot/data/nlu/generated, written by `make`), every phrase in knowledge/data/retrieval.yml,
every question of the question bank (knowledge/data/questions/) and of the decline bank (declines.yml) and every question of the
development and probe sets. Questions of six words or more are also looked for
inside those files' text, so a held-out question embedded in a longer example is caught too
(shorter ones are common phrases, "what is a sexual risk order", bound to occur inside templated
look-up examples).
Held-out questions of one or two words ("10.13", "oasys?") are not checked: they are bound to equal
a look-up example or a glossary alias, and such an overlap carries no wording to leak.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from actions.retrieval.data import fold

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import heldout_sets  # noqa: E402  (scripts/: the one reader of tests/heldout/sets.yml)

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = ROOT / "tests" / "heldout" / "sets.yml"
HELDOUT_SETS = sorted(path for path in (ROOT / "tests" / "heldout").glob("*.yml") if path != REGISTRY)  # present and future
SOURCES = [*sorted((ROOT / "bot" / "data").rglob("*.yml")), ROOT / "knowledge" / "data" / "retrieval.yml",
           ROOT / "knowledge" / "data" / "declines.yml",
           *sorted((ROOT / "knowledge" / "data" / "questions").glob("*.yml")),
           ROOT / "tests" / "protocol" / "dev_questions.yml", ROOT / "tests" / "protocol" / "probe_questions.yml",
           ROOT / "tests" / "protocol" / "decline_probe.yml", ROOT / "tests" / "protocol" / "decline_probe_2.yml"]


MIN_WORDS = 3
MIN_WORDS_INSIDE = 6


def strings(node: object) -> list[str]:
    """Every string value in a YAML document (not mapping keys: those are ids), with NLU example
    blocks split into their lines."""
    if isinstance(node, str):
        return [line.strip().lstrip("-").strip() for line in node.splitlines()] if "\n" in node else [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings(value)]
    if isinstance(node, list):
        return [s for item in node for s in strings(item)]
    return []


def corpus() -> tuple[set[str], dict[Path, str]]:
    entries: set[str] = set()
    texts: dict[Path, str] = {}
    for path in SOURCES:
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        entries.update(fold(s) for s in strings(yaml.safe_load(text)) if fold(s))
        texts[path] = f" {fold(text)} "
    return entries, texts


def heldout_questions() -> list[str]:
    present = [path for path in HELDOUT_SETS if path.exists()]
    if not present:
        pytest.skip("no held-out set")
    return [str(item["q"]) for path in present for item in yaml.safe_load(path.read_text(encoding="utf-8"))]


def test_every_held_out_file_is_registered_for_the_report_and_the_floors() -> None:
    registered = {ROOT / held.path for held in heldout_sets.files()}
    assert set(HELDOUT_SETS) == registered, "tests/heldout/sets.yml and the *.yml files there differ"


def test_the_question_bank_is_included() -> None:
    assert any("questions" in path.parts for path in SOURCES), "knowledge/data/questions/*.yml not checked"


def test_the_generated_nlu_data_is_included_when_make_has_written_it() -> None:
    generated = ROOT / "bot" / "data" / "nlu" / "generated"
    if not generated.exists():
        pytest.skip("bot/data/nlu/generated not written yet (run make)")
    assert any(path in SOURCES for path in generated.rglob("*.yml"))


def test_no_heldout_question_appears_in_training_data_hints_or_the_dev_set() -> None:
    entries, texts = corpus()
    leaks = []
    for question in heldout_questions():
        folded = fold(question)
        if len(folded.split()) < MIN_WORDS:
            continue
        if folded in entries:
            leaks.append(question)
        elif len(folded.split()) >= MIN_WORDS_INSIDE:
            leaks.extend(f"{question} (in {path.relative_to(ROOT)})" for path, text in texts.items()
                         if f" {folded} " in text)
    assert not leaks, "held-out questions found in tuned data:\n" + "\n".join(leaks)
