"""The out-of-scope and silent-topic cues decide before any ranking, so a cue that also matches an
in-scope question silently turns a good answer into "the protocol does not cover that". Cues are
matched as typed and as lemmas, which is where such collisions hide ("fostering" -> "foster" caught
"a foster home"; "returned to" -> "return to" caught "return to the family"). Every question-bank
question, retrieval hint and in-scope development/probe question must pass the cues as search()
applies them (a silent topic counts only in the sentences that ask).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TUNING_SETS = [ROOT / "tests" / "protocol" / "dev_questions.yml", ROOT / "tests" / "protocol" / "probe_questions.yml"]


@pytest.fixture(scope="module")
def retriever():
    from actions.retrieval import retriever as build
    return build()


def tuning_questions() -> list[tuple[str, str]]:
    """(unit id, question) of the in-scope development and probe questions."""
    return [(item["expect"][0], str(item["q"])) for path in TUNING_SETS
            for item in yaml.safe_load(path.read_text(encoding="utf-8")) if item["expect"] != "out_of_scope"]


def in_scope_questions(retriever) -> list[tuple[str, str]]:
    return [(unit_id, q) for source in (retriever.data.asked, retriever.data.hints)
            for unit_id, listed in source.items() for q in listed] + tuning_questions()


def test_no_cue_catches_an_in_scope_question(retriever) -> None:
    from actions.retrieval.text import clean

    caught = []
    for unit_id, question in in_scope_questions(retriever):
        decided = retriever._cued(retriever.queries.respell(clean(question)))  # as search() applies the cues
        if decided is not None:
            topic = f"silent on {decided.silent_topic}" if decided.silent_topic else "out of scope"
            caught.append(f"{topic}: {question!r} (answered by {unit_id})")
    assert not caught, "\n".join(caught)


def test_the_cues_still_catch_what_they_are_for(retriever) -> None:
    for question, outcome in [("how do i make a referral to CAMHS", "out_of_scope"),
                              ("what's the process for becoming a foster carer", "out_of_scope"),
                              ("when do they give back the laptop", "not_covered"),
                              ("what score on RM2000 counts as high", "not_covered"),
                              ("who chairs the strategy meeting", "not_covered"),
                              ("what are category A images", "not_covered"),
                              ("criteria for taking a child off the cp registr", "not_covered")]:  # a slip in the cue
        assert retriever.search(question).outcome.value == outcome, question


def test_the_decline_bank_declines_no_in_scope_development_or_probe_question(retriever) -> None:
    """The decline bank (knowledge/data/declines.yml) decides before the paragraphs are weighed, so a
    decline question worded like an in-scope one would silently decline it."""
    declined = [f"{question!r} (answered by {unit_id})" for unit_id, question in tuning_questions()
                if retriever.search(question).via == "decline-bank"]
    assert not declined, "\n".join(declined)
