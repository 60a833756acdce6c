"""The checklist flow against a real (migrated SQLite) case store: what is recorded, when."""
import pytest

from actions.checklist.flow import ChecklistFlow, Message
from actions.checklist.state import NOTE, PII_CONFIRM
from casestore import accounts
from casestore.errors import AccessDenied
from casestore.overview import overview
from casestore.service import CaseService

from checklist_support import ASKED, CASE, fake_answer


def say(flow, state, text, intent=None, option=None, confidence=0.9):
    return flow.handle(state, Message(text, intent, confidence, option))


def answers(service, checklist="3.4"):
    return {k.split(":", 1)[1]: e for k, e in service.current_answers(CASE, checklist).items()}


def test_every_answer_is_recorded_when_given_and_the_flags_name_their_paragraphs(flow, service, kb):
    base = len(service.history(CASE))
    turn = flow.start(CASE, kb.checklists["3.4"])
    state = turn.state
    for n, item in enumerate(kb.checklists["3.4"].items, 1):
        assert state.item == item.id
        turn = say(flow, state, "yes" if item.id == "images-of-own-children" else "no")
        assert len(service.history(CASE)) == base + n  # one entry per answer, as it is given
        state = turn.state
    assert state is None  # finished
    text = "\n".join(r.text for r in turn.replies)
    assert "1 of 9" not in text and "9 of 9 recorded" in text
    fired = {f.rule.id for f in overview(kb, service.summary(CASE)).flags}
    assert "consider-leaving-home" in fired
    assert any("3.5" in r.citations for r in turn.replies) or "(3.5" in text
    entry = answers(service)["images-of-own-children"]
    assert (entry.value, entry.kind, entry.channel) == ("yes", "answer", "web")
    assert entry.practitioner_id == service.actor.id and entry.recorded_at is not None


def test_go_back_records_a_correction_that_points_at_the_old_answer(flow, service, kb):
    state = flow.start(CASE, kb.checklists["3.4"]).state
    state = say(flow, state, "yes").state
    assert state.item == "previous-contact-abuse"
    state = say(flow, state, "go back", intent="go_back").state
    assert state.item == "previous-history"
    assert "Currently recorded: yes" in flow.prompt(state).text
    state = say(flow, state, "no").state
    current = answers(service)["previous-history"]
    assert current.value == "no" and current.corrects_entry_id is not None
    old = [e for e in service.history(CASE) if e.id == current.corrects_entry_id][0]
    assert old.value == "yes"  # nothing recorded is lost
    assert state.item == "previous-contact-abuse"  # carries on where it was


def test_an_answer_that_fits_no_option_is_re_asked_and_nothing_recorded(flow, service, kb):
    state = flow.start(CASE, kb.checklists["3.4"]).state
    before = len(service.history(CASE))
    turn = say(flow, state, "maybe, ask the police", intent="nlu_fallback", confidence=0.2)
    assert len(service.history(CASE)) == before
    assert turn.state.item == "previous-history"
    assert "doesn't fit" in turn.replies[0].text and turn.replies[1].buttons


def test_a_question_mid_checklist_is_answered_then_the_item_re_asked(flow, service, kb):
    state = flow.start(CASE, kb.checklists["10.9"]).state
    before = len(service.history(CASE))
    turn = say(flow, state, "who should attend the strategy meeting?", intent="ask_protocol")
    assert ASKED[-1] == "who should attend the strategy meeting?"
    assert turn.replies[0].citations == ["3.9"]
    assert "Back to the checklist" in turn.replies[1].text and turn.state.item == state.item
    assert len(service.history(CASE)) == before


def test_skip_leaves_the_item_missing_and_pause_resume_returns_to_the_position(flow, service, kb):
    checklist = kb.checklists["3.4"]
    state = flow.start(CASE, checklist).state
    state = say(flow, state, "skip", intent="skip").state
    state = say(flow, state, "not known").state
    assert state.item == checklist.items[2].id
    assert say(flow, state, "pause", intent="pause").state is None
    # A new flow (a restarted action server, another channel) resumes at the same item.
    resumed = ChecklistFlow(kb, service, fake_answer, lambda t: []).start(CASE, checklist)
    assert resumed.state.item == checklist.items[2].id and resumed.replies[0].text.startswith("Resuming")
    summary = flow._checklist_summary(CASE, checklist)
    assert "Missing" in summary and "(skipped)" in summary


def test_free_text_with_personal_details_is_not_stored_until_rephrased(flow, service, kb):
    state = flow.start(CASE, kb.checklists["10.11"]).state
    before = len(service.history(CASE))
    turn = say(flow, state, "They met in 2015, call Mrs Jones on 07700 900123", intent="nlu_fallback", confidence=0.3)
    assert turn.state.awaiting == PII_CONFIRM and "personal details" in turn.replies[0].text
    assert len(service.history(CASE)) == before
    turn = say(flow, turn.state, "They met in 2015 through work", intent="nlu_fallback", confidence=0.3)
    assert answers(service, "10.11")["how-they-met"].value == "They met in 2015 through work"


def test_keep_it_records_the_text_as_written(flow, service, kb):
    state = flow.start(CASE, kb.checklists["10.11"]).state
    turn = say(flow, state, "met via the ex-partner Mr Smith", intent="nlu_fallback", confidence=0.3)
    assert turn.state.awaiting == PII_CONFIRM
    say(flow, turn.state, "keep it")
    assert answers(service, "10.11")["how-they-met"].value == "met via the ex-partner Mr Smith"


def test_an_observed_sign_needs_its_evidence_before_anything_is_stored(flow, service, kb):
    state = flow.start(CASE, kb.checklists["10.13"]).state
    turn = say(flow, state, "observed", intent="choose", option="observed")
    assert turn.state.awaiting == NOTE and not answers(service, "10.13")
    say(flow, turn.state, "seen at the home visit, social worker, 2 June")
    entry = next(iter(answers(service, "10.13").values()))
    assert (entry.value, entry.note) == ("observed", "seen at the home visit, social worker, 2 June")


def test_8_4_judgement_is_recorded_only_with_reasoning_as_a_named_judgement(flow, service, kb):
    checklist = kb.checklists["8.4"]
    harm = next(i for i in checklist.items if i.kind == "judgement_harm")
    state = flow.start(CASE, checklist).state
    state.item = harm.id
    turn = say(flow, state, "serious")
    assert turn.state.awaiting == NOTE
    turn = say(flow, turn.state, "pattern of past harm and the child's age")
    entry = answers(service, "8.4")[harm.id]
    assert (entry.kind, entry.value, entry.reasoning) == ("judgement", "serious", "pattern of past harm and the child's age")
    assert "demo's professional judgement" in turn.replies[0].text


def test_duty_triage_reaches_a_recorded_flagged_result_in_three_turns(flow, service, kb):
    base = len(service.history(CASE))
    turn = flow.start_triage(CASE)                      # turn 1: "quick triage for ..."
    turn = say(flow, turn.state, "present 3; not known 5")  # turn 2: the selection
    assert len(service.history(CASE)) == base            # nothing recorded before confirming
    turn = say(flow, turn.state, "yes", intent="affirm")   # turn 3: confirm
    assert turn.state is None
    recorded = answers(service)
    assert len(recorded) == 9 and recorded["images-of-own-children"].value == "yes"
    assert recorded["absence-of-cooperation"].value == "not known" and recorded["previous-history"].value == "no"
    assert all(e.kind == "answer" and e.checklist_id == "3.4" for e in recorded.values())
    assert any("3.5" in r.citations for r in turn.replies)


def test_another_team_cannot_work_on_the_case(session, service, kb):
    other = CaseService(session, accounts.get_practitioner(session, "other"), "web")
    flow = ChecklistFlow(kb, other, fake_answer, lambda t: [])
    with pytest.raises(AccessDenied):
        flow.start(CASE, kb.checklists["3.4"])


def test_a_long_free_text_answer_is_recorded_not_taken_for_a_question(flow, service, kb):
    state = flow.start(CASE, kb.checklists["appendix-7"]).state
    say(flow, state, "Adult in the household; details held by the police", intent="ask_protocol", confidence=0.95)
    assert answers(service, "appendix-7")["details-of-offender"].value == "Adult in the household; details held by the police"


def test_a_free_text_item_still_answers_a_real_question(flow, service, kb):
    state = flow.start(CASE, kb.checklists["appendix-7"]).state
    turn = say(flow, state, "what goes in this part?", intent="ask_protocol")
    assert "Back to the checklist" in turn.replies[1].text and not answers(service, "appendix-7")


@pytest.mark.parametrize("bare", ["yes", "yse", "no", "maybe", "ok", ""])
def test_a_bare_yes_no_or_hedge_is_not_recorded_as_a_free_text_answer(flow, service, kb, bare):
    state = flow.start(CASE, kb.checklists["10.11"]).state
    turn = say(flow, state, bare, intent="affirm")
    assert turn.state.item == state.item and "nothing was recorded" in turn.replies[0].text
    assert not answers(service, "10.11")
    say(flow, turn.state, "not known")
    assert answers(service, "10.11")["how-they-met"].value == "not known"


def test_triage_why_back_and_questions_explain_without_recording(flow, service, kb):
    base = len(service.history(CASE))
    state = flow.start_triage(CASE).state
    turn = say(flow, state, "why?", intent="ask_why")
    assert turn.state == state and turn.replies[0].citations == ["3.4"]
    assert kb.units["3.4"].text[:60] in turn.replies[0].text and "numbers present" in turn.replies[1].text
    turn = say(flow, state, "go back", intent="go_back")
    assert turn.state == state and "nothing has been recorded" in turn.replies[0].text
    turn = say(flow, state, "who attends a strategy meeting?", intent="ask_protocol")
    assert ASKED[-1] == "who attends a strategy meeting?" and turn.replies[0].citations == ["3.9"]
    assert turn.state == state
    assert len(service.history(CASE)) == base


@pytest.mark.parametrize("stop", [("cancel", None), ("stop the triage", None), ("pause", "pause")])
def test_triage_can_be_left_at_either_step_and_nothing_is_recorded(flow, service, kb, stop):
    base = len(service.history(CASE))
    text, intent = stop
    turn = say(flow, flow.start_triage(CASE).state, text, intent=intent)
    assert turn.state is None and "nothing was recorded" in turn.replies[0].text
    confirming = say(flow, flow.start_triage(CASE).state, "present 2").state
    turn = say(flow, confirming, text, intent=intent)
    assert turn.state is None and "nothing was recorded" in turn.replies[0].text
    assert len(service.history(CASE)) == base


def test_triage_confirm_step_explains_goes_back_and_still_records_on_confirm(flow, service, kb):
    confirming = say(flow, flow.start_triage(CASE).state, "present 1").state
    turn = say(flow, confirming, "why?", intent="ask_why")
    assert turn.state == confirming and "Confirm?" in turn.replies[-1].text and not answers(service)
    turn = say(flow, confirming, "hmm", intent="nlu_fallback", confidence=0.3)
    assert turn.state == confirming and "Nothing is recorded yet" in turn.replies[0].text
    back = say(flow, confirming, "go back", intent="go_back")
    assert "early significant-harm factors" in back.replies[0].text and back.state.pending == {}
    say(flow, confirming, "confirm", intent="affirm")
    assert answers(service)["previous-history"].value == "yes"


def test_resume_typed_mid_checklist_shows_the_item_and_records_nothing(flow, service, kb):
    state = say(flow, flow.start(CASE, kb.checklists["3.4"]).state, "yes").state
    before = len(service.history(CASE))
    turn = say(flow, state, "carry on", intent="resume_checklist")
    assert turn.state.item == state.item and "doesn't fit" not in " ".join(r.text for r in turn.replies)
    assert turn.replies[-1].citations == flow.prompt(state).citations
    assert len(service.history(CASE)) == before


def test_checklists_are_named_as_practitioners_read_them(flow, kb):
    assert kb.checklists["10.9"].name == "10.9 — Factors of concern"
    turn = flow.start(CASE, kb.checklists["appendix-1/siblings"])
    text = "\n".join(r.text for r in turn.replies)
    assert "Appendix 1 — Capacity to protect - siblings" in text and "appendix-1/siblings —" not in text
    assert turn.replies[0].citations[0] == "appendix-1/siblings"  # the id stays the citation


def test_an_answer_with_a_note_is_confirmed_with_its_note(flow, service, kb):
    state = flow.start(CASE, kb.checklists["3.4"]).state
    turn = say(flow, state, "yes - police disclosure 3 May", intent="affirm")
    assert answers(service)["previous-history"].note == "police disclosure 3 May"
    assert "Note: “police disclosure 3 May”" in turn.replies[0].text
