"""The induction end to end: REST channel -> Rasa server -> action server -> case store, for real.

Each test signs in as its own new practitioner, so progress never leaks between tests.
"""
from __future__ import annotations

import json
import re
import uuid

import pytest

from casestore import accounts
from casestore.db import make_engine, make_session_factory
from channels.identity import issue_claim

TENANT = "tenant-induction"


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def citations(replies: list[dict]) -> list[str]:
    return [c for r in replies for c in r.get("custom", {}).get("citations", [])]


def buttons(replies: list[dict]) -> list[dict]:
    return [b for r in replies for b in r.get("buttons", [])]


class Learner:
    """A practitioner talking over REST, signed in through the web app or Teams."""

    def __init__(self, stack, username: str, idp: str = "web", sender: str | None = None):
        self.stack, self.username, self.idp = stack, username, idp
        self.sender = sender or f"{username}-{idp}-{uuid.uuid4().hex[:6]}"

    def say(self, message: str) -> list[dict]:
        claim = (issue_claim(self.username, "web") if self.idp == "web"
                 else issue_claim(f"aad-{self.username}", "teams", tid=TENANT))
        return self.stack.rest(self.sender, message, {"identity": claim})

    def press(self, replies: list[dict], title: str) -> list[dict]:
        return self.say(next(b["payload"] for b in buttons(replies) if b["title"] == title))


@pytest.fixture
def learner(stack) -> str:
    """A new practitioner in the demo team, with a web login and a linked Teams account."""
    username = f"learner-{uuid.uuid4().hex[:8]}"
    engine = make_engine(stack.env["DATABASE_URL"])
    try:
        with make_session_factory(engine)() as session:
            accounts.add_practitioner(session, username, "Demo Team", uuid.uuid4().hex)
            accounts.link_teams_identity(session, username, f"aad-{username}", TENANT)
            session.commit()
    finally:
        engine.dispose()
    return username


def stop_number(replies: list[dict]) -> int:
    return int(re.search(r"stop (\d+) of \d+", texts(replies)).group(1))


def test_a_tour_resumes_after_both_servers_restart_and_from_teams(stack, learner) -> None:
    web = Learner(stack, learner)
    first = web.say("start induction")
    assert "Welcome to the induction tour" in texts(first) and stop_number(first) == 1
    assert citations(first) == ["purpose"]
    assert [b["title"] for b in buttons(first)] == ["Next ▸", "Tell me more", "Ask a question", "Stop"]
    web.press(first, "Next ▸")
    assert stop_number(web.say("next")) == 3
    stack.restart("rasa", "actions")
    after = web.say("next")
    assert stop_number(after) == 4 and "1.0 — Legal Context" in texts(after)
    teams = Learner(stack, learner, idp="teams")          # another channel, another conversation
    resumed = teams.say("start induction")
    assert "Welcome back: carrying on at stop 4" in texts(resumed) and "1.0" in citations(resumed)


def test_a_question_mid_tour_is_answered_with_citations_then_the_tour_resumes(stack, learner) -> None:
    me = Learner(stack, learner)
    for message in ("start induction", "next stop", "next stop", "next stop", "next stop"):
        replies = me.say(message)
    assert stop_number(replies) == 5
    prompt = me.press(replies, "Ask a question")
    assert "Type your question" in texts(prompt)
    answer = me.say("who should be interviewed first, the partner or the alleged perpetrator?")
    assert "3.9" in citations(answer) or "3.10" in citations(answer)
    assert "Back to the tour: stop 5 of" in texts(answer)
    assert "Full paragraph and related" not in [b["title"] for b in buttons(answer)]  # the tour's buttons instead
    assert stop_number(me.say("next")) == 6


def test_tell_me_more_and_the_cautions_in_the_protocols_words(stack, learner) -> None:
    me = Learner(stack, learner)
    me.say("start induction")
    for _ in range(11):
        replies = me.say("next stop")
    assert "Safeguards first" in texts(replies)
    assert "⚠ Don't miss this (3.7): “Safeguards need to be put in place" in texts(replies)
    more = me.press(replies, "Tell me more")
    assert "3.7 — Safeguards from the start, in full:" in texts(more) and "3.7" in citations(more)
    stopped = me.press(more, "Stop")
    assert "Tour stopped at stop 12" in texts(stopped)
    assert "stop 12 of" in texts(me.say("my progress"))


def quiz_question(replies: list[dict]) -> tuple[str, dict[str, str]]:
    """The question id and letter -> payload, from the answer buttons."""
    options = {}
    for b in buttons(replies):
        if b["payload"].startswith("/quiz_answer"):
            question_id, letter = json.loads(b["payload"][len("/quiz_answer"):])["option"].rsplit("|", 1)
            options[letter] = b["payload"]
    return question_id, options


def test_quiz_feedback_cites_the_right_paragraph_and_progress_is_kept(stack, learner) -> None:
    import knowledge
    from actions.induction import quiz
    from knowledge.induction import load_tour

    me = Learner(stack, learner)
    start = me.say("quiz me")
    assert "Quiz round 1, question 1 of 10" in texts(start)
    question_id, options = quiz_question(start)
    bank = {q.id: q for q in quiz.question_bank(knowledge.load(), load_tour())}
    question = bank[question_id]
    letter = next(l for l, p in options.items()
                  if re.search(rf"^{l}\. (.*)$", texts(start), re.M).group(1) == question.answer)
    right = me.say(options[letter])
    assert texts(right).startswith("Right.") and citations(right) == list(question.cites)
    assert "question 2 of 10" in texts(right)
    second_id, second = quiz_question(right)
    wrong_letter = next(l for l in second if re.search(rf"^{l}\. (.*)$", texts(right), re.M).group(1)
                        != bank[second_id].answer)
    wrong = me.say(second[wrong_letter])
    assert "Not quite: the answer is" in texts(wrong) and citations(wrong) == list(bank[second_id].cites)
    stack.restart("actions")
    progress = me.say("my progress")
    assert "Quiz: 2 questions taken, 1 right (round 1: 2 of 10 taken; a skipped question counts" in texts(progress)
    assert "nobody else can see it" in texts(progress)
    assert "question 3 of 10" in texts(me.say("start quiz"))


def test_someone_not_signed_in_takes_the_tour_but_is_told_progress_is_not_kept(stack) -> None:
    sender = f"anon-{uuid.uuid4().hex[:6]}"
    first = stack.rest(sender, "start induction")
    assert "can't keep your place after this conversation" in texts(first) and stop_number(first) == 1
    assert stop_number(stack.rest(sender, "next stop")) == 2


def test_starting_a_checklist_ends_the_tour_and_starting_the_tour_ends_the_checklist(stack, learner) -> None:
    me = Learner(stack, learner)
    me.say("start induction")
    handed_over = me.say("start the 3.4 check for NW/2026/0012")
    # The demo case is shared by the whole test run: the checklist may resume past item 1.
    assert "Induction paused for the checklist" in texts(handed_over)
    assert re.search(r"item \d of 9", texts(handed_over))
    back = me.say("start induction")
    assert "Paused 3.4 — Early significant-harm factors for case NW/2026/0012" in texts(back)
    assert "Welcome back: carrying on at stop 1" in texts(back)
    assert "Recorded" not in texts(me.say("yes"))  # "yes" moves the tour on; nothing goes to the checklist
