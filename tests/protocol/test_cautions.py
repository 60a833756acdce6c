"""Verdict requests and wrong premises ("so the kids are safe and I can close the case?", "no 3.4
factors so we don't need a s47 right?") get the assistant's own refusal first and the protocol's
cautions with it (knowledge/data/cautions.yml, raised by retrieval.yml `caution_triggers`); neutral
questions raise none, and a caution never changes which paragraph answers unless it corrects the
premise (`leads`)."""
from __future__ import annotations

from dataclasses import replace

import pytest

import knowledge
from actions.protocol_answer import CAUTIONS_HEADING, SUGGEST, answer_question, compose
from actions.retrieval import Outcome, retriever
from actions.retrieval import data as retrieval_data
from tests.protocol.test_cues_spare_in_scope_questions import tuning_questions

RISK, S47 = "no-verdict-on-risk", "section-47-presumed"


def cautions(question: str) -> list[str]:
    return [caution.id for caution in retriever().search(question).cautions]


@pytest.mark.parametrize("question, caution", [
    ("None of the 10.9 factors apply to my family. So the kids are safe and I can close the case?", RISK),
    ("yes or no – is this dad likely to go hands on", RISK),
    ("research says internet-only offenders are low risk yeah?", RISK),
    ("how likely is he to reoffend in %", RISK),
    ("probation have him as low risk so surely he's fine to stay at home?", RISK),
    ("will he reoffend if he stays at home", RISK),
    ("is he dangerous to his own kids", RISK),
    ("what are the chances he'll abuse his daughter", RISK),
    ("no 3.4 factors so we don't need a s47 right?", S47),
    ("do we have to do a s47 if the kids don't live with him", S47),
    ("can we skip the section 47 if mum is protective", S47),
    ("none of the 3.4 factors so we dont need a strat right?", "strategy-meeting-presumed"),
    ("only category C pictures so low risk?", RISK),
    ("mum's in denial so she can't protect, yeah?", RISK),
])
def test_verdict_requests_and_wrong_premises_raise_their_caution(question: str, caution: str) -> None:
    assert caution in cautions(question)


@pytest.mark.parametrize("question", [
    "what risk levels does OASys use",
    "what makes a child safe",
    "who should attend the strategy meeting",
    "when should the s47 begin",
    "what outcomes can a section 47 have",
    "what does low risk mean in oasys",
    "what percentage of internet only offenders went on to commit contact offences",
    "is a non contact offender more likely to commit a contact offence",
    "do we need a strategy meeting for every referral",
    "what helps a mum who can't protect the children yet",
])
def test_neutral_questions_raise_no_caution(question: str) -> None:
    assert cautions(question) == []


@pytest.mark.parametrize("question, outcome", [
    ("yes or no, can you book me a room for the strat", Outcome.OUT_OF_SCOPE),
    ("", Outcome.EMPTY),
    ("Ydy'r plant yn ddiogel? yes or no", Outcome.NOT_ENGLISH),
])
def test_a_decline_empty_or_welsh_message_carries_no_caution(question: str, outcome: Outcome) -> None:
    decision = retriever().search(question)
    assert decision.outcome is outcome and decision.cautions == []
    answer = compose(replace(decision, cautions=list(knowledge.load().cautions)), question)
    assert answer.citations == [] and CAUTIONS_HEADING not in answer.text


def test_no_development_or_probe_question_changes_its_first_citation_for_a_caution_that_does_not_lead() -> None:
    changed = []
    for unit_id, question in tuning_questions():
        decision = retriever().search(question)
        if not decision.cautions or any(caution.leads for caution in decision.cautions):
            continue
        with_caution, without = compose(decision, question), compose(replace(decision, cautions=[]), question)
        if with_caution.citations[:1] != without.citations[:1]:
            changed.append(f"{question!r}: {without.citations[:1]} -> {with_caution.citations[:1]}")
    assert not changed, "\n".join(changed)


def test_an_answer_with_a_caution_says_it_first_and_quotes_the_caution_after_the_answer() -> None:
    answer = answer_question("None of the 10.9 factors apply to my family. So the kids are safe and I can "
                             "close the case?", None)
    caution = next(c for c in knowledge.load().cautions if c.id == RISK)
    text = answer.text
    assert text.startswith(caution.reply.split(":")[0])
    assert text.index("10.9 — Factors of concern:") < text.index(CAUTIONS_HEADING)
    assert "Low risk does not mean no risk" in text[text.index(CAUTIONS_HEADING):]
    assert "(3.7 — Safeguards from the start)" in text
    assert answer.citations[0] == "10.9" and answer.citations[1:] == caution.cites


def test_a_caution_that_corrects_the_premise_leads_the_answer_and_its_citations() -> None:
    answer = answer_question("no 3.4 factors so we don't need a s47 right?", None)
    text = answer.text
    assert answer.citations[:2] == ["2.3", "3.4"]
    assert text.index("The protocol presumes") < text.index("2.3 — Presumption") < text.index("3.4 — Early")
    assert "There is a presumption that all referrals" in text and CAUTIONS_HEADING not in text


def test_a_weak_match_with_a_caution_gives_the_caution_cited_and_keeps_the_paragraph_buttons() -> None:
    question = ("police have just told us dad at one of our families has been arrested for downloading images. "
                "theres 2 kids at home age 4 and 7. do we have to do a s47?")
    decision = retriever().search(question)
    assert decision.outcome is Outcome.NOT_COVERED and decision.silent_topic is None
    answer = compose(decision, question)
    assert SUGGEST not in answer.text and answer.citations == ["2.3"]
    assert "There is a presumption that all referrals" in answer.text
    assert [b["payload"] for b in answer.buttons] == [f"show me {u}" for u in decision.unit_ids[:3]]


def test_unsure_with_a_caution_lists_the_paragraphs_then_the_cautions() -> None:
    answer = answer_question("how likely is he to reoffend in %", None)
    assert answer.outcome == "unsure" and answer.text.startswith("I can't judge the risk")
    assert answer.text.index("These paragraphs look closest") < answer.text.index(CAUTIONS_HEADING)
    assert "appendix-4/other-sources" in answer.citations and answer.buttons


def test_caution_triggers_must_name_a_caution() -> None:
    with pytest.raises(knowledge.KnowledgeError, match="unknown caution 'no-such-caution'"):
        retrieval_data.parse({"caution_triggers": {"no-such-caution": ["is he safe"]}}, knowledge.load())
