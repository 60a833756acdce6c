"""The tour: what a stop shows (the protocol's words, cautions, citations) and how next, back,
tell me more, a question and stop move through it, with progress in the case store."""
from __future__ import annotations

import pytest

from actions.induction import tour as stops
from actions.induction.flow import TOUR, ConversationProgress, InductionFlow, Message
from casestore.induction import InductionService
from knowledge import normalise


def protocol_words(passage: str) -> list[str]:
    """The passage's pieces of protocol text (split at the ellipses the bot adds)."""
    return [piece.strip(" -") for line in passage.splitlines() for piece in line.split("…") if piece.strip(" -")]


def test_every_stop_shows_only_the_protocols_own_words(kb, tour) -> None:
    for index, stop in enumerate(tour.stops):
        for unit_id in stop.cites:
            unit = kb.units[unit_id]
            words, _ = stops.passage(unit, stops.STOP_CHARS)
            for piece in protocol_words(words):
                assert normalise(piece) in normalise(stops.tidy(unit.text)), (stop.id, unit_id, piece)


def test_a_stop_names_its_place_heading_units_and_cautions(kb, tour) -> None:
    index = tour.index("safeguards-first")
    text = stops.stop_text(kb, tour, index)
    assert text.startswith(f"Induction — stop {index + 1} of {len(tour.stops)}: Safeguards first")
    assert "3.7 — Safeguards from the start:" in text
    assert "⚠ Don't miss this (3.7): “Safeguards need to be put in place at the start" in text
    assert stops.stop_citations(kb, tour, index) == ["3.7"]


def test_a_long_list_shows_its_start_and_says_how_much_more(kb, tour) -> None:
    text = stops.stop_text(kb, tour, tour.index("early-factors"))
    assert "- Previous history (known to Children's Services for abuse or neglect);" in text
    assert "Known criminal lifestyle" not in text
    assert "(6 more points: “tell me more” shows them)" in text


def test_losses_are_noted_where_they_happened(kb, tour) -> None:
    assert "Only their titles survive" in stops.stop_text(kb, tour, tour.index("process-maps"))
    twelve_two = stops.stop_text(kb, tour, tour.index("interview-questions"))
    assert "⚠ Don't miss this (12.2): In 12.2 the protocol marks with the symbol (Ø)" in twelve_two


@pytest.fixture
def flow_for(kb, tour, session, people, asker):
    def make(name: str = "alice") -> InductionFlow:
        return InductionFlow(kb, tour, InductionService(session, people[name]), f"practitioner-{people[name].id}", asker)
    return make


def say(flow: InductionFlow, intent: str, text: str = "", mode: str = TOUR, option: str | None = None):
    return flow.handle(mode, Message(text or f"/{intent}", intent, option))


def test_next_back_and_stop_move_and_keep_the_place(flow_for, tour) -> None:
    alice = flow_for()
    first = alice.start_tour()
    assert first.mode == TOUR and "Welcome to the induction tour" in first.replies[0].text
    assert "stop 1 of" in first.replies[1].text and first.replies[1].citations == ["purpose"]
    assert "◂ Back" not in [b["title"] for b in first.replies[1].buttons]
    say(alice, "induction_next")
    third = say(alice, "skip", "next")                      # typed "next" is the skip intent
    assert "stop 3 of" in third.replies[0].text
    assert "stop 2 of" in say(alice, "go_back", "back").replies[0].text
    stopped = say(alice, "stop_induction")
    assert stopped.mode is None and "Tour stopped at stop 2" in stopped.replies[0].text
    resumed = flow_for().start_tour()                       # a new conversation, same practitioner
    assert "Welcome back: carrying on at stop 2" in resumed.replies[0].text
    assert tour.stops[1].heading in resumed.replies[1].text


def test_tell_me_more_shows_the_units_in_full_and_stays(flow_for, kb, tour) -> None:
    alice = flow_for()
    alice.start_tour()
    more = say(alice, "tell_more")
    assert more.replies[0].text.startswith("Purpose, in full:")
    assert "Its prime focus is on adult perpetrators." in more.replies[0].text
    assert more.replies[1].text.startswith("Back to the tour: stop 1 of") and more.mode == TOUR


def test_a_question_mid_tour_is_answered_then_the_tour_resumes_at_the_same_stop(flow_for, asker) -> None:
    alice = flow_for()
    alice.start_tour()
    say(alice, "induction_next")
    prompt = say(alice, "ask_protocol", "/ask_protocol")   # the "Ask a question" button
    assert "Type your question" in prompt.replies[0].text and not asker.asked
    turn = say(alice, "ask_protocol", "who should be interviewed first?")
    assert asker.asked == ["who should be interviewed first?"]
    assert turn.replies[0].citations == ["3.9"]
    assert turn.replies[1].text.startswith("Back to the tour: stop 2 of") and turn.mode == TOUR


def test_the_end_of_the_tour_offers_the_quiz_and_a_restart_begins_again(flow_for, tour) -> None:
    alice = flow_for()
    alice.start_tour()
    for _ in range(len(tour.stops) - 1):
        say(alice, "induction_next")
    end = say(alice, "induction_next")
    assert end.mode is None and f"all {len(tour.stops)} stops" in end.replies[0].text
    assert "finished" in alice.report().text
    again = flow_for().start_tour()
    assert "starting again at stop 1" in again.replies[0].text


def test_a_changed_tour_resumes_at_the_same_stop_by_id(kb, tour, session, people, asker) -> None:
    service = InductionService(session, people["alice"])
    service.move_to(10, "safeguards-first")
    shorter = type(tour)(tour.stops[1:], tour.cautions, tour.caution_stops)
    flow = InductionFlow(kb, shorter, service, "practitioner-1", asker)
    assert "Safeguards first" in flow.start_tour().replies[1].text


def test_progress_is_each_practitioners_own(flow_for) -> None:
    alice, bob = flow_for("alice"), flow_for("bob")
    alice.start_tour()
    for _ in range(4):
        say(alice, "induction_next")
    assert "Tour: stop 5 of" in alice.report().text
    assert "Tour: not started" in bob.report().text
    assert "nobody else can see it" in bob.report().text


def test_someone_not_signed_in_can_take_the_tour_but_is_told_it_is_not_kept(kb, tour, asker) -> None:
    progress = ConversationProgress()
    flow = InductionFlow(kb, tour, progress, "anonymous", asker)
    assert "can't keep your place after this conversation" in flow.start_tour().replies[0].text
    say(flow, "induction_next")
    same_conversation = InductionFlow(kb, tour, ConversationProgress(progress.data), "anonymous", asker)
    assert "stop 3 of" in say(same_conversation, "induction_next").replies[0].text
    assert "not signed in" in say(same_conversation, "stop_induction").replies[0].text


def test_controls_outside_a_tour(flow_for) -> None:
    alice = flow_for()
    assert say(alice, "stop_induction", mode=None).mode is None
    assert say(alice, "induction_next", mode=None).mode == TOUR   # "next stop" resumes the tour
    stale = say(alice, "quiz_answer", mode=None, option="glossary:cp|A")
    assert "no longer open" in stale.replies[0].text and stale.mode is None


@pytest.mark.parametrize(("typed", "moved_to"), [("next", 2), ("Next.", 2), ("carry on", 2), ("back", 1)])
def test_one_word_commands_work_whatever_the_nlu_made_of_them(flow_for, typed, moved_to) -> None:
    alice = flow_for()
    alice.start_tour()
    turn = alice.handle(TOUR, Message(typed, "nlu_fallback"))
    assert f"stop {moved_to} of" in turn.replies[-1].text and not alice.asker.asked
    assert alice.handle(TOUR, Message("stop", "nlu_fallback")).mode is None
