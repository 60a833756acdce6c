"""One turn of a checklist: interpret the message, record what it gives, say what comes next.

Independent of Rasa (the actions feed it the message and send its replies), so every path can be
tested directly. Every answer is written to the case store the moment it is given; the cursor is
saved with it, so a restart of either server or an expired session resumes where it was.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from knowledge import KnowledgeBase
from knowledge.model import Checklist, Item

from actions.checklist import parsing, prompts
from actions.checklist.state import (ANSWER, NOTE, PII_CONFIRM, TRIAGE_CONFIRM, TRIAGE_SELECT,
                                     ChecklistState)
from actions.replies import Reply, button
from casestore.overview import checklist_status, fired_flags, overview
from casestore.overview import current_values
from casestore.service import CaseService, CaseSummary


@dataclass
class Turn:
    replies: list[Reply]
    state: ChecklistState | None  # None: no checklist in progress any more (finished or paused)


@dataclass(frozen=True)
class Message:
    text: str
    intent: str | None = None
    confidence: float = 0.0
    option: str | None = None  # from a button payload /choose{"option": ...}
    # The web app held this text back for personal details and the practitioner chose to send it
    # as typed (taken only from a signed web claim naming this text: actions.identity).
    details_confirmed: bool = False


# A protocol question asked mid-checklist is answered by the protocol Q&A, then the item re-asked.
QuestionAnswerer = Callable[[str], Reply]
# Free text is screened for personal details before it is stored: kinds found, e.g. ["phone number"].
Screener = Callable[[str], list[str]]

CONTROL_INTENTS = {"go_back", "skip", "pause", "ask_why", "tell_more"}


class ChecklistFlow:
    def __init__(self, kb: KnowledgeBase, service: CaseService, ask: QuestionAnswerer,
                 screen: Screener) -> None:
        self.kb, self.service, self.ask, self.screen = kb, service, ask, screen
        self._cached: dict[str, CaseSummary] = {}

    def _summary(self, case: str) -> CaseSummary:
        """The case's current view, read once per change (each read is an audited access)."""
        if case not in self._cached:
            self._cached[case] = self.service.summary(case)
        return self._cached[case]

    def _changed(self, case: str) -> None:
        self._cached.pop(case, None)

    # ----- starting and resuming ---------------------------------------------------------

    def start(self, case: str, checklist: Checklist, resuming: bool = False, at_item: int | None = None) -> Turn:
        """Begin, or resume at the saved position / first unanswered item; at_item (1-based): that
        item, to change its answer (the new answer is recorded as a correction)."""
        saved = self.service.get_progress(case, checklist.id)
        answers = self._answers(case, checklist)
        if at_item is not None and not 1 <= at_item <= len(checklist.items):
            return Turn([Reply(f"{checklist.name} has items 1 to {len(checklist.items)}; there is no item "
                               f"{at_item}.", checklist.cites)], None)
        if at_item is not None:
            item: Item | None = checklist.items[at_item - 1]
        else:
            item = (checklist.item(saved) if saved and saved in {i.id for i in checklist.items}
                    else self._next_unvisited(checklist, answers, after=None))
        if item is None:
            return Turn([Reply(f"Every item of {checklist.name} is already recorded for {case}. To change "
                               f"one answer, say e.g. “start the {checklist.id} check for {case} at item 3” "
                               "(the earlier answer stays in the history).\n"
                               + self._checklist_summary(case, checklist), checklist.cites)], None)
        intro = "Resuming" if answers or resuming else "Starting"
        state = ChecklistState(case, checklist.id, item.id)
        self.service.set_progress(case, checklist.id, item.id)
        opening = Reply(f"{intro} {checklist.name} for case {case}. {checklist.purpose}",
                        checklist.cites)
        return Turn([opening, self.prompt(state)], state)

    def start_triage(self, case: str) -> Turn:
        triage = self.kb.triage
        state = ChecklistState(case, triage.id, None, awaiting=TRIAGE_SELECT)
        recorded = [item for item in triage.items
                    if (answer := self._answers(case, triage).get(item.id)) is not None and answer.kind != "skip"]
        already = (f"{len(recorded)} of the {len(triage.items)} factors {'is' if len(recorded) == 1 else 'are'} "
                   "already recorded for this case "
                   "(“what's missing for " + case + "” shows them). " if recorded else "")
        return Turn([self._triage_choices(triage, f"Quick {triage.id} triage for case {case}. {already}")], state)

    @staticmethod
    def _triage_choices(checklist: Checklist, opening: str = "") -> Reply:
        numbered = "\n".join(f"{n}. {item.text}" for n, item in enumerate(checklist.items, 1))
        text = (f"{opening}The protocol's early significant-harm factors:\n"
                f"{numbered}\n\nReply with the numbers (or the words) of those present and not known, e.g. "
                "“present 1, 3; not known 5” or “1 and 3, 5 not known”, or “none”. Factors you don't name are recorded as “no”, after you confirm, "
                "unless an answer is already recorded for them: that is kept. "
                "Say stop to leave the triage without recording anything.")
        return Reply(text, checklist.cites, [button("None present", "none")])

    # ----- one message -------------------------------------------------------------------

    def handle(self, state: ChecklistState, message: Message) -> Turn:
        checklist = self.kb.checklists[state.checklist]
        if state.awaiting == TRIAGE_SELECT:
            return self._triage_select(state, checklist, message)
        if state.awaiting == TRIAGE_CONFIRM:
            return self._triage_confirm(state, checklist, message)
        item = checklist.item(state.item) if state.item else None
        if (message.intent in CONTROL_INTENTS and item is not None and state.awaiting == ANSWER
                and not self.kb.answer_kinds[item.kind].free_text):
            typed = parsing.answer_read_as_control(message.text.strip(), self.kb.answer_kinds[item.kind].options)
            if typed is not None:  # "yes - previous conviction 2019" read as "previous": the answer
                return self._chosen(state, checklist, item, typed.option, typed.note,
                                    confirmed=message.details_confirmed)
        if message.intent == "pause":
            return self._pause(state, checklist)
        if message.intent == "go_back":
            return self._go_back(state, checklist)
        if message.intent == "skip":
            return self._skip(state, checklist)
        if message.intent in ("ask_why", "tell_more"):
            return self._why(state, checklist)
        if message.intent == "resume_checklist" and state.item and parsing.is_short_command(message.text):
            return Turn([Reply(f"Still on {checklist.name} for case {state.case}; here is where you are."),
                         self.prompt(state)], state)
        if item is None:
            return Turn([Reply(self._checklist_summary(state.case, checklist), checklist.cites)], None)
        if state.awaiting == PII_CONFIRM:
            return self._pii_confirm(state, checklist, item, message)
        if state.awaiting == NOTE:
            return self._note(state, checklist, item, message)
        redirect = self._elsewhere(state, checklist, item, message)
        if redirect is not None:
            return redirect
        return self._answer(state, checklist, item, message)

    def _elsewhere(self, state: ChecklistState, checklist: Checklist, item: Item, message: Message) -> Turn | None:
        """A message about another item ("change item 2 to no") or another case ("actually this is for
        NW/2026/9104 not 9103"), typed where the current item waits: nothing is recorded, and the reply
        says how to do it (not "doesn't fit this item", nor recorded as a typed answer)."""
        text = message.text.strip()
        options = self.kb.answer_kinds[item.kind].options
        if options and parsing.match_option(text, options) is not None:
            return None  # an answer, whatever its note says
        number = parsing.other_item(text)
        if number is not None:
            at = f"start the {checklist.id} check for {state.case} at item {number}"
            return Turn([Reply(f"Nothing was recorded. To change item {number}, say “{at}”: it shows what is "
                               "recorded and a new answer is recorded as a correction (the earlier one stays in "
                               "the history). “go back” goes to the item before this one.",
                               buttons=[button(f"Go to item {number}", at)]), self.prompt(state)], state)
        other = parsing.other_case(text, state.case)
        if other is not None:
            typed, full = other
            switch = f"start the {checklist.id} check for {full}" if full else None
            lines = (f"Nothing was recorded. This checklist is for case {state.case}. To work on "
                     + (f"{full}, say “{switch}”" if full else f"another case, name it in full ({typed} isn't a "
                        "full reference; references are NW/<year>/<four digits>)")
                     + f" ({state.case} is then paused, with what was answered recorded). An answer given here for the "
                     f"wrong case stays in its history; to change it, say “start the {checklist.id} check for "
                     f"{state.case} at item <number>” (recorded as a correction).")
            return Turn([Reply(lines, buttons=[button(full, switch)] if switch else []), self.prompt(state)], state)
        return None

    def prompt(self, state: ChecklistState) -> Reply:
        checklist = self.kb.checklists[state.checklist]
        item = checklist.item(state.item)
        current = self._answers(state.case, checklist).get(item.id)
        recorded = current.value if current is not None and current.kind != "skip" else None
        if recorded and (current.note or current.reasoning):  # "yes — note: police said 3 May"
            recorded += f" — note: {current.note or current.reasoning}"
        return Reply(prompts.item_prompt(self.kb, state.case, checklist, item, recorded),
                     item.cites, prompts.option_buttons(self.kb, item))

    # ----- answers -----------------------------------------------------------------------

    def _answer(self, state: ChecklistState, checklist: Checklist, item: Item, message: Message) -> Turn:
        kind = self.kb.answer_kinds[item.kind]
        text = message.text.strip()
        if kind.free_text:
            return self._free_text(state, checklist, item, text, confirmed=message.details_confirmed)
        match = parsing.match_option(text.rstrip("?"), kind.options, message.intent, message.option)
        if match is not None and (match.note is None or not parsing.is_explicit_question(text)):
            return self._chosen(state, checklist, item, match.option, match.note, confirmed=message.details_confirmed)
        if parsing.looks_like_question(text, message.intent, message.confidence):
            return self._question(state, text)
        return Turn([Reply(f"“{_clip(text)}” doesn't fit this item, so nothing was recorded. "
                           f"Please answer {' / '.join(kind.options)}, or say skip, why? or pause."),
                     self.prompt(state)], state)

    def _free_text(self, state: ChecklistState, checklist: Checklist, item: Item, text: str,
                   confirmed: bool = False) -> Turn:
        asked = state.pending.pop("asked", None)
        if asked and parsing.wants_to_keep(text):  # "record it": the question was the answer after all
            return self._record_text(state, checklist, item, value=asked, note=None)  # screened: typed earlier
        if parsing.wants_to_keep(text):
            return Turn([Reply("There is nothing waiting to be recorded, so nothing was. Type your answer to "
                               "this item."), self.prompt(state)], state)
        if parsing.is_remark(text):  # "hang on", "this is useless", "I don't understand this question"
            state.pending["asked"] = text
            return Turn([Reply(f"“{_clip(text)}” doesn't read as an answer to this item, so nothing was "
                               "recorded. Say why? for the paragraph behind the item, skip, or pause; if it was "
                               "your answer, say “record it”."), self.prompt(state)], state)
        if parsing.reads_as_question(text):
            return self._question(state, text, recordable=not text.endswith("?"))
        closed = parsing.is_closed_question(item.text)
        match = parsing.match_option(text, ["yes", "no", "not known"]) if closed else None
        if match is not None:  # "Have any fantasies been acted out ...?" - "yes - he says twice"
            return self._record_text(state, checklist, item, value=match.option, note=match.note, confirmed=confirmed)
        if not parsing.has_substance(text) or parsing.is_bare_reply(text):
            return Turn([Reply(f"“{_clip(text)}” on its own doesn't answer this item, so nothing was "
                               "recorded. Type a short answer in your own words (no names), “not known”, "
                               "or say skip."), self.prompt(state)], state)
        return self._record_text(state, checklist, item, value=text, note=None, confirmed=confirmed)

    def _chosen(self, state: ChecklistState, checklist: Checklist, item: Item, option: str,
                note: str | None, confirmed: bool = False) -> Turn:
        kind = self.kb.answer_kinds[item.kind]
        needs_note = kind.note == "required" or option in kind.note_required_for
        if needs_note and not (note and parsing.has_substance(note)):
            state.awaiting, state.pending = NOTE, {"value": option}
            return Turn([Reply(f"{option.capitalize()} — {kind.note_prompt} Nothing is recorded until "
                               "you give it (no names or personal details).")], state)
        if note:
            return self._record_text(state, checklist, item, value=option, note=note, confirmed=confirmed)
        return self._record(state, checklist, item, option, None)

    def _note(self, state: ChecklistState, checklist: Checklist, item: Item, message: Message) -> Turn:
        text = message.text.strip()
        kind = self.kb.answer_kinds[item.kind]
        chosen = state.pending.get("value")
        if parsing.wants_to_cancel(text) or parsing.WITHDRAW.match(text):  # "cancel", "go back": nothing recorded
            again = ChecklistState(state.case, checklist.id, item.id)
            return Turn([Reply(f"“{chosen}” was not recorded; nothing was. Answer this item again, or say skip."),
                         self.prompt(again)], again)
        changed = parsing.changed_answer(text, kind.options, message.option)
        if changed is not None:  # "no", "actually not observed", "not known": the answer changes
            if changed.option == chosen and not changed.note:
                return Turn([Reply(f"{chosen.capitalize()} — {kind.note_prompt} Nothing is recorded until you "
                                   "give it; or say another answer, or go back.")], state)
            again = ChecklistState(state.case, checklist.id, item.id)
            return self._chosen(again, checklist, item, changed.option, changed.note,
                                confirmed=message.details_confirmed)
        if parsing.reads_as_question(text) or parsing.is_explicit_question(text):
            # "what does antagonism mean": answered; the note is still asked for, nothing recorded
            answer = self.ask(text)
            return Turn([answer, Reply(f"Nothing was recorded. Still waiting for the note for “{chosen}”: "
                                       f"{kind.note_prompt} Or say another answer, go back or skip.")], state)
        if not parsing.has_substance(text):
            return Turn([Reply("The note is needed before this answer can be recorded; type it in words, "
                               "or say go back or skip.")], state)
        return self._record_text(state, checklist, item, value=state.pending["value"], note=text,
                                 retyped="note", confirmed=message.details_confirmed)

    def _record_text(self, state: ChecklistState, checklist: Checklist, item: Item, value: str,
                     note: str | None, retyped: str = "answer", confirmed: bool = False) -> Turn:
        """Typed words are screened for personal details before anything is stored. Typed again,
        they are read afresh: the whole answer ("no"), or only the note when the note was asked for.
        `confirmed`: these words are from a message the practitioner already chose to send with its
        personal details (the web chat held it back and asked); they are recorded as typed, without
        asking again."""
        found = self.screen(note if note is not None else value)
        if found and confirmed:
            return self._record(state, checklist, item, value, note, details_kept=True)
        if found:
            state.awaiting, state.pending = PII_CONFIRM, {"value": value, "note": note, "retyped": retyped}
            return Turn([Reply(f"That looks like it contains personal details ({', '.join(found)}). "
                               "Case records use case references, not names or contact details. Please "
                               "type it again without them, or say “keep it” to record it as written. "
                               "Nothing has been recorded yet.",
                               buttons=[button("Keep it as written", "keep it")])], state)
        return self._record(state, checklist, item, value, note)

    def _pii_confirm(self, state: ChecklistState, checklist: Checklist, item: Item, message: Message) -> Turn:
        pending = state.pending
        if parsing.wants_to_keep(message.text):
            return self._record(state, checklist, item, pending["value"], pending.get("note"))
        if pending.get("retyped") == "note":
            return self._note(ChecklistState(state.case, checklist.id, item.id, NOTE, {"value": pending["value"]}),
                              checklist, item, message)
        return self._answer(ChecklistState(state.case, checklist.id, item.id), checklist, item, message)

    def _record(self, state: ChecklistState, checklist: Checklist, item: Item, value: str,
                note: str | None, details_kept: bool = False) -> Turn:
        judgement = item.kind.startswith("judgement")
        before = self._flag_ids(state.case)
        current = self._answers(state.case, checklist).get(item.id)
        fields = {"note": None if judgement else note, "reasoning": note if judgement else None}
        if current is not None:
            self.service.correct(current.entry_id, value, kind="judgement" if judgement else "answer", **fields)
            self._changed(state.case)
            said = f"Recorded “{_clip(value)}” as a correction (the earlier answer stays in the history)."
        else:
            self.service.record_answer(state.case, checklist.id, item.id, value,
                                       kind="judgement" if judgement else "answer", **fields)
            self._changed(state.case)
            said = f"Recorded: “{_clip(value)}”."
        if note and not judgement:
            said += f" Note: “{_clip(note)}”."
        if judgement:
            said += f" This is recorded as {self.service.actor.username}'s professional judgement, with the reasoning given."
        if details_kept:
            said += " Kept as typed, with the personal details you chose to send."
        replies = [Reply(said)] + self._new_flags(state.case, before)
        return self._advance(state, checklist, item, replies)

    # ----- controls ----------------------------------------------------------------------

    def _go_back(self, state: ChecklistState, checklist: Checklist) -> Turn:
        ids = [i.id for i in checklist.items]
        index = ids.index(state.item) if state.item in ids else len(ids)
        if state.awaiting in (NOTE, PII_CONFIRM):
            target = state.item  # back out of the note: the item itself is asked again
        elif index == 0:
            return Turn([Reply("This is the first item; there is nothing before it."), self.prompt(state)], state)
        else:
            target = ids[index - 1]
        state = ChecklistState(state.case, checklist.id, target)
        self.service.set_progress(state.case, checklist.id, target)
        return Turn([self.prompt(state)], state)

    def _skip(self, state: ChecklistState, checklist: Checklist) -> Turn:
        if state.item is None:
            return Turn([Reply(self._checklist_summary(state.case, checklist))], None)
        item = checklist.item(state.item)
        current = self._answers(state.case, checklist).get(item.id)
        if current is None:
            self.service.record_skip(state.case, checklist.id, item.id)
            self._changed(state.case)
            said = "Skipped: it stays on the missing list."
        elif current.kind == "skip":
            said = "Skipped again: it stays on the missing list."
        else:
            said = f"Kept as recorded: “{_clip(current.value or '')}”."
        return self._advance(state, checklist, item, [Reply(said)])

    def _pause(self, state: ChecklistState, checklist: Checklist) -> Turn:
        if state.item is not None:
            self.service.set_progress(state.case, checklist.id, state.item)
        waiting = state.pending.get("value") if state.awaiting in (NOTE, PII_CONFIRM) else None
        unsaid = f"“{waiting}” for the current item was not recorded. " if waiting else ""
        return Turn([Reply(f"Paused {checklist.name} for case {state.case}. {unsaid}Everything answered is recorded. "
                           "Say “resume” to carry on from here, in the web chat or in Teams.")], None)

    def _why(self, state: ChecklistState, checklist: Checklist) -> Turn:
        item = checklist.item(state.item) if state.item else None
        replies = [self._protocol_says("This is asked", item.cites if item else checklist.cites)]
        if item:
            replies.append(self.prompt(ChecklistState(state.case, checklist.id, item.id)))
        return Turn(replies, state)

    def _protocol_says(self, lead: str, cites: list[str]) -> Reply:
        """ "why?": the cited units quoted whole."""
        quoted = "\n\n".join(f"{self.kb.units[c].label}:\n{self.kb.units[c].text}" for c in cites)
        return Reply(f"{lead} because the protocol says:\n\n{quoted}", list(cites))

    def _question(self, state: ChecklistState, text: str, recordable: bool = False) -> Turn:
        answer = self.ask(text)
        resume = self.prompt(state)
        if recordable:  # read as a question without a "?": nothing recorded, but it can be
            state = ChecklistState(state.case, state.checklist, state.item, pending={"asked": text})
            resume.text = ("I read that as a question, so nothing was recorded. If it was your answer, "
                           "say “record it”.\nBack to the checklist:\n" + resume.text)
            resume.buttons = [button("Record it as my answer", "record it"), *resume.buttons][:6]
        else:
            resume.text = "Back to the checklist:\n" + resume.text
        return Turn([answer, resume], state)

    # ----- triage ------------------------------------------------------------------------

    def _triage_select(self, state: ChecklistState, checklist: Checklist, message: Message) -> Turn:
        chosen = parsing.parse_triage(message.text, len(checklist.items), [i.names for i in checklist.items])
        if chosen is None:
            return self._triage_control(state, checklist, message, self._triage_choices(checklist))
        # A factor not named keeps what is already recorded for it: only a factor named, or one
        # with nothing recorded yet, is recorded; "no" is never written over an earlier answer.
        current = self._answers(state.case, checklist)
        values, kept = {}, {}
        for n, item in enumerate(checklist.items, 1):
            recorded = current.get(item.id)
            if n not in chosen and recorded is not None and recorded.kind != "skip":
                kept[item.id] = recorded.value
            else:
                values[item.id] = chosen.get(n, "no")
        pending = {"values": values, "kept": kept, "unread": parsing.triage_unread(message.text),
                   "none": not chosen}  # "none": a "yes" kept contradicts it, and the confirm step says so
        state = ChecklistState(state.case, checklist.id, None, TRIAGE_CONFIRM, pending)
        return Turn([self._triage_summary(state, checklist)], state)

    def _triage_summary(self, state: ChecklistState, checklist: Checklist) -> Reply:
        values, kept = state.pending["values"], state.pending.get("kept", {})
        current = self._answers(state.case, checklist)
        lines, present = [], []
        for n, item in enumerate(checklist.items, 1):
            if item.id in kept:
                lines.append(f"{n}. {item.text}: {kept[item.id]} (already recorded; kept)")
                if kept[item.id] == "yes":
                    present.append(n)
                continue
            recorded = current.get(item.id)
            was = recorded.value if recorded is not None and recorded.kind != "skip" else None
            change = f" (was {was}: recorded as a correction)" if was is not None and was != values[item.id] else ""
            if recorded is not None and recorded.kind == "skip":
                change = f" (skipped on purpose earlier; “{values[item.id]}” would be recorded now)"
            lines.append(f"{n}. {item.text}: {values[item.id]}{change}")
        unread = state.pending.get("unread")
        note = (f"\nNot recorded: “{_clip(unread)}”. The quick triage records the factors only; add a note "
                f"in the {checklist.id} check (“start the {checklist.id} check for {state.case}”)." if unread else "")
        if state.pending.get("none") and present:  # "none" against factors recorded as present
            numbers = ", ".join(map(str, present))
            note += (f"\nYou said none are present, but {'factor' if len(present) == 1 else 'factors'} {numbers} "
                     f"{'is' if len(present) == 1 else 'are'} recorded as “yes” for this case: "
                     f"{'that answer is' if len(present) == 1 else 'those answers are'} kept, not overwritten. "
                     f"If one is wrong, change it on its own: “start the {checklist.id} check for {state.case} "
                     f"at item {present[0]}” (recorded as a correction; the earlier answer stays in the history).")
        return Reply("I will record, for case " + state.case + ":\n" + "\n".join(lines) + note + "\nConfirm?",
                     checklist.cites, [button("Confirm", "/affirm"), button("Change", "/deny")])

    def _triage_confirm(self, state: ChecklistState, checklist: Checklist, message: Message) -> Turn:
        if message.intent in ("deny", "go_back"):
            return self.start_triage(state.case)
        if message.intent != "affirm" and not parsing.wants_to_keep(message.text):
            return self._triage_control(state, checklist, message, self._triage_summary(state, checklist))
        before = self._flag_ids(state.case)
        current = self._answers(state.case, checklist)
        for item in checklist.items:
            if item.id not in state.pending["values"]:
                continue  # kept as recorded
            value = state.pending["values"][item.id]
            if item.id in current and current[item.id].kind != "skip":
                if current[item.id].value != value:
                    self.service.correct(current[item.id].entry_id, value)
            else:
                self.service.record_answer(state.case, checklist.id, item.id, value)
        self._changed(state.case)
        kept = len(state.pending.get("kept", {}))
        factors = lambda n: f"{n or 'no'} factor{'' if n == 1 else 's'}"  # noqa: E731
        also = f"; {factors(kept)} already recorded, kept as {'it was' if kept == 1 else 'they were'}" if kept else ""
        replies = [Reply(f"Recorded the {checklist.id} triage ({factors(len(checklist.items) - kept)}{also}) "
                         f"for {state.case}.")]
        replies += self._new_flags(state.case, before)
        replies.append(Reply(self._checklist_summary(state.case, checklist), checklist.cites))
        return Turn(replies, None)

    def _triage_control(self, state: ChecklistState, checklist: Checklist, message: Message,
                        again: Reply) -> Turn:
        """Anything but a selection or a confirmation: stop, why, back, a question. Nothing is
        recorded until the practitioner confirms, and each reply says so."""
        if message.intent == "pause" or parsing.wants_to_cancel(message.text):
            return Turn([Reply(f"Triage stopped for case {state.case}; nothing was recorded.")], None)
        if message.intent in ("ask_why", "tell_more"):
            why = self._protocol_says("These factors are asked", checklist.cites)
            if state.awaiting == TRIAGE_SELECT:  # the quote lists the factors; number them once more only
                again = Reply("Reply with the numbers present and not known, as numbered in the list above "
                              f"(1–{len(checklist.items)}), or “none”; or say stop.", checklist.cites, again.buttons)
            return Turn([why, again], state)
        if message.intent == "go_back":
            return Turn([Reply("This is the start of the triage; nothing has been recorded yet."), again], state)
        if message.intent == "resume_checklist":
            return Turn([again], state)
        if parsing.is_explicit_question(message.text):
            return Turn([self.ask(message.text), again], state)
        if state.awaiting == TRIAGE_CONFIRM:
            return Turn([Reply("Nothing is recorded yet. Say confirm to record these answers, change to "
                               "choose again, or stop to leave the triage."), again], state)
        words = parsing.triage_words_not_read(message.text, [i.names for i in checklist.items])
        unread = f"I couldn't read “{_clip(words, 60)}” as a factor" if words else "I couldn't read that as factors"
        return Turn([Reply(f"{unread}, so nothing was recorded. Name the factors by number (1–{len(checklist.items)}) "
                           "or as the list words them, e.g. “present 1, 3; not known 5”, “1 and 3, 5 not known” or "
                           "“images of own children; not known: absence of cooperation”. Or say “none”, or stop.")],
                    state)

    # ----- helpers -----------------------------------------------------------------------

    def _advance(self, state: ChecklistState, checklist: Checklist, item: Item, replies: list[Reply]) -> Turn:
        following = self._next_unvisited(checklist, self._answers(state.case, checklist), after=item)
        self.service.set_progress(state.case, checklist.id, following.id if following else None)
        if following is None:
            replies.append(Reply(f"That was the last item of {checklist.name}.\n"
                                 + self._checklist_summary(state.case, checklist), checklist.cites))
            return Turn(replies, None)
        state = ChecklistState(state.case, checklist.id, following.id)
        return Turn(replies + [self.prompt(state)], state)

    def _answers(self, case: str, checklist: Checklist):
        return self._summary(case).answers.get(checklist.id, {})

    @staticmethod
    def _next_unvisited(checklist: Checklist, answers, after: Item | None) -> Item | None:
        ids = [i.id for i in checklist.items]
        start = ids.index(after.id) + 1 if after else 0
        for candidate in checklist.items[start:]:
            if candidate.id not in answers:
                return candidate
        return None

    def _flag_ids(self, case: str) -> set[str]:
        return {f.rule.id for f in overview(self.kb, self._summary(case)).flags}

    def _new_flags(self, case: str, before: set[str]) -> list[Reply]:
        summary = self._summary(case)
        fired = [f for f in overview(self.kb, summary).flags if f.rule.id not in before]
        for flag in fired:
            if flag.rule.id not in summary.flags:  # recorded once per case and rule
                self.service.raise_flag(case, flag.rule.id, flag.raised_by_entry_id)
                self._changed(case)
        return [Reply("Flag — " + prompts.flag_line(f).lstrip("• "), f.rule.cites) for f in fired]

    def _checklist_summary(self, case: str, checklist: Checklist) -> str:
        summary = self._summary(case)
        status = checklist_status(checklist, summary.answers.get(checklist.id, {}))
        flags = [f for f in fired_flags(self.kb, current_values(summary))
                 if any(t.startswith(checklist.id + ":") for t, _ in f.because)]
        lines = prompts.status_lines(status)
        lines += [prompts.flag_line(f) for f in flags]
        return "\n".join(lines)


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
