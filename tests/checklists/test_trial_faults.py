"""Faults found by practitioners trying the running bot (build/trial, 24 Nov 2026), each pinned."""
from actions.checklist.flow import ChecklistFlow, Message
from actions.checklist.state import NOTE, PII_CONFIRM, TRIAGE_CONFIRM

from checklist_support import ASKED, CASE


def say(flow, state, text, intent=None, option=None, confidence=0.9):
    return flow.handle(state, Message(text, intent, confidence, option))


def current(service, checklist, item):
    return service.current_answers(CASE, checklist)[f"{checklist}:{item}"]


def screening_names(text: str) -> list[str]:
    return ["a person's name"] if "Mr " in text else []


def test_a_retyped_answer_after_the_personal_details_warning_is_read_afresh(kb, service):
    flow = ChecklistFlow(kb, service, lambda text: None, screening_names)
    state = flow.start(CASE, kb.checklists["10.9"]).state
    turn = say(flow, state, "yes - told by Mr Jones")
    assert turn.state.awaiting == PII_CONFIRM
    say(flow, turn.state, "no", intent="deny")
    entry = current(service, "10.9", state.item)
    assert (entry.value, entry.note) == ("no", None)  # not "yes" with the note "no"


def test_a_retyped_note_stays_a_note(kb, service):
    flow = ChecklistFlow(kb, service, lambda text: None, screening_names)
    checklist = kb.checklists["appendix-1/non-abusing-parent"]
    state = flow.start(CASE, checklist).state
    turn = say(flow, state, "observed")
    assert turn.state.awaiting == NOTE
    turn = say(flow, turn.state, "seen by Mr Smith at the visit")
    assert turn.state.awaiting == PII_CONFIRM
    say(flow, turn.state, "seen at the home visit")
    entry = current(service, checklist.id, state.item)
    assert (entry.value, entry.note) == ("observed", "seen at the home visit")


def test_a_full_stop_is_not_evidence(flow, service, kb):
    checklist = kb.checklists["appendix-1/non-abusing-parent"]
    state = flow.start(CASE, checklist).state
    state = say(flow, state, "observed").state
    turn = say(flow, state, ".")
    assert turn.state.awaiting == NOTE and f"{checklist.id}:{state.item}" not in service.current_answers(CASE, checklist.id)


def test_a_protocol_question_without_a_question_mark_at_a_free_text_item_is_answered_not_recorded(flow, service, kb):
    state = flow.start(CASE, kb.checklists["appendix-7"]).state
    for question in ("who should be interviewed first", "what does 3.5 say", "10.13", "show me appendix 4"):
        turn = say(flow, state, question, intent="ask_protocol")
        assert ASKED[-1] == question
        assert service.current_answers(CASE, "appendix-7") == {}
        assert "nothing was recorded" in turn.replies[-1].text
    # ... and "record it" records it after all
    say(flow, turn.state, "record it")
    assert current(service, "appendix-7", state.item).value == "show me appendix 4"


def test_an_answer_starting_when_is_still_an_answer(flow, service, kb):
    state = flow.start(CASE, kb.checklists["appendix-7"]).state
    say(flow, state, "when the police have finished the examination")
    assert current(service, "appendix-7", state.item).value == "when the police have finished the examination"


def test_a_free_text_item_asked_as_a_yes_no_question_takes_yes_or_no(flow, service, kb):
    checklist = kb.checklists["12.2"]
    closed = next(item for item in checklist.items if item.text.rstrip().endswith("?")
                  and item.text.split()[0].lower() in ("has", "have", "is", "are", "do", "does", "did"))
    flow.service.set_progress(CASE, checklist.id, closed.id)
    state = flow.start(CASE, checklist).state
    assert state.item == closed.id
    say(flow, state, "no - he says not")
    entry = current(service, checklist.id, closed.id)
    assert (entry.value, entry.note) == ("no", "he says not")


def test_a_thumb_or_a_letter_is_not_a_free_text_answer(flow, service, kb):
    state = flow.start(CASE, kb.checklists["appendix-7"]).state
    for typed in ("👍", "x", "."):
        turn = say(flow, state, typed)
        assert "doesn't answer this item" in turn.replies[0].text
    assert service.current_answers(CASE, "appendix-7") == {}


def test_two_options_at_once_and_not_applicable_are_not_answers(flow, service, kb):
    state = flow.start(CASE, kb.checklists["10.9"]).state
    for typed in ("yes and no", "n/a", "no / not known"):
        turn = say(flow, state, typed)
        assert "doesn't fit" in turn.replies[0].text
    assert service.current_answers(CASE, "10.9") == {}


def test_skip_on_an_answered_item_keeps_the_answer_and_says_so(flow, service, kb):
    state = flow.start(CASE, kb.checklists["3.4"]).state
    state = say(flow, state, "yes").state
    state = say(flow, state, "go back", intent="go_back").state
    turn = say(flow, state, "skip", intent="skip")
    assert "Kept as recorded: “yes”" in turn.replies[0].text
    assert current(service, "3.4", "previous-history").value == "yes"


def test_quick_triage_keeps_answers_already_recorded_for_factors_it_does_not_name(flow, service, kb):
    triage = kb.checklists["3.4"]
    state = flow.start(CASE, triage).state
    state = say(flow, state, "yes - police said 3 May").state        # 1: yes
    say(flow, state, "not known")                                    # 2: not known
    turn = flow.start_triage(CASE)
    assert "2 of the 9 factors are already recorded" in turn.replies[0].text
    turn = say(flow, turn.state, "present 3")
    assert turn.state.awaiting == TRIAGE_CONFIRM
    assert "(already recorded; kept)" in turn.replies[0].text
    say(flow, turn.state, "confirm", intent="affirm")
    first = current(service, "3.4", triage.items[0].id)
    assert (first.value, first.note, first.corrects_entry_id) == ("yes", "police said 3 May", None)
    assert current(service, "3.4", triage.items[1].id).value == "not known"
    assert current(service, "3.4", triage.items[2].id).value == "yes"
    assert current(service, "3.4", triage.items[3].id).value == "no"


def test_quick_triage_says_a_named_factor_changes_an_earlier_answer(flow, service, kb):
    triage = kb.checklists["3.4"]
    say(flow, flow.start(CASE, triage).state, "no")
    turn = say(flow, flow.start_triage(CASE).state, "present 1")
    assert "yes (was no: recorded as a correction)" in turn.replies[0].text


def test_quick_triage_reports_a_note_it_does_not_record(flow, kb):
    turn = say(flow, flow.start_triage(CASE).state, "present 1, 3 - images found of daughter; not known 5")
    assert "Not recorded: “images found of daughter”" in turn.replies[0].text


def test_quick_triage_refuses_a_factor_named_present_and_not_known(flow, kb):
    turn = say(flow, flow.start_triage(CASE).state, "present 2 and 4, not known 4")
    assert turn.state.awaiting != TRIAGE_CONFIRM and "couldn't read" in turn.replies[0].text


def test_the_summary_shows_notes_corrections_and_whose_judgement(flow, service, kb):
    from actions.checklist.prompts import overview_text
    from casestore.overview import overview

    state = flow.start(CASE, kb.checklists["3.4"]).state
    state = say(flow, state, "yes - police said 3 May").state
    state = say(flow, state, "go back", intent="go_back").state
    say(flow, state, "no - checked, nothing known")
    judged = kb.checklists["8.4"]
    item = next(i for i in judged.items if i.kind == "judgement_harm")
    service.set_progress(CASE, judged.id, item.id)
    state = say(flow, flow.start(CASE, judged).state, "extreme").state
    say(flow, state, "category A images and access to children")
    text = overview_text(overview(kb, service.summary(CASE)))
    assert "(no — note: checked, nothing known; a correction)" in text
    assert f"(extreme — {service.actor.username}'s judgement: category A images and access to children)" in text


def test_the_strategy_meeting_view_names_section_3_checklists_not_yet_recorded(flow, service, kb):
    from actions.checklist.prompts import overview_text
    from casestore.overview import overview

    say(flow, flow.start(CASE, kb.checklists["3.4"]).state, "no")
    text = overview_text(overview(kb, service.summary(CASE)), flags_only=True)
    assert "Not yet recorded for the strategy meeting:" in text
    assert "3.1 — Strategy meeting considerations: not started" in text
    assert "3.4 — Early significant-harm factors: 8 of 9 not recorded" in text


def test_the_note_example_fits_the_item_kind(flow, kb):
    done = next(c for c in kb.checklists.values() if c.kind == "done_not_done" or
                any(i.kind == "done_not_done" for i in c.items))
    item = next(i for i in done.items if (i.kind or done.kind) == "done_not_done")
    flow.service.set_progress(CASE, done.id, item.id)
    prompt = flow.start(CASE, done).replies[-1].text
    assert "“done - home visit 3 May”" in prompt and "yes - police" not in prompt


def test_one_answer_of_a_finished_checklist_can_be_changed_by_its_number(flow, service, kb):
    checklist = kb.checklists["3.4"]
    state = flow.start(CASE, checklist).state
    while state is not None:
        state = say(flow, state, "no").state
    finished = flow.start(CASE, checklist)
    assert finished.state is None and "at item 3" in finished.replies[0].text
    turn = flow.start(CASE, checklist, at_item=3)
    assert turn.state.item == checklist.items[2].id and "Currently recorded: no" in turn.replies[-1].text
    say(flow, turn.state, "yes - images of his daughter")
    entry = current(service, "3.4", checklist.items[2].id)
    assert entry.value == "yes" and entry.corrects_entry_id is not None
    assert "there is no item 12" in flow.start(CASE, checklist, at_item=12).replies[0].text


def test_remarks_at_a_typed_answer_item_are_not_recorded(flow, service, kb):
    state = flow.start(CASE, kb.checklists["appendix-7"]).state
    for said in ("hang on", "this is useless", "ffs", "I don't understand this question", "ok thanks"):
        turn = say(flow, state, said)
        assert "doesn't read as an answer" in turn.replies[0].text
    turn = say(flow, state, "which agencies attend the strategy meeting", intent="ask_protocol")
    assert ASKED[-1] == "which agencies attend the strategy meeting"
    assert service.current_answers(CASE, "appendix-7") == {}


def test_record_it_with_nothing_waiting_records_nothing(flow, service, kb):
    state = flow.start(CASE, kb.checklists["appendix-7"]).state
    turn = say(flow, state, "record it")
    assert "nothing waiting to be recorded" in turn.replies[0].text
    assert service.current_answers(CASE, "appendix-7") == {}


def test_the_none_button_at_the_triage_is_not_reported_as_an_unrecorded_note(flow, kb):
    turn = say(flow, flow.start_triage(CASE).state, "none")
    assert "Not recorded" not in turn.replies[0].text


def test_going_back_shows_the_note_recorded_with_the_answer(flow, kb):
    state = say(flow, flow.start(CASE, kb.checklists["3.4"]).state, "yes - police said 3 May").state
    state = say(flow, state, "go back", intent="go_back").state
    assert "Currently recorded: yes — note: police said 3 May." in flow.prompt(state).text


# ----- second trial (25 Nov 2026) ---------------------------------------------------------------

def test_none_at_the_triage_points_out_the_factors_recorded_yes_and_overwrites_nothing(flow, service, kb):
    triage = kb.checklists["3.4"]
    state = flow.start(CASE, triage).state
    state = say(flow, state, "no").state                               # 1: no
    say(flow, state, "yes - police said 3 May")                        # 2: yes
    turn = say(flow, flow.start_triage(CASE).state, "None present")
    text = turn.replies[0].text
    assert "2. Previous contact abuse of other Children: yes (already recorded; kept)" in text
    assert ("You said none are present, but factor 2 is recorded as “yes” for this case: that answer is kept, "
            "not overwritten.") in text
    assert f"“start the 3.4 check for {CASE} at item 2”" in text and "Not recorded" not in text
    say(flow, turn.state, "confirm", intent="affirm")
    second = current(service, "3.4", triage.items[1].id)
    assert (second.value, second.note, second.corrects_entry_id) == ("yes", "police said 3 May", None)
    assert current(service, "3.4", triage.items[0].id).corrects_entry_id is None  # "no" again: no new entry


def test_none_on_a_new_case_says_no_contradiction_and_no_unrecorded_note(flow, kb):
    for typed in ("none", "None present", "none of them are present", "no factors"):
        turn = say(flow, flow.start_triage(CASE).state, typed)
        assert turn.state.awaiting == TRIAGE_CONFIRM, typed
        text = turn.replies[0].text
        assert "Not recorded" not in text and "You said none" not in text, typed


def test_the_triage_confirm_step_names_a_factor_skipped_on_purpose(flow, kb):
    state = flow.start(CASE, kb.checklists["3.4"]).state
    say(flow, state, "skip", intent="skip")                            # 1: skipped
    text = say(flow, flow.start_triage(CASE).state, "present 3").replies[0].text
    assert ("1. Previous history (known to Children's Services for abuse or neglect): no (skipped on purpose "
            "earlier; “no” would be recorded now)") in text
    assert "You said none" not in text  # factors were named: nothing contradicts


def test_an_answer_with_a_note_read_as_a_control_is_recorded_not_acted_on(flow, service, kb):
    state = flow.start(CASE, kb.checklists["10.9"]).state
    turn = say(flow, state, "yes - previous conviction 2019", intent="go_back")  # "previous": read as go back
    entry = current(service, "10.9", state.item)
    assert (entry.value, entry.note) == ("yes", "previous conviction 2019")
    assert turn.state.item == kb.checklists["10.9"].items[1].id
    turn = say(flow, turn.state, "not known - leave it for now, police checking", intent="skip")
    assert current(service, "10.9", kb.checklists["10.9"].items[1].id).value == "not known"
    # a note that is itself the control word is the control
    assert say(flow, turn.state, "no, go back", intent="go_back").state.item == kb.checklists["10.9"].items[1].id
    assert say(flow, turn.state, "skip", intent="skip").replies[0].text.startswith("Skipped")


def test_the_triage_confirmation_counts_in_the_singular_and_the_plural(flow, service, kb):
    triage = kb.checklists["3.4"]
    say(flow, flow.start(CASE, triage).state, "yes - police said 3 May")  # factor 1 recorded
    started = flow.start_triage(CASE)
    assert "1 of the 9 factors is already recorded for this case" in started.replies[0].text
    turn = say(flow, say(flow, started.state, "present 3").state, "confirm", intent="affirm")
    assert "Recorded the 3.4 triage (8 factors; 1 factor already recorded, kept as it was) for" in turn.replies[0].text
    turn = say(flow, say(flow, flow.start_triage(CASE).state, "present 4").state, "confirm", intent="affirm")
    assert "Recorded the 3.4 triage (1 factor; 8 factors already recorded, kept as they were) for" in turn.replies[0].text
