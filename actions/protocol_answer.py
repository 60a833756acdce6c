"""Protocol questions: answer from the cited paragraph, offer a choice, or say the protocol is silent.

`answer_question(text, tracker)` is the one place a question becomes a reply (the checklist action
calls it for a question asked mid-checklist); the Rasa actions below send what it returns.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import SafeAction
from actions.identity import personal_details_confirmed
from actions.replies import button, send_cited, send_plain, version_note
from actions.retrieval import Decision, Outcome, quote, retriever
from actions.retrieval.retriever import CAUTIONED
from actions.runtime import kb
from knowledge import normalise
from knowledge.model import Caution

# One button: "why?" / "tell me more" gives the whole paragraph and lists the related ones to open.
MORE_BUTTONS = [button("Full paragraph and related", "/tell_more")]
MAX_BUTTONS = 5
OUT_OF_SCOPE = ("That isn't covered by the joint protocol: I can only answer questions about the North "
                "Wales protocol on safeguarding children affected by adults viewing indecent images of "
                "children. For anything else, please ask your line manager.")
NOT_COVERED = ("The protocol does not say anything about {topic}, so I can't answer that from it. "
               "Please discuss it with your line manager.")
EMPTY = ("I didn't receive a question. Ask me about the protocol, for example: “who should attend "
         "the strategy meeting?”")
UNCLEAR = "I couldn't tell what you'd like to know. Ask me a question about the protocol, or type “help”."
NOT_ENGLISH = ("Mae'n ddrwg gen i — dim ond yn Saesneg y gallaf ateb ar hyn o bryd. Gofynnwch eich cwestiwn "
               "yn Saesneg, os gwelwch yn dda.\n\nSorry — I can only answer in English for now. Please ask "
               "your question in English.")
FRUSTRATED = ("Sorry this isn't helping. I answer one question about the protocol at a time: try the "
              "point you need in a few words (e.g. “who attends the strategy meeting”), or type “help”. "
              "For anything urgent, speak to your line manager.")
FRUSTRATION = re.compile(r"\b(?:useless|rubbish|pointless|not helpful|unhelpful|doesn'?t work|does not work|"
                         r"waste of time|stupid|ffs|wtf|annoying|hopeless|i (?:don'?t|do not) understand|"
                         r"i'?m (?:confused|lost)|what do you mean)\b", re.I)
UNSURE = "I'm not sure which part of the protocol answers that. These paragraphs look closest:"
SUGGEST = ("I'm not sure the protocol answers this directly. These paragraphs may help: pick one to read it; "
           "otherwise please discuss the question with your line manager.")
MAY_ALSO_HELP = "These paragraphs may also help: pick one to read it."
CAUTIONS_HEADING = "What the protocol cautions:"
NOTHING_TO_EXPAND = ("Ask me a question about the protocol first; then “why?” or “tell me more” shows "
                     "the whole paragraph the answer came from.")
FOLLOW_UP_WORDS = {"why", "more", "tell", "detail", "details", "full", "paragraph", "related", "expand",
                   "else", "reason", "important", "matter", "explain", "text", "whole", "further",
                   "elaborate", "continue", "carry", "on", "go", "paragraphs", "come", "how"}
TRUNCATED = "Your message was {length:,} characters long, so I read only the first {kept:,}. "


@dataclass(frozen=True)
class ProtocolAnswer:
    text: str
    citations: list[str]
    buttons: list[dict[str, str]]
    outcome: str
    question: str = ""                                   # as understood, with any context used
    ranked: list[str] = field(default_factory=list)      # the retriever's ranking, for evaluation


def answer_question(text: str, tracker: Tracker | None) -> ProtocolAnswer:
    context = _slot(tracker, "last_question") if tracker is not None else None
    details = _personal_details(text or "")
    asked = _without(text or "", details)  # a name or a phone number says nothing about what is asked
    decision = retriever().search(asked, context=context if isinstance(context, str) else None)
    answer = compose(decision, asked)
    # the web chat already warned, and the practitioner chose to send it as typed: not asked again
    warned = bool(details or decision.named) and tracker is not None and personal_details_confirmed(tracker)
    note = "" if warned else _personal_details_note(details, decision.named)
    answer = replace(answer, text=_truncation_note(tracker) + note + answer.text)
    if decision.via == "context" and context:  # the next "what about ...?" builds on both
        answer = replace(answer, question=f"{context} {text}"[-400:])
    return answer


def compose(decision: Decision, text: str) -> ProtocolAnswer:
    ranked = decision.unit_ids
    question = " ".join(text.split())[:400]
    outcome = decision.outcome
    cautions = decision.cautions if outcome in CAUTIONED else []
    if FRUSTRATION.search(text) and (outcome is Outcome.OUT_OF_SCOPE or len(text.split()) <= 6):
        # "this is useless", "I don't understand": a way forward, not a paragraph
        return ProtocolAnswer(FRUSTRATED, [], [button("Help", "/help")], Outcome.UNCLEAR.value, question, ranked)
    if outcome is Outcome.ANSWER:
        body, citations, buttons = _answer(decision)
    elif outcome is Outcome.UNSURE:
        citations = decision.unit_ids[:3]
        listed = "\n".join(f"- {kb().units[unit_id].label}" for unit_id in citations)
        body = f"{UNSURE}\n{listed}\n\nPick one to read it, or ask again in other words."
        buttons = paragraph_buttons(citations)
    elif outcome is Outcome.NOT_COVERED and decision.candidates and decision.silent_topic is None:
        # A weak match: the closest paragraphs as suggestions, but nothing cited as the answer.
        body, citations, buttons = ("" if cautions else SUGGEST), [], paragraph_buttons(decision.unit_ids[:3])
    elif outcome is Outcome.NO_SUCH_UNIT and "." not in (decision.missing or ""):
        named, form_part = _mentions(decision.missing or "")
        body, citations, buttons = _no_such_section(decision.missing or ""), [], paragraph_buttons(
            named + ([form_part] if form_part else []))
    elif outcome is Outcome.NO_SUCH_UNIT:
        body, citations, buttons = _no_such_unit(decision.missing or ""), [], []
    else:
        replies = {Outcome.EMPTY: EMPTY, Outcome.NOT_ENGLISH: NOT_ENGLISH, Outcome.UNCLEAR: UNCLEAR,
                   Outcome.OUT_OF_SCOPE: OUT_OF_SCOPE,
                   Outcome.NOT_COVERED: NOT_COVERED.format(topic=_topic(decision))}
        body, citations, buttons = replies[outcome], [], []
    if cautions:
        body, citations = _cautioned(cautions, body, citations, offered=not body and bool(buttons))
    if (outcome is Outcome.ANSWER and decision.via != "document") or cautions:  # the document's note says it
        body += f"\n\n{version_note()}."
    return ProtocolAnswer(body, citations, buttons, outcome.value, question, ranked)


def _cautioned(cautions: list[Caution], body: str, citations: list[str], offered: bool) -> tuple[str, list[str]]:
    """The cautions' replies first; a caution that corrects the premise (`leads`) quoted and cited
    before the answer; the others' words after it, under "What the protocol cautions:"."""
    units = kb().units
    leading = [caution for caution in cautions if caution.leads]
    parts = [" ".join(_tidy(caution.reply) for caution in cautions)]
    parts += [f"{units[quote.cite].label}:\n{_tidy(quote.text)}" for caution in leading for quote in caution.quotes]
    parts += [body] if body else []
    shown = normalise(" ".join(parts))
    quoted = [f"- “{_tidy(quote.text)}” ({units[quote.cite].label})" for caution in cautions
              if not caution.leads for quote in caution.quotes if normalise(quote.text) not in shown]
    if quoted:
        parts.append(CAUTIONS_HEADING + "\n" + "\n".join(quoted))
    if offered:
        parts.append(MAY_ALSO_HELP)
    cites = [unit_id for caution in leading for unit_id in caution.cites] + citations
    cites += [unit_id for caution in cautions if not caution.leads for unit_id in caution.cites]
    return "\n\n".join(parts), list(dict.fromkeys(cites))


def paragraph_buttons(unit_ids: list[str]) -> list[dict[str, str]]:
    """Buttons that open paragraphs: the payload is a look-up the retriever resolves."""
    return [button(kb().units[unit_id].label[:60], f"show me {unit_id}") for unit_id in unit_ids]


def _answer(decision: Decision) -> tuple[str, list[str], list[dict[str, str]]]:
    units = kb().units
    finder = retriever()
    if decision.via == "section":
        ids = decision.unit_ids
        section = units[ids[0]].section_title
        lines = [f"Section {decision.section} — {section} has these paragraphs:"]
        lines += [f"- {units[unit_id].label}" for unit_id in ids]
        return "\n".join(lines), ids, paragraph_buttons(ids[:MAX_BUTTONS])
    if decision.via == "document":  # the note on the document itself is the whole answer
        return "\n\n".join(_tidy(loss.says) for loss in decision.losses), decision.unit_ids, []
    if decision.glossary is not None:
        term = decision.glossary
        where = ", ".join(units[unit_id].label for unit_id in term.cites[:3])
        body = f"{term.term}: {_tidy(term.meaning)}\n\nWhere the protocol uses it: {where}."
        citations = list(term.cites)
    else:
        shown = decision.unit_ids[:3] if decision.via == "lookup" else decision.unit_ids[:1]
        # A question about the document itself (its version, a lost diagram) is answered by the
        # loss note; quote the unit only where it matches what was asked.
        whole = not decision.losses or decision.via == "lookup"
        parts = []
        for unit_id in shown:
            quoted = finder.quote(unit_id, decision.query, whole_if_unmatched=whole)
            if quoted:
                parts.append(f"{units[unit_id].label}:\n{quoted}")
            if units[unit_id].kind == "appendix" and _asks_for_appendix(decision) and _appendix_parts(unit_id):
                parts.append(_appendix_parts(unit_id))
        body = "\n\n".join(parts)
        citations = list(shown)
    body = body or f"From {units[decision.unit_ids[0]].label}."
    for loss in decision.losses:
        if decision.glossary is not None and _overlaps(loss.says, decision.glossary.meaning):
            continue
        body += f"\n\nNote: {_tidy(loss.says)}"
        citations += [unit_id for unit_id in loss.cites if unit_id not in citations]
    return body, citations, list(MORE_BUTTONS)


def _asks_for_appendix(decision: Decision) -> bool:
    """"appendix 7", "capacity to protect appendix": the appendix as a whole is asked for."""
    return decision.via == "lookup" or bool(decision.query and re.search(r"\bappendix\b", decision.query.text))


def _appendix_parts(appendix_id: str) -> str:
    """"Appendix 7" is more than its heading: name the parts to ask for."""
    titles = [unit.title for unit in kb().units.values() if unit.parent == appendix_id]
    if not titles:
        return ""
    name = kb().units[appendix_id].section.replace("appendix-", "Appendix ")
    return f"{name} has these parts (ask for one by name):\n" + "\n".join(f"- {title}" for title in titles)


def _overlaps(one: str, other: str) -> bool:
    words = lambda text: set(re.findall(r"[a-z0-9]+", text.lower()))  # noqa: E731
    a, b = words(one), words(other)
    return bool(a) and len(a & b) / len(a) > 0.6


def _topic(decision: Decision) -> str:
    if decision.silent_topic == "timescale":
        return "a timescale for that"
    if decision.silent_topic == "frequency":
        return "how often that should happen"
    if decision.silent_topic == "count":
        return "a number for that"
    if decision.silent_topic == "age":
        return "an age for that"
    if decision.silent_topic == "cost":
        return "costs or who pays"
    if decision.silent_topic == "length":
        return "how long that should be"
    return decision.silent_topic or "that"


def _no_such_unit(number: str) -> str:
    section = number.split(".")[0]
    ids = [unit.id for unit in kb().units.values() if unit.section.split(".")[0] == section]
    if not ids:
        return f"There is no paragraph {number} in the protocol."
    return (f"There is no paragraph {number} in the protocol. Section {section} runs from {ids[0]} "
            f"to {ids[-1]}; ask for “section {section}” to see its paragraphs.")


def _no_such_section(number: str) -> str:
    units = kb().units
    sections = [unit.section for unit in units.values() if unit.section[0].isdigit()]
    text = (f"There is no section {number} in the protocol: its sections run from {sections[0]} to "
            f"{sections[-1]}, then Appendices 1 to 7.")
    named, form_part = _mentions(number)
    if named:
        text += f" It mentions “Section {number}” in " + "; ".join(units[unit_id].label for unit_id in named) + "."
    if form_part:
        text += f" The Appendix 7 form has a {units[form_part].title}."
    return text + (" Pick one below to read it." if named or form_part else "")


def _mentions(number: str) -> tuple[list[str], str | None]:
    """The paragraphs that name a "Section <number>" (of an Act, say), and the Appendix 7 form's part."""
    named = [unit.id for unit in kb().units.values() if re.search(rf"\bsection {number}\b", unit.text, re.I)]
    form_part = f"appendix-7/part-{number}"
    return named[:3], (form_part if form_part in kb().units else None)


def _tidy(text: str) -> str:
    return " ".join(text.replace("**", "").split())


def _slot(tracker: Tracker | None, name: str) -> Any:
    try:
        return tracker.get_slot(name) if tracker is not None else None
    except Exception:  # a tracker without the slot in its domain
        return None


def _personal_details(text: str) -> list:
    from casestore import pii

    return pii.screen(text)


def _without(text: str, details: list) -> str:
    for finding in sorted(details, key=lambda f: f.start, reverse=True):
        text = text[:finding.start] + " " + text[finding.end:]
    return text


def _personal_details_note(details: list, named: bool = False) -> str:
    """A pasted referral with names, dates of birth, phone numbers: ask for none next time. Protocol
    questions need no personal details, and conversations are kept."""
    found = list(dict.fromkeys(finding.label for finding in details))  # each kind once, as they come
    if named and not any("name" in label for label in found):  # a name retrieval set aside ("in Bangor")
        found.append("a name")
    if not found:
        return ""
    listed = found[0] if len(found) == 1 else ", ".join(found[:-1]) + " and " + found[-1]
    return (f"Please don't put personal details in the chat (this message looks like it has {listed}): "
            "conversations are kept, and protocol questions need none. Use the case reference instead.\n\n")


def _truncation_note(tracker: Tracker | None) -> str:
    if tracker is None:
        return ""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    length = metadata.get("truncated_from")
    kept = metadata.get("truncated_to", 4000)
    if isinstance(length, int) and isinstance(kept, int) and length > kept:
        return TRUNCATED.format(length=length, kept=kept)
    return ""


def send_answer(dispatcher: CollectingDispatcher, answer: ProtocolAnswer) -> None:
    if answer.citations:
        send_cited(dispatcher, answer.text, answer.citations, answer.buttons)
    else:
        send_plain(dispatcher, answer.text, answer.buttons)


def slot_events(answer: ProtocolAnswer) -> list[dict[str, Any]]:
    return [SlotSet("last_citations", list(answer.citations)), SlotSet("last_question", answer.question)]


def expand(tracker: Tracker) -> ProtocolAnswer:
    """"Why?" / "tell me more": the whole of the paragraph last cited, and where to read on."""
    citations = _slot(tracker, "last_citations") or []
    if not citations or citations[0] not in kb().units:
        return ProtocolAnswer(NOTHING_TO_EXPAND, [], [], Outcome.UNCLEAR.value)
    unit = kb().units[citations[0]]
    related = retriever().related(unit.id)[:4]
    question = _slot(tracker, "last_question") or ""
    if isinstance(question, str) and question and _quoted_whole(unit.id, question):
        body = (f"The answer above quoted all of {unit.label}: the protocol says no more there."
                + (" These paragraphs may say more:" if related else ""))
    else:
        full_text = re.sub(r"\n{3,}", "\n\n", quote.tidy(unit.text))  # no Markdown, as in an answer
        body = f"{unit.label}, in full:\n{full_text}"
    if related:
        body += "\n\nRelated: " + "; ".join(kb().units[unit_id].label for unit_id in related) + "."
    return ProtocolAnswer(f"{body}\n\n{version_note()}.", [unit.id, *related], paragraph_buttons(related),
                          Outcome.ANSWER.value, question if isinstance(question, str) else "")


def _quoted_whole(unit_id: str, question: str) -> bool:
    """The answer to `question` was the unit quoted with nothing left out ("…"), worked out again
    (retrieval is deterministic): not when it offered the unit among others, or quoted a part."""
    finder = retriever()
    decision = finder.search(question)
    if decision.outcome is not Outcome.ANSWER or decision.unit_ids[:1] != [unit_id]:
        return False
    shown = finder.quote(unit_id, decision.query)
    return bool(shown) and "…" not in shown


def is_new_question(text: str) -> bool:
    """"Why should two people interview him?" is a question, not a request to expand the last one."""
    query = retriever().query(text or "")
    return len([group for group in query.groups if group.word not in FOLLOW_UP_WORDS]) >= 2


class ActionAnswerProtocol(SafeAction):
    def name(self) -> str:
        return "action_answer_protocol"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        answer = answer_question((tracker.latest_message or {}).get("text") or "", tracker)
        send_answer(dispatcher, answer)
        return slot_events(answer)


class ActionProtocolFollowup(SafeAction):
    def name(self) -> str:
        return "action_protocol_followup"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        text = (tracker.latest_message or {}).get("text") or ""
        if not text.startswith("/") and is_new_question(text):
            answer = answer_question(text, tracker)
        else:
            answer = expand(tracker)
        send_answer(dispatcher, answer)
        return slot_events(answer) if answer.citations else []


class ActionOutOfScope(SafeAction):
    """NLU thought this was not about the protocol. A typed paragraph number, a glossary term, or a
    question the retriever answers confidently with every word one the protocol uses still gets its
    answer; anything else the out-of-scope reply (never with citations)."""

    def name(self) -> str:
        return "action_out_of_scope"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        text = (tracker.latest_message or {}).get("text") or ""
        decision = retriever().search(text)
        if decision.outcome is Outcome.ANSWER and (decision.via in ("lookup", "section", "glossary")
                                                   or retriever().all_known(decision)):
            answer = compose(decision, text)
        elif decision.outcome in (Outcome.EMPTY, Outcome.NOT_ENGLISH) or (
                decision.outcome is Outcome.NOT_COVERED and decision.silent_topic):
            answer = compose(decision, text)
        else:
            answer = ProtocolAnswer(_truncation_note(tracker) + OUT_OF_SCOPE, [], [],
                                    Outcome.OUT_OF_SCOPE.value, text[:400])
        send_answer(dispatcher, answer)
        return slot_events(answer)
