"""Checklists end to end: REST channel -> Rasa server -> action server -> case store, for real.

Each test opens its own case so the tests don't depend on each other's records.
"""
from __future__ import annotations

import itertools
import uuid

import pytest

from casestore import accounts
from casestore.db import make_engine, make_session_factory
from casestore.service import CaseService

_numbers = itertools.count(101)


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


class Practitioner:
    """A signed-in web practitioner talking to the bot over REST."""

    def __init__(self, stack, username: str = "demo", sender: str | None = None):
        self.stack, self.username = stack, username
        self.sender = sender or f"{username}-{uuid.uuid4().hex[:8]}"

    def say(self, message: str) -> list[dict]:
        return self.stack.rest(self.sender, message, self.stack.claim(self.username))


@pytest.fixture
def case(stack) -> str:
    reference = f"NW/2026/{next(_numbers):04d}"
    replies = Practitioner(stack).say(f"open case {reference}")
    assert f"Opened case {reference}" in texts(replies)
    return reference


def record(stack, case: str, checklist: str | None = None):
    engine = make_engine(stack.env["DATABASE_URL"])
    try:
        with make_session_factory(engine)() as session:
            service = CaseService(session, accounts.get_practitioner(session, "demo"), "test")
            return service.current_answers(case, checklist), service.summary(case)
    finally:
        engine.dispose()


def test_a_full_3_4_check_survives_both_servers_restarting_half_way(stack, case):
    me = Practitioner(stack)
    assert "item 1 of 9" in texts(me.say(f"start the 3.4 check for {case}"))
    given = ["no", "yes", "not known", "no"]
    for answer in given:
        me.say(answer)
    stack.restart("rasa", "actions")
    after = texts(me.say("no"))
    assert "Recorded" in after and "item 6 of 9" in after
    for answer in ["yes", "no", "no", "not known"]:
        last = texts(me.say(answer))
    assert "That was the last item of 3.4" in last
    answers, summary = record(stack, case, "3.4")
    values = [answers[f"3.4:{item}"].value for item in (
        "previous-history", "previous-contact-abuse", "images-of-own-children",
        "partner-capacity-to-protect", "absence-of-cooperation")]
    assert values == ["no", "yes", "not known", "no", "no"]
    assert len(answers) == 9 and all(e.channel == "web" for e in answers.values())
    assert "consider-leaving-home" in summary.flags


def test_go_back_records_a_correction(stack, case):
    me = Practitioner(stack)
    me.say(f"start the 3.4 check for {case}")
    me.say("yes")
    assert "Currently recorded: yes" in texts(me.say("go back"))
    assert "as a correction" in texts(me.say("no"))
    answers, _ = record(stack, case, "3.4")
    assert answers["3.4:previous-history"].value == "no"
    assert answers["3.4:previous-history"].corrects_entry_id is not None


def test_an_answer_that_fits_no_option_stores_nothing(stack, case):
    me = Practitioner(stack)
    me.say(f"start the 10.9 check for {case}")
    reply = texts(me.say("purple"))
    assert "doesn't fit" in reply and "nothing was recorded" in reply
    answers, _ = record(stack, case, "10.9")
    assert answers == {}


def test_a_protocol_question_mid_checklist_is_answered_with_citations_then_resumed(stack, case):
    me = Practitioner(stack)
    me.say(f"start the 10.9 check for {case}")
    replies = me.say("who should be interviewed first, the partner or the alleged perpetrator?")
    citations = [c for r in replies for c in r.get("custom", {}).get("citations", [])]
    assert "3.9" in citations or "3.10" in citations
    assert "Back to the checklist" in texts(replies) and "item 1 of 12" in texts(replies)
    assert "Recorded" in texts(me.say("no"))


def test_duty_triage_in_three_turns_recorded_like_the_long_form(stack, case):
    me = Practitioner(stack)
    me.say(f"quick triage for {case}")
    assert "Confirm?" in texts(me.say("present 3; not known 5"))
    final = me.say("yes")
    assert "Recorded the 3.4 triage (9 factors)" in texts(final)
    assert any("3.5" in r.get("custom", {}).get("citations", []) for r in final)
    answers, summary = record(stack, case, "3.4")
    assert len(answers) == 9 and answers["3.4:images-of-own-children"].value == "yes"
    assert "consider-leaving-home" in summary.flags


def test_triage_why_back_and_cancel_through_the_bot_record_nothing(stack, case):
    me = Practitioner(stack)
    me.say(f"quick triage for {case}")
    why = me.say("why?")
    assert any(r.get("custom", {}).get("citations") == ["3.4"] for r in why)
    assert "start of the triage" in texts(me.say("go back"))
    assert "Confirm?" in texts(me.say("present 2"))
    assert "nothing was recorded" in texts(me.say("cancel"))
    assert "no checklist in progress" in texts(me.say("no"))  # the triage is over: "no" is no answer
    answers, _ = record(stack, case, "3.4")
    assert answers == {}


def test_the_summary_names_the_flags_that_fired_and_what_is_missing(stack, case):
    me = Practitioner(stack)
    me.say(f"start the 10.9 check for {case}")
    me.say("yes")  # the offender has a previous sexual conviction or credible allegations
    me.say("pause")
    reply = texts(me.say(f"what goes to the strategy meeting for {case}"))
    assert "not a risk score" in reply
    assert "appendix-5/assessment-messages" in reply and "10.9" in reply
    assert "Missing" in texts(me.say(f"what's missing for {case}"))


def test_pause_in_one_conversation_resume_in_another(stack, case):
    web = Practitioner(stack)
    web.say(f"start the 3.4 check for {case}")
    web.say("no")
    web.say("pause")
    elsewhere = Practitioner(stack, sender=f"another-device-{uuid.uuid4().hex[:6]}")
    reply = texts(elsewhere.say("resume"))
    assert f"Resuming 3.4" in reply and "item 2 of 9" in reply


def test_no_case_work_without_a_signed_identity(stack, case):
    replies = stack.rest(f"anon-{uuid.uuid4().hex[:6]}", f"start the 3.4 check for {case}")
    assert "signed in" in texts(replies)
    answers, _ = record(stack, case, "3.4")
    assert answers == {}


def test_another_team_cannot_see_the_case(stack, case):
    other = Practitioner(stack, username="other")
    assert "not a case your team can see" in texts(other.say(f"what's missing for {case}"))


def test_a_checklist_ended_by_typed_text_stays_ended(stack, case):
    """The last item answered with words the NLU reads as a question: the policies had no rule for
    what follows, Rasa's fallback reverted the message and brought the checklist back, and the next
    message was recorded as a correction of that last item."""
    import knowledge

    last = knowledge.load().checklists["appendix-7"].items[-1]
    engine = make_engine(stack.env["DATABASE_URL"])
    try:
        with make_session_factory(engine)() as session:
            CaseService(session, accounts.get_practitioner(session, "demo"), "test").set_progress(
                case, "appendix-7", last.id)
            session.commit()
    finally:
        engine.dispose()
    me = Practitioner(stack)
    assert "item 18 of 18" in texts(me.say(f"start the appendix 7 check for {case}"))
    assert "That was the last item" in texts(me.say("the allocated social worker"))
    after = texts(me.say("he has been drinking again"))
    assert "correction" not in after and "Recorded" not in after
    answers, _ = record(stack, case, "appendix-7")
    assert answers[f"appendix-7:{last.id}"].value == "the allocated social worker"
