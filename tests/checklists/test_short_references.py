"""A case named by a short form ("9101", "2026/9101", "nw9101") never goes to the case that is
open (trial F, 25 Nov 2026: "quick triage for 9101", "none", "confirm" recorded nine answers on
the open case). Every case-taking action says the full form and offers it as a button; nothing is
done until the practitioner chooses it."""
from __future__ import annotations

import pytest

from actions.case_refs import reference_buttons, reference_problem, short_reference
from actions.cases import ActionCaseSummary, ActionCaseTimescales, ActionOpenCase, ActionRecordReferralDate
from actions.checklist.actions import ActionResumeChecklist, ActionStartChecklist, ActionStartTriage
from actions import runtime
from casestore import accounts
from casestore.service import CaseService

from test_actions import CASE, case_store, run, slot, tracker  # noqa: F401  (case_store: the fixture)

OPEN = {"current_case": CASE}


@pytest.mark.parametrize("action, text, intent", [
    (ActionCaseSummary(), "case summary for 9101", "case_summary"),
    (ActionCaseSummary(), "whats missing for 9101", "case_summary"),
    (ActionCaseSummary(), "what goes to the strategy meeting for 9101", "strategy_meeting_items"),
    (ActionStartChecklist(), "start the 10.9 check for 9101", "start_checklist"),
    (ActionStartTriage(), "quick triage for 9101", "triage"),
    (ActionOpenCase(), "open case 9101", "open_case"),
    (ActionRecordReferralDate(), "referral date for 9101 is 20 November 2026", "record_referral_date"),
    (ActionCaseTimescales(), "what are the timescales for case 9101", "case_timescales"),
    (ActionResumeChecklist(), "resume for 9101", "resume_checklist"),
])
def test_a_short_reference_is_never_taken_as_the_open_case(action, text, intent):
    events, messages = run(action, tracker(text, intent, dict(OPEN)))
    assert events == []  # no case set, no checklist started
    assert "“9101” isn't a full case reference" in messages[0]["text"] and "NW/2026/9101" in messages[0]["text"]
    assert messages[0]["buttons"] == [{"title": "NW/2026/9101", "payload": text.replace("9101", "NW/2026/9101")}]


def test_a_short_reference_at_a_waiting_checklist_does_not_resume_it():
    _, _ = run(ActionStartChecklist(), tracker(f"start the 3.4 check for {CASE}", "start_checklist"))
    events, _ = run(ActionStartChecklist(), tracker(f"start the 3.4 check for {CASE}", "start_checklist"))
    state = slot(events, "checklist")
    events, messages = run(ActionResumeChecklist(), tracker("resume for 9101", "resume_checklist",
                                                            {"checklist": state, "checklist_active": True, **OPEN}))
    assert events == [] and "isn't a full case reference" in messages[0]["text"]


def test_resume_naming_another_case_mid_checklist_resumes_that_case_not_this_one():
    other = "NW/2026/0013"
    with runtime.sessions()() as session:
        CaseService(session, accounts.get_practitioner(session, "demo"), "web").open_case(other)
    run(ActionStartChecklist(), tracker(f"start the 10.9 check for {other}", "start_checklist"))
    events, _ = run(ActionStartChecklist(), tracker(f"start the 3.4 check for {CASE}", "start_checklist"))
    events, messages = run(ActionResumeChecklist(), tracker(f"resume for {other}", "resume_checklist",
                                                            {"checklist": slot(events, "checklist"),
                                                             "checklist_active": True, **OPEN}))
    assert slot(events, "checklist")["case"] == other and slot(events, "current_case") == other


def test_a_short_triage_records_nothing_on_the_open_case():
    events, _ = run(ActionStartTriage(), tracker("quick triage for 9101", "triage", dict(OPEN)))
    assert events == []
    with runtime.sessions()() as session:
        service = CaseService(session, accounts.get_practitioner(session, "demo"), "web")
        assert service.current_answers(CASE, "3.4") == {}


@pytest.mark.parametrize("text, typed, full", [
    ("timescales for 2026/9101", "2026/9101", "NW/2026/9101"),
    ("what goes to the strat for nw9101", "nw9101", "NW/2026/9101"),
    ("summary for NW 9101", "NW 9101", "NW/2026/9101"),
    ("summary for NW/9101", "NW/9101", "NW/2026/9101"),
    ("summary for case 12", "case 12", None),
    ("quick triage for 910", "910", None),
])
def test_short_forms_are_recognised(text, typed, full):
    assert short_reference(text) == (typed, full)
    assert reference_problem(text) is not None


@pytest.mark.parametrize("text", [
    "referral date is 20 November 2026", "referral date is 20/11/2026", "referral date 2026-11-20",
    "referred on Nov 3, 2026", "start the 10.9 check for NW/2026/9101", "start the 3.4 check at item 3",
    "what does 10.9 say", "yes - conviction in 2011",
])
def test_dates_paragraphs_and_full_references_are_not_short_references(text):
    assert short_reference(text) is None and reference_buttons(text) == []


def test_resume_with_a_short_reference_mid_checklist_is_refused_where_the_rules_send_it():
    from actions.checklist.actions import ActionChecklistTurn
    events, _ = run(ActionStartChecklist(), tracker(f"start the 3.4 check for {CASE}", "start_checklist"))
    active = {"checklist": slot(events, "checklist"), "checklist_active": True, **OPEN}
    events, messages = run(ActionChecklistTurn(), tracker("resume for 9101", "resume_checklist", active))
    assert events == [] and "“9101” isn't a full case reference" in messages[0]["text"]
    other = "NW/2026/0013"
    with runtime.sessions()() as session:
        CaseService(session, accounts.get_practitioner(session, "demo"), "web").open_case(other)
    run(ActionStartChecklist(), tracker(f"start the 10.9 check for {other}", "start_checklist"))
    events, _ = run(ActionChecklistTurn(), tracker(f"resume for {other}", "resume_checklist", active))
    assert slot(events, "checklist")["case"] == other
