"""Turning to another case mid-checklist pauses the checklist and says so: the next "yes" is never
recorded against the case the practitioner has just left (found by a practitioner trial)."""
from __future__ import annotations

from rasa_sdk.events import FollowupAction, SlotSet

from actions.cases import ActionCaseSummary, ActionOpenCase
from actions.checklist.actions import ActionChecklistTurn, ActionStartChecklist
from actions.fallback import ActionDefaultFallback
from actions import runtime
from casestore import accounts
from casestore.service import CaseService

from test_actions import CASE, case_store, run, slot, tracker  # noqa: F401  (case_store: the fixture)

OTHER = "NW/2026/0013"


def started() -> dict:
    events, _ = run(ActionStartChecklist(), tracker(f"start the 3.4 check for {CASE}", "start_checklist"))
    return slot(events, "checklist")


def test_opening_another_case_pauses_the_checklist_and_says_so():
    state = started()
    events, messages = run(ActionOpenCase(), tracker(f"open case {OTHER}", "open_case",
                                                     {"checklist": state, "checklist_active": True}))
    assert SlotSet("checklist", None) in events and SlotSet("checklist_active", False) in events
    assert SlotSet("current_case", OTHER) in events
    assert f"Paused 3.4 — Early significant-harm factors for case {CASE}" in messages[0]["text"]


def test_a_summary_of_another_case_pauses_the_checklist_and_of_the_same_case_keeps_it():
    state = started()
    events, messages = run(ActionCaseSummary(), tracker(f"what's missing for {CASE}", "case_summary",
                                                        {"checklist": state, "checklist_active": True}))
    assert SlotSet("checklist", None) not in events and "Still in 3.4" in messages[0]["text"]
    with runtime.sessions()() as session:
        CaseService(session, accounts.get_practitioner(session, "demo"), "web").open_case(OTHER)
    events, messages = run(ActionCaseSummary(), tracker(f"switch to case {OTHER}", "case_summary",
                                                        {"checklist": state, "checklist_active": True}))
    assert SlotSet("checklist", None) in events and messages[0]["text"].startswith("Paused 3.4")


def test_starting_another_checklist_says_the_first_was_paused():
    state = started()
    events, messages = run(ActionStartChecklist(), tracker(f"start the 10.9 check for {CASE}", "start_checklist",
                                                           {"checklist": state, "checklist_active": True}))
    assert messages[0]["text"].startswith("Paused 3.4") and slot(events, "checklist")["checklist"] == "10.9"


def test_an_answer_the_nlu_read_as_a_command_is_recorded_as_the_answer():
    state = started()
    text = "yes - partner told the police on 12 March"  # read as start_checklist by the NLU
    events, messages = run(ActionStartChecklist(), tracker(text, "start_checklist",
                                                           {"checklist": state, "checklist_active": True}))
    assert "Recorded: “yes”" in messages[0]["text"] and slot(events, "checklist")["item"] == "previous-contact-abuse"


def test_a_referral_date_given_when_opening_is_recorded_and_one_not_read_is_reported():
    _, messages = run(ActionOpenCase(), tracker(f"open case {OTHER} referral date 20 November 2026", "open_case"))
    assert "referral date 20 November 2026" in messages[0]["text"]
    _, messages = run(ActionOpenCase(), tracker("open case NW/2026/0014 referral date last week", "open_case"))
    assert "couldn't read “last week” as a date" in messages[0]["text"]


def test_reopening_a_case_says_it_is_open_for_the_team():
    _, messages = run(ActionOpenCase(), tracker(f"open case {CASE}", "open_case"))
    assert "already open for your team" in messages[0]["text"]


def test_the_fallback_never_undoes_what_an_action_did():
    after_action = tracker("mum is supportive", "ask_protocol")
    after_action.events.append({"event": "action", "name": "action_checklist_turn"})
    events, messages = run(ActionDefaultFallback(), after_action)
    assert events == [FollowupAction("action_listen")] and messages == []  # no UserUtteranceReverted
    events, messages = run(ActionDefaultFallback(), tracker("asdf", "nlu_fallback"))
    assert events == [FollowupAction("action_listen")] and "nothing was recorded" in messages[0]["text"]


def test_factor_numbers_at_a_triage_read_as_a_quiz_answer_go_to_the_triage():
    from actions.checklist.actions import ActionStartTriage
    from actions.induction.actions import ActionInductionTurn

    events, _ = run(ActionStartTriage(), tracker(f"quick triage for {CASE}", "triage"))
    state = slot(events, "checklist")
    events, messages = run(ActionInductionTurn(), tracker("1 3", "quiz_answer", {"checklist": state,
                                                                                "checklist_active": True}))
    assert "no longer open" not in messages[0]["text"] and "I will record" in messages[0]["text"]


def test_start_at_an_item_number_opens_that_item():
    events, messages = run(ActionStartChecklist(), tracker(f"start the 3.4 check for {CASE} at item 3", "start_checklist"))
    assert slot(events, "checklist")["item"] == "images-of-own-children" and "item 3 of 9" in messages[-1]["text"]


def test_a_referral_date_is_recorded_later_and_a_change_keeps_the_earlier_one():
    from actions.cases import ActionRecordReferralDate

    _, messages = run(ActionRecordReferralDate(), tracker(f"referral date for {CASE} is 20 November 2026",
                                                          "record_referral_date"))
    assert "Recorded the referral date for NW/2026/0012: 20 November 2026" in messages[0]["text"]
    run(ActionRecordReferralDate(), tracker(f"correct the referral date for {CASE}: 18 November 2026",
                                            "record_referral_date"))
    with runtime.sessions()() as session:
        service = CaseService(session, accounts.get_practitioner(session, "demo"), "web")
        assert str(service.get_case(CASE).referral_date) == "2026-11-18"
    events, messages = run(ActionRecordReferralDate(), tracker(f"referral date for {CASE} is sometime last week",
                                                               "record_referral_date"))
    assert events == [] and "nothing was recorded" in messages[0]["text"]


def test_a_flag_raised_in_the_chat_names_the_answer_that_raised_it():
    state = started()
    run(ActionChecklistTurn(), tracker("yes", "affirm", {"checklist": state, "checklist_active": True}))
    with runtime.sessions()() as session:
        service = CaseService(session, accounts.get_practitioner(session, "demo"), "web")
        flag = next(f for f in service.flags(CASE) if f.rule_id == "consider-leaving-home")
        answer = service.current_answers(CASE, "3.4")["3.4:previous-history"]
        assert flag.raised_by_entry_id == answer.id


def test_opening_a_case_with_its_referral_date_read_as_recording_the_date_still_opens_it():
    from actions.cases import ActionRecordReferralDate

    _, messages = run(ActionRecordReferralDate(), tracker("open case NW/2026/0301 referral date 20 November 2026",
                                                          "record_referral_date"))
    assert "Opened case NW/2026/0301 for Demo Team, referral date 20 November 2026" in messages[0]["text"]


def test_resuming_an_unknown_case_names_it():
    from actions.checklist.actions import ActionResumeChecklist

    _, messages = run(ActionResumeChecklist(), tracker("resume for NW/2026/0999", "resume_checklist"))
    assert messages[0]["text"].startswith("NW/2026/0999 is not a case your team can see")


def test_recording_another_cases_referral_date_pauses_the_checklist():
    from actions.cases import ActionRecordReferralDate

    state = started()
    with runtime.sessions()() as session:
        CaseService(session, accounts.get_practitioner(session, "demo"), "web").open_case(OTHER)
    events, messages = run(ActionRecordReferralDate(), tracker(f"referral date for {OTHER} is 20 November 2026",
                                                               "record_referral_date",
                                                               {"checklist": state, "checklist_active": True}))
    assert messages[0]["text"].startswith("Paused 3.4") and SlotSet("checklist", None) in events


def test_a_referral_date_for_the_new_case_records_the_date_and_opens_nothing():
    from actions.cases import ActionRecordReferralDate

    _, messages = run(ActionRecordReferralDate(), tracker(f"referral date for the new case {CASE} is 19 November 2026",
                                                          "record_referral_date"))
    assert "Recorded the referral date for NW/2026/0012: 19 November 2026" in messages[0]["text"]


def test_help_in_the_middle_of_a_checklist_says_what_is_waiting():
    from actions.session import ActionHelp

    state = started()
    _, messages = run(ActionHelp(), tracker("help", "help", {"checklist": state, "checklist_active": True}))
    assert f"You are in 3.4 — Early significant-harm factors for case {CASE}" in messages[0]["text"]
    _, messages = run(ActionHelp(), tracker("help", "help"))
    assert "You are in" not in messages[0]["text"]


def test_none_at_a_triage_keeps_a_yes_and_the_events_say_what_is_waiting():
    from actions.checklist.actions import ActionStartTriage

    state = started()
    run(ActionChecklistTurn(), tracker("yes", "affirm", {"checklist": state, "checklist_active": True}))
    events, _ = run(ActionStartTriage(), tracker(f"quick triage for {CASE}", "triage"))
    events, messages = run(ActionChecklistTurn(), tracker("none", "deny", {"checklist": slot(events, "checklist"),
                                                                          "checklist_active": True}))
    waiting = slot(events, "checklist")
    assert waiting["awaiting"] == "triage_confirm" and waiting["pending"]["none"] is True
    assert waiting["pending"]["kept"] == {"previous-history": "yes"} and "previous-history" not in waiting["pending"]["values"]
    assert "You said none are present, but factor 1 is recorded as “yes”" in messages[0]["text"]
    events, _ = run(ActionChecklistTurn(), tracker("/affirm", "affirm", {"checklist": waiting, "checklist_active": True}))
    assert SlotSet("checklist_active", False) in events
    with runtime.sessions()() as session:
        answers = CaseService(session, accounts.get_practitioner(session, "demo"), "web").current_answers(CASE, "3.4")
    assert answers["3.4:previous-history"].value == "yes" and answers["3.4:previous-contact-abuse"].value == "no"
