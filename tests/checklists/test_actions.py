"""The checklist actions, run as rasa-sdk runs them, asserting on the events they return."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import runtime
from actions.checklist.actions import ActionChecklistTurn, ActionStartChecklist, ActionStartTriage
from actions.cases import ActionCaseSummary
from casestore import accounts
from casestore.db import migrate
from casestore.service import CaseService
from channels.identity import issue_claim

CASE = "NW/2026/0012"


@pytest.fixture(autouse=True)
def case_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("IDENTITY_SECRET", "action-test-secret-0123456789-abcdefghijkl")
    migrate(url)
    runtime.sessions.cache_clear()
    with runtime.sessions()() as session:
        accounts.create_team(session, "Demo Team")
        accounts.add_practitioner(session, "demo", "Demo Team", "a-long-test-password")
        session.commit()
        CaseService(session, accounts.get_practitioner(session, "demo"), "web").open_case(CASE)
    yield
    runtime.sessions.cache_clear()


def tracker(text: str, intent: str, slots: dict[str, Any] | None = None, signed: bool = True,
            entities: list[dict] | None = None) -> Tracker:
    metadata = {"identity": issue_claim("demo", "web")} if signed else {}
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.95}, "entities": entities or []}
    events = [{"event": "user", "text": text, "parse_data": latest, "metadata": metadata,
               "input_channel": "rest"}]
    return Tracker("conversation-1", slots or {}, latest, events, False, None, {}, "action_listen")


def run(action, tr: Tracker) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tr, {})
    return events, dispatcher.messages


def slot(events: list[dict], name: str) -> Any:
    return next(e["value"] for e in events if e["event"] == "slot" and e["name"] == name)


def test_start_sets_the_checklist_slots():
    events, messages = run(ActionStartChecklist(), tracker(f"start the 3.4 check for {CASE}", "start_checklist"))
    assert SlotSet("checklist_active", True) in events and SlotSet("current_case", CASE) in events
    assert slot(events, "checklist") == {"case": CASE, "checklist": "3.4", "item": "previous-history",
                                         "awaiting": "answer", "pending": {}}
    assert any(m.get("custom", {}).get("citations") == ["3.4"] for m in messages)


def test_a_turn_records_and_moves_the_cursor():
    started, _ = run(ActionStartChecklist(), tracker(f"start the 3.4 check for {CASE}", "start_checklist"))
    state = slot(started, "checklist")
    events, messages = run(ActionChecklistTurn(), tracker("/choose", "choose", {"checklist": state},
                                                          entities=[{"entity": "option", "value": "yes"}]))
    assert slot(events, "checklist")["item"] == "previous-contact-abuse"
    assert SlotSet("checklist_active", True) in events
    assert any("Recorded" in (m.get("text") or "") for m in messages)


def test_without_a_signed_identity_no_case_work_is_done():
    events, messages = run(ActionStartChecklist(), tracker(f"start the 3.4 check for {CASE}", "start_checklist",
                                                           signed=False))
    assert events == []
    assert "signed in" in messages[0]["text"]


def test_a_forged_identity_is_refused():
    tr = tracker(f"start the 3.4 check for {CASE}", "start_checklist")
    tr.events[0]["metadata"] = {"identity": issue_claim("demo", "web") + "x"}
    events, messages = run(ActionStartChecklist(), tr)
    assert events == [] and "could not be verified" in messages[0]["text"]


def test_an_unknown_or_malformed_case_reference_gets_a_clear_answer():
    _, messages = run(ActionStartChecklist(), tracker("start the 3.4 check for NW/2026/9999", "start_checklist"))
    assert "not a case your team can see" in messages[0]["text"] and "open case NW/2026/9999" in messages[0]["text"]
    _, messages = run(ActionStartTriage(), tracker("quick triage for NW/26/12", "triage"))
    assert "“NW/26/12” is not a case reference" in messages[0]["text"]
    events, messages = run(ActionStartChecklist(), tracker("start the 3.4 check for NW/2026/99999", "start_checklist",
                                                           {"current_case": CASE}))
    assert events == [] and "is not a case reference" in messages[0]["text"]  # not the last case used


def test_a_name_instead_of_a_reference_is_refused_not_taken_for_the_last_case():
    events, messages = run(ActionStartChecklist(), tracker("start the 3.1 check for John Smith", "start_checklist",
                                                           {"current_case": CASE}))
    assert events == [] and "never names" in messages[0]["text"]


def test_no_checklist_in_progress():
    events, messages = run(ActionChecklistTurn(), tracker("yes", "affirm"))
    assert events == [SlotSet("checklist_active", False)]
    assert "no checklist in progress" in messages[0]["text"]


def test_summary_names_missing_items_and_no_score():
    started, _ = run(ActionStartChecklist(), tracker(f"start the 3.4 check for {CASE}", "start_checklist"))
    run(ActionChecklistTurn(), tracker("yes", "affirm", {"checklist": slot(started, "checklist")}))
    _, messages = run(ActionCaseSummary(), tracker(f"what's missing for {CASE}", "case_summary"))
    text = messages[0]["text"]
    assert "not a risk score" in text and "3.4 — Early significant-harm factors: 1 of 9 recorded" in text
    assert "Missing:" in text and "Previous contact abuse of other Children" in text
    assert "Not started: 3.1, 6.2" in text
    assert "leave the home" in text and "(3.5" in text  # the flag, with its paragraph
    assert "score:" not in text.lower() and "%" not in text


def test_an_ambiguous_checklist_name_offers_readable_choices_that_start_it_for_the_case():
    events, messages = run(ActionStartChecklist(),
                           tracker(f"start the capacity to protect check for {CASE}", "start_checklist"))
    assert events == [] and messages[0]["text"] == "Which checklist?"
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert "Appendix 1, Siblings" in titles and all(len(t) <= 60 and "/" not in t.split(",")[0] for t in titles)
    chosen = next(b for b in messages[0]["buttons"] if b["title"] == "Appendix 1, Siblings")
    events, _ = run(ActionStartChecklist(), tracker(chosen["payload"], "start_checklist"))
    assert slot(events, "checklist")["checklist"] == "appendix-1/siblings" and SlotSet("current_case", CASE) in events


@pytest.mark.parametrize("action, text, intent", [
    ("induction", "when is the next fire drill", "induction_next"),
    ("checklist", "key messages for the analysis of future risk", "start_checklist"),
])
def test_a_command_read_from_text_that_names_none_is_answered_as_a_question(action, text, intent):
    from actions.induction.actions import ActionInductionTurn
    chosen = ActionInductionTurn() if action == "induction" else ActionStartChecklist()
    events, messages = run(chosen, tracker(text, intent))
    names = {e["name"] for e in events if e["event"] == "slot"}
    assert not names & {"induction_active", "induction", "checklist_active", "checklist"}
    assert "last_question" in names and "Which checklist" not in messages[0]["text"]
    assert "tour" not in messages[0]["text"].lower()


def test_a_question_read_as_a_quiz_answer_outside_a_quiz_is_answered_as_a_question():
    from actions.induction.actions import ActionInductionTurn
    events, messages = run(ActionInductionTurn(), tracker(
        "is looking at the pictures linked to him going on to abuse a child himself", "quiz_answer"))
    assert "no longer open" not in messages[0]["text"]
    assert any(e["event"] == "slot" and e["name"] == "last_question" for e in events)
    _, stale = run(ActionInductionTurn(), tracker("i think it's c", "quiz_answer"))
    assert "no longer open" in stale[0]["text"]  # a real quiz answer outside a quiz is still told so


def test_an_option_word_in_a_long_question_outside_a_checklist_is_answered_as_a_question():
    events, messages = run(ActionChecklistTurn(),
                           tracker("is serious harm the same as significant harm in this protocol", "choose"))
    assert "no checklist in progress" not in messages[0]["text"]
    assert any(e["event"] == "slot" and e["name"] == "last_question" for e in events)
