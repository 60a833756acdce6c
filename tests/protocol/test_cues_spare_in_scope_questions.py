"""The out-of-scope and silent-topic cues decide before any ranking, so a cue that also matches an
in-scope question silently turns a good answer into "the protocol does not cover that". Cues are
matched as typed and as lemmas, which is where such collisions hide ("fostering" -> "foster" caught
"a foster home"; "returned to" -> "return to" caught "return to the family"). Every question-bank
question, retrieval hint and in-scope development/probe question must pass every cue.
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


def in_scope_questions(retriever) -> list[tuple[str, str]]:
    questions = [(unit_id, q) for source in (retriever.data.asked, retriever.data.hints)
                 for unit_id, listed in source.items() for q in listed]
    for path in TUNING_SETS:
        questions += [(item["expect"][0], str(item["q"])) for item in yaml.safe_load(path.read_text(encoding="utf-8"))
                      if item["expect"] != "out_of_scope"]
    return questions


def test_no_cue_catches_an_in_scope_question(retriever) -> None:
    from actions.retrieval.text import clean

    caught = []
    for unit_id, question in in_scope_questions(retriever):
        text = retriever.queries.respell(clean(question))
        forms = (text, retriever._respelt(text))  # as search() matches them: typed, and with slips corrected
        if any(cue.search(form) for cue in retriever.oos_cues for form in forms):
            caught.append(f"out of scope: {question!r} (answered by {unit_id})")
        caught += [f"silent on {topic}: {question!r} (answered by {unit_id})" for topic, cues in retriever.silent_cues
                   if any(cue.search(form) for cue in cues for form in forms)]
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
