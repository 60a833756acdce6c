"""One turn of the induction: the tour (next, back, tell me more, a question, stop) and the quiz.

Independent of Rasa, like the checklist flow: the actions feed it the message and send its
replies. Where the learner is comes from `progress` — the case store for a signed-in
practitioner (InductionService), or this conversation only for anyone else (ConversationProgress).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from casestore.induction import QuizTally, TourPosition
from casestore.refs import find_reference
from knowledge import KnowledgeBase
from knowledge.induction import Tour

from actions.induction import quiz, tour as stops
from actions.replies import Reply, button

TOUR, QUIZ = "tour", "quiz"
NOT_KEPT = ("You're not signed in, so I can't keep your place after this conversation; sign in "
            "through the web app or Teams to have it kept.")
PRIVATE = "This is for your own learning, not an assessment: nobody else can see it."
RESUME_CHECKLIST = "resume_checklist"  # what the action does after the turn: the induction handed over
# "restart quiz", "start the quiz again", "start the tour from the beginning", "another round"
RESTART = re.compile(r"\b(?:restart|start(?: \w+){0,3} (?:again|over|afresh)|again from|from the (?:beginning|start|top)|"
                     r"(?:new|another|fresh) round|reset)\b", re.I)


def wants_restart(text: str) -> bool:
    return bool(RESTART.search(text)) and not text.lstrip().startswith("/")


@dataclass
class Turn:
    replies: list[Reply]
    mode: str | None            # TOUR, QUIZ, or None: the induction is no longer active
    then: str | None = None     # RESUME_CHECKLIST: the practitioner asked to go back to a checklist


@dataclass(frozen=True)
class Message:
    text: str
    intent: str | None = None
    option: str | None = None   # quiz buttons: "<question id>|<letter>"
    shown: str | None = None    # the quiz question this conversation last showed (another may have moved on)


class Progress(Protocol):
    kept: bool

    def position(self) -> TourPosition | None: ...
    def move_to(self, stop_index: int, stop_id: str, finished: bool = False) -> None: ...
    def start_attempt(self, attempt: int) -> None: ...
    def record_answer(self, attempt: int, question_id: str, answer: str, correct: bool) -> None: ...
    def tally(self) -> QuizTally: ...


class Asker(Protocol):
    """The protocol Q&A, for questions asked mid-tour or mid-quiz."""

    def is_question(self, text: str) -> bool: ...
    def answer(self, text: str) -> list[Reply]: ...


class ConversationProgress:
    """Progress of a learner who is not signed in, kept in this conversation only (a slot)."""

    kept = False

    def __init__(self, saved: dict[str, Any] | None = None) -> None:
        self.data: dict[str, Any] = {"stop_index": None, "stop_id": None, "finished": False,
                                     "attempt": 1, "answers": []} | dict(saved or {})

    def position(self) -> TourPosition | None:
        if self.data["stop_id"] is None:
            return None
        return TourPosition(int(self.data["stop_index"]), self.data["stop_id"], bool(self.data["finished"]))

    def move_to(self, stop_index: int, stop_id: str, finished: bool = False) -> None:
        self.data |= {"stop_index": stop_index, "stop_id": stop_id, "finished": finished}

    def start_attempt(self, attempt: int) -> None:
        self.data["attempt"] = attempt

    def record_answer(self, attempt: int, question_id: str, answer: str, correct: bool) -> None:
        self.data["answers"] = [*self.data["answers"], [attempt, bool(correct)]]

    def tally(self) -> QuizTally:
        attempt, answers = int(self.data["attempt"]), self.data["answers"]
        this_round = [right for round_, right in answers if round_ == attempt]
        return QuizTally(attempt, len(answers), sum(right for _, right in answers),
                         len(this_round), sum(this_round))


# One-word commands are read from the text itself, whatever the NLU made of them ("next" is
# also a checklist's "skip", and a bare word is easily a low-confidence fallback).
STOP_WORDS = dict.fromkeys(("stop", "exit", "quit", "end", "finish"), "stop_induction")
TOUR_WORDS = {**dict.fromkeys(("next", "next please", "continue", "go on", "carry on", "ok", "okay",
                               "onwards"), "induction_next"),
              **dict.fromkeys(("back", "go back", "previous", "prev"), "induction_back"), **STOP_WORDS}
QUIZ_WORDS = {**dict.fromkeys(("next", "skip"), "induction_next"), **STOP_WORDS}


def command_of(message: Message, words: dict[str, str]) -> str | None:
    return words.get(message.text.strip().lower().strip(".!")) or message.intent


def tour_buttons(index: int, total: int) -> list[dict[str, str]]:
    buttons = [button("Next ▸", "/induction_next")]
    if index > 0:
        buttons.append(button("◂ Back", "/induction_back"))
    return buttons + [button("Tell me more", "/tell_more"), button("Ask a question", "/ask_protocol"),
                      button("Stop", "/stop_induction")]


class InductionFlow:
    def __init__(self, kb: KnowledgeBase, tour: Tour, progress: Progress, learner: str,
                 asker: Asker) -> None:
        self.kb, self.tour, self.progress, self.learner, self.asker = kb, tour, progress, learner, asker
        self.shown: str | None = None  # the quiz question this turn shows

    # ----- starting ----------------------------------------------------------------------

    def start_tour(self, restart: bool = False) -> Turn:
        total = len(self.tour.stops)
        index = self._index()
        saved = self.progress.position()
        if restart and saved is not None:
            index, intro = 0, f"Starting the tour again at stop 1 of {total}."
        elif saved is None:
            intro = (f"Welcome to the induction tour: {total} stops through the protocol in order, in "
                     "its own words, with the cautions you must not miss. At each stop: next, back, "
                     "tell me more (the whole paragraph), ask a question, or stop.")
        elif saved.finished:
            index, intro = 0, f"You have finished the tour before; starting again at stop 1 of {total}."
        else:
            intro = f"Welcome back: carrying on at stop {index + 1} of {total}."
        if not self.progress.kept:
            intro += " " + NOT_KEPT
        return Turn([Reply(intro), self._show(index)], TOUR)

    def start_quiz(self, restart: bool = False) -> Turn:
        """The round in progress, or the next one when it is finished; restart: a new round from
        its first question even when this one is not finished (answers are kept, append-only)."""
        tally = self.progress.tally()
        left = tally.answered_in_attempt
        if left >= len(self._round(tally.attempt)) or (restart and left > 0):
            self.progress.start_attempt(tally.attempt + 1)
            tally = self.progress.tally()
        if restart and left > 0:
            intro = (f"Starting the quiz again: round {tally.attempt}, from question 1 of {quiz.ROUND_LENGTH}. "
                     f"The {left} question{'s' if left != 1 else ''} you took in round {tally.attempt - 1} "
                     f"{'stay' if left != 1 else 'stays'} in your progress. {PRIVATE}")
        elif tally.answered_in_attempt == 0:
            intro = (f"Quiz round {tally.attempt}: {quiz.ROUND_LENGTH} questions from the protocol's "
                     f"checklists, timescales, flags and glossary, each answered with the paragraph it "
                     f"comes from. {PRIVATE}")
        else:
            intro = (f"Carrying on with quiz round {tally.attempt}: question "
                     f"{tally.answered_in_attempt + 1} of {quiz.ROUND_LENGTH}.")
        if not self.progress.kept:
            intro += " " + NOT_KEPT
        return Turn([Reply(intro), self._ask(self._current())], QUIZ)

    def report(self) -> Reply:
        total = len(self.tour.stops)
        saved = self.progress.position()
        if saved is None:
            where = "not started"
        elif saved.finished:
            where = f"finished, all {total} stops"
        else:
            where = f"stop {self._index() + 1} of {total}"
        tally = self.progress.tally()
        lines = [f"Your induction progress. {PRIVATE}", f"Tour: {where}.",
                 f"Quiz: {tally.answered} questions taken, {tally.right} right"
                 + (f" (round {tally.attempt}: {tally.answered_in_attempt} of {quiz.ROUND_LENGTH} taken; "
                    "a skipped question counts as taken, not right)." if tally.answered else ".")]
        if not self.progress.kept:
            lines.append(NOT_KEPT)
        return Reply("\n".join(lines), [], [button("Tour", "/start_induction"), button("Quiz", "/start_quiz")])

    # ----- one message -------------------------------------------------------------------

    def handle(self, mode: str | None, message: Message) -> Turn:
        if mode == QUIZ:
            return self._quiz_turn(message)
        if mode == TOUR:
            return self._tour_turn(message)
        if message.intent in ("induction_next", "induction_back"):
            return self.start_tour()
        if message.intent == "quiz_answer":
            return Turn([Reply("That quiz question is no longer open. Say “start quiz” to carry on "
                               "with the quiz.", [], [button("Start quiz", "/start_quiz")])], None)
        return Turn([Reply("There is no tour or quiz in progress. Say “start induction” for the tour "
                           "or “start quiz” for the quiz.")], None)

    def _tour_turn(self, message: Message) -> Turn:
        intent, text = command_of(message, TOUR_WORDS), message.text.strip()
        index = self._index()
        if intent in ("induction_next", "skip", "affirm"):
            return self._next(index)
        if intent in ("induction_back", "go_back"):
            if index == 0:
                return Turn([Reply("This is the first stop."), self._show(0)], TOUR)
            return Turn([self._show(index - 1)], TOUR)
        if intent in ("stop_induction", "pause", "goodbye"):
            where = f"stop {index + 1} of {len(self.tour.stops)}"
            kept = "I've kept your place" if self.progress.kept else "Your place isn't kept (not signed in)"
            return Turn([Reply(f"Tour stopped at {where}. {kept}: say “start induction” to carry on.",
                               [], [button("Carry on", "/start_induction"), button("My progress", "/my_progress")])],
                        None)
        if intent == "resume_checklist":
            if _names_a_checklist(text):  # "resume for NW/2026/0012": the tour hands over
                return Turn([Reply(f"Tour paused at stop {index + 1} of {len(self.tour.stops)} for your "
                                   "checklist; say “start induction” to come back here.")], None, RESUME_CHECKLIST)
            return self._next(index)
        if intent in ("tell_more", "ask_why") and (text.startswith("/") or not self.asker.is_question(text)):
            stop = self.tour.stops[index]
            return Turn([Reply(stops.full_text(self.kb, stop), list(stop.cites)), self._back_to(index)], TOUR)
        if intent == "quiz_answer" or text.startswith("/"):
            return Turn([Reply("Type your question about the protocol: I'll answer it from the "
                               f"protocol and then bring you back to stop {index + 1}.")], TOUR)
        if intent in ("greet", "thank", "bot_challenge"):
            return Turn([self._back_to(index)], TOUR)
        return Turn([*self.asker.answer(text), self._back_to(index)], TOUR)

    def _next(self, index: int) -> Turn:
        total = len(self.tour.stops)
        if index + 1 < total:
            return Turn([self._show(index + 1)], TOUR)
        self.progress.move_to(index, self.tour.stops[index].id, finished=True)
        return Turn([Reply(f"That's the end of the tour: all {total} stops. Try the quiz to check what "
                           "you've taken in?", [],
                           [button("Start the quiz", "/start_quiz"), button("My progress", "/my_progress")])],
                    None)

    def _quiz_turn(self, message: Message) -> Turn:
        posed = self._current()
        if posed is None:
            return self.start_quiz()
        intent, text = command_of(message, QUIZ_WORDS), message.text.strip()
        letter = None
        if message.option and "|" in message.option:
            question_id, _, letter = message.option.rpartition("|")
            if question_id != posed.question.id:
                return Turn([Reply("That button was for an earlier question. Here is the current one:"),
                             self._ask(posed)], QUIZ)
        elif not text.startswith("/"):
            letter = quiz.parse_answer(text, posed)
            if letter is not None and message.shown not in (None, posed.question.id):
                return Turn([Reply("Your quiz moved on in another conversation, so that answer was for an "
                                   "earlier question and nothing was recorded. Here is the current one:"),
                             self._ask(posed)], QUIZ)
        if letter is not None and letter in tuple(quiz.LETTERS[:len(posed.options)]):
            return self._answered(posed, letter)
        if intent in ("induction_next", "skip"):
            return self._answered(posed, None)
        kept = "your answers are kept" if self.progress.kept else "answers aren't kept (not signed in)"
        if intent in ("stop_induction", "pause", "goodbye"):
            return Turn([Reply(f"Quiz stopped at question {posed.number} of round {posed.attempt}; {kept}. "
                               "Say “start quiz” to carry on.", [],
                               [button("Carry on", "/start_quiz"), button("My progress", "/my_progress")])],
                        None)
        if intent == "resume_checklist" and _names_a_checklist(text):  # "resume for NW/2026/0012"
            return Turn([Reply(f"Quiz paused at question {posed.number} of round {posed.attempt} for your "
                               f"checklist; {kept}. Say “start quiz” to come back to it.")], None, RESUME_CHECKLIST)
        if intent in ("ask_protocol", "out_of_scope", "nlu_fallback", "tell_more", "ask_why") \
                and not text.startswith("/") and self.asker.is_question(text):
            return Turn([*self.asker.answer(text), Reply("Back to the quiz:"), self._ask(posed)], QUIZ)
        return Turn([Reply("Choose one of the answers (or say “skip” or “stop”); the paragraph it "
                           "comes from is shown after you answer."), self._ask(posed)], QUIZ)

    def _answered(self, posed: quiz.Posed, letter: str | None) -> Turn:
        question = posed.question
        correct = letter == posed.right_letter
        chosen = f"{letter}: {posed.option(letter)}" if letter else "skipped"
        self.progress.record_answer(posed.attempt, question.id, chosen, correct)
        right = f"{posed.right_letter}, {question.answer.rstrip('.')}"  # the sentence's own full stop, once
        verdict = ("Right." if correct else f"Skipped: the answer is {right}." if letter is None
                   else f"Not quite: the answer is {right}.")
        replies = [Reply(f"{verdict}\n{question.explanation}", list(question.cites))]
        following = self._current()
        if following is not None:
            return Turn([*replies, self._ask(following)], QUIZ)
        tally = self.progress.tally()
        replies.append(Reply(f"That's the end of round {tally.attempt}: {tally.right_in_attempt} of "
                             f"{tally.answered_in_attempt} right. {PRIVATE}", [],
                             [button("Another round", "/start_quiz"), button("My progress", "/my_progress"),
                              button("The tour", "/start_induction")]))
        return Turn(replies, None)

    # ----- pieces ------------------------------------------------------------------------

    def _index(self) -> int:
        """The saved stop, found by id first (the tour data may have changed since)."""
        saved = self.progress.position()
        if saved is None:
            return 0
        found = self.tour.index(saved.stop_id or "")
        return found if found is not None else min(saved.stop_index, len(self.tour.stops) - 1)

    def _show(self, index: int) -> Reply:
        self.progress.move_to(index, self.tour.stops[index].id)
        return Reply(stops.stop_text(self.kb, self.tour, index), stops.stop_citations(self.kb, self.tour, index),
                     tour_buttons(index, len(self.tour.stops)))

    def _back_to(self, index: int) -> Reply:
        stop = self.tour.stops[index]
        return Reply(f"Back to the tour: stop {index + 1} of {len(self.tour.stops)}, {stop.heading}.", [],
                     tour_buttons(index, len(self.tour.stops)))

    def _round(self, attempt: int) -> list[quiz.Question]:
        return quiz.round_questions(quiz.question_bank(self.kb, self.tour), self.learner, attempt)

    def _current(self) -> quiz.Posed | None:
        tally = self.progress.tally()
        questions = self._round(tally.attempt)
        if tally.answered_in_attempt >= len(questions):
            return None
        number = tally.answered_in_attempt + 1
        return quiz.pose(questions[number - 1], self.learner, tally.attempt, number)

    def _ask(self, posed: quiz.Posed) -> Reply:
        self.shown = posed.question.id
        options = "\n".join(f"{letter}. {option}" for letter, option in zip(quiz.LETTERS, posed.options))
        text = (f"Quiz round {posed.attempt}, question {posed.number} of {quiz.ROUND_LENGTH}:\n"
                f"{posed.question.prompt}\n{options}")
        short = all(len(option) <= 30 for option in posed.options)
        buttons = [button(option if short else letter, f'/quiz_answer{{"option": "{posed.question.id}|{letter}"}}')
                   for letter, option in zip(quiz.LETTERS, posed.options)]
        return Reply(text, [], buttons + [button("Skip", "/induction_next"), button("Stop", "/stop_induction")])


def _names_a_checklist(text: str) -> bool:
    """ "resume for NW/2026/0012", "back to my checklist": not a bare "resume" (carry on here)."""
    return "checklist" in text.lower() or find_reference(text) is not None
