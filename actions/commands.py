"""Whether a message read as a command (start a checklist, open a case, start the tour ...) says
anything of that command.

DIET learns each command from a few dozen examples, and now and then gives a command intent to a
question or a remark: "when is the next fire drill" read as "next stop" started the induction tour,
"who scored for wales last night" showed induction progress. Acting on such a reading does
something nobody asked for, so a command action first checks the text names its command; if not,
the message is answered as a question about the protocol (which declines what is not). Every NLU
example of a gated intent passes its gate (tests/test_commands.py keeps them in step).
"""
from __future__ import annotations

import re
from typing import Callable

from actions.case_refs import short_reference
from casestore.refs import find_reference


def _words(pattern: str) -> Callable[[str], bool]:
    compiled = re.compile(pattern, re.I)
    return lambda text: compiled.search(text) is not None


def _short_or(limit: int, pattern: str) -> Callable[[str], bool]:
    """A bare command ("next stop", "help") or one naming what it is about."""
    says = _words(pattern)
    return lambda text: len(text.split()) <= limit or says(text)


def _names_a_case_short(text: str) -> bool:
    """ "timescales for 9101", "summary for case nw9101": a case named by a short form, which the
    action then refuses to guess (actions/case_refs.py), rather than a protocol question."""
    short = short_reference(text)
    return short is not None and re.search(rf"\b(?:for|case|ref|reference|re|to)\s+{re.escape(short[0])}",
                                           text, re.I) is not None


def _about_a_case(pattern: str) -> Callable[[str], bool]:
    says = _words(pattern)
    return lambda text: find_reference(text) is not None or _names_a_case_short(text) or says(text)


_HELP = _words(r"\b(?:help|what (?:can|do) you|what you can do|how do i use|what are you|menu|options|what can i ask|"
               r"how does this work|where do i start|what is this for|what's this for)\b")
_ABOUT_ME = _words(r"\bthis (?:bot|chatbot|assistant)\b")  # "hiya, new to this team - what is this bot for?"

GATES: dict[str, Callable[[str], bool]] = {
    "start_checklist": _about_a_case(r"\b(?:start|begin|run|record|open|go through|work through|fill in|"
                                     r"let'?s do|can we do|do the|do a|checklists?|check)\b"),
    "list_checklists": _words(r"\b(?:checklists?|checks|what can i record|take me through)\b"),
    "triage": _words(r"\b(?:triage|check)\b"),
    "open_case": _words(r"\b(?:open|create|new|register)\b.*\bcase\b"),
    "record_referral_date": _words(r"\breferr(?:al|ed)\b"),
    "case_summary": _about_a_case(r"\b(?:missing|summary|outstanding|recorded|case)\b"),
    # a case's dates, not "what are the timescales for the assessment" (a protocol question)
    "case_timescales": lambda text: (_words(r"\b(?:time ?scales?|deadlines?|timeline|due|dates?)\b")(text)
                                     and _about_a_case(r"\b(?:this|the|my|our|that) case\b")(text)),
    # "who goes to the strat" asks who attends (3.2), not what this case takes to it
    "strategy_meeting_items": lambda text: (_about_a_case(r"\b(?:flag(?:s|ged)?|pack)\b")(text)
                                            or (_words(r"\bstrat(?:egy)?\b")(text)
                                                and not _words(r"^\W*(?:so |and |but )?who\b")(text))),
    "start_induction": _words(r"\b(?:induction|tour|i'?m new|new (?:starter|worker)|walk me through|"
                              r"show me around|teach me)\b"),
    "induction_next": _short_or(4, r"\b(?:stop|tour)\b"),
    "induction_back": _short_or(4, r"\b(?:stop|tour)\b"),
    "quiz_answer": _short_or(5, r"\b(?:answer|option)\b"),  # outside a quiz: not a question read as "b"
    "start_quiz": _words(r"\b(?:quiz|test (?:me|my)|practice questions|another round|ask me (?:some )?questions)\b"),
    "my_progress": _words(r"\b(?:progress|how am i doing|score|tour|induction|got right|how far|where am i)\b"),
    "help": lambda text: (len(text.split()) <= 7 and _HELP(text)) or _ABOUT_ME(text),  # not "help me write a statement"
}


def says_command(intent: str | None, text: str) -> bool:
    """False only for a gated intent whose text says nothing of the command. Button payloads
    ("/start_quiz") name their intent and always pass."""
    gate = GATES.get(intent or "")
    return gate is None or text.lstrip().startswith("/") or gate(text)
